from django.utils.translation import gettext_lazy as _

from intersector.workshops.activities.base import SimpleActivity


class Presentation(SimpleActivity):
    kind = "presentation"
    label = _("Presentation")
    help = _("Someone talks; phones show the title and the timer.")

    def starter_items(self):
        return [
            (10, _("Welcome: why sectors work together"), 20,
             {"text": str(_("Listen in; your phone will change when it is your turn."))}),
        ]


activity = Presentation()
