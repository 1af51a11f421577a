from django.utils.translation import gettext_lazy as _

from intersector.workshops.activities.base import SimpleActivity


class Break(SimpleActivity):
    kind = "break"
    label = _("Break")
    help = _("A pause; phones show when it ends.")

    def starter_items(self):
        return [(30, _("Break"), 15, {"text": str(_("Back in fifteen minutes."))})]


activity = Break()
