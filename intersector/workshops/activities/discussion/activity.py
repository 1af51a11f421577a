from django.utils.translation import gettext_lazy as _

from intersector.workshops.activities.base import SimpleActivity


class Discussion(SimpleActivity):
    kind = "discussion"
    label = _("Discussion")
    help = _("Tables or the room talk; phones show the questions and the timer.")


activity = Discussion()
