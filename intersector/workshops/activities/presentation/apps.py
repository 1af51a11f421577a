from intersector.workshops.activities import base


class PresentationConfig(base.KindConfig):
    name = "intersector.workshops.activities.presentation"
    label = "presentation"
    verbose_name = "Convene: presentation"
