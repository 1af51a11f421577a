"""Invitations to an agreement: a partner's (to take part as that partner) and a guest's (to read,
maybe comment). Both are signed links (intersector.tokens) that

- reach only the invitee: the platform e-mails them; the person who invites sees a partner's
  link once (to send it themselves), and no page lists them afterwards;
- are claimed once: the first opening binds the invitation to the signed-in account, or to that
  browser when nobody is signed in; any other browser or account that opens it is refused;
- expire after AGREEMENT_INVITE_DAYS (checked on the link's own signed time);
- are withdrawn by a new secret on the record (a partner's while not yet claimed; a guest's any
  time).
"""

import smtplib

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intersector import tokens
from intersector.agreements.models import Guest, Partner
from intersector.refusals import Refused

BAD_LINK = gettext_lazy("This link does not work")
EXPIRED = gettext_lazy("This invitation has expired")
USED = gettext_lazy("This invitation was already used")


def invite_age():
    from datetime import timedelta

    from django.conf import settings

    return timedelta(days=settings.AGREEMENT_INVITE_DAYS)


INVITE = tokens.Kind("agreements.invite", max_age=invite_age)
GUEST = tokens.Kind("agreements.guest", max_age=invite_age)


def invite_token(partner):
    return INVITE.make({"p": partner.pk, "s": partner.secret})


def guest_token(guest):
    return GUEST.make({"g": guest.pk, "s": guest.secret})


# --- Opening a link ----------------------------------------------------------------------


def _from_link(kind, token, model, key, **live):
    """The invitation a link is for, with `link_expired` set; Refused (404) when the link is not
    one of ours, or was replaced or withdrawn."""
    try:
        data, expired = kind.check(token), False
    except tokens.Expired as error:
        data, expired = error.payload, True
    except tokens.BadToken:
        data, expired = None, False
    invitation = None
    if isinstance(data, dict) and isinstance(data.get(key), int):
        invitation = model.objects.select_related("agreement").filter(pk=data[key], **live).first()
    if invitation is None or not tokens.same_secret(invitation.secret, data.get("s")):
        raise Refused(_("The link is wrong, or the invitation was replaced or withdrawn. Ask the "
                        "partner who sent it for a new invitation."), status=404, title=BAD_LINK)
    invitation.link_expired = expired
    return invitation


def partner_from_link(token):
    return _from_link(INVITE, token, Partner, "p")


def guest_from_link(token):
    return _from_link(GUEST, token, Guest, "g", revoked__isnull=True)


def is_holder(invitation, user, browser):
    if invitation.user_id is not None and user is not None and user.is_authenticated:
        if invitation.user_id == user.pk:
            return True
    return tokens.same_secret(invitation.claimed_browser, browser)


def claim(invitation, *, user, browser):
    """The first opening binds the invitation to this account (signed in) or this browser; the
    holder may open it again (and, signed in now, keeps it on the account too); anyone else is
    refused, and so is an expired link that nobody claimed."""
    model = type(invitation)
    signed_in = user is not None and user.is_authenticated
    with transaction.atomic():
        fresh = model.objects.select_for_update().get(pk=invitation.pk)
        if fresh.claimed_at is None:
            if invitation.link_expired:
                raise Refused(_("Invitations work for a limited time, and this one has run out. Ask "
                                "the partner who invited you to send a new one."),
                              status=410, title=EXPIRED)
            fresh.claimed_at = timezone.now()
            if signed_in:
                fresh.user = user
            else:
                fresh.claimed_browser = browser
            fresh.save(update_fields=["claimed_at", "user" if signed_in else "claimed_browser"])
        elif is_holder(fresh, user, browser):
            if signed_in and fresh.user_id is None:
                fresh.user = user
                fresh.save(update_fields=["user"])
        else:
            raise Refused(_("An invitation works only for the first person who opens it, and it was "
                            "already opened in another browser or account. If it was meant for "
                            "you, ask the partner who invited you to send you a new invitation."),
                          status=403, title=USED)
    fresh.agreement = invitation.agreement
    return fresh


# --- A partner's invitation --------------------------------------------------------------


def clean_email(email):
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Enter an e-mail address like name@example.org.")) from None
    return email


def invite_partner(agreement, partner, *, email, link_for, inviter=None):
    """Send (or send again) a partner's invitation by e-mail: a new link replaces any earlier
    one. Returns (link, sent): the link is for showing once to the person who invites; `sent`
    is False when the mail could not be handed to the mail server."""
    email = clean_email(email)
    with transaction.atomic():
        fresh = Partner.objects.select_for_update().filter(pk=partner.pk, agreement=agreement).first()
        if fresh is None:
            raise Refused(_("This partner is not part of this agreement."), status=404)
        if fresh.claimed:
            raise Refused(_("%(partner)s has already opened its invitation, so it cannot be sent "
                            "again.") % {"partner": fresh.name}, status=409)
        fresh.email, fresh.secret, fresh.invited_at = email, tokens.new_secret(), timezone.now()
        fresh.save(update_fields=["email", "secret", "invited_at"])
    link = link_for(invite_token(fresh))
    return link, _mail(*_partner_mail(agreement, inviter, fresh, link), fresh.email)


