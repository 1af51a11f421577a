"""Agree's pages. Thin: permission checks here, actions in services, reads in queries."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from intersector.agreements import queries, services
from intersector.agreements import scorecard as sc
from intersector.agreements.access import (
    agreement_for, agreements_of, reader_for, remember_guest, remember_partner,
)
from intersector.agreements.forms import (
    AgreementForm, CommentForm, ElementForm, FocusForm, GuestForm, PartnerFormSet, SignForm,
)
from intersector.agreements.models import RATINGS, ScorecardVersion
from intersector.live.views import streams

SELF_KEY = "agree_self"
RATING_KEYS = [key for key, _label in RATINGS]


def _scorecard_or_404():
    version = services.current_scorecard()
    if version is None:
        raise Http404(_("The scorecard has not been loaded on this site yet."))
    return version


@require_safe
def index(request):
    from intersector.agreements.models import Review

    reviews = Review.objects.filter(owner=request.user)[:20] if request.user.is_authenticated else []
    return render(request, "agreements/index.html", {"agreements": agreements_of(request)[:50],
                                                     "reviews": reviews})


# --- The public scorecard and a quick self-assessment ----------------------------------------


def _self_assessment(request):
    """(version, ratings, comments, form) from the session; keeps the version it was made with."""
    stored = request.session.get(SELF_KEY) or {}
    version = None
    if stored.get("version"):
        version = ScorecardVersion.objects.filter(number=stored["version"]).first()
    if version is None:
        version, stored = _scorecard_or_404(), {}
    return version, stored.get("ratings", {}), stored.get("comments", {}), stored.get("form", "")


@require_http_methods(["GET", "HEAD", "POST"])
def scorecard(request):
    version, ratings, comments, form_key = _self_assessment(request)
    card = version.card
    errors = []
    if request.method == "POST":
        version = _scorecard_or_404() if not ratings else version
        card = version.card
        form_key = request.POST.get("form", "")
        if form_key and form_key not in sc.FORM_KEYS:
            form_key = ""
        ratings, comments = {}, {}
        for key in card.elements:
            rating = request.POST.get(f"rating-{key}", "")
            if rating and rating not in RATING_KEYS:
                errors.append(key)
                continue
            if rating:
                ratings[key] = rating
            comment = request.POST.get(f"comment-{key}", "").strip()[:2000]
            if comment:
                comments[key] = comment
        if errors:
            return render(request, "agreements/scorecard.html",
                          _scorecard_context(version, ratings, comments, form_key, errors), status=400)
        request.session[SELF_KEY] = {"version": version.number, "ratings": ratings,
                                     "comments": comments, "form": form_key}
        messages.success(request, _("Your self-assessment is saved in this browser. Scroll to the results."))
        return redirect(reverse("agreements:scorecard") + "#results")
    return render(request, "agreements/scorecard.html",
                  _scorecard_context(version, ratings, comments, form_key, errors))


def _scorecard_context(version, ratings, comments, form_key, errors):
    card = version.card
    expected = card.expected(form_key) if form_key else None
    result = sc.score(card, ratings, expected=expected)
    latest = services.current_scorecard()
    return {"version": version, "card": card, "ratings": ratings, "comments": comments,
            "form_key": form_key, "result": result, "chart": sc.bars_svg(result), "errors": errors,
            "scale": card.scale, "newer": latest if latest and latest.number != version.number else None}


@require_POST
def scorecard_reset(request):
    request.session.pop(SELF_KEY, None)
    messages.info(request, _("Your self-assessment was cleared."))
    return redirect("agreements:scorecard")


@require_safe
def scorecard_csv(request):
    version, ratings, comments, _form = _self_assessment(request)
    return _csv_response("self-assessment.csv", version.card, {_("Your rating"): ratings},
                         {_("Your comment"): comments})


def _csv_response(filename, card, rating_columns, comment_columns):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Family"), _("Element"), _("Question"), _("Importance")]
                    + list(rating_columns) + list(comment_columns))
    for family in card.families:
        for element in family.elements:
            writer.writerow([family.title, element.title, element.question, element.importance]
                            + [card.label(col.get(element.key, "")) for col in rating_columns.values()]
                            + [col.get(element.key, "") for col in comment_columns.values()])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Starting and joining an agreement ---------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def new_agreement(request):
    version = _scorecard_or_404()
    organisations = []
    if request.user.is_authenticated:
        organisations = [m.organisation for m in request.user.memberships.select_related("organisation")]
    if request.method == "POST":
        form = AgreementForm(request.POST)
        partners = PartnerFormSet(request.POST, prefix="partner")
        if form.is_valid() and partners.is_valid():
            rows = [f.cleaned_data for f in partners.forms if f.cleaned_data]
            if rows and request.user.is_authenticated:
                rows[0]["user"] = request.user
                chosen = request.POST.get("organisation")
                for organisation in organisations:
                    if str(organisation.pk) == chosen:
                        rows[0]["organisation"] = organisation
            try:
                agreement = services.create_agreement(
                    name=form.cleaned_data["name"], purpose=form.cleaned_data["purpose"],
                    form=form.cleaned_data["form"], partners=rows, created_by=request.user,
                    scorecard=version)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                remember_partner(request, agreement.partners.first())
                messages.success(request, _("The agreement is started. Send each partner their invite link."))
                return redirect(agreement)
        status = 400
    else:
        form = AgreementForm()
        partners = PartnerFormSet(prefix="partner")
        status = 200
    return render(request, "agreements/new.html", {"form": form, "partners": partners,
                                                   "organisations": organisations, "card": version.card},
                  status=status)


@require_safe
def join(request, token):
    partner = services.partner_from_token(token)
    if partner is None:
        return render(request, "agreements/bad_link.html", status=404)
    remember_partner(request, partner)
    services.claim_partner(partner, request.user)
    messages.success(request, _("Welcome. You are taking part as %(partner)s.") % {"partner": partner.name})
    return redirect(partner.agreement)


# --- Guests: people a partner invited by e-mail to read, or to read and comment --------------


@require_safe
def guest_join(request, token):
    guest = services.guest_from_token(token)
    if guest is None:
        return render(request, "agreements/bad_link.html", status=404)
    remember_guest(request, guest)
    services.claim_guest(guest, request.user)
    messages.success(request, _("Welcome, %(name)s. You can now read this agreement.") % {
        "name": guest.name})
    return redirect(guest.agreement)


def _guest_page(request, agreement, guest, form=None, status=200):
    from intersector.agreements.exports import document_sections

    comments = {}
    for item in agreement.comments.all():
        comments.setdefault(item.element, []).append(item)
    sections = [(family, [(element, text, comments.get(element.key, [])) for element, text in items])
                for family, items in document_sections(agreement)]
    return render(request, "agreements/guest.html", {
        "agreement": agreement, "guest": guest, "sections": sections,
        "partners": list(agreement.partners.all()), "form": form or CommentForm(),
        "elements": agreement.scorecard.card.elements.values()}, status=status)


def _guest_comment(request, agreement, guest, element):
    if not guest.can_comment:
        return render(request, "agreements/guest_refused.html", {"agreement": agreement}, status=403)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _guest_page(request, agreement, guest, form=form, status=400)
    try:
        services.add_guest_comment(agreement, guest, element, form.cleaned_data["body"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _guest_page(request, agreement, guest, form=form, status=400)
    messages.success(request, _("Comment added."))
    return redirect(reverse("agreements:detail", args=[agreement.pk]) + f"#element-{element}")


@require_http_methods(["GET", "HEAD", "POST"])
def guests(request, pk):
    """A partner's people see who else is invited, invite someone, or withdraw an invitation."""
    agreement, partner = agreement_for(request, pk)
    form, status = GuestForm(), 200
    if request.method == "POST":
        form = GuestForm(request.POST)
        if form.is_valid():
            guest = services.invite_guest(
                agreement, partner, **form.cleaned_data,
                link_for=lambda token: request.build_absolute_uri(
                    reverse("agreements:guest_join", args=[token])))
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": guest.email})
            return redirect("agreements:guests", pk=agreement.pk)
        status = 400
    return render(request, "agreements/guests.html", {
        "agreement": agreement, "partner": partner, "form": form,
        "guests": agreement.guests.select_related("invited_by")}, status=status)


