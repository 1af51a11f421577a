import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from intersector.jobs.services import start_job
from intersector.library import listings, services, similar, vocab
from intersector.library.forms import DescriptionForm, ImportForm, NewsletterForm
from intersector.library.models import Briefing, Case, NewsletterIssue, Resource, ResourceImport, Stage, Tool
from intersector.library.search import clean_query, query_problem
from intersector.limits import client_address
from intersector.refusals import Refused
from intersector.spreadsheets import csv_response


def _shown_without_links(listing):
    """The listing for a results page, which shows no sectors or other linked terms: it skips
    the queries that fetch them for the API and the CSV export."""
    listing.queryset = listing.queryset.prefetch_related(None)
    return listing


def _listing_context(listing, extra=None):
    page = listing.page()
    querystring = listing.querydict.copy()
    querystring.pop("page", None)
    context = {
        "listing": listing,
        "page": page,
        "results": [{"item": item, "snippet": listing.snippet(item)} for item in page.object_list],
        # Counted only if the template's cached filter panel is missing or out of date.
        "facets": functools.cache(listing.facet_counts),
        "querystring": querystring.urlencode(),
        "sort_options": ([("relevance", _("Best match"))] if listing.searching else [])
        + [(key, label) for key, (label, _ordering) in listing.sorts.items()],
    }
    context.update(extra or {})
    return context


# --- Learn hub and toolkit --------------------------------------------------------------------


@require_safe
def index(request):
    stages = Stage.objects.filter(live=True).prefetch_related("tools")
    return render(
        request,
        "library/index.html",
        {
            "stages": stages,
            "featured_cases": listings.published_cases().order_by("-starter", "-start_year")[:3],
            "briefings": Briefing.objects.filter(live=True)[:3],
            "case_count": Case.objects.filter(live=True).count(),
            "resource_count": Resource.objects.filter(live=True).count(),
        },
    )


def _live_stages():
    return Stage.objects.filter(live=True)


@require_safe
def toolkit(request):
    stages = _live_stages()
    tools = Tool.objects.filter(live=True, stage__in=stages).select_related("stage")
    by_stage = {stage.pk: [] for stage in stages}
    for tool in tools:
        by_stage[tool.stage_id].append(tool)
    return render(
        request, "library/toolkit.html", {"stages": [(stage, by_stage[stage.pk]) for stage in stages]}
    )


@require_safe
def stage_detail(request, slug):
    stage = get_object_or_404(_live_stages(), slug=slug)
    return render(request, "library/stage_detail.html", stage.page_context())


def _tool_or_404(slug):
    return get_object_or_404(
        Tool.objects.filter(live=True, stage__live=True).select_related("stage", "example_case"), slug=slug
    )


@require_safe
def tool_detail(request, slug):
    tool = _tool_or_404(slug)
    siblings = list(Tool.objects.filter(live=True, stage__live=True).select_related("stage"))
    position = next(i for i, other in enumerate(siblings) if other.pk == tool.pk)
    return render(
        request,
        "library/tool_detail.html",
        {
            **tool.page_context(),
            "cases": tool.cases.filter(live=True),
            "previous": siblings[position - 1] if position > 0 else None,
            "next": siblings[position + 1] if position + 1 < len(siblings) else None,
        },
    )


@require_safe
def toolkit_print(request):
    """The whole toolkit on one page, one tool per printed page: also the PDF's source."""
    return render(request, "library/toolkit_print.html", toolkit_print_context())


def toolkit_print_context():
    stages = list(_live_stages())
    tools = Tool.objects.filter(live=True, stage__in=stages).select_related("stage", "example_case")
    grouped = [(stage, [tool for tool in tools if tool.stage_id == stage.pk]) for stage in stages]
    return {"stages": grouped}


PDF_JOB_KIND = "library.toolkit_pdf"


