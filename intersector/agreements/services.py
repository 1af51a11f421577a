"""Agree's actions: every write goes through here (validate, persist in a transaction, publish)."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.agreements import scorecard as sc
# Invitations live in invitations.py; these names stay here for code that starts drafts.
from intersector.agreements.invitations import (  # noqa: F401
    guest_token, invite_guest, invite_partner, invite_token, revoke_guest,
)
from intersector.agreements.models import (
    RATINGS, Agreement, Comment, ElementText, Partner, Rating, ScorecardVersion, SignOff, TextChange,
)
from intersector.live import publish
from intersector.refusals import Refused

RATING_KEYS = {key for key, _label in RATINGS}
MAX_TEXT = 20_000


# --- Scorecard content ------------------------------------------------------------------------


def current_scorecard():
    return ScorecardVersion.objects.order_by("-number").first()


def content_hash(data):
    """The hash of what is scored: the scorecard without its translations."""
    scored = {key: value for key, value in data.items() if key != "translations"}
    return hashlib.sha256(json.dumps(scored, sort_keys=True).encode()).hexdigest()


def import_scorecard(data, note=""):
    """Store `data` as a new scorecard version unless identical content is already stored.

    A translation (data["translations"], same keys) is not a new version: when only the words
    of other languages changed, the version that has this content takes them (its scores show
    in the new words; version.translations_updated is then True).

    Returns (version, created). Raises ScorecardError with a plain message for bad content.
    """
    sc.validate(data)
    digest = content_hash(data)
    with transaction.atomic():
        existing = ScorecardVersion.objects.select_for_update().filter(content_hash=digest).order_by("-number").first()
        if existing:
            words = data.get("translations")
            existing.translations_updated = bool(words) and words != existing.definition.get("translations")
            if existing.translations_updated:
                existing.definition = {**existing.definition, "translations": words}
                existing.save(update_fields=["definition"])
                existing.__dict__.pop("_cards", None)
            return existing, False
        number = (ScorecardVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ScorecardVersion.objects.create(
            number=number, title=str(data.get("title", ""))[:200], definition=data,
            content_hash=digest, note=note[:300])
    return version, True


# --- Agreements ---------------------------------------------------------------------------


def _changed(agreement, what):
    publish(f"agreement:{agreement.pk}", what, {"agreement": str(agreement.pk)})


def create_agreement(*, name, purpose, form, partners, created_by=None, focus_families=None,
                     scorecard=None, creator_browser=""):
    """Start an agreement. `partners`: list of dicts with name, sector, representative,
    alternate and optionally email, organisation / user. Works without any account.

    A partner given a `user` is bound to that account at once; with `creator_browser` (the
    browser key of a creator who is not signed in) the first partner is bound to that browser.
    The others wait for their invitation (`invitations.invite_partner`)."""
    scorecard = scorecard or current_scorecard()
    if scorecard is None:
        raise ValidationError(_("The scorecard has not been loaded on this site yet."))
    if form not in Agreement.Form.values:
        raise ValidationError(_("Choose a form of agreement."))
    if not name.strip() or not purpose.strip():
        raise ValidationError(_("Give the partnership a name and a purpose."))
    if len(partners) < 2:
        raise ValidationError(_("An agreement needs at least two partners."))
    with transaction.atomic():
        agreement = Agreement.objects.create(
            name=name.strip(), purpose=purpose.strip(), form=form, scorecard=scorecard,
            created_by=created_by if created_by and created_by.is_authenticated else None)
        now = timezone.now()
        for position, data in enumerate(partners):
            data = dict(data)
            if data.get("user") is not None:
                data["claimed_at"] = now
            elif position == 0 and creator_browser:
                data.update(claimed_browser=creator_browser, claimed_at=now)
            Partner.objects.create(agreement=agreement, position=position, **data)
        if focus_families:
            set_focus_families(agreement, focus_families)
    return agreement


def set_focus_families(agreement, families):
    keys = [key for key in sc.FAMILY_KEYS if key in set(families)]
    if not 3 <= len(keys) <= 5:
        raise ValidationError(_("Choose between 3 and 5 question families to address first."))
    with transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(focus_families=keys,
                                                         updated=timezone.now())
        agreement.focus_families = keys
        _changed(agreement, "focus.changed")
    return keys


def save_element(agreement, partner, element, *, text=None, rating=None, comment="", author=""):
    """Save one element from the guided editor: the text (unless locked) and this partner's
    rating. Returns the list of what was saved."""
    card = agreement.scorecard.card
    if element not in card.elements:
        raise ValidationError(_("This element is not on the scorecard."))
    saved = []
    with transaction.atomic():
        if text is not None:
            text = text.strip()
            if len(text) > MAX_TEXT:
                raise ValidationError(_("The text is too long (at most 20,000 characters)."))
            current = ElementText.objects.select_for_update().filter(
                agreement=agreement, element=element).first()
            before = current.text if current else ""
            if text != before:
                if Agreement.objects.get(pk=agreement.pk).locked:
                    raise ValidationError(_(
                        "All partners signed this version, so its text is locked. Open a new "
                        "version to change it."))
                ElementText.objects.update_or_create(
                    agreement=agreement, element=element,
                    defaults={"text": text, "updated_by": author[:200]})
                TextChange.objects.create(agreement=agreement, version=agreement.version,
                                          element=element, before=before, after=text,
                                          author=author[:200])
                # A signature is for the text as it was: changing the text withdraws it (the
                # sign-off record stays, marked withdrawn).
                Partner.objects.filter(agreement=agreement, signed_version__isnull=False).update(
                    signed_version=None, signed_by="", signed_at=None)
                SignOff.objects.filter(agreement=agreement, version=agreement.version,
                                       withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
                saved.append("text")
        if rating:
            rate(partner, element, rating, comment)
            saved.append("rating")
        Agreement.objects.filter(pk=agreement.pk).update(updated=timezone.now())
        _changed(agreement, "element.saved")
    return saved


def rate(partner, element, rating, comment=""):
    if rating not in RATING_KEYS:
        raise ValidationError(_("Choose one of the four ratings."))
    if element not in partner.agreement.scorecard.card.elements:
        raise ValidationError(_("This element is not on the scorecard."))
    with transaction.atomic():
        Rating.objects.update_or_create(partner=partner, element=element,
                                        defaults={"rating": rating, "comment": comment[:2000]})
    return rating


def publish_ratings(partner, published=True):
    with transaction.atomic():
        Partner.objects.filter(pk=partner.pk).update(ratings_published=published)
        partner.ratings_published = published
        _changed(partner.agreement, "ratings.published")


def add_comment(agreement, partner, element, author, body):
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a comment first."))
    if element not in agreement.scorecard.card.elements:
        raise ValidationError(_("This element is not on the scorecard."))
    with transaction.atomic():
        comment = Comment.objects.create(agreement=agreement, partner=partner, element=element,
                                         author=(author or partner.representative)[:200],
                                         body=body[:2000])
        _changed(agreement, "comment.added")
    return comment


def sign_off(agreement, partner, name, *, user=None, how=SignOff.How.LINK):
    """One partner signs the current version, on the record: the typed name, the account if
    any, how the person was known to act for the partner (`how`), and when. When all have
    signed, the text is locked."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Type the name of the person signing."))
    if how not in SignOff.How.values:
        raise ValidationError(_("It is not known how the person signing acts for this partner."))
    user = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        now = timezone.now()
        if agreement.locked:
            raise Refused(_("All partners have already signed this version."), status=409)
        SignOff.objects.filter(partner=partner, version=agreement.version,
                               withdrawn_at__isnull=True).update(withdrawn_at=now)
        SignOff.objects.create(agreement=agreement, partner=partner, version=agreement.version,
                               name=name[:200], user=user, how=how, signed_at=now)
        Partner.objects.filter(pk=partner.pk).update(
            signed_version=agreement.version, signed_by=name[:200], signed_at=now)
        unsigned = agreement.partners.exclude(signed_version=agreement.version).exists()
        if not unsigned:
            agreement.locked = True
            agreement.save(update_fields=["locked", "updated"])
        _changed(agreement, "signed")
    return agreement


