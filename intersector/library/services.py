"""Every change to Learn goes through here: starter content, CSV imports, the newsletter."""

import csv
import io
import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.search.index import insert_or_update_object

from intersector import tokens
from intersector import limits
from intersector.library import vocab
from intersector.refusals import Refused
from intersector.spreadsheets import plain_cell
from intersector.library.models import (
    Briefing, NewsletterDelivery, NewsletterIssue, Resource, ResourceImport, Subscriber, Term,
)

# --- Shared helpers --------------------------------------------------------------------------


def index_now(*objects):
    """Put items in the search index at once (the queued task would do it later otherwise)."""
    for obj in objects:
        insert_or_update_object(obj)


def ensure_terms():
    """The vocabularies' terms exist (the migration makes them; a flushed database may not have them)."""
    have = set(Term.objects.values_list("vocabulary", "key"))
    Term.objects.bulk_create([
        Term(vocabulary=vocabulary, key=key, name=str(label), sort_order=order)
        for vocabulary, keys in vocab.VOCABULARIES.items()
        for order, (key, label) in enumerate(keys.items())
        if (vocabulary, key) not in have
    ])


def terms(vocabulary):
    return {term.key: term for term in Term.objects.filter(vocabulary=vocabulary)}


def plain_to_html(text):
    """Plain paragraphs (separated by blank lines) as rich-text HTML."""
    blocks = [block.strip() for block in (text or "").split("\n\n") if block.strip()]
    return "".join(f"<p>{escape(' '.join(block.split()))}</p>" for block in blocks)


def published_now():
    now = timezone.now()
    return {"live": True, "first_published_at": now, "last_published_at": now}


# --- Resource CSV: the same columns for export and import -------------------------------------

CSV_COLUMNS = [
    "slug", "title", "authors", "publisher", "year", "type", "sectors", "partnership_models",
    "issue_areas", "url", "summary",
]
MAX_IMPORT_ROWS = 5000
LIST_SPLIT = re.compile(r"[;|,]")


def resource_row(resource):
    def keys(manager):
        return "; ".join(term.key for term in manager.all())

    return {
        "slug": resource.slug,
        "title": resource.title,
        "authors": resource.authors,
        "publisher": resource.publisher,
        "year": resource.year or "",
        "type": resource.type,
        "sectors": keys(resource.sectors),
        "partnership_models": keys(resource.partnership_models),
        "issue_areas": keys(resource.issue_areas),
        "url": resource.url,
        "summary": resource.summary,
    }


class ImportProblem(Refused):
    """A whole file that can't be read: said once, in plain words (shown in the upload form)."""


