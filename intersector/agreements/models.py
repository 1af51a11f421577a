"""Agree: scorecard versions, agreements written by several partners, and reviews of documents."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intersector import tokens

RATINGS = [
    ("not-relevant", _("Not relevant")),
    ("not-in-place", _("Not in place")),
    ("partially", _("Partially in place")),
    ("fully", _("Fully in place")),
]


class ScorecardVersion(models.Model):
    """One published version of the scorecard. Scores point at the version they used, so
    changing the content makes a new version rather than rewriting old scores."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    definition = models.JSONField(_("definition"))
    content_hash = models.CharField(max_length=64, db_index=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("scorecard version")
        verbose_name_plural = _("scorecard versions")

    def __str__(self):
        return f"{self.title} (v{self.number})"

    @property
    def card(self):
        """The scorecard in the active language (its translation's words, the same keys)."""
        from django.utils import translation

        return self.card_in((translation.get_language() or "").split("-")[0])

    def card_in(self, language):
        """The scorecard in `language` ("": its own words, those of its main file)."""
        from intersector.agreements.scorecard import Scorecard

        cards = self.__dict__.setdefault("_cards", {})
        if language not in cards:
            cards[language] = Scorecard(self.definition, version=self.number, language=language)
        return cards[language]


class Agreement(models.Model):
    class Form(models.TextChoices):
        LETTER = "letter-of-intent", _("Letter of intent")
        MOU = "mou", _("Memorandum of understanding")
        DETAILED = "detailed", _("Detailed partnering agreement")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name of the partnership"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=2000)
    form = models.CharField(_("form of agreement"), max_length=20, choices=Form.choices,
                            default=Form.MOU)
    scorecard = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT,
                                  related_name="agreements")
    # The 3-5 question families the partners chose to address first.
    focus_families = models.JSONField(_("families to address first"), default=list, blank=True)
    version = models.PositiveIntegerField(_("text version"), default=1)
    locked = models.BooleanField(_("signed and locked"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.pk])


def new_secret():
    """Kept for the migrations that name it; new code uses intersector.tokens.new_secret."""
    return tokens.new_secret()


class Invitation(models.Model):
    """What an invitation link needs. The link carries `secret`; a new secret withdraws it. The
    first opening claims it: it is then bound to that account (`user`) or, for someone not signed
    in, to that browser (`claimed_browser`, a random key kept in the browser's session), and any
    other browser or account that opens it is refused."""

    secret = models.CharField(max_length=40, default=new_secret)
    invited_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("invitation opened"), null=True, blank=True)
    claimed_browser = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True

    @property
    def claimed(self):
        return self.claimed_at is not None

    @property
    def invite_expires(self):
        from datetime import timedelta

        if self.invited_at is None:
            return None
        return self.invited_at + timedelta(days=settings.AGREEMENT_INVITE_DAYS)

    @property
    def invite_expired(self):
        from django.utils import timezone

        return self.invite_expires is not None and self.invite_expires <= timezone.now()


class Partner(Invitation):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="partners")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("organisation"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20,
                              choices=[("government", _("Government")), ("business", _("Business")),
                                       ("non-profit", _("Non-profit")), ("other", _("Other"))])
    representative = models.CharField(_("representative"), max_length=200)
    alternate = models.CharField(_("alternate"), max_length=200, blank=True)
    # Members of this organisation on the site see the agreement and act for this partner.
    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="agreement_partners")
    # Where the platform sends this partner's invitation (blank for the creator's own partner).
    email = models.EmailField(_("e-mail for the invitation"), blank=True)
    ratings_published = models.BooleanField(_("ratings shown to the other partners"), default=False)
    signed_version = models.PositiveIntegerField(null=True, blank=True)
    signed_by = models.CharField(_("signed by"), max_length=200, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "position", "pk"]

    def __str__(self):
        return self.name

    @property
    def has_signed(self):
        return self.signed_version is not None and self.signed_version == self.agreement.version


