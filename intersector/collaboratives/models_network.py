"""The partner network survey's waves, answers and ties (intersector/collaboratives/network.py
measures and draws them).

Kept out of models.py so that the network stays in its own files; models.py imports it.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intersector.collaboratives.models_results import report_mark


class NetworkWave(models.Model):
    """One round of the network survey, opened and closed by a convenor."""

    collaborative = models.ForeignKey("collaboratives.Collaborative", on_delete=models.CASCADE,
                                      related_name="network_waves")
    number = models.PositiveIntegerField()
    opened = models.DateTimeField(default=timezone.now)
    closed = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey("collaboratives.Member", null=True, on_delete=models.SET_NULL, related_name="+")
    # The map's layout, worked out once when the wave closes (its ties no longer change):
    # {partner pk: [x, y]}. Laying out hundreds of partners takes seconds; reading this, nothing.
    layout = models.JSONField(default=dict, blank=True)
    # One more at every answer saved, replaced or imported: the stored figures (NetworkFigures)
    # were worked out from one version of the answers, and are worked out again for another.
    answers_version = models.PositiveIntegerField(default=0)
    # Partners' reports always show the latest closed wave's map and figures; reports for funders
    # and the public only once the convenor marks the wave public (never anyone's ratings).
    visibility = report_mark()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["collaborative", "number"], name="one_network_wave_number"),
            # Two open waves at once would split the answers: one at a time.
            models.UniqueConstraint(fields=["collaborative"], condition=models.Q(closed__isnull=True),
                                    name="one_open_network_wave"),
        ]

    def __str__(self):
        return str(_("Network survey %(n)s") % {"n": self.number})

    @property
    def is_open(self):
        return self.closed is None


class NetworkAnswer(models.Model):
    """One partner's answer in one wave: the partners it works with (its ties). Given by its
    representative or an alternate (the last to save speaks for the organisation), or imported
    by a convenor from a CSV file."""

    wave = models.ForeignKey(NetworkWave, on_delete=models.CASCADE, related_name="answers")
    partner = models.ForeignKey("collaboratives.Partner", on_delete=models.CASCADE, related_name="+")
    answered_by = models.ForeignKey("collaboratives.Member", null=True, on_delete=models.SET_NULL, related_name="+")
    answered = models.DateTimeField(default=timezone.now)
    imported = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "partner"], name="one_network_answer")]


class NetworkTie(models.Model):
    """"We work with this partner", with how the answering partner rates the tie: each item 1-4
    (left out: not sure); trust and value are the means of their items, kept to two decimals so
    that an export, an import and an export again give the same file."""

    answer = models.ForeignKey(NetworkAnswer, on_delete=models.CASCADE, related_name="ties")
    partner = models.ForeignKey("collaboratives.Partner", on_delete=models.CASCADE, related_name="+")
    items = models.JSONField(default=dict, blank=True)
    trust = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "partner"], name="one_tie_per_partner")]


class NetworkFigures(models.Model):
    """A wave's measures, ties and map worked out once from its answers (network_figures.py), so
    that a page, a report or the API reads them instead of working out 13,000 ties at each visit.
    `answers_version` is the wave's when they were worked out: once the answers change they are
    worked out again (as they are when the wave's partners or the recipe change)."""

    wave = models.OneToOneField(NetworkWave, on_delete=models.CASCADE, related_name="figures")
    answers_version = models.PositiveIntegerField()
    data = models.JSONField()  # what the page and the report read: small (480 partners: ~40 kB)
    # Each partner's partners, A to Z (13,000 ties: ~150 kB): read only by the API and the files.
    neighbours = models.JSONField()
    worked_out = models.DateTimeField(default=timezone.now)