@require_POST
def guest_revoke(request, pk, guest_id):
    agreement, _partner = agreement_for(request, pk)
    try:
        services.revoke_guest(agreement, guest_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("agreements:guests", pk=agreement.pk)
    messages.success(request, _("The invitation is withdrawn: that person can no longer open the agreement."))
    return redirect("agreements:guests", pk=agreement.pk)


# --- An agreement -------------------------------------------------------------------------


@require_safe
def detail(request, pk):
    agreement, partner, guest = reader_for(request, pk)
    if guest is not None:
        return _guest_page(request, agreement, guest)
    result, _ratings = queries.score_for(agreement, partner)
    partners = list(agreement.partners.all())
    invites = [(p, request.build_absolute_uri(reverse("agreements:join", args=[services.invite_token(p)])))
               for p in partners]
    return render(request, "agreements/detail.html", {
        "agreement": agreement, "partner": partner, "partners": partners, "invites": invites,
        "result": result, "chart": sc.bars_svg(result), "card": agreement.scorecard.card,
        "focus_form": FocusForm(card=agreement.scorecard.card,
                                initial={"families": agreement.focus_families}),
        "sign_form": SignForm(initial={"name": partner.representative}),
        "all_signed": all(p.has_signed for p in partners)})


@require_POST
def focus(request, pk):
    agreement, _partner = agreement_for(request, pk)
    form = FocusForm(request.POST, card=agreement.scorecard.card)
    if form.is_valid():
        services.set_focus_families(agreement, form.cleaned_data["families"])
        messages.success(request, _("Saved. The editor shows these families first."))
        return redirect("agreements:write", pk=agreement.pk)
    messages.error(request, " ".join(form.errors.get("families", [])))
    return redirect(agreement)


def _editor_rows(agreement, partner):
    texts = queries.texts_of(agreement)
    own = queries.own_ratings(partner)
    expected = agreement.scorecard.card.expected(agreement.form)
    rows = []
    for family in queries.ordered_families(agreement):
        for element in family.elements:
            rating = own.get(element.key)
            rows.append({"element": element, "family": family, "text": texts.get(element.key, ""),
                         "rating": rating.rating if rating else "",
                         "comment": rating.comment if rating else "",
                         "expected": element.key in expected,
                         "focus": family.key in (agreement.focus_families or [])})
    return rows


@require_safe
def write(request, pk):
    agreement, partner = agreement_for(request, pk)
    result, _ratings = queries.score_for(agreement, partner)
    return render(request, "agreements/write.html", {
        "agreement": agreement, "partner": partner, "rows": _editor_rows(agreement, partner),
        "result": result, "chart": sc.bars_svg(result), "scale": agreement.scorecard.card.scale})


@require_POST
def save_element(request, pk, element):
    agreement, partner = agreement_for(request, pk)
    form = ElementForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Please check the text and the rating: %(errors)s") % {
            "errors": " ".join(e for errs in form.errors.values() for e in errs)}
    else:
        text = form.cleaned_data["text"] if "text" in request.POST else None
        try:
            services.save_element(agreement, partner, element, text=text,
                                  rating=form.cleaned_data["rating"],
                                  comment=form.cleaned_data["comment"],
                                  author=partner.representative)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect(reverse("agreements:write", args=[agreement.pk]) + f"#element-{element}")
    result, _ratings = queries.score_for(agreement, partner)
    return render(request, "agreements/_saved.html", {
        "agreement": agreement, "error": error, "result": result, "chart": sc.bars_svg(result),
        "oob": True}, status=400 if error else 200)