class ElementText(models.Model):
    """The agreed text for one element, as it stands now."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="texts")
    element = models.CharField(max_length=80)
    text = models.TextField(blank=True)
    updated_by = models.CharField(max_length=200, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "element"],
                                               name="agreements_one_text_per_element")]


class TextChange(models.Model):
    """History: every saved change of an element's text, in the version it was made in."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveIntegerField()
    element = models.CharField(max_length=80)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    author = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]


class Rating(models.Model):
    """One partner's rating of one element. Private to the partner until it publishes."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="ratings")
    element = models.CharField(max_length=80)
    rating = models.CharField(max_length=20, choices=RATINGS)
    comment = models.TextField(blank=True, max_length=2000)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "element"],
                                               name="agreements_one_rating_per_element")]


class Comment(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="comments")
    element = models.CharField(max_length=80)
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.SET_NULL)
    author = models.CharField(max_length=200)
    body = models.TextField(max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]


class Review(models.Model):
    """An existing agreement uploaded for review against the scorecard."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for proposals")
        READY = "ready", _("Proposals ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="agreement_reviews")
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(max_length=255)
    form = models.CharField(_("form of agreement"), max_length=20, choices=Agreement.Form.choices,
                            default=Agreement.Form.MOU)
    scorecard = models.ForeignKey(ScorecardVersion, on_delete=models.PROTECT, related_name="reviews")
    text = models.TextField()
    pages = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    method = models.CharField(max_length=100, blank=True)
    # How the text was read: {"ocr_pages": [...], "unread_pages": [...], "damage": ["glued", ...]}
    # (extract.Reading.notes); the review page warns from it.
    reading = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:review", args=[self.pk])


class ReviewScan(models.Model):
    """The uploaded PDF of a review whose scanned pages wait for text recognition (a background
    job, maybe on another server, so it is kept in the database). Deleted once they are read."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="scan")
    pdf = models.BinaryField()
    pages = models.JSONField(default=list)   # 0-based pages to read by OCR
    created = models.DateTimeField(auto_now_add=True)


class Clause(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveIntegerField()
    number = models.CharField(max_length=30, blank=True)
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["review", "position"]

    @property
    def anchor(self):
        return f"clause-{self.position}"

    @property
    def for_matching(self):
        return f"{self.heading}. {self.text}" if self.heading else self.text


class Proposal(models.Model):
    """The platform's proposed rating for one element, and the person's confirmed rating."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="proposals")
    element = models.CharField(max_length=80)
    proposed = models.CharField(max_length=20, choices=RATINGS)
    score = models.FloatField(default=0)
    # [{"clause": position, "score": float}] best first.
    passages = models.JSONField(default=list)
    confirmed = models.CharField(max_length=20, choices=RATINGS, blank=True)
    comment = models.TextField(blank=True, max_length=2000)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "element"],
                                               name="agreements_one_proposal_per_element")]


class Guest(Invitation):
    """A named person a partner invited by e-mail (an adviser, a lawyer) to read the agreement,
    and to comment when invited as a commenter. A guest never rates, publishes or signs."""

    class Role(models.TextChoices):
        VIEWER = "viewer", _("can read")
        COMMENTER = "commenter", _("can read and comment")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("access"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    invited_by = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # The account that opened the link keeps access from any browser it signs in on.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="agreement_guests")
    created = models.DateTimeField(auto_now_add=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "created", "pk"]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def can_comment(self):
        return self.role == self.Role.COMMENTER and self.revoked is None


class SignOff(models.Model):
    """A record of one partner signing one version: the typed name, the account if any, how the
    person was known to act for the partner, and when. Kept when the signature is withdrawn."""

    class How(models.TextChoices):
        ACCOUNT = "account", _("signed in with the partner's account")
        ORGANISATION = "organisation", _("member of the partner's organisation on this site")
        LINK = "link", _("the partner's invitation, opened in this browser")
        UNRECORDED = "unrecorded", _("not recorded (signed before sign-off records were kept)")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signoffs")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="signoffs")
    version = models.PositiveIntegerField()
    name = models.CharField(_("signed by"), max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    how = models.CharField(_("identified by"), max_length=20, choices=How.choices)
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)
    # The text changed after this signature, so it no longer counts.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-signed_at", "-pk"]

    def __str__(self):
        return f"{self.name} for {self.partner_id} (v{self.version})"
