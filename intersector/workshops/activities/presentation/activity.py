from django.utils.translation import gettext_lazy as _

from intersector.workshops.activities.base import SimpleActivity


class Presentation(SimpleActivity):
    kind = "presentation"
    label = _("Presentation")
    help = _("Someone talks; phones show the title and the timer.")


activity = Presentation()