def _pdf_job():
    """The PDF job already queued or running, if any: readers share one instead of starting many."""
    from intersector.jobs.models import Job

    return Job.objects.filter(kind=PDF_JOB_KIND).exclude(status__in=Job.FINISHED).first()


@require_safe
def toolkit_pdf(request):
    """The PDF if it is made; otherwise start making it and show a page that waits for it."""
    from intersector.library import pdf
    from intersector.library.tasks import build_toolkit_pdf

    path = pdf.pdf_path()
    if path.exists():
        return FileResponse(path.open("rb"), as_attachment=True, filename="intersector-toolkit.pdf",
                            content_type="application/pdf")
    job = _pdf_job() or start_job(build_toolkit_pdf, label=_("Making the toolkit PDF"), kind=PDF_JOB_KIND,
                                  language=request.LANGUAGE_CODE)
    return render(request, "library/toolkit_pdf_wait.html", {"job": job, "ready": False}, status=202)


@require_safe
def toolkit_pdf_status(request):
    from intersector.library import pdf

    ready = pdf.pdf_path().exists()
    failed = not ready and _pdf_job() is None
    return render(request, "library/toolkit_pdf_wait.html#status", {"ready": ready, "failed": failed})


# --- Cases ------------------------------------------------------------------------------------


@require_safe
def case_list(request):
    listing = _shown_without_links(listings.case_listing(request.GET))
    return render(request, "library/case_list.html", _listing_context(listing, {"description_form": DescriptionForm()}))


@require_safe
def case_detail(request, slug):
    # No prefetching: the partners, outcomes, sources, sectors and tools are read only when the
    # cached copy of the case's text is missing or out of date (see article_key).
    case = get_object_or_404(listings.published_cases().prefetch_related(None), slug=slug)
    preparing = similar.vectors_pending(case)
    if preparing:
        similar.schedule_refresh(from_page=True)  # e.g. cases published by a bulk change, which saves nothing
    return render(
        request,
        "library/case_detail.html",
        {
            "case": case,
            "tools": case.tools.filter(live=True, stage__live=True).select_related("stage"),
            "example_for": case.example_for.filter(live=True),
            # Looked up only if the template's cached copy of the list is missing or out of date.
            "similar": functools.cache(lambda: [] if preparing else similar.cases_like(case)),
            "similar_key": None if preparing else similar.fragment_key(case),
            "article_key": _case_article_key(case),
            "preparing": preparing,
            "method": similar.method(),
        },
    )


def _case_article_key(case):
    """Names the rendered case: saving a case (its partners, outcomes and sources too) sets its
    `updated`; the tools it lists change the toolkit's version; labels change with the language."""
    from django.utils.translation import get_language

    return repr((case.pk, case.updated.isoformat(), listings.toolkit_version(), get_language()))


@require_safe
def cases_like_mine(request):
    form = DescriptionForm(request.GET or None)
    matches, status = [], 200
    if form.is_bound:
        if form.is_valid():
            matches = similar.cases_like_text(form.cleaned_data["description"])
        else:
            status = 400
    pending = similar.cases_pending()
    if pending:
        similar.schedule_refresh(from_page=True)
    return render(
        request,
        "library/cases_like_mine.html",
        {"form": form, "matches": matches, "method": similar.method(), "pending": pending},
        status=status,
    )


# --- Resources --------------------------------------------------------------------------------


@require_safe
def resource_list(request):
    listing = _shown_without_links(listings.resource_listing(request.GET))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "library/resource_list.html",
        _listing_context(listing, {"export_url": reverse("library:resources_csv") + "?" + querystring.urlencode()}),
    )


@require_safe
def resource_detail(request, slug):
    resource = get_object_or_404(listings.published_resources(), slug=slug)
    return render(request, "library/resource_detail.html", {"resource": resource})


@require_safe
def resources_csv(request):
    """The filtered list as CSV, in the columns the import reads (so it can be edited and re-imported)."""
    listing = listings.resource_listing(request.GET)
    rows = (services.resource_row(resource) for resource in listing.results().iterator(chunk_size=500))
    return csv_response("resources.csv", services.CSV_COLUMNS, rows, stream=True)


