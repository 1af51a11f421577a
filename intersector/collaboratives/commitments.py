"""Commitments: who (a partner and/or a person) does what by when, made by the convenor directly
or from a decision that has its outcome; their owners record progress; an overdue commitment is
e-mailed once to its owner and the convenors (the daily job in tasks.py calls notify_overdue)."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.collaboratives import access
from intersector.collaboratives.models import Commitment, CommitmentUpdate, Decision, Member
from intersector.collaboratives.results import percent
from intersector.refusals import Refused

logger = logging.getLogger(__name__)

MAX_WHAT = 2000
MAX_NOTE = 2000


def _text(value, label, max_length, required=True):
    value = (value or "").strip()
    if required and not value:
        raise Refused(_("Give the %(field)s.") % {"field": label}, status=400)
    if len(value) > max_length:
        raise Refused(_("The %(field)s is too long: at most %(n)s characters.") % {"field": label, "n": max_length},
                      status=400)
    return value


def may_update(member, commitment):
    """Convenors, the person named on it, and the representatives and alternates of its partner.
    Observers follow; they never update."""
    if not access.can(member, "update") or member.collaborative_id != commitment.collaborative_id:
        return False
    if member.role == Member.Role.CONVENOR:
        return True
    if commitment.owner_id is not None and commitment.owner_id == member.pk:
        return True
    return member.decides and commitment.partner_id is not None and commitment.partner_id == member.partner_id


def make_commitment(collaborative, convenor, *, what, due, partner=None, owner=None, decision=None):
    """A new commitment. From a decision only once it is closed with an outcome; its date must not
    have passed; someone must hold it (a partner, a person, or both)."""
    what = _text(what, _("commitment"), MAX_WHAT)
    if due is None:
        raise Refused(_("Give the date it is due by."), status=400)
    if due < timezone.localdate():
        raise Refused(_("The date %(day)s has passed: choose today or a later date.") % {"day": due.isoformat()},
                      status=400)
    if partner is None and owner is None:
        raise Refused(_("Say who commits: a partner, a person, or both."), status=400)
    if partner is not None and partner.collaborative_id != collaborative.pk:
        raise Refused(_("Choose one of this collaborative's partners."), status=400)
    if owner is not None and owner.collaborative_id != collaborative.pk:
        raise Refused(_("Choose a person of this collaborative."), status=400)
    if owner is not None and partner is not None and owner.partner_id not in (None, partner.pk):
        raise Refused(_("%(name)s takes part for %(their)s, not for %(partner)s: choose one of %(partner)s's people, "
                        "or leave the person blank.") % {"name": owner.name, "their": owner.partner,
                                                         "partner": partner}, status=400)
    if decision is not None:
        if decision.collaborative_id != collaborative.pk:
            raise Refused(_("Choose one of this collaborative's decisions."), status=400)
        if decision.status != Decision.Status.CLOSED:
            raise Refused(_("This decision is still open: commitments come from it once it has an outcome."),
                          status=409)
    with transaction.atomic():
        commitment = Commitment.objects.create(collaborative=collaborative, decision=decision, partner=partner,
                                               owner=owner, what=what, due=due, created_by=convenor)
        CommitmentUpdate.objects.create(commitment=commitment, member=convenor, status=commitment.status,
                                        progress=0, kind=CommitmentUpdate.MADE)
    return commitment


def record_progress(commitment, member, *, status, progress=None, note=""):
    """The owner's (or the convenor's) news: a status, the share done and a note; each kept."""
    if not may_update(member, commitment):
        raise Refused(_("Only the people who hold this commitment, or a convenor, can update it."), status=403)
    if status not in Commitment.Status.values:
        raise Refused(_("Choose the commitment's status."), status=400)
    note = _text(note, _("note"), MAX_NOTE, required=False)
    if status == Commitment.Status.DONE:
        progress = 100
    elif progress in (None, ""):
        progress = commitment.progress
    progress = percent(progress)
    if status == Commitment.Status.NOT_STARTED and progress:
        status = Commitment.Status.UNDER_WAY  # some of it is done: it has started
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        commitment.status, commitment.progress = status, progress
        commitment.done_on = timezone.localdate() if status == Commitment.Status.DONE else None
        commitment.save(update_fields=["status", "progress", "done_on"])
        CommitmentUpdate.objects.create(commitment=commitment, member=member, status=status, progress=progress,
                                        note=note)
    return commitment


def change_due(commitment, convenor, due):
    """A new date (not in the past); the overdue e-mail may go out again if this one passes too."""
    if due is None or due < timezone.localdate():
        raise Refused(_("Choose today or a later date."), status=400)
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        old = commitment.due
        commitment.due, commitment.overdue_sent_at = due, None
        commitment.save(update_fields=["due", "overdue_sent_at"])
        CommitmentUpdate.objects.create(
            commitment=commitment, member=convenor, status=commitment.status, progress=commitment.progress,
            kind=CommitmentUpdate.MOVED, detail={"old": old.isoformat(), "new": due.isoformat()})
    return commitment


# --- Overdue: e-mailed once ----------------------------------------------------------------


def overdue(today=None):
    """Commitments past their date, not done, not yet e-mailed (demonstrations are left alone)."""
    today = today or timezone.localdate()
    return (Commitment.objects.filter(due__lt=today, overdue_sent_at__isnull=True, collaborative__demonstration=False)
            .exclude(status=Commitment.Status.DONE)
            .select_related("collaborative", "partner__organisation", "owner__user"))


def _address(member):
    if member is None:
        return ""
    return member.email or (member.user.email if member.user_id and member.user else "")


def recipients(commitment, today=None):
    """The owner (the person, else the partner's active representative and alternates) and the
    collaborative's active convenors; each address once."""
    today = today or timezone.localdate()
    people = []
    if commitment.owner is not None:
        people.append(commitment.owner)
    elif commitment.partner is not None:
        people += [m for m in commitment.partner.people.select_related("user")
                   if m.decides and m.active_on(today)]
    people += [m for m in commitment.collaborative.members.filter(role=Member.Role.CONVENOR).select_related("user")
               if m.active_on(today)]
    seen, addresses = set(), []
    for person in people:
        address = _address(person)
        if address and address.lower() not in seen:
            seen.add(address.lower())
            addresses.append(address)
    return addresses


def _message(commitment):
    site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")  # SITE_URL, as every e-mailed link
    link = site + reverse("collaboratives:commitments", args=[commitment.collaborative.slug]) + f"#c{commitment.pk}"
    who = ", ".join(str(x) for x in (commitment.partner, commitment.owner) if x is not None)
    subject = _("Overdue in %(name)s: %(what)s") % {"name": commitment.collaborative.name,
                                                      "what": commitment.what[:60]}
    body = _("This commitment was due by %(due)s and is not marked done:\n\n%(what)s\n\nWho: %(who)s\n"
             "Done so far: %(progress)s%%\n\nRecord progress, mark it done, or ask the convenor for a new date:\n"
             "%(link)s\n") % {"due": commitment.due.isoformat(), "what": commitment.what, "who": who,
                              "progress": commitment.progress, "link": link}
    return subject, body


def notify_overdue(today=None, progress=None):
    """E-mail each overdue commitment's owner and convenors, once. A commitment is claimed (its
    sent time set) before its e-mail goes, so two runs never both send; an e-mail that fails is
    released to be tried on the next run. Returns (sent, failed)."""
    today = today or timezone.localdate()
    due = list(overdue(today))
    if progress is not None:
        progress.update(total=len(due), done=0)
    sent = failed = 0
    for n, commitment in enumerate(due, start=1):
        now = timezone.now()
        claimed = Commitment.objects.filter(pk=commitment.pk, overdue_sent_at__isnull=True).update(overdue_sent_at=now)
        if claimed:
            addresses = recipients(commitment, today)
            if addresses:  # nobody to write to: nothing to send, and nothing to try again tomorrow
                subject, body = _message(commitment)
                try:
                    send_mail(subject, body, None, addresses)
                    sent += 1
                except (smtplib.SMTPException, OSError):
                    logger.warning("Could not e-mail overdue commitment %s", commitment.pk, exc_info=True)
                    Commitment.objects.filter(pk=commitment.pk, overdue_sent_at=now).update(overdue_sent_at=None)
                    failed += 1
        if progress is not None:
            progress.update(done=n)
    return sent, failed
