from django.utils.translation import gettext_lazy as _

from intersector.workshops.activities.base import SimpleActivity


class Discussion(SimpleActivity):
    kind = "discussion"
    label = _("Discussion")
    help = _("Tables or the room talk; phones show the questions and the timer.")

    def starter_items(self):
        return [
            (40, _("Partnering agreement case simulation"), 50,
             {"text": str(_("Read the case pack at your table. Pick three to five question families "
                            "from the scorecard and agree your answers."))}),
            (50, _("Tables report back"), 30,
             {"text": str(_("Each table presents one question family: which questions you chose and "
                            "why, which were easiest and hardest to agree on, and what that says "
                            "about working together."))}),
        ]


activity = Discussion()