@require_safe
def compare(request, pk):
    from intersector.live import current_event_id

    agreement, partner = agreement_for(request, pk)
    live_position = current_event_id(f"agreement:{agreement.pk}")   # before reading the data
    rows, partners = queries.comparison(agreement, partner)
    counts = {status: sum(1 for r in rows if r["status"] == status)
              for status in ("agree", "differ", "nobody", "open")}
    return render(request, "agreements/compare.html", {
        "agreement": agreement, "partner": partner, "rows": rows, "partners": partners,
        "counts": counts, "comment_form": CommentForm(), "live_position": live_position})


@require_POST
def publish(request, pk):
    agreement, partner = agreement_for(request, pk)
    published = request.POST.get("published") == "yes"
    services.publish_ratings(partner, published)
    messages.success(request, _("The other partners can now see your ratings.") if published
                     else _("Your ratings are private again."))
    return redirect("agreements:compare", pk=agreement.pk)


@require_POST
def comment(request, pk, element):
    agreement, partner, guest = reader_for(request, pk)
    if guest is not None:
        return _guest_comment(request, agreement, guest, element)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment first."))
    else:
        try:
            services.add_comment(agreement, partner, element, partner.representative,
                                 form.cleaned_data["body"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("agreements:compare", pk=agreement.pk)
        messages.success(request, _("Comment added."))
    return redirect(reverse("agreements:compare", args=[agreement.pk]) + f"#element-{element}")


@require_POST
def sign(request, pk):
    agreement, partner = agreement_for(request, pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type the name of the person signing."))
        return redirect(agreement)
    agreement = services.sign_off(agreement, partner, form.cleaned_data["name"])
    if agreement.locked:
        messages.success(request, _("All partners have signed. The text is now locked."))
    else:
        messages.success(request, _("Signed for %(partner)s. Waiting for the other partners.") % {
            "partner": partner.name})
    return redirect(agreement)


@require_POST
def new_version(request, pk):
    agreement, _partner = agreement_for(request, pk)
    agreement = services.open_new_version(agreement)
    messages.success(request, _("Version %(n)s is open for changes. Every partner signs again when it is final.")
                     % {"n": agreement.version})
    return redirect(agreement)


@require_safe
def history(request, pk):
    agreement, partner = agreement_for(request, pk)
    card = agreement.scorecard.card
    changes = []
    for change in agreement.changes.all()[:300]:
        element = card.elements.get(change.element)
        changes.append({"change": change, "element": element,
                        "diff": queries.word_diff(change.before, change.after)})
    return render(request, "agreements/history.html", {"agreement": agreement, "partner": partner,
                                                       "changes": changes})


# --- Exports ------------------------------------------------------------------------------


@require_safe
def export_agreement(request, pk, kind):
    from intersector.agreements import exports

    agreement, partner = agreement_for(request, pk)
    if kind not in ("pdf", "docx"):
        raise Http404
    slug = exports.filename(agreement)
    if kind == "pdf":
        response = HttpResponse(exports.agreement_pdf(agreement), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{slug}.pdf"'
    else:
        response = HttpResponse(exports.agreement_docx(agreement), content_type=exports.DOCX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{slug}.docx"'
    return response


@require_safe
def export_scorecard(request, pk, kind):
    from intersector.agreements import exports

    agreement, partner = agreement_for(request, pk)
    if kind not in ("pdf", "csv"):
        raise Http404
    slug = exports.filename(agreement)
    if kind == "pdf":
        response = HttpResponse(exports.scorecard_pdf(agreement, partner), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{slug}-scorecard.pdf"'
        return response
    visible = queries.visible_ratings(agreement, partner)
    columns = {p.name: {k: r.rating for k, r in ratings.items()}
               for p, ratings in visible.items() if ratings is not None}
    comments = {_("Comment by %(p)s") % {"p": p.name}: {k: r.comment for k, r in ratings.items()}
                for p, ratings in visible.items() if ratings is not None}
    return _csv_response(f"{slug}-scorecard.csv", agreement.scorecard.card, columns, comments)


# --- Reviewing an existing agreement --------------------------------------------------------


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
        return render(request, "agreements/review_new.html", {"form": ReviewForm(), "error": message},
                      status=413)
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
                messages.success(request, _("The document was read. The proposals are being prepared."))
                return redirect(review)
    else:
        form = ReviewForm()
    return render(request, "agreements/review_new.html", {"form": form}, status=status)


@require_safe
def review(request, pk):
    review = _review_for(request, pk)
    card = review.scorecard.card
    clauses = {c.position: c for c in review.clauses.all()}
    proposals = {p.element: p for p in review.proposals.all()}
    rows = []
    for family in card.families:
        for element in family.elements:
            proposal = proposals.get(element.key)
            passages = []
            if proposal:
                passages = [clauses[p["clause"]] for p in proposal.passages if p["clause"] in clauses]
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
        "confirmed_count": len(confirmed), "lacks": lacks})


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


# --- Curators: scorecard versions -------------------------------------------------------------


def _staff_only(request):
    if not request.user.is_authenticated or not request.user.is_staff:
        raise Http404


@require_http_methods(["GET", "HEAD", "POST"])
def scorecard_versions(request):
    """Staff download the scorecard as YAML, edit it, and upload it as a new version."""
    import yaml

    _staff_only(request)
    error = None
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        note = request.POST.get("note", "").strip()
        status = 400
        if upload is None or not upload.size:
            error = _("Choose the edited scorecard file (.yaml).")
        elif upload.size > 1_000_000:
            error = _("The file is too large for a scorecard (over 1 MB).")
        else:
            try:
                data = yaml.safe_load(upload.read().decode("utf-8"))
                version, created = services.import_scorecard(data, note=note)
            except (yaml.YAMLError, UnicodeDecodeError):
                error = _("The file is not valid YAML. Check the indentation and quotes.")
            except sc.ScorecardError as exc:
                error = str(exc)
            else:
                if created:
                    messages.success(request, _("Version %(n)s is now the scorecard. Earlier scores keep their version.")
                                     % {"n": version.number})
                else:
                    messages.info(request, _("Nothing changed: this content is version %(n)s.") % {"n": version.number})
                return redirect("agreements:scorecard_versions")
    return render(request, "agreements/scorecard_versions.html",
                  {"versions": ScorecardVersion.objects.all()[:50], "error": error}, status=status)


@require_safe
def scorecard_yaml(request, number):
    import yaml

    _staff_only(request)
    version = ScorecardVersion.objects.filter(number=number).first()
    if version is None:
        raise Http404
    response = HttpResponse(yaml.safe_dump(version.definition, allow_unicode=True, sort_keys=False),
                            content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="scorecard-v{version.number}.yaml"'
    return response


# --- Live updates: partners learn that the agreement changed ---------------------------------


@streams
@require_safe
def live(request, pk):
    from intersector.live.views import stream_response

    agreement, _partner = agreement_for(request, pk)
    return stream_response(request, f"agreement:{agreement.pk}")


@require_safe
def live_poll(request, pk):
    from intersector.live.views import poll_response

    agreement, _partner = agreement_for(request, pk)
    return poll_response(request, f"agreement:{agreement.pk}")


@require_safe
def changed_notice(request, pk):
    """The fragment a page fetches when a live event says the agreement changed."""
    agreement, _partner = agreement_for(request, pk)
    return render(request, "agreements/_changed.html", {"agreement": agreement,
                                                        "back": request.GET.get("back", "")})