def open_new_version(agreement):
    """Unlock a signed agreement for changes: a new version that all partners sign again."""
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        agreement.version += 1
        agreement.locked = False
        agreement.save(update_fields=["version", "locked", "updated"])
        _changed(agreement, "version.opened")
    return agreement


# --- Reviews of existing agreements --------------------------------------------------------


def create_review(*, owner, upload, title="", form="mou"):
    """Read the file, split it into clauses and store both in one transaction; then queue the
    proposals as a job. A PDF with scanned pages is stored first and its pages read by OCR in a
    job (read_scanned_pages), which then does the same. Raises DocumentError with a plain
    message for a bad file."""
    from intersector.agreements.extract import DocumentError, read_document
    from intersector.agreements.models import Review, ReviewScan
    from intersector.agreements.tasks import read_scanned_pages
    from intersector.jobs.services import start_job

    if form not in Agreement.Form.values:
        raise DocumentError(_("Choose a form of agreement."))
    scorecard = current_scorecard()
    if scorecard is None:
        raise DocumentError(_("The scorecard has not been loaded on this site yet."))
    reading = read_document(upload)
    name = (upload.name or "agreement").rsplit("/", 1)[-1][:255]
    fields = {"owner": owner, "title": (title or name)[:200], "filename": name, "form": form,
              "scorecard": scorecard, "pages": reading.page_count}
    if reading.scanned:
        with transaction.atomic():
            review = Review.objects.create(text="", **fields)
            ReviewScan.objects.create(review=review, pdf=reading.pdf, pages=reading.scanned)
            job = start_job(read_scanned_pages, owner=owner, kind="agreements.read_scans",
                            label=_("Reading the scanned pages of %(name)s") % {"name": review.title},
                            review_id=str(review.pk))
            review.job = job
            review.save(update_fields=["job"])
        return review
    clauses = _clauses_of(reading)
    with transaction.atomic():
        review = Review.objects.create(text="", **fields)
        _store_text_and_propose(review, reading, clauses)
    return review


