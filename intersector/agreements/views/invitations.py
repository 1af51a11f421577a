"""Opening an invitation (a partner's or a guest's), the page that shows new partner links once,
and the guests' own pages. Every page that carries a link is sent with Cache-Control: no-store."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from intersector.agreements import invitations, services
from intersector.agreements.access import (
    acting_guest, acting_partner, agreement_for, browser_key, remember_guest, remember_partner,
)
from intersector.agreements.forms import CommentForm, GuestForm
from intersector.refusals import Refused

SHOWN_ONCE_KEY = "agree_new_links"


def _already_someone_else(what):
    return Refused(what, status=409, title=_("You already take part in this agreement"))


# --- A partner's invitation --------------------------------------------------------------


@never_cache
@require_safe
def join(request, token):
    """The first opening claims the invitation for this account or browser; its holder may open
    it again; anyone else is refused and sees nothing of the partner."""
    partner = invitations.partner_from_link(token)
    agreement = partner.agreement
    current = acting_partner(request, agreement)
    if current is not None and current.pk != partner.pk:
        raise _already_someone_else(_(
            "You take part in this agreement as %(partner)s, so you cannot open another partner's "
            "invitation here. If it was sent to you by mistake, tell the partner who sent it.")
            % {"partner": current.name})
    if current is None:
        partner = invitations.claim(partner, user=request.user, browser=browser_key(request))
    remember_partner(request, partner)
    messages.success(request, _("Welcome. You are taking part as %(partner)s.") % {"partner": partner.name})
    return redirect(agreement)


def show_once(request, agreement, partner, email, link, sent):
    """Keep a new link for the one page that shows it to the person who invited."""
    fresh = dict(request.session.get(SHOWN_ONCE_KEY, {}))
    links = [item for item in fresh.get(str(agreement.pk), []) if item["partner"] != partner.pk]
    links.append({"partner": partner.pk, "name": partner.name, "email": email, "link": link,
                  "sent": sent})
    fresh[str(agreement.pk)] = links
    request.session[SHOWN_ONCE_KEY] = fresh


@never_cache
@require_safe
def invitations_sent(request, pk):
    """The links just sent, shown this once (then gone from the session), for someone who wants
    to pass a link on themselves."""
    agreement, partner = agreement_for(request, pk)
    fresh = dict(request.session.get(SHOWN_ONCE_KEY, {}))
    links = fresh.pop(str(agreement.pk), [])
    if links:
        request.session[SHOWN_ONCE_KEY] = fresh
    return render(request, "agreements/invitations_sent.html", {
        "agreement": agreement, "partner": partner, "links": links})


# --- A guest's invitation ----------------------------------------------------------------


@never_cache
@require_safe
def guest_join(request, token):
    guest = invitations.guest_from_link(token)
    agreement = guest.agreement
    partner = acting_partner(request, agreement)
    if partner is not None:
        raise _already_someone_else(_(
            "You take part in this agreement as %(partner)s; this invitation is for someone else. "
            "If it was sent to you by mistake, tell the partner who sent it.") % {"partner": partner.name})
    current = acting_guest(request, agreement)
    if current is not None and current.pk != guest.pk:
        raise _already_someone_else(_(
            "You are invited to this agreement as %(name)s; this invitation is for someone else.")
            % {"name": current.name})
    if current is None:
        guest = invitations.claim(guest, user=request.user, browser=browser_key(request))
    remember_guest(request, guest)
    messages.success(request, _("Welcome, %(name)s. You can now read this agreement.") % {
        "name": guest.name})
    return redirect(agreement)


def guest_page(request, agreement, guest, form=None, status=200):
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


def guest_comment(request, agreement, guest, element):
    if not guest.can_comment:
        raise Refused(_("You were invited to read this agreement only. Ask the partner who invited "
                        "you if you need to comment."), status=403,
                      title=_("You can read this agreement, but not comment"))
    form = CommentForm(request.POST)
    if not form.is_valid():
        return guest_page(request, agreement, guest, form=form, status=400)
    try:
        services.add_guest_comment(agreement, guest, element, form.cleaned_data["body"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return guest_page(request, agreement, guest, form=form, status=400)
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
            guest = invitations.invite_guest(
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
        invitations.revoke_guest(agreement, guest_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("agreements:guests", pk=agreement.pk)
    messages.success(request, _("The invitation is withdrawn: that person can no longer open the agreement."))
    return redirect("agreements:guests", pk=agreement.pk)
