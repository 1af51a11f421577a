"""Reviewing an existing agreement: upload, proposed ratings, confirmation. Owner only."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from intersector.agreements import scorecard as sc
from intersector.agreements import services


def _review_for(request, pk):
    """Only the person who uploaded a review sees it; others get a 404."""
    from intersector.agreements.models import Review

    if not request.user.is_authenticated:
        raise Http404
    review = Review.objects.select_related("scorecard", "job").filter(pk=pk, owner=request.user).first()
    if review is None:
        raise Http404
    return review


def _body_too_large(request):
    from intersector.agreements.extract import max_bytes

    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return declared > max_bytes() + 64 * 1024   # room for the form's other fields


@require_http_methods(["GET", "HEAD", "POST"])
def review_new(request):
    from django.contrib.auth.views import redirect_to_login

    from intersector.agreements.extract import DocumentError, max_bytes
    from intersector.agreements.forms import ReviewForm

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    status = 200
    if request.method == "POST" and _body_too_large(request):
        # Refused from the declared size alone: the upload is never read or stored.
        message = _("The file is too large. The limit is %(limit)s MB; an agreement of up to 50 "
                    "pages fits well within it.") % {"limit": round(max_bytes() / 1048576)}
        return render(request, "agreements/review_new.html", {"form": ReviewForm(), "error": message,
                                                               "reads_scans": _reads_scans()}, status=413)
    if request.method == "POST":
        form = ReviewForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                review = services.create_review(owner=request.user, upload=form.cleaned_data["document"],
                                                title=form.cleaned_data["title"],
                                                form=form.cleaned_data["form"])
            except DocumentError as error:
                form.add_error("document", error.message)
                status = error.status
            else:
                if review.job is not None and review.job.kind == "agreements.read_scans":
                    messages.success(request, _("The document was uploaded. Its scanned pages are being read; then the proposals are prepared."))
                else:
                    messages.success(request, _("The document was read. The proposals are being prepared."))
                return redirect(review)
    else:
        form = ReviewForm()
    return render(request, "agreements/review_new.html", {"form": form, "reads_scans": _reads_scans()},
                  status=status)


def _reads_scans():
    from intersector.agreements.extract import tesseract_languages

    return bool(tesseract_languages())


# A line break inside a sentence (PDF text wrapped at the page's width) reads as a space; one after
# a full stop or colon, or before an item ("(b)", "-"), stays.
WRAPPED = re.compile(r"(?<![.:;!?\n])[ \t]*\n(?![ \t]*(?:\n|(?:[-*•●▪◦]|\(?[a-z0-9ivx]{1,4}[.)])[ \t]))[ \t]*")


def _unwrap(text):
    return WRAPPED.sub(" ", text)


def _evidence(clause, sentence):
    """A passage as the page shows it: the best sentence, and its clause split around it so the
    whole clause can be opened with the sentence marked. Older reviews stored no sentence: their
    clause is the evidence, as before."""
    text = clause.text
    if sentence and 0 <= sentence[0] < sentence[1] <= len(text):
        start, end = sentence
        return {"clause": clause, "sentence": _unwrap(text[start:end]), "before": _unwrap(text[:start]),
                "after": _unwrap(text[end:]), "whole": start > 0 or end < len(text)}
    return {"clause": clause, "sentence": "", "before": "", "after": "", "whole": False}


@require_safe
def review(request, pk):
    from intersector.agreements.extract import reading_warnings
    from intersector.jobs.services import check_lease

    review = _review_for(request, pk)
    if review.status == review.Status.WAITING and review.job is not None:
        # A worker that died leaves the review waiting: the job's lease tells the page so.
        review.job = check_lease(review.job)
    card = review.scorecard.card
    clauses = {c.position: c for c in review.clauses.all()}
    proposals = {p.element: p for p in review.proposals.all()}
    rows = []
    for family in card.families:
        for element in family.elements:
            proposal = proposals.get(element.key)
            passages = []
            if proposal:
                passages = [_evidence(clauses[p["clause"]], p.get("sentence"))
                            for p in proposal.passages if p["clause"] in clauses]
            rows.append({"element": element, "family": family, "proposal": proposal,
                         "passages": passages})
    confirmed = {key: p.confirmed for key, p in proposals.items() if p.confirmed}
    result = sc.score(card, confirmed)
    lacks = [row for row in rows if row["proposal"] and
             (row["proposal"].confirmed or row["proposal"].proposed) == "not-in-place"
             and row["element"].key in card.expected(review.form)]
    return render(request, "agreements/review.html", {
        "review": review, "rows": rows, "clauses": sorted(clauses.values(), key=lambda c: c.position),
        "result": result, "chart": sc.bars_svg(result), "scale": card.scale,
        "confirmed_count": len(confirmed), "lacks": lacks,
        "reading_scans": review.job is not None and review.job.kind == "agreements.read_scans",
        "warnings": reading_warnings(review.reading)})


@require_POST
def review_confirm(request, pk, element):
    review = _review_for(request, pk)
    rating = request.POST.get("rating", "")
    try:
        services.confirm_rating(review, element, rating, request.POST.get("comment", "").strip())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        response = redirect(reverse("agreements:review", args=[review.pk]) + f"#element-{element}")
        return response
    return redirect(reverse("agreements:review", args=[review.pk]) + f"#element-{element}")


@require_POST
def review_confirm_all(request, pk):
    review = _review_for(request, pk)
    count = services.confirm_all_proposals(review)
    messages.success(request, _("%(n)s proposals confirmed as proposed.") % {"n": count})
    return redirect(review)
