"""The starter agenda: the three-hour workshop on cross-sector collaboration (our own words)."""

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


def starter_agenda():
    """(title, kind, minutes, config) for each item of the starter workshop."""
    return [
        (_("Welcome: why sectors work together"), "presentation", 20,
         {"text": str(_("Listen in; your phone will change when it is your turn."))}),
        (_("Sector styles: brainwriting and debrief"), "brainwriting", 50, {}),
        (_("Break"), "break", 15, {"text": str(_("Back in fifteen minutes."))}),
        (_("Partnering agreement case simulation"), "discussion", 50,
         {"text": str(_("Read the case pack at your table. Pick three to five question families "
                        "from the scorecard and agree your answers."))}),
        (_("Tables report back"), "discussion", 30,
         {"text": str(_("Each table presents one question family: which questions you chose and "
                        "why, which were easiest and hardest to agree on, and what that says "
                        "about working together."))}),
        (_("Questions and close"), "presentation", 15, {"text": ""}),
    ]
