"""Collaborate: a real collaborative's workspace (ARCHITECTURE.md, part four).

A collaborative has partner organisations, each in one of the interest groups the collaborative
defines; people take part for a partner as its representative, an alternate or an observer (who
sees but does not decide), and convenors run the workspace. The five steps (Assess, Organize,
Educate, Negotiate, Implement) carry the toolkit's tools; a tool opened here becomes a worksheet
whose answers belong to this collaborative alone, kept version by version.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_secret():
    return secrets.token_urlsafe(24)


class Visibility(models.TextChoices):
    """Who may read an item outside the workspace. Everything starts partner-only; a convenor
    marks an item public, and only then may it appear in a report for funders or the public
    (reports.visible_to is the one place that reads this)."""

    PARTNERS = "partners", _("Partners only")
    PUBLIC = "public", _("Partners, funders and the public")


class Collaborative(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    purpose = models.TextField(_("purpose"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    issue = models.CharField(_("issue"), max_length=200, blank=True)
    # Demonstration data (make run's starter collaborative): every page says so.
    demonstration = models.BooleanField(_("demonstration"), default=False)
    # The public sees a published collaborative's name, purpose and published reports only.
    published = models.BooleanField(_("visible to the public"), default=False)
    charter = models.ForeignKey("agreements.Agreement", verbose_name=_("charter"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="charter_of")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("collaborative")
        verbose_name_plural = _("collaboratives")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("collaboratives:home", args=[self.slug])


class InterestGroup(models.Model):
    """A group of partners with a shared stake (e.g. "Business", "Health and environment")."""

    collaborative = models.ForeignKey(Collaborative, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["collaborative", "name"], name="one_group_name")]

    def __str__(self):
        return self.name


class Partner(models.Model):
    """An organisation taking part in one collaborative (accounts' Organisation: name, sector)."""

    collaborative = models.ForeignKey(Collaborative, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(InterestGroup, verbose_name=_("interest group"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="partners")
    joined = models.DateField(_("joined"), default=timezone.localdate)
    left = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["collaborative", "organisation"], name="one_partner_per_org")]

    def __str__(self):
        return self.organisation.name

    @property
    def sector(self):
        return self.organisation.sector


class Digest(models.TextChoices):
    NONE = "none", _("No e-mail")
    DAILY = "daily", _("Once a day")
    WEEKLY = "weekly", _("Once a week")


class Member(models.Model):
    """A person in a collaborative: a convenor, or someone taking part for a partner."""

    class Role(models.TextChoices):
        CONVENOR = "convenor", _("Convenor")
        REPRESENTATIVE = "representative", _("Representative")
        ALTERNATE = "alternate", _("Alternate")
        OBSERVER = "observer", _("Observer")

    collaborative = models.ForeignKey(Collaborative, on_delete=models.CASCADE, related_name="members")
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    starts = models.DateField(_("from"), default=timezone.localdate)
    ends = models.DateField(_("until"), null=True, blank=True)
    # Bound when the person opens their invitation (signed in): then they act as this member.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="collaborative_roles")
    secret = models.CharField(max_length=64, default=new_secret)  # a new one withdraws the invitation
    invited_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    # The person's e-mail digest of what changed here (activity.py), and up to when it was sent.
    digest = models.CharField(_("e-mail digest"), max_length=10, choices=Digest.choices, default=Digest.NONE)
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    # The language of the page the person chose the digest on: the e-mail is written in it.
    digest_language = models.CharField(max_length=12, blank=True, default="")

    class Meta:
        ordering = ["partner__organisation__name", "role", "name"]
        constraints = [
            models.UniqueConstraint(fields=["collaborative", "user"], name="one_member_per_user",
                                    condition=models.Q(user__isnull=False)),
            models.CheckConstraint(
                name="partner_roles_have_a_partner",
                condition=models.Q(role="convenor") | models.Q(partner__isnull=False)),
        ]

    def __str__(self):
        return self.name

    def active_on(self, day):
        return self.starts <= day and (self.ends is None or day <= self.ends)

    @property
    def decides(self):
        return self.role in (self.Role.REPRESENTATIVE, self.Role.ALTERNATE)


class Step(models.Model):
    """One of the five steps of the collaborative's process."""

    class Key(models.TextChoices):
        ASSESS = "assess", _("Assess")
        ORGANIZE = "organize", _("Organize")
        EDUCATE = "educate", _("Educate")
        NEGOTIATE = "negotiate", _("Negotiate")
        IMPLEMENT = "implement", _("Implement")

    class Status(models.TextChoices):
        NOT_STARTED = "not-started", _("Not started")
        UNDER_WAY = "under-way", _("Under way")
        DONE = "done", _("Done")

    collaborative = models.ForeignKey(Collaborative, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField(max_length=20, choices=Key.choices)
    order = models.PositiveSmallIntegerField()
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    starts = models.DateField(_("starts"), null=True, blank=True)
    ends = models.DateField(_("ends"), null=True, blank=True)
    owner = models.ForeignKey(Member, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    tools = models.ManyToManyField("library.Tool", blank=True, related_name="+")

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["collaborative", "key"], name="one_step_per_key")]

    def __str__(self):
        return self.get_key_display()


class Worksheet(models.Model):
    """A toolkit tool's guiding questions, answered by this collaborative (one per tool and step)."""

    collaborative = models.ForeignKey(Collaborative, on_delete=models.CASCADE, related_name="worksheets")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="worksheets")
    tool = models.ForeignKey("library.Tool", on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["step", "tool"], name="one_worksheet_per_tool")]

    def latest(self):
        return self.versions.order_by("-number").first()


