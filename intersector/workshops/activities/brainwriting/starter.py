"""Brainwriting's part of the starter workshop: sector styles (our own words)."""

from django.utils.translation import gettext_lazy as _

PROMPTS = [
    _("Culture"),
    _("Motivations and incentives"),
    _("Limitations"),
    _("Assets"),
]
SECTORS_ASKED = ["government", "business", "non-profit"]

DEBRIEF_QUESTIONS = [
    _("Which themes come up again and again for government? For business? For non-profits?"),
    _("Which themes appear for more than one sector?"),
    _("What surprised you?"),
    _("How could these styles help or get in the way when the sectors work together?"),
]