@staff_member_required(login_url="accounts:login")
@require_http_methods(["GET", "HEAD", "POST"])
def resources_import(request):
    """Step 1: upload a CSV. Step 2 (same page): the preview, then start the import."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = request.FILES["file"]
        try:
            stored = services.store_upload(request.user, upload.name, upload.read())
        except services.ImportProblem as problem:
            form.add_error("file", str(problem))
        else:
            return redirect("library:import_preview", upload_id=stored.pk)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request, "library/import_upload.html",
        {"form": form, "columns": services.CSV_COLUMNS, "vocab": vocab}, status=status,
    )


def _own_upload(request, upload_id):
    return get_object_or_404(ResourceImport, pk=upload_id, owner=request.user)


@staff_member_required(login_url="accounts:login")
@require_http_methods(["GET", "HEAD", "POST"])
def import_preview(request, upload_id):
    upload = _own_upload(request, upload_id)
    if request.method == "POST":
        if upload.job_id:
            return redirect(upload.job)
        from intersector.library.tasks import import_resources

        job = start_job(
            import_resources, label=_("Importing %(file)s") % {"file": upload.filename},
            owner=request.user, kind="library.import_resources", upload_id=str(upload.pk),
        )
        ResourceImport.objects.filter(pk=upload.pk).update(job=job)
        return redirect(job)
    report = services.preview_import(upload.data)
    counts = {action: sum(1 for row in report if row["action"] == action) for action in ("create", "update", "reject")}
    return render(
        request, "library/import_preview.html",
        {"upload": upload, "report": report[:200], "rejects": [r for r in report if r["action"] == "reject"],
         "counts": counts, "total": len(report)},
    )


@staff_member_required(login_url="accounts:login")
@require_safe
def import_report(request, upload_id):
    upload = _own_upload(request, upload_id)
    result = (upload.job.result if upload.job else None) or {}
    return render(request, "library/import_report.html", {"upload": upload, "job": upload.job, "result": result})


# --- Briefings and newsletter -----------------------------------------------------------------


@require_safe
def briefing_list(request):
    listing = listings.briefing_listing(request.GET)
    return render(
        request, "library/briefing_list.html",
        _listing_context(listing, {"newsletter_form": NewsletterForm(), "series": vocab.SERIES,
                                   "series_descriptions": vocab.SERIES_DESCRIPTIONS}),
    )


@require_safe
def briefing_detail(request, slug):
    briefing = get_object_or_404(Briefing.objects.filter(live=True).prefetch_related("of_interest_to"), slug=slug)
    return render(request, "library/briefing_detail.html", {"briefing": briefing, "newsletter_form": NewsletterForm()})


@require_safe
def briefings_feed(request):
    feed = Atom1Feed(
        title=_("Intersector research briefings"),
        link=request.build_absolute_uri(reverse("library:briefings")),
        description=_("Research briefings on cross-sector collaboration."),
        feed_url=request.build_absolute_uri(),
        language=request.LANGUAGE_CODE,
    )
    for briefing in Briefing.objects.filter(live=True)[:30]:
        feed.add_item(
            title=briefing.title,
            link=request.build_absolute_uri(briefing.get_absolute_url()),
            description=briefing.summary,
            pubdate=briefing.last_published_at or briefing.updated,
            updateddate=briefing.updated,
            unique_id=request.build_absolute_uri(briefing.get_absolute_url()),
            categories=[str(briefing.series_label())],
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


@require_POST
def newsletter_signup(request):
    form = NewsletterForm(request.POST)
    if not form.is_valid():
        return render(request, "library/newsletter.html", {"form": form, "step": "form"}, status=400)
    try:
        services.subscribe(form.cleaned_data["email"], address=client_address(request))
    except ValidationError:
        form.add_error("email", _("Enter an e-mail address like name@example.org."))
        return render(request, "library/newsletter.html", {"form": form, "step": "form"}, status=400)
    return render(request, "library/newsletter.html", {"step": "check-mail", "email": form.cleaned_data["email"]})


def _subscriber_or_404(token):
    subscriber = services.subscriber_for(token)
    if subscriber is None:
        raise Refused(_("This link is not valid. It may have been copied incompletely."), status=404)
    return subscriber


@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_confirm(request, token):
    subscriber = _subscriber_or_404(token)
    if request.method == "POST":
        services.confirm(subscriber)
        return render(request, "library/newsletter.html", {"step": "confirmed", "email": subscriber.email})
    # Confirming takes a click on the page, so a mail scanner that opens links confirms nothing.
    return render(request, "library/newsletter.html", {"step": "confirm", "email": subscriber.email})


@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_unsubscribe(request, token):
    subscriber = _subscriber_or_404(token)
    if request.method == "POST":
        services.unsubscribe(subscriber)
        return render(request, "library/newsletter.html", {"step": "unsubscribed", "email": subscriber.email})
    return render(request, "library/newsletter.html", {"step": "unsubscribe", "email": subscriber.email})


# --- One search over everything ----------------------------------------------------------------

GROUP_SIZE = 5


@require_safe
def site_search(request):
    raw = (request.GET.get("q") or "").strip()
    words = clean_query(raw)
    problem = query_problem(raw, words)
    groups = []
    kind = request.GET.get("kind") or ""
    if problem is None:
        for key, label, make, url_name in (
            ("tools", _("Toolkit"), listings.tool_listing, None),
            ("cases", _("Cases"), listings.case_listing, "library:cases"),
            ("resources", _("Resources"), listings.resource_listing, "library:resources"),
            ("briefings", _("Research briefings"), listings.briefing_listing, "library:briefings"),
        ):
            listing = make(request.GET)
            results = listing.results()
            count = results.count()
            shown = 50 if kind == key else (GROUP_SIZE if not kind else 0)
            groups.append({
                "key": key, "label": label, "count": count,
                "results": [{"item": item, "snippet": listing.snippet(item)} for item in results[:shown]],
                "more_url": (reverse(url_name) + "?" + urlencode({"q": raw})) if url_name else "",
            })
    total = sum(group["count"] for group in groups)
    return render(
        request, "library/search.html",
        {"query": raw, "words": words, "problem": problem, "groups": groups, "total": total, "kind": kind,
         "kind_links": [(g["key"], g["label"], g["count"], "?" + urlencode({"q": raw, "kind": g["key"]})) for g in groups]},
        status=200,
    )


@staff_member_required(login_url="accounts:login")
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_issues(request):
    """Curators: pick briefings, preview the e-mail, send it to the confirmed subscribers (a job),
    and see the issues sent before."""
    import secrets as _secrets

    briefings, new = services.briefings_for_next_issue()
    context = {
        "briefings": briefings, "chosen": new, "subject": _("Research briefings from Intersector"),
        "key": _secrets.token_urlsafe(16), "issues": NewsletterIssue.objects.prefetch_related("briefings")[:20],
        "subscribers": services.active_subscribers().count(),
    }
    status = 200
    if request.method == "POST":
        subject, ids = request.POST.get("subject"), request.POST.getlist("briefings")
        context.update(subject=subject or "", chosen={int(i) for i in ids if str(i).isdigit()},
                       key=request.POST.get("key") or context["key"])
        try:
            if request.POST.get("action") == "send":
                issue = services.send_issue(request.user, request.POST.get("key"), subject, ids)
                return redirect(issue.job) if issue.job_id else redirect("library:newsletter_issues")
            clean_subject, chosen = services.clean_issue(subject, ids)
            context["preview"] = services.issue_text(clean_subject, chosen)
        except services.IssueProblem as problem:
            context["problem"], status = str(problem), 400
    return render(request, "library/newsletter_issues.html", context, status=status)

