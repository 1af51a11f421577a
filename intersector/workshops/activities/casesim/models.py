"""A running case simulation. Confidential text (role briefs, must-gets, red lines) lives only in
Simulation.packs, the snapshot of the case pack taken when the item starts: pages reach a brief
through state.brief_for(seat), for its holder, or after the facilitator reveals the briefs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_SHEET_TEXT = 4000  # one element's agreed wording: a few paragraphs, typed on a phone


class Simulation(models.Model):
    class Stage(models.TextChoices):
        TABLES = "tables", _("Tables are working")
        REPORT = "report", _("Tables report back")

    item = models.OneToOneField("workshops.AgendaItem", on_delete=models.CASCADE, related_name="simulation")
    pack_key = models.CharField(max_length=100)
    pack_version = models.PositiveIntegerField(default=1)
    pack_language = models.CharField(max_length=10, default="en")
    # {language: casepacks.to_data(pack)} of the pack's key when the item started: later edits
    # of the pack in /cms/ do not change a simulation that has begun.
    packs = models.JSONField(default=dict)
    # Role keys every table plays, in play order (casepacks.seating rule 3).
    cast = models.JSONField(default=list)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.TABLES)
    # What the projector shows in the report: {"view": "overview"|"family"|"table"|"debrief", ...}.
    screen = models.JSONField(default=dict, blank=True)
    revealed_at = models.DateTimeField(null=True, blank=True)
    started = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.item} ({self.pack_key} v{self.pack_version})"


class TableRun(models.Model):
    """One table's way through the phases, on the server's clock."""

    simulation = models.ForeignKey(Simulation, on_delete=models.CASCADE, related_name="runs")
    table = models.ForeignKey("workshops.Table", on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=30)  # a key of the pack's phases; "done" after the last
    phase_started_at = models.DateTimeField(default=timezone.now)
    phase_ends_at = models.DateTimeField(null=True, blank=True)
    extra_seconds = models.PositiveIntegerField(default=0)  # time this table was given on top
    # The seconds of the phase left when the facilitator paused this table's clock (phases.pause);
    # None while it runs. A paused clock has no phase_ends_at: resuming sets it from these seconds.
    paused_left = models.PositiveIntegerField(null=True, blank=True)
    families = models.JSONField(default=list)  # the families the table agreed to work on, in order
    last_activity = models.DateTimeField(default=timezone.now)
    # The secret in the table's "Take our draft to Agree" links (agree.py, intersector.tokens):
    # made when a phone first asks; a new one withdraws every link given before.
    agree_secret = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["table__number"]
        constraints = [models.UniqueConstraint(fields=["simulation", "table"], name="casesim_one_run_per_table")]


class RoleSeat(models.Model):
    """Who plays which role at which table. A reconnecting phone finds its seat here."""

    class Mode(models.TextChoices):
        ROLE = "role", _("Plays the role")
        MIRROR = "mirror", _("Shares the role")
        OBSERVER = "observer", _("Observes")

    simulation = models.ForeignKey(Simulation, on_delete=models.CASCADE, related_name="seats")
    participant = models.ForeignKey("workshops.Participant", on_delete=models.CASCADE, related_name="+")
    table = models.ForeignKey("workshops.Table", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    role_key = models.CharField(max_length=100, blank=True)  # "" for an observer
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ROLE)
    opened_at = models.DateTimeField(null=True, blank=True)        # first saw their brief
    acknowledged_at = models.DateTimeField(null=True, blank=True)  # said "I have read it"
    taken_out = models.BooleanField(default=False)
    # When this seat's phone last asked for its seat (state.seat_of, at most one write every
    # 30 s): the console's "connected" column.
    last_seen = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["simulation", "participant"], name="casesim_one_seat")]


class FamilyProposal(models.Model):
    """'Let us work on Who, Why, How and What if': proposed by one phone, accepted by the table."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the table")
        ACCEPTED = "accepted", _("Accepted")
        REPLACED = "replaced", _("Replaced by a newer proposal")

    run = models.ForeignKey(TableRun, on_delete=models.CASCADE, related_name="proposals")
    proposed_by = models.ForeignKey("workshops.Participant", null=True, on_delete=models.SET_NULL, related_name="+")
    families = models.JSONField(default=list)
    accepted_by = models.JSONField(default=list)  # participant ids who said yes
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pk"]


class SheetEntry(models.Model):
    """The table's wording for one scorecard element, shared live by the table's phones.

    Each save names the version it was typed over; a save over an older version keeps both
    texts (conflict_text) until someone at the table chooses, so no one's words are lost."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AGREED = "agreed", _("Agreed")
        DISPUTED = "disputed", _("Disputed")
        PARKED = "parked", _("Parked")

    run = models.ForeignKey(TableRun, on_delete=models.CASCADE, related_name="entries")
    family = models.CharField(max_length=20)
    element = models.CharField(max_length=100)  # a key of the Agree scorecard's elements
    text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey("workshops.Participant", null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    conflict_text = models.TextField(blank=True)
    conflict_by = models.ForeignKey("workshops.Participant", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    conflict_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["run", "element"], name="casesim_one_entry_per_element")]


class AgreeDraft(models.Model):
    """A table's draft opened in Agree by one facilitator (agree.py). Clicking again takes that
    person to the agreement made before, not to a new copy; each facilitator gets their own,
    because an agreement opens only for its partners and the one who made it holds the first."""

    run = models.ForeignKey(TableRun, on_delete=models.CASCADE, related_name="agree_drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["run", "user"], name="casesim_one_agree_draft_per_person")]


class ItemPack(models.Model):
    """A case pack a facilitator uploaded for one simulation item only (ownpack.py): a licensed
    case that must never enter the site's library. One row per language of the pack; its briefs
    are read only through state (like the library's packs) and reach this workshop's facilitators
    and, once started, each seat's holder."""

    item = models.ForeignKey("workshops.AgendaItem", on_delete=models.CASCADE, related_name="own_packs")
    key = models.CharField(max_length=100)
    language = models.CharField(max_length=10)
    title = models.CharField(max_length=300)
    data = models.JSONField()  # casepacks.to_data(pack): every brief; never give it to a template
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["item", "language"], name="casesim_one_own_pack_per_language")]

    def __str__(self):
        return f"{self.title} ({self.language})"