def read_csv(data):
    """The rows of an uploaded CSV as dicts with lower-case column names."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                data = data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise ImportProblem(_("This file is not text we can read. Save it as CSV (UTF-8) and try again.")) from exc
    data = data.lstrip("\ufeff")
    if "\x00" in data:  # e.g. saved as "Unicode text" (UTF-16); PostgreSQL could not store it either
        raise ImportProblem(_("This file is not text we can read. Save it as CSV (UTF-8) and try again."))
    reader = csv.DictReader(io.StringIO(data), delimiter=_delimiter(data))
    if not reader.fieldnames:
        raise ImportProblem(_("This file is empty."))
    columns = [(name or "").strip().lower().replace(" ", "_") for name in reader.fieldnames]
    if "title" not in columns:
        raise ImportProblem(
            _("The first line must name the columns, and one of them must be “title”. Columns found: %(found)s.")
            % {"found": ", ".join(name for name in columns if name) or _("none")}
        )
    reader.fieldnames = columns
    rows = []
    try:
        for row in reader:
            rows.append({key: _cell(value) for key, value in row.items() if key})
            if len(rows) > MAX_IMPORT_ROWS:
                raise ImportProblem(
                    _("This file has more than %(max)s rows. Split it into smaller files.") % {"max": MAX_IMPORT_ROWS}
                )
    except csv.Error as exc:
        raise ImportProblem(_("This file is not valid CSV: %(problem)s") % {"problem": exc}) from exc
    return rows


def _delimiter(data):
    """Comma, semicolon (spreadsheets in many European languages) or tab: whichever the header
    line uses most. Only the header is looked at: guessing from the rows (csv.Sniffer) can take
    the apostrophe our export puts before a formula-like title for a quote mark."""
    header = data.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in ",;\t"}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _cell(value):
    """A cell as written, without the apostrophe our export puts before =, +, -, @ (so that
    spreadsheets don't run it): export, edit, re-import gives back the same titles."""
    return plain_cell(value.strip()).strip() if isinstance(value, str) else ""


def _term_keys(value, vocabulary, problems, column):
    known = vocab.VOCABULARIES[vocabulary]
    by_label = {str(label).lower(): key for key, label in known.items()}
    keys = []
    for part in LIST_SPLIT.split(value or ""):
        part = part.strip()
        if not part:
            continue
        key = part.lower() if part.lower() in known else by_label.get(part.lower()) or slugify(part)
        if key not in known:
            problems.append(
                _("“%(value)s” is not a known value for %(column)s (use one of: %(keys)s).")
                % {"value": part, "column": column, "keys": ", ".join(known)}
            )
        elif key not in keys:
            keys.append(key)
    return keys


def clean_resource_row(row):
    """(clean values, []) for a good row, or (None, [problems in plain words]) for a bad one."""
    problems = []
    title = " ".join(row.get("title", "").split())
    if not title:
        problems.append(_("The title is empty."))
    elif len(title) > 300:
        problems.append(_("The title is longer than 300 characters."))
    year = None
    if row.get("year"):
        try:
            year = int(row["year"])
        except ValueError:
            problems.append(_("The year “%(value)s” is not a number.") % {"value": row["year"]})
        else:
            if not 1800 <= year <= date.today().year + 1:
                problems.append(_("The year %(value)s is not plausible.") % {"value": year})
    kind = (row.get("type") or "").strip().lower()
    by_label = {str(label).lower(): key for key, label in vocab.RESOURCE_TYPES.items()}
    kind = kind if kind in vocab.RESOURCE_TYPES else by_label.get(kind, kind)
    if not kind:
        problems.append(_("The type is empty: use one of %(keys)s.") % {"keys": ", ".join(vocab.RESOURCE_TYPES)})
    elif kind not in vocab.RESOURCE_TYPES:
        problems.append(
            _("The type “%(value)s” is not one of: %(keys)s.")
            % {"value": row.get("type", ""), "keys": ", ".join(vocab.RESOURCE_TYPES)}
        )
    url = row.get("url", "")
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            problems.append(_("The link “%(value)s” is not a web address.") % {"value": url[:100]})
    sectors = _term_keys(row.get("sectors"), vocab.SECTOR, problems, "sectors")
    models_ = _term_keys(row.get("partnership_models"), vocab.PARTNERSHIP_MODEL, problems, "partnership_models")
    issues = _term_keys(row.get("issue_areas"), vocab.ISSUE_AREA, problems, "issue_areas")
    slug = slugify(row.get("slug", ""))[:100] or (slugify(title)[:80] + (f"-{year}" if year else ""))
    if problems:
        return None, problems
    authors = "; ".join(part.strip() for part in re.split(r";|\|", row.get("authors", "")) if part.strip())
    return {
        "slug": slug or "resource",
        "title": title,
        "authors": authors[:500],
        "publisher": row.get("publisher", "")[:200],
        "year": year,
        "type": kind,
        "url": url[:500],
        "summary": row.get("summary", ""),
        "sectors": sectors,
        "partnership_models": models_,
        "issue_areas": issues,
    }, []


def preview_import(data):
    """What an import would do, without changing anything: counts and every row's problems."""
    rows = read_csv(data)
    existing = set(Resource.objects.values_list("slug", flat=True))
    seen, report = {}, []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        clean, problems = clean_resource_row(row)
        if clean and clean["slug"] in seen:
            problems = [_("The same entry as row %(row)s.") % {"row": seen[clean["slug"]]}]
            clean = None
        if clean:
            seen[clean["slug"]] = number
        action = "reject" if clean is None else ("update" if clean["slug"] in existing else "create")
        report.append({"row": number, "title": row.get("title", ""), "action": action, "problems": [str(p) for p in problems]})
    return report


def save_resource(values, *, starter=False):
    """Create the resource, or update the one with the same slug. Returns "created" or "updated"."""
    values = dict(values)
    many = {name: values.pop(name) for name in ("sectors", "partnership_models", "issue_areas")}
    slug = values.pop("slug")
    with transaction.atomic():
        resource = Resource.objects.filter(slug=slug).first()
        action = "updated" if resource else "created"
        if resource is None:
            resource = Resource(slug=slug, starter=starter, **published_now())
        for name, value in values.items():
            setattr(resource, name, value)
        resource.full_clean(exclude=["sectors", "partnership_models", "issue_areas"])
        resource.save()
        for name, vocabulary in (
            ("sectors", vocab.SECTOR), ("partnership_models", vocab.PARTNERSHIP_MODEL), ("issue_areas", vocab.ISSUE_AREA),
        ):
            getattr(resource, name).set(Term.objects.filter(vocabulary=vocabulary, key__in=many[name]))
        resource.save()  # a ClusterableModel writes its parental many-to-many values on save
    index_now(resource)
    return action


def store_upload(owner, filename, data):
    rows = read_csv(data)  # refuse unreadable files before keeping them
    if not rows:
        raise ImportProblem(_("This file has column names but no rows."))
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    return ResourceImport.objects.create(owner=owner, filename=filename[:200], data=text)


def run_import(upload, progress):
    """Import every good row; a bad row is reported and never stops the others."""
    rows = read_csv(upload.data)
    ensure_terms()
    progress.update(total=len(rows), message=_("Importing %(n)s rows") % {"n": len(rows)})
    counts = {"created": 0, "updated": 0}
    rejected, seen = [], {}
    for number, row in enumerate(rows, start=2):
        clean, problems = clean_resource_row(row)
        if clean and clean["slug"] in seen:
            clean, problems = None, [_("The same entry as row %(row)s.") % {"row": seen[clean["slug"]]}]
        if clean:
            seen[clean["slug"]] = number
            try:
                counts[save_resource(clean)] += 1
            except (ValidationError, IntegrityError) as exc:
                problems = [_("It could not be saved: %(problem)s") % {"problem": "; ".join(_messages(exc))}]
        if problems:
            rejected.append({"row": number, "title": row.get("title", "")[:200], "problems": [str(p) for p in problems]})
        progress.update(done=number - 1, message=_("Row %(row)s of %(total)s") % {"row": number - 1, "total": len(rows)})
    summary = _("%(created)s new, %(updated)s updated, %(rejected)s rejected.") % {
        "created": counts["created"], "updated": counts["updated"], "rejected": len(rejected),
    }
    return {
        "summary": summary,
        **counts,
        "rejected": rejected,
        "url": reverse("library:import_report", args=[upload.pk]),
        "link_text": _("See the import report"),
    }


def _messages(exc):
    if isinstance(exc, ValidationError):
        return [str(message) for message in exc.messages]
    return [_("it clashes with an entry saved at the same time")]


# --- Newsletter: double opt-in -----------------------------------------------------------------

SIGNING_SALT = "library.newsletter"
# One kind for the confirm and the unsubscribe links (as before). It never expires: the
# unsubscribe link in a newsletter must work for as long as the person keeps the mail.
# The subscriber's own token is the revocable part: a new one stops the old links.
NEWSLETTER = tokens.Kind(SIGNING_SALT, max_age=None)


def newsletter_link(name, subscriber):
    token = NEWSLETTER.make(str(subscriber.token))
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=[token])


