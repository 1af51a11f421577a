"""What changed in a collaborative: a feed read from the rows each part already keeps with their
times (people, partners, worksheet versions, the decisions' history, health checks), newest
first, and the e-mail digest that sends each person what changed since their last one.

Nothing here writes to another part's tables: a new kind of change is a new reader in SOURCES.
Everything in the feed is partner-only, as the pages it links to; a person's own health-check
answers never appear (only that a check opened or closed).
"""

import heapq
import smtplib
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from intersector.collaboratives.models import (
    DecisionEvent, Digest, HealthWave, Member, Partner, WorksheetVersion)
from intersector.refusals import Refused

PAGE = 30  # changes a page of the feed shows
DIGEST_MOST = 50  # changes one digest lists; the rest are on the page it links to
# A digest goes when the last one is this old (a little under a day or a week, so that the daily
# job, settings.DAILY_JOBS, run at about the same hour each day never slips a day behind).
DUE_AFTER = {Digest.DAILY: timedelta(hours=23), Digest.WEEKLY: timedelta(days=6, hours=23)}


@dataclass
class Change:
    at: datetime
    text: str
    url: str = ""
    kind: str = ""


def _moment(day):
    """A date-only change (a partner joined on ...) at the start of its day."""
    return timezone.make_aware(datetime.combine(day, time.min))


# --- Readers: one per kind of change, newest first ------------------------------------------
# Each takes (collaborative, since, until, limit) and yields Changes with since < at <= until.


def _people(c, since, until, limit):
    joined = Member.objects.filter(collaborative=c, joined_at__isnull=False).select_related("partner__organisation")
    if since:
        joined = joined.filter(joined_at__gt=since)
    for m in joined.filter(joined_at__lte=until).order_by("-joined_at")[:limit]:
        if m.partner_id:
            text = _("%(name)s joined as %(role)s for %(partner)s.") % {
                "name": m.name, "role": m.get_role_display().lower(), "partner": m.partner}
        else:
            text = _("%(name)s joined as a convenor.") % {"name": m.name}
        yield Change(m.joined_at, text, reverse("collaboratives:partners", args=[c.slug]), "person")


def _partners(c, since, until, limit):
    rows = Partner.objects.filter(collaborative=c, joined__lte=timezone.localdate(until)).select_related(
        "organisation", "group")
    if since:
        rows = rows.filter(joined__gt=timezone.localdate(since))
    for p in rows.order_by("-joined", "-pk")[:limit]:
        at = _moment(p.joined)
        if since and at <= since:
            continue
        text = (_("%(partner)s became a partner, in %(group)s.") % {"partner": p, "group": p.group.name}
                if p.group else _("%(partner)s became a partner.") % {"partner": p})
        yield Change(at, text, reverse("collaboratives:partners", args=[c.slug]), "partner")


def _worksheets(c, since, until, limit):
    rows = WorksheetVersion.objects.filter(worksheet__collaborative=c, saved__lte=until).select_related(
        "author", "worksheet__tool", "worksheet__step")
    if since:
        rows = rows.filter(saved__gt=since)
    for v in rows.order_by("-saved", "-pk")[:limit]:
        sheet = v.worksheet
        text = _("%(name)s saved version %(n)s of the worksheet “%(tool)s” (%(step)s).") % {
            "name": v.author.name if v.author else _("Someone"), "n": v.number, "tool": sheet.tool.title,
            "step": sheet.step.get_key_display()}
        url = reverse("collaboratives:worksheet", args=[c.slug, sheet.step.key, sheet.tool.slug])
        yield Change(v.saved, text, url, "worksheet")


def _decisions(c, since, until, limit):
    rows = DecisionEvent.objects.filter(collaborative=c, at__lte=until).select_related(
        "decision__collaborative", "member", "vote__partner__organisation")
    if since:
        rows = rows.filter(at__gt=since)
    for e in rows.order_by("-at", "-pk")[:limit]:
        name, title = (e.member.name if e.member else _("Someone")), e.decision.title
        if e.kind == DecisionEvent.Kind.OPENED:
            text = _("%(name)s opened the proposal “%(title)s” for votes.") % {"name": name, "title": title}
        elif e.kind == DecisionEvent.Kind.VOTED:
            text = (_("%(name)s voted for %(partner)s on “%(title)s”.") % {
                "name": name, "partner": e.vote.partner, "title": title}
                if e.vote and e.vote.partner else _("%(name)s voted on “%(title)s”.") % {"name": name, "title": title})
        elif e.kind == DecisionEvent.Kind.CLOSED:
            text = _("Voting on “%(title)s” closed: %(result)s.") % {
                "title": title, "result": e.decision.get_result_display().lower()}
        elif e.kind == DecisionEvent.Kind.OUTCOME:
            text = _("%(name)s wrote the outcome of “%(title)s”.") % {"name": name, "title": title}
        elif e.kind == "workshop":  # put to the room in a Convene workshop
            text = _("“%(title)s” was put to the room in the workshop “%(workshop)s”.") % {
                "title": title, "workshop": (e.detail or {}).get("workshop", "")}
        else:
            continue  # a kind of event this feed does not know yet says nothing rather than something wrong
        yield Change(e.at, text, e.decision.get_absolute_url(), "decision")


