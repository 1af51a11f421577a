"""The health check's waves and answers (intersector/collaboratives/health.py scores them).

Kept out of models.py so that the health check stays in its own files; models.py imports it.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HealthWave(models.Model):
    """One round of the health check, opened and closed by a convenor."""

    collaborative = models.ForeignKey("collaboratives.Collaborative", on_delete=models.CASCADE,
                                      related_name="health_waves")
    number = models.PositiveIntegerField()
    opened = models.DateTimeField(default=timezone.now)
    closed = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey("collaboratives.Member", null=True, on_delete=models.SET_NULL, related_name="+")
    # Partner-only unless the convenor marks it public (its aggregates then may appear in reports
    # for funders and the public); see models.Visibility.
    visibility = models.CharField(_("who may read it in reports"), max_length=10, default="partners",
                                  choices=[("partners", _("Partners only")),
                                           ("public", _("Partners, funders and the public"))])

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["collaborative", "number"], name="one_health_wave_number"),
            # Two open waves at once would split the answers: one at a time.
            models.UniqueConstraint(fields=["collaborative"], condition=models.Q(closed__isnull=True),
                                    name="one_open_health_wave"),
        ]

    def __str__(self):
        return str(_("Health check %(n)s") % {"n": self.number})

    @property
    def is_open(self):
        return self.closed is None


class HealthResponse(models.Model):
    """One person's answers in one wave: {factor key: 1..5}; a factor left out is "not sure".

    Private: only its author ever sees it; pages show aggregates (health.py) only. The sector is
    the partner's as it was when answered, so results do not move if a partner changes later.
    """

    wave = models.ForeignKey(HealthWave, on_delete=models.CASCADE, related_name="responses")
    # A person who leaves gets an end date; should their row still be deleted (a mistaken entry, a
    # partner removed), the answer stays, without its author: a closed wave's results, its count
    # and the change to the next wave stay as they were. Nobody reads whose it was anyway.
    member = models.ForeignKey("collaboratives.Member", null=True, on_delete=models.SET_NULL, related_name="+")
    sector = models.CharField(max_length=20, blank=True)  # blank: a convenor without a partner
    values = models.JSONField(default=dict)
    answered = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "member"], name="one_health_response")]