def subscriber_for(signed_token):
    token = NEWSLETTER.read(signed_token)
    if not isinstance(token, str):
        return None
    try:
        return Subscriber.objects.filter(token=token).first()
    except ValidationError:  # not a UUID (only a token we signed could carry one)
        return None


# Confirmation mails: a stranger must not turn the sign-up form into a way to flood an inbox.
SIGNUP_MAILS = limits.Limit("newsletter-mail", times=3, seconds=3600)      # per e-mail address
SIGNUP_ADDRESS = limits.Limit("newsletter-address", times=10, seconds=3600)  # per visitor


def subscribe(email, address=None):
    """Record the address (unconfirmed) and e-mail the confirmation link. Always the same answer,
    so the form never tells a stranger whether an address is already on the list; past the
    limits nothing is sent and the person is asked to wait."""
    email = email.strip().lower()
    validate_email(email)
    wait = max(SIGNUP_ADDRESS.hit(address) if address else 0, SIGNUP_MAILS.hit(email))
    if wait:
        raise Refused(_("Many confirmation mails were asked for just now. Please try again in "
                        "%(n)s minutes.") % {"n": limits.minutes(wait)}, status=429, retry_after=wait)
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(email=email)
        if subscriber.unsubscribed:
            subscriber.unsubscribed = None
            subscriber.confirmed = None
            subscriber.save(update_fields=["unsubscribed", "confirmed"])
    if not subscriber.is_active:
        send_newsletter_mail(
            subscriber,
            _("Please confirm your subscription"),
            "library/email/confirm.txt",
            {"confirm_url": newsletter_link("library:newsletter_confirm", subscriber)},
        )
    return subscriber


def confirm(subscriber):
    if subscriber.confirmed is None or subscriber.unsubscribed is not None:
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmed=timezone.now(), unsubscribed=None)
        subscriber.refresh_from_db()
    return subscriber


def unsubscribe(subscriber):
    if subscriber.unsubscribed is None:
        Subscriber.objects.filter(pk=subscriber.pk).update(unsubscribed=timezone.now())
        subscriber.refresh_from_db()
    return subscriber