def _health(c, since, until, limit):
    rows = HealthWave.objects.filter(collaborative=c)
    for field, verb in (("opened", "opened"), ("closed", "closed")):
        waves = rows.filter(**{f"{field}__isnull": False, f"{field}__lte": until})
        if since:
            waves = waves.filter(**{f"{field}__gt": since})
        for w in waves.order_by(f"-{field}")[:limit]:
            if verb == "opened":
                text = _("%(wave)s opened: every partner and convenor can answer it.") % {"wave": w}
                url = reverse("collaboratives:health", args=[c.slug])
            else:
                text = _("%(wave)s closed: its results are ready.") % {"wave": w}
                url = reverse("collaboratives:health_results", args=[c.slug, w.number])
            yield Change(getattr(w, field), text, url, "health")


SOURCES = [_people, _partners, _worksheets, _decisions, _health]


def changes(collaborative, *, since=None, until=None, offset=0, limit=PAGE):
    """The changes with since < at <= until, newest first, `limit` of them from `offset`.
    Each reader gives at most offset + limit of its newest; merged, they are the newest overall."""
    until = until or timezone.now()
    want = offset + limit
    streams = [sorted(source(collaborative, since, until, want), key=lambda ch: ch.at, reverse=True)
               for source in SOURCES]
    merged = heapq.merge(*streams, key=lambda ch: ch.at, reverse=True)
    return [ch for n, ch in enumerate(merged) if n < want][offset:]


def page(collaborative, number):
    """One page of the feed (numbered from 1) and whether there is a next one."""
    number = max(1, number)
    rows = changes(collaborative, offset=(number - 1) * PAGE, limit=PAGE + 1)
    return rows[:PAGE], len(rows) > PAGE


# --- The e-mail digest -----------------------------------------------------------------------


def set_digest(member, digest, language=""):
    """The person's choice: no e-mail, or a digest once a day or once a week, written in
    `language` (the page's, when chosen on a page). A new choice starts from now: the first
    digest lists what changed after it."""
    if member is None:
        raise Refused(_("Only people who take part in this collaborative have settings here."), status=403)
    if digest not in Digest.values:
        raise Refused(_("Choose no e-mail, once a day or once a week."), status=400)
    if language not in dict(settings.LANGUAGES):
        language = member.digest_language
    if digest != member.digest:
        member.digest, member.digest_sent_at = digest, timezone.now()
    member.digest_language = language
    member.save(update_fields=["digest", "digest_sent_at", "digest_language"])
    return member


def address_of(member):
    return (member.user.email if member.user_id and member.user.email else member.email) or ""


def due(now=None):
    """People whose digest is due: they chose one, take part today, and have an address."""
    now = now or timezone.now()
    wanted = Q()
    for digest, after in DUE_AFTER.items():
        wanted |= Q(digest=digest) & (Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - after))
    people = Member.objects.filter(wanted).select_related("collaborative", "user").order_by("pk")
    today = timezone.localdate(now)
    return [m for m in people if m.active_on(today) and address_of(m)]


def send_digest(member, now=None):
    """Claim this digest (the time it covers up to is written before the mail goes, so a second
    run or a second worker never sends it twice), then mail the changes, if there were any.
    Returns how many changes were sent (0: nothing changed, or someone else sent it)."""
    now = now or timezone.now()
    since = member.digest_sent_at
    claimed = Member.objects.filter(pk=member.pk, digest=member.digest, digest_sent_at=since).update(
        digest_sent_at=now)
    if not claimed:
        return 0
    collaborative = member.collaborative
    site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")  # SITE_URL
    link = site + reverse("collaboratives:activity", args=[collaborative.slug])
    settings_link = site + reverse("collaboratives:my_settings", args=[collaborative.slug])
    with override(member.digest_language or settings.LANGUAGE_CODE):  # the changes' words too
        rows = changes(collaborative, since=since, until=now, limit=DIGEST_MOST + 1)
        if not rows:
            return 0
        lines = [f"- {timezone.localtime(ch.at):%Y-%m-%d %H:%M} {ch.text}" for ch in rows[:DIGEST_MOST]]
        if len(rows) > DIGEST_MOST:
            lines.append(_("…and more: see them all on the page below."))
        subject = _("What changed in %(name)s") % {"name": collaborative.name}
        body = (_("Hello %(name)s,\n\nThis is what changed in %(collaborative)s since your last digest:\n\n")
                % {"name": member.name, "collaborative": collaborative.name}
                + "\n".join(lines)
                + "\n\n" + _("See everything: %(link)s") % {"link": link}
                + "\n" + _("Change or stop these e-mails: %(link)s") % {"link": settings_link} + "\n")
    try:
        send_mail(subject, body, None, [address_of(member)])
    except (smtplib.SMTPException, OSError):
        # Not sent: give the claim back so the next run tries again with the same changes.
        Member.objects.filter(pk=member.pk, digest_sent_at=now).update(digest_sent_at=since)
        raise
    return min(len(rows), DIGEST_MOST)


def send_due_digests(now=None, progress=None):
    """Every digest that is due; returns (people mailed, people whose mail failed)."""
    people = due(now)
    if progress is not None:
        progress.update(total=len(people), done=0, message=_("Sending digests"), force=True)
    sent = failed = 0
    for done, member in enumerate(people, start=1):
        try:
            if send_digest(member, now):
                sent += 1
        except (smtplib.SMTPException, OSError):
            failed += 1
        if progress is not None:
            progress.update(done=done)
    return sent, failed
