from intersector.workshops.activities import base


class PauseConfig(base.KindConfig):
    name = "intersector.workshops.activities.pause"
    label = "pause"
    verbose_name = "Convene: break"