def send_newsletter_mail(subscriber, subject, template, context):
    """Every mail we send to a subscriber carries the unsubscribe link, in the text and header."""
    unsubscribe_url = newsletter_link("library:newsletter_unsubscribe", subscriber)
    body = render_to_string(template, {**context, "unsubscribe_url": unsubscribe_url, "email": subscriber.email})
    message = EmailMultiAlternatives(
        subject=str(subject),
        body=body,
        to=[subscriber.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.send()


# --- Newsletter issues: curators send briefings to the confirmed subscribers --------------------


class IssueProblem(Refused):
    """What is wrong with a newsletter issue, in words for the curator (shown above the form)."""


def active_subscribers():
    return Subscriber.objects.filter(confirmed__isnull=False, unsubscribed__isnull=True)


def briefings_for_next_issue():
    """Published briefings, newest first, and the ids of those no issue has carried yet."""
    briefings = list(Briefing.objects.filter(live=True).order_by("-date", "-pk")[:30])
    carried = set(NewsletterIssue.briefings.through.objects.values_list("briefing_id", flat=True))
    return briefings, {b.pk for b in briefings if b.pk not in carried}


def clean_issue(subject, briefing_ids):
    subject = " ".join((subject or "").split())
    if not subject:
        raise IssueProblem(_("Give the e-mail a subject."))
    if len(subject) > 200:
        raise IssueProblem(_("Keep the subject under 200 characters."))
    ids = [int(i) for i in briefing_ids or [] if str(i).isdigit()]
    briefings = list(Briefing.objects.filter(live=True, pk__in=ids).order_by("-date", "-pk"))
    if not briefings:
        raise IssueProblem(_("Tick at least one published briefing to send."))
    return subject, briefings


def issue_text(subject, briefings):
    """The e-mail's body without the unsubscribe line (each mail adds its own)."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return render_to_string("library/email/issue.txt", {
        "subject": subject, "briefings": [(b, base + b.get_absolute_url()) for b in briefings]})


def send_issue(user, key, subject, briefing_ids):
    """Record the issue and start the job that mails it. The form's key makes a second click
    return the first issue instead of sending again."""
    from intersector.jobs.services import start_job
    from intersector.library.tasks import send_newsletter_issue

    subject, briefings = clean_issue(subject, briefing_ids)
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", key or ""):
        raise IssueProblem(_("This form is out of date. Reload the page and try again."))
    existing = NewsletterIssue.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            issue = NewsletterIssue.objects.create(key=key, subject=subject, created_by=user)
            issue.briefings.set(briefings)
    except IntegrityError:
        return NewsletterIssue.objects.get(key=key)
    job = start_job(send_newsletter_issue, label=_("Sending “%(subject)s”") % {"subject": subject},
                    owner=user, kind="library.newsletter", issue_id=issue.pk)
    NewsletterIssue.objects.filter(pk=issue.pk).update(job=job)
    issue.job = job
    return issue


def issue_follows_new_job(old_job, new_job):
    """"Try again" on a newsletter's job: the issue's page follows the new one. Whoever already
    had the issue is skipped by deliver_issue, so nobody gets it twice."""
    NewsletterIssue.objects.filter(job=old_job).update(job=new_job)


def import_follows_new_job(old_job, new_job):
    """"Try again" on an import's job: the upload's report reads the new job's result."""
    ResourceImport.objects.filter(job=old_job).update(job=new_job)


def deliver_issue(issue, progress):
    """Mail the issue to every confirmed subscriber who has not had it yet. Each delivery is
    written before its mail goes, so a re-run or a second worker never sends one twice."""
    briefings = list(issue.briefings.order_by("-date", "-pk"))
    body = issue_text(issue.subject, briefings)
    waiting = active_subscribers().exclude(pk__in=NewsletterDelivery.objects.filter(issue=issue).values("subscriber"))
    total = waiting.count()
    progress.update(total=total, done=0, message=_("Sending to %(n)s subscribers") % {"n": total}, force=True)
    sent = 0
    for subscriber in waiting.iterator():
        try:
            with transaction.atomic():
                NewsletterDelivery.objects.create(issue=issue, subscriber=subscriber)
        except IntegrityError:
            continue  # another run got there first
        send_newsletter_mail(subscriber, issue.subject, "library/email/issue_wrapper.txt", {"body": body})
        sent += 1
        progress.update(done=sent)
    recipients = NewsletterDelivery.objects.filter(issue=issue).count()
    NewsletterIssue.objects.filter(pk=issue.pk).update(finished=timezone.now(), recipients=recipients)
    return {"summary": _("Sent to %(n)s subscribers.") % {"n": recipients},
            "url": reverse("library:newsletter_issues"), "link_text": _("Back to the newsletter")}

