"""Commitments and results: what partners promised to do (who, what, by when), the results they
work towards (nested, with a progress that rolls up) and the indicators they measure together.
results.py and commitments.py hold the actions and the arithmetic."""

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# models.py imports this module at its end, once Visibility is defined.
from intersector.collaboratives.models import Visibility


def report_mark():
    """Partner-only unless the convenor marks it public: then reports for funders and the public
    may show it (reports.visible_to reads it), as a decision's mark."""
    return models.CharField(_("who may read it in reports"), max_length=10, choices=Visibility.choices,
                            default=Visibility.PARTNERS)


class Commitment(models.Model):
    """A promise by a partner and/or a person, by a date; often made by a decision."""

    class Status(models.TextChoices):
        NOT_STARTED = "not-started", _("Not started")
        UNDER_WAY = "under-way", _("Under way")
        DONE = "done", _("Done")

    collaborative = models.ForeignKey("Collaborative", on_delete=models.CASCADE, related_name="commitments")
    decision = models.ForeignKey("Decision", verbose_name=_("decision"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="commitments")
    partner = models.ForeignKey("Partner", verbose_name=_("partner"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="commitments")
    owner = models.ForeignKey("Member", verbose_name=_("person"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="commitments")
    what = models.TextField(_("what"))
    due = models.DateField(_("by when"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_by = models.ForeignKey("Member", null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    done_on = models.DateField(null=True, blank=True)
    # The overdue e-mail went out (once per commitment; a new due date clears it).
    overdue_sent_at = models.DateTimeField(null=True, blank=True)
    visibility = report_mark()

    class Meta:
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["status", "due"], name="commitments_open_by_due")]

    def __str__(self):
        return self.what[:80]

    def is_overdue(self, today=None):
        return self.status != self.Status.DONE and self.due < (today or timezone.localdate())


class CommitmentUpdate(models.Model):
    """Each change of status or progress, with its note: the history of a commitment."""

    # What the platform itself notes is kept as a kind and its figures, and put in words when read
    # (`said`), so each reader reads it in their own language, not in the language of whoever acted.
    # A person's own note (kind "") is kept and shown as they wrote it.
    MADE, MOVED = "made", "moved"

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    member = models.ForeignKey("Member", null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=20, choices=Commitment.Status.choices)
    progress = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    kind = models.CharField(max_length=10, blank=True)  # "", MADE or MOVED
    detail = models.JSONField(default=dict, blank=True)  # MOVED: {"old": iso date, "new": iso date}
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    @property
    def said(self):
        """The note in the reader's language (the active one)."""
        if self.kind == self.MADE:
            return gettext("Made the commitment.")
        if self.kind == self.MOVED:
            old, new = (date_format(date.fromisoformat(self.detail[key]), "j M Y") for key in ("old", "new"))
            return gettext("Moved the date from %(old)s to %(new)s.") % {"old": old, "new": new}
        return self.note


class Result(models.Model):
    """A result the collaborative works towards; a result with sub-results takes its progress from
    them (results.rolled_up), a result without from its own figure."""

    class Status(models.TextChoices):
        NOT_STARTED = "not-started", _("Not started")
        ON_TRACK = "on-track", _("On track")
        AT_RISK = "at-risk", _("At risk")
        OFF_TRACK = "off-track", _("Off track")
        DONE = "done", _("Done")

    collaborative = models.ForeignKey("Collaborative", on_delete=models.CASCADE, related_name="results")
    parent = models.ForeignKey("self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    decision = models.ForeignKey("Decision", verbose_name=_("decision"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="results")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # Blank: counts as much as its siblings' weights on average (all blank: all equal).
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=2, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now)
    visibility = report_mark()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class Indicator(models.Model):
    """A measure the partners share: a unit, where it started, where they aim, and dated figures."""

    collaborative = models.ForeignKey("Collaborative", on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    visibility = report_mark()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class Actual(models.Model):
    """One measured figure of an indicator, on a date (one figure a date)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    on = models.DateField(_("date"))
    value = models.DecimalField(_("figure"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey("Member", null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on"]
        constraints = [models.UniqueConstraint(fields=["indicator", "on"], name="one_actual_per_day")]
