from django.utils.translation import gettext_lazy as _

from intersector.workshops.activities.base import SimpleActivity


class Presentation(SimpleActivity):
    kind = "presentation"
    label = _("Presentation")
    help = _("Someone talks; phones show the title and the timer.")

    def starter_items(self):
        # The starter agenda in each of the site's languages (workshops/texts.py).
        return [
            (10, {"en": "Welcome: why sectors work together",
                  "es": "Bienvenida: por qué los sectores trabajan juntos"}, 20,
             {"text": {"en": "Listen in; your phone will change when it is your turn.",
                       "es": "Escuche con atención: su teléfono cambiará cuando le toque participar."}}),
        ]


activity = Presentation()