def _clauses_of(reading):
    from intersector.agreements.clauses import split_clauses
    from intersector.agreements.extract import DocumentError

    text = reading.text().replace("\x00", "")  # a stray NUL is not text; PostgreSQL cannot store it
    clauses = split_clauses(text)
    if not clauses:
        raise DocumentError(_("No clauses were found in the document."))
    return text, clauses


def _store_text_and_propose(review, reading, text_and_clauses):
    """Inside a transaction: the review's text, clauses and reading notes, then its proposals job."""
    from intersector.agreements.models import Clause, Review
    from intersector.agreements.tasks import propose_ratings
    from intersector.jobs.services import start_job

    text, clauses = text_and_clauses
    Review.objects.filter(pk=review.pk).update(text=text, reading=reading.notes())
    review.text, review.reading = text, reading.notes()
    Clause.objects.bulk_create([
        Clause(review=review, position=c.position, number=c.number[:30], heading=c.heading[:300],
               text=c.text, start=c.start, end=c.end) for c in clauses])
    job = start_job(propose_ratings, label=_("Reviewing %(name)s") % {"name": review.title},
                    owner=review.owner, kind="agreements.review", review_id=str(review.pk))
    review.job = job
    review.save(update_fields=["job"])


def store_scanned_text(review, reading):
    """The OCR job's end: the whole text (text layer and scanned pages) becomes the review's
    clauses, the stored PDF is dropped, and the proposals are queued. DocumentError when no
    text could be read at all (the review is then marked failed)."""
    from intersector.agreements.extract import DocumentError
    from intersector.agreements.models import Review, ReviewScan

    try:
        if len(reading.text().split()) < 20:
            if reading.unread:
                raise DocumentError(_("The PDF is scanned pages, and this site cannot read scans (text recognition is not installed on the server). Upload a PDF made from the original document, or a Word or text file."))
            raise DocumentError(_("No text could be read from the scanned pages. If the scan is faint or crooked, scan it again at 300 dpi, or upload a PDF made from the original document."))
        clauses = _clauses_of(reading)
    except DocumentError:
        Review.objects.filter(pk=review.pk).update(status=Review.Status.FAILED, reading=reading.notes())
        ReviewScan.objects.filter(review=review).delete()
        raise
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        _store_text_and_propose(review, reading, clauses)
        ReviewScan.objects.filter(review=review).delete()
    publish(f"review:{review.pk}", "text.ready", {"review": str(review.pk)})
    return review


