"""An agreement written by several partners: start it, write and rate, compare, sign, export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from intersector.agreements import invitations, queries, services
from intersector.agreements import scorecard as sc
from intersector.agreements.access import (
    agreement_for, agreements_of, browser_key, reader_for, remember_partner,
)
from intersector.agreements.forms import (
    AgreementForm, CommentForm, ElementForm, FocusForm, PartnerFormSet, PartnerInviteForm, SignForm,
)
from intersector.agreements.views.invitations import guest_comment, guest_page, show_once
from intersector.agreements.views.scorecard import scorecard_csv_response, scorecard_or_404
from intersector.live.views import streams


@require_safe
def index(request):
    from intersector.agreements.models import Review

    reviews = Review.objects.filter(owner=request.user)[:20] if request.user.is_authenticated else []
    return render(request, "agreements/index.html", {"agreements": agreements_of(request)[:50],
                                                     "reviews": reviews})


# --- Starting an agreement -----------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def new_agreement(request):
    version = scorecard_or_404()
    organisations = []
    if request.user.is_authenticated:
        organisations = [m.organisation for m in request.user.memberships.select_related("organisation")]
    if request.method == "POST":
        form = AgreementForm(request.POST)
        partners = PartnerFormSet(request.POST, prefix="partner")
        if form.is_valid() and partners.is_valid():
            rows = [dict(f.cleaned_data) for f in partners.forms if f.cleaned_data]
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
                    scorecard=version,
                    creator_browser="" if request.user.is_authenticated else browser_key(request))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                mine = agreement.partners.first()
                remember_partner(request, mine)
                mine.agreement = agreement
                _invite_all(request, agreement, mine)
                messages.success(request, _("The agreement is started."))
                return redirect("agreements:invitations", pk=agreement.pk)
        status = 400
    else:
        form = AgreementForm()
        partners = PartnerFormSet(prefix="partner")
        status = 200
    return render(request, "agreements/new.html", {"form": form, "partners": partners,
                                                   "organisations": organisations, "card": version.card},
                  status=status)


def _link_for(request):
    return lambda token: request.build_absolute_uri(reverse("agreements:join", args=[token]))


def _invite_all(request, agreement, inviter):
    for partner in agreement.partners.exclude(pk=inviter.pk).exclude(email=""):
        _invite(request, agreement, partner, inviter, partner.email)


def _invite(request, agreement, partner, inviter, email):
    link, sent = invitations.invite_partner(agreement, partner, email=email, inviter=inviter,
                                            link_for=_link_for(request))
    show_once(request, agreement, partner, email, link, sent)


# --- An agreement -------------------------------------------------------------------------


def _detail(request, agreement, partner, *, invite_forms=None, status=200):
    result, _ratings = queries.score_for(agreement, partner)
    partners = queries.with_signoffs(agreement, list(agreement.partners.select_related("organisation")))
    invite_forms = invite_forms or {}
    for other in partners:
        other.invite_form = invite_forms.get(other.pk) or PartnerInviteForm(
            initial={"email": other.email}, auto_id=f"invite-{other.pk}-%s")
        other.may_reset = invitations.may_reset(agreement, partner, other)
    return render(request, "agreements/detail.html", {
        "agreement": agreement, "partner": partner, "partners": partners,
        "result": result, "chart": sc.bars_svg(result), "card": agreement.scorecard.card,
        "focus_form": FocusForm(card=agreement.scorecard.card,
                                initial={"families": agreement.focus_families}),
        "sign_form": SignForm(initial={"name": partner.representative}),
        "all_signed": all(p.has_signed for p in partners)}, status=status)


@require_safe
def detail(request, pk):
    agreement, partner, guest = reader_for(request, pk)
    if guest is not None:
        return guest_page(request, agreement, guest)
    return _detail(request, agreement, partner)


@require_POST
def partner_invite(request, pk, partner_id):
    """Send a partner's invitation (again): a new link by e-mail, shown once to the sender."""
    agreement, partner = agreement_for(request, pk)
    invited = agreement.partners.filter(pk=partner_id).first()
    if invited is None:
        raise Http404
    form = PartnerInviteForm(request.POST, auto_id=f"invite-{invited.pk}-%s")
    if not form.is_valid():
        return _detail(request, agreement, partner, invite_forms={invited.pk: form}, status=400)
    _invite(request, agreement, invited, partner, form.cleaned_data["email"])
    return redirect("agreements:invitations", pk=agreement.pk)


@require_POST
def partner_withdraw(request, pk, partner_id):
    agreement, _partner = agreement_for(request, pk)
    invitations.withdraw_partner_invitation(agreement, partner_id)
    messages.success(request, _("The invitation is withdrawn: its link no longer works."))
    return redirect(agreement)


@require_POST
def partner_reset(request, pk, partner_id):
    """Take back a partner's opened invitation and send a new one (the wrong person opened it)."""
    agreement, partner = agreement_for(request, pk)
    invited = agreement.partners.filter(pk=partner_id).first()
    if invited is None:
        raise Http404
    form = PartnerInviteForm(request.POST, auto_id=f"invite-{invited.pk}-%s")
    if not form.is_valid():
        return _detail(request, agreement, partner, invite_forms={invited.pk: form}, status=400)
    fresh = invitations.reset_partner_access(agreement, invited.pk, by=partner)
    _invite(request, agreement, fresh, partner, form.cleaned_data["email"])
    messages.success(request, _("Whoever opened the old invitation no longer sees this agreement. A new "
                                "invitation is sent."))
    return redirect("agreements:invitations", pk=agreement.pk)


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
        return guest_comment(request, agreement, guest, element)
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
    agreement = services.sign_off(agreement, partner, form.cleaned_data["name"], user=request.user,
                                  how=partner.identified_by)
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
    """Every change of the text and every sign-off (with who, how and when), by version."""
    agreement, partner = agreement_for(request, pk)
    card = agreement.scorecard.card
    versions = {}
    for change in agreement.changes.all()[:300]:
        element = card.elements.get(change.element)
        versions.setdefault(change.version, {"changes": [], "signoffs": []})["changes"].append(
            {"change": change, "element": element,
             "diff": queries.word_diff(change.before, change.after)})
    for record in agreement.signoffs.select_related("partner", "user")[:300]:
        versions.setdefault(record.version, {"changes": [], "signoffs": []})["signoffs"].append(record)
    return render(request, "agreements/history.html", {
        "agreement": agreement, "partner": partner,
        "versions": sorted(versions.items(), key=lambda item: -item[0])})


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
    return scorecard_csv_response(f"{slug}-scorecard.csv", agreement.scorecard.card, columns, comments)


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