class WorksheetVersion(models.Model):
    """Every save is a new version: who wrote what, and when, stays readable."""

    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # [{"question": "...", "answer": "..."}]: the questions as they read when answered.
    answers = models.JSONField(default=list)
    author = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    saved = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["worksheet", "number"], name="one_version_number")]


# --- The decision log ------------------------------------------------------------------------


class ThresholdRule(models.TextChoices):
    """Whether an option needs at least the threshold's share of the counted votes, or more than
    it (a majority is more than half). See rules.py for why the share is a fraction."""

    AT_LEAST = "at-least", _("At least")
    MORE_THAN = "more-than", _("More than")


# The threshold is `threshold` out of `threshold_of`: a percentage (out of 100) or thirds (out of 3),
# so "two-thirds" is exact whatever the number of voters.
THRESHOLD_OF = [(100, _("Percent")), (3, _("Thirds"))]


class Decision(models.Model):
    """A proposal put to the collaborative, open until its closing time, then an outcome.

    Consent: each says agree, abstain or object (with a reason); any standing objection blocks.
    Vote: each chooses one option; the quorum is the share (in %) of partners (or, when each
    person votes, of the people who decide) that must take part; the threshold is the share of the
    counted votes an option needs. Dot vote: each spreads up to `dots` dots over the options; the
    most dots carries. Score: each scores every option from 1 to 5; the highest average carries.
    """

    class Kind(models.TextChoices):
        CONSENT = "consent", _("Consent")
        VOTE = "vote", _("Vote between options")
        DOTS = "dots", _("Dot vote")
        SCORE = "score", _("Score each option")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Result(models.TextChoices):
        AGREED = "agreed", _("Agreed")
        BLOCKED = "blocked", _("Blocked by an objection")
        CARRIED = "carried", _("Carried")
        NOT_CARRIED = "not-carried", _("No option reached the threshold")
        TIE = "tie", _("A tie between options")
        NO_QUORUM = "no-quorum", _("Quorum not met")

    collaborative = models.ForeignKey(Collaborative, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("proposal"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CONSENT)
    # One vote per organisation (the default): a representative's vote counts for its partner, an
    # alternate's only while the representative has not voted. Otherwise each person who decides votes.
    per_organisation = models.BooleanField(_("one vote per organisation"), default=True)
    quorum = models.PositiveSmallIntegerField(_("quorum (%)"), default=50)
    threshold = models.PositiveSmallIntegerField(_("threshold"), default=50)
    threshold_of = models.PositiveSmallIntegerField(_("threshold out of"), choices=THRESHOLD_OF, default=100)
    # "At least" for the decisions opened before the rule existed: that is what they meant then.
    threshold_rule = models.CharField(_("threshold rule"), max_length=10, choices=ThresholdRule.choices,
                                      default=ThresholdRule.AT_LEAST)
    dots = models.PositiveSmallIntegerField(_("dots for each voter"), default=0)  # a dot vote's budget
    closes_at = models.DateTimeField(_("closes"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Fixed when it closes: the result and the counts it came from (see decisions.outcome).
    result = models.CharField(max_length=20, choices=Result.choices, blank=True)
    tally = models.JSONField(default=dict, blank=True)
    chosen = models.ForeignKey("Option", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    statement = models.TextField(_("outcome statement"), blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    # Partner-only unless the convenor marks it public: then its title, result and outcome
    # statement may appear in reports for funders and the public (never the votes or reasons).
    visibility = models.CharField(_("who may read it in reports"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PARTNERS)

    class Meta:
        ordering = ["-opened_at"]
        # The log, newest first, a page at a time: read in order from the index, not sorted whole
        # (2,000 decisions: 5 ms -> 0.2 ms on SQLite).
        indexes = [models.Index(fields=["collaborative", "-opened_at"], name="decision_log_newest_first")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("collaboratives:decision", args=[self.collaborative.slug, self.pk])

    @property
    def threshold_words(self):
        from intersector.collaboratives.rules import share_words

        return share_words(self.threshold, self.threshold_of, self.threshold_rule)

    @property
    def has_options(self):
        return self.kind != self.Kind.CONSENT


class Option(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.label


class Vote(models.Model):
    """Every vote ever cast stays, with its state: what counts, and why the others do not."""

    class Choice(models.TextChoices):
        AGREE = "agree", _("Agree")
        ABSTAIN = "abstain", _("Abstain")
        OBJECT = "object", _("Object")
        OPTION = "option", _("Option")
        DOTS = "dots", _("Dots")
        SCORES = "scores", _("Scores")

    class State(models.TextChoices):
        COUNTED = "counted", _("Counted")
        CHANGED = "changed", _("Changed by a later vote of the same person")
        REPLACED = "replaced", _("Replaced by a later vote for the same partner")
        NOT_COUNTED = "not-counted", _("Not counted: the representative had voted")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Partner, null=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Member.Role.choices)  # the role when voting
    # What counts once: the partner ("p12") in one vote per organisation, else the person ("m34").
    seat = models.CharField(max_length=20)
    choice = models.CharField(max_length=10, choices=Choice.choices)
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.PROTECT, related_name="votes")
    reason = models.TextField(_("reason"), blank=True)
    # A dot vote's dots or a score's scores: {"<option id>": n}; empty for the other kinds.
    allocation = models.JSONField(default=dict, blank=True)
    cast_at = models.DateTimeField(default=timezone.now)
    # A person's standing vote is counted or not-counted; changed and replaced ones are history.
    state = models.CharField(max_length=20, choices=State.choices, default=State.COUNTED)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cast_at", "pk"]
        constraints = [
            # At most one counted vote per seat, and one standing vote per person, whatever the race.
            models.UniqueConstraint(fields=["decision", "seat"], condition=models.Q(state="counted"),
                                    name="one_counted_vote_per_seat"),
            models.UniqueConstraint(fields=["decision", "member"],
                                    condition=models.Q(state__in=["counted", "not-counted"]),
                                    name="one_standing_vote_per_person"),
        ]

    @property
    def counted(self):
        return self.state == self.State.COUNTED


class DecisionEvent(models.Model):
    """The decision's history: opened, each vote, closed, each edit of the outcome."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        VOTED = "voted", _("Voted")
        CLOSED = "closed", _("Closed")
        OUTCOME = "outcome", _("Outcome written")
        WORKSHOP = "workshop", _("Put to a workshop")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="events")
    # The decision's collaborative, kept here too: "what changed" lists a collaborative's newest
    # events, which through the decision meant sorting all of them (74,000 at 10x: 50 ms of SQL a
    # page); with this and its index it reads the newest 31 in order. save() fills it.
    collaborative = models.ForeignKey(Collaborative, on_delete=models.CASCADE, related_name="+", editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    member = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    vote = models.ForeignKey(Vote, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    # For an outcome edit: the statement and review date as written then. For anything done in a
    # Convene workshop (put to the room, a vote, the closing): "workshop" (its name) and "workshop_id".
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["collaborative", "at", "id"], name="decision_event_newest")]

    def save(self, *args, **kwargs):
        if self.collaborative_id is None:
            self.collaborative_id = self.decision.collaborative_id
        super().save(*args, **kwargs)


class DecisionRules(models.Model):
    """How this collaborative decides by default: read from its charter's decision-making answer
    when one is linked (see rules.py), else sensible defaults; the convenor may change them. A new
    proposal starts from these, and its form says where they came from."""

    class Source(models.TextChoices):
        DEFAULT = "default", _("The platform's defaults")
        CHARTER = "charter", _("The charter")
        CONVENOR = "convenor", _("Set by a convenor")

    collaborative = models.OneToOneField(Collaborative, on_delete=models.CASCADE, related_name="decision_rules")
    kind = models.CharField(_("kind of decision"), max_length=20, choices=Decision.Kind.choices,
                            default=Decision.Kind.CONSENT)
    quorum = models.PositiveSmallIntegerField(_("quorum (%)"), default=50)
    threshold = models.PositiveSmallIntegerField(_("threshold"), default=50)
    threshold_of = models.PositiveSmallIntegerField(_("threshold out of"), choices=THRESHOLD_OF, default=100)
    threshold_rule = models.CharField(_("threshold rule"), max_length=10, choices=ThresholdRule.choices,
                                      default=ThresholdRule.AT_LEAST)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.DEFAULT)
    # The charter's words the rules were read from (and the charter's name then), for the form to quote.
    quote = models.TextField(blank=True)
    charter_name = models.CharField(max_length=200, blank=True)
    updated_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated = models.DateTimeField(default=timezone.now)

    @property
    def threshold_words(self):
        from intersector.collaboratives.rules import share_words

        return share_words(self.threshold, self.threshold_of, self.threshold_rule)


# The health check keeps its models in their own module (health.py scores them).
from intersector.collaboratives.models_health import HealthResponse, HealthWave  # noqa: E402,F401
from intersector.collaboratives.models_results import (  # noqa: E402,F401
    Actual, Commitment, CommitmentUpdate, Indicator, Result)
# So does the partner network survey (network.py measures and draws it).
from intersector.collaboratives.models_network import (  # noqa: E402,F401
    NetworkAnswer, NetworkFigures, NetworkTie, NetworkWave)