def review_follows_new_job(old_job, new_job):
    """"Try again" on a review's job: the review waits for the new job's proposals."""
    from intersector.agreements.models import Review

    Review.objects.filter(job=old_job).update(job=new_job, status=Review.Status.WAITING)


def store_proposals(review, proposals, method):
    """All proposals of a review in one transaction: a review is never half-proposed."""
    from intersector.agreements.models import Proposal, Review

    with transaction.atomic():
        Proposal.objects.filter(review=review).delete()
        Proposal.objects.bulk_create([
            Proposal(review=review, element=p.element, proposed=p.rating, score=p.score,
                     passages=_passages(p))
            for p in proposals])
        Review.objects.filter(pk=review.pk).update(status=Review.Status.READY, method=method[:100])
        publish(f"review:{review.pk}", "proposals.ready", {"review": str(review.pk)})


def _passages(proposal):
    """Stored passages: each clause, its score and the best sentence's offsets in the clause."""
    sentences = list(proposal.sentences or [])
    stored = []
    for index, (position, score) in enumerate(proposal.passages):
        passage = {"clause": position, "score": score}
        if index < len(sentences) and sentences[index]:
            passage["sentence"] = [int(sentences[index][0]), int(sentences[index][1])]
        stored.append(passage)
    return stored


def confirm_rating(review, element, rating, comment=""):
    """A person confirms (or changes) the proposal for one element; only confirmed ones count."""
    from intersector.agreements.models import Proposal

    if rating not in RATING_KEYS:
        raise ValidationError(_("Choose one of the four ratings."))
    with transaction.atomic():
        updated = Proposal.objects.filter(review=review, element=element).update(
            confirmed=rating, comment=comment[:2000], confirmed_at=timezone.now())
        if not updated:
            raise ValidationError(_("This element has no proposal to confirm."))
    return rating


def confirm_all_proposals(review):
    """Accept every proposal not yet confirmed, as proposed."""
    from django.db.models import F

    from intersector.agreements.models import Proposal

    with transaction.atomic():
        return Proposal.objects.filter(review=review, confirmed="").update(
            confirmed=F("proposed"), confirmed_at=timezone.now())


# --- Guests: named people a partner invites to read (and maybe comment); see invitations.py --


def add_guest_comment(agreement, guest, element, body):
    if not guest.can_comment:
        raise ValidationError(_("You were invited to read this agreement, not to comment."))
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a comment first."))
    if element not in agreement.scorecard.card.elements:
        raise ValidationError(_("This element is not on the scorecard."))
    with transaction.atomic():
        comment = Comment.objects.create(agreement=agreement, partner=None, element=element,
                                         author=_("%(name)s (guest)") % {"name": guest.name[:180]},
                                         body=body[:2000])
        _changed(agreement, "comment.added")
    return comment
