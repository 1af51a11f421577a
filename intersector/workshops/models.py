"""Convene: a workshop, its agenda, who runs it, who takes part, and the tables they sit at.

Activity kinds are apps of their own (activities/README.md) and keep their models there.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intersector.accounts.models import Sector
from intersector.workshops.texts import TextsMixin
from intersector.workshops.texts import other_languages as other_languages_of

# No letters or digits people confuse when reading a code off a projector (0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G).
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
CODE_LENGTH = 6
# A code stops working this long after the workshop ends.
CODE_LIFETIME_AFTER_END = timezone.timedelta(days=2)


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_secret():
    return secrets.token_urlsafe(24)


def topic_of(workshop_id, *parts):
    """A live topic of a workshop (intersector/live): its boards', its phones', a table's."""
    return ":".join(["workshop", str(workshop_id), *map(str, parts)])


def normalise_code(text):
    return "".join((text or "").split()).upper()[:20]


class WorkshopQuerySet(models.QuerySet):
    def run_by(self, user):
        """Workshops a person runs (as facilitator or co-facilitator); nothing for anonymous."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(facilitators__user=user).distinct()


def default_language():
    return settings.LANGUAGE_CODE.split("-")[0]


class Workshop(TextsMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Not started")
        LIVE = "live", _("Running")
        ENDED = "ended", _("Ended")

    title = models.CharField(_("title"), max_length=200)
    # The language its texts are written in (title, items' titles and set-up); their versions in
    # the site's other languages are in `texts` here and on each item (texts.py).
    language = models.CharField(_("language"), max_length=10, default=default_language)
    # The site's other languages the facilitator gives its texts in too (["es"]); phones reading
    # one of those get the texts given there. A language taken away keeps its texts in `texts`
    # (nothing typed is lost), unused until it is added again.
    other_languages = models.JSONField(default=list, blank=True)
    texts = models.JSONField(default=dict, blank=True)
    # What the projector shows: one language ("" = the workshop's own) or texts.BOTH.
    projector_language = models.CharField(_("projector language"), max_length=10, default="", blank=True)
    code = models.CharField(_("join code"), max_length=12, unique=True, default=new_code)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_item = models.ForeignKey(
        "AgendaItem", verbose_name=_("current item"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # The countdown: running when timer_ends_at is set; paused keeps what was left.
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    timer_remaining = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    ended = models.DateTimeField(null=True, blank=True)
    # Goes up when the facilitator removes someone: it is part of the room's screens address
    # (workshops/screens.py), so the address a removed person knew stops growing new screens.
    screens_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.title

    def own_language(self):
        return self.language

    def text_languages(self):
        return [self.language, *other_languages_of(self)]

    def get_absolute_url(self):
        return reverse("workshops:console", args=[self.pk])

    @property
    def topic(self):
        """The boards' topic (console, projector): every event, including every note."""
        return topic_of(self.pk)

    def phone_topic(self):
        """Every phone of the workshop follows this topic: screen, timer and seat changes. Notes
        go only to the boards' topic (500 phones need not hear 50 notes a second)."""
        return topic_of(self.pk, "phones")

    def table_topic(self, table):
        """The phones of one table follow this topic too (a table's shared sheet, its count...)."""
        return topic_of(self.pk, "table", getattr(table, "pk", table))

    def phone_topics(self, participant):
        """What a participant's phone follows, on one stream: the workshop's phones, and their table's."""
        topics = [self.phone_topic()]
        if participant.table_id is not None:
            topics.append(self.table_topic(participant.table_id))
        return topics

    @property
    def join_path(self):
        return reverse("workshops:join", args=[self.code])

    def code_expired(self, now=None):
        now = now or timezone.now()
        return self.status == self.Status.ENDED and self.ended and now > self.ended + CODE_LIFETIME_AFTER_END

    def seconds_left(self, now=None):
        if self.timer_ends_at is None:
            return self.timer_remaining
        now = now or timezone.now()
        return max(0, int((self.timer_ends_at - now).total_seconds() + 0.999))

    @property
    def timer_running(self):
        return self.timer_ends_at is not None


class Facilitator(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="facilitators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lead = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workshop", "user"], name="one_facilitator_row")]


class AgendaItem(TextsMixin, models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30)
    minutes = models.PositiveIntegerField(_("minutes"), default=10)
    order = models.PositiveIntegerField(default=0)
    # What the facilitator set up (prompts, mode...) and how far it has got (round, phase).
    config = models.JSONField(default=dict, blank=True)
    state = models.JSONField(default=dict, blank=True)
    # The title and the kind's translatable set-up in the site's other languages (texts.py).
    texts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    def own_language(self):
        return self.workshop.language

    def text_languages(self):
        return self.workshop.text_languages()

    def translatable_fields(self):
        return ["title", *self.activity.translatable]

    @property
    def activity(self):
        from intersector.workshops.activities import get_kind

        return get_kind(self.kind)


class Table(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="tables")
    number = models.PositiveIntegerField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["workshop", "number"], name="one_table_number")]

    def __str__(self):
        return _("Table %(n)s") % {"n": self.number}

    @property
    def topic(self):
        """What the phones of this table follow besides the workshop's (Workshop.phone_topics)."""
        return topic_of(self.workshop_id, "table", self.pk)

    def seats(self):
        """The people at this table in seat order (the order they joined the workshop), read once
        per table object: a request that needs them twice reads them once."""
        if getattr(self, "_seats", None) is None:
            self._seats = list(self.participants.order_by("pk"))
        return self._seats


class Participant(models.Model):
    """Someone taking part from their phone: no account, a signed token for one workshop."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    display_name = models.CharField(_("display name"), max_length=60)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    table = models.ForeignKey(Table, null=True, blank=True, on_delete=models.SET_NULL, related_name="participants")
    # Part of the signed token: a new secret makes old tokens useless.
    secret = models.CharField(max_length=64, default=new_secret)
    joined = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined", "pk"]

    def __str__(self):
        return self.display_name


class Rejoin(models.Model):
    """Someone on another phone or browser says they are this participant ("Is this you?"). The
    browser gets the participant's pass only once their first phone, or a facilitator, says yes:
    a stranger who types the same name and sector never takes over a seat unchecked."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a yes")
        ALLOWED = "allowed", _("Let in")
        REFUSED = "refused", _("Refused")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="rejoins")
    # Held (signed) by the asking browser only: the ids alone let nobody else collect the pass.
    secret = models.CharField(max_length=64, default=new_secret)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]


class MergedAway(models.Model):
    """A participant entry the facilitator merged into another (workshops/people.py): the phone
    that still holds the merged-away entry's pass carries on as the kept person. Only that pass
    (signed, with the old entry's secret) is re-pointed; the ids alone give nobody anything."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="+")
    old_participant = models.BigIntegerField()  # the merged-away entry's id (the row is gone)
    old_secret = models.CharField(max_length=64)
    into = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workshop", "old_participant"], name="workshops_merged_once")]


class Report(models.Model):
    """A PDF report made by a background job; served only to the workshop's facilitators."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="reports")
    pdf = models.BinaryField()
    # The language it was made in (whoever asked for it read the site in it); "" before languages.
    language = models.CharField(max_length=10, blank=True, default="")
    created = models.DateTimeField(default=timezone.now)

    def language_name(self):
        from intersector.workshops.texts import language_name

        return language_name(self.language) if self.language else ""
