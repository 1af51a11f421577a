"""Brainwriting's part of the starter workshop: sector styles (our own words)."""

from django.utils.translation import gettext_lazy as _

# The prompts people write about, in each of the site's languages (workshops/texts.py): a new
# brainwriting item starts with them in its workshop's language, the starter workshop in both.
PROMPTS = {
    "en": ["Culture", "Motivations and incentives", "Limitations", "Assets"],
    "es": ["Cultura", "Motivaciones e incentivos", "Limitaciones", "Recursos y fortalezas"],
}
SECTORS_ASKED = ["government", "business", "non-profit"]

DEBRIEF_QUESTIONS = [
    _("Which themes come up again and again for government? For business? For non-profits?"),
    _("Which themes appear for more than one sector?"),
    _("What surprised you?"),
    _("How could these styles help or get in the way when the sectors work together?"),
]
