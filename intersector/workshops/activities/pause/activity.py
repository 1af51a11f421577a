from django.utils.translation import gettext_lazy as _

from intersector.workshops.activities.base import SimpleActivity


class Break(SimpleActivity):
    kind = "break"
    label = _("Break")
    help = _("A pause; phones show when it ends.")

    def starter_items(self):
        return [(30, {"en": "Break", "es": "Pausa"}, 15,
                 {"text": {"en": "Back in fifteen minutes.", "es": "Volvemos en quince minutos."}})]


activity = Break()