def withdraw_partner_invitation(agreement, partner_id):
    """Stop a partner's invitation that nobody opened yet: its link no longer works."""
    updated = Partner.objects.filter(agreement=agreement, pk=partner_id, claimed_at__isnull=True,
                                     invited_at__isnull=False).update(
        secret=tokens.new_secret(), invited_at=None)
    if not updated:
        raise Refused(_("There is no open invitation to withdraw: it was already opened or "
                        "withdrawn."), status=409)


def may_reset(agreement, by, partner):
    """Only the partner that started the agreement (it sent the invitations) may take another
    partner's place back; never its own, and only a place taken through an invitation link."""
    starter = agreement.partners.order_by("position", "pk").first()
    return (starter is not None and by.pk == starter.pk and partner.pk != by.pk
            and partner.claimed and bool(partner.email))


def reset_partner_access(agreement, partner_id, *, by):
    """Take a partner's place back from whoever opened its invitation (a forwarded link opened by
    the wrong person): that account or browser loses the agreement at once, and a new invitation
    can be sent. What was written for the partner stays; the new holder can change it."""
    with transaction.atomic():
        fresh = Partner.objects.select_for_update().filter(agreement=agreement, pk=partner_id).first()
        if fresh is None:
            raise Refused(_("This partner is not part of this agreement."), status=404)
        if not fresh.claimed:
            raise Refused(_("Nobody has opened this invitation yet: send it again or withdraw it instead."),
                          status=409)
        if not may_reset(agreement, by, fresh):
            raise Refused(_("Only the partner that started the agreement can take back another partner's "
                            "opened invitation."), status=403)
        if fresh.has_signed:
            raise Refused(_("%(partner)s has signed this version. Open a new version first (it withdraws "
                            "the signatures), then take the invitation back.") % {"partner": fresh.name},
                          status=409)
        # A claimed_browser no browser holds: a session that still names this partner must not
        # claim it again as a place "held from before" claim-once links (access._kept_from_before).
        fresh.claimed_browser = "reset-" + tokens.new_secret(16)
        fresh.claimed_at, fresh.user, fresh.invited_at = None, None, None
        fresh.secret = tokens.new_secret()
        fresh.save(update_fields=["claimed_browser", "claimed_at", "user", "invited_at", "secret"])
    return fresh


def _partner_mail(agreement, inviter, partner, link):
    values = {"name": partner.representative, "partner": partner.name, "agreement": agreement.name,
              "link": link, "inviter": inviter.name if inviter else _("A partner"),
              "until": date_format(timezone.localtime(partner.invite_expires), "DATE_FORMAT")}
    subject = _("Invitation to write the agreement \"%(agreement)s\"") % values
    body = _("Hello %(name)s,\n\n%(inviter)s invites you to write the partnering agreement "
             "\"%(agreement)s\" on Intersector, taking part as %(partner)s. You do not need an "
             "account.\n\nOpen this link to take part:\n%(link)s\n\nThe link is for you only: the "
             "first browser or account that opens it takes part as %(partner)s. It works until "
             "%(until)s. If you did not expect this message, ignore it.") % values
    return subject, body


def _mail(subject, body, address):
    try:
        send_mail(subject, body, None, [address])
    except (smtplib.SMTPException, OSError):
        return False
    return True


# --- A guest's invitation ----------------------------------------------------------------


def invite_guest(agreement, partner, *, name, email, role, link_for):
    """A partner invites a named person by e-mail. `link_for(token)` gives the full link to mail.
    Inviting the same address again renews the invitation (new link, new role, claimed anew)."""
    name, email = name.strip(), email.strip().lower()
    if not name or not email:
        raise ValidationError(_("Give the person's name and e-mail address."))
    if role not in Guest.Role.values:
        raise ValidationError(_("Choose whether the person can read only, or read and comment."))
    with transaction.atomic():
        guest = Guest.objects.filter(agreement=agreement, email=email).first() or Guest(
            agreement=agreement, email=email)
        guest.name, guest.role, guest.invited_by = name[:200], role, partner
        guest.revoked, guest.secret, guest.user = None, tokens.new_secret(), None
        guest.invited_at, guest.claimed_at, guest.claimed_browser = timezone.now(), None, ""
        guest.save()
    _send_guest_invite(agreement, partner, guest, link_for(guest_token(guest)))
    return guest


def _send_guest_invite(agreement, partner, guest, link):
    what = _("read and comment on") if guest.role == Guest.Role.COMMENTER else _("read")
    body = _("Hello %(name)s,\n\n%(partner)s invites you to %(what)s the partnering agreement "
             "\"%(agreement)s\" on Intersector.\n\nOpen this link to see it:\n%(link)s\n\n"
             "The link is for you only: the first browser or account that opens it keeps it. It "
             "works until %(until)s. If you did not expect this message, ignore it.") % {
        "name": guest.name, "partner": partner.name, "what": what, "agreement": agreement.name,
        "link": link, "until": date_format(timezone.localtime(guest.invite_expires), "DATE_FORMAT")}
    send_mail(_("Invitation to the agreement \"%(agreement)s\"") % {"agreement": agreement.name},
              body, None, [guest.email])


def revoke_guest(agreement, guest_id):
    """Any partner may withdraw an invitation; the link and the account's access stop at once."""
    updated = Guest.objects.filter(agreement=agreement, pk=guest_id, revoked__isnull=True).update(
        revoked=timezone.now(), secret=tokens.new_secret())
    if not updated:
        raise ValidationError(_("This invitation does not exist or was already withdrawn."))
