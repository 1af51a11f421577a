from django.utils.translation import gettext_lazy as _

from intersector.workshops.activities.base import SimpleActivity


class Break(SimpleActivity):
    kind = "break"
    label = _("Break")
    help = _("A pause; phones show when it ends.")


activity = Break()
