from intersector.workshops.activities import base


class BrainwritingConfig(base.KindConfig):
    name = "intersector.workshops.activities.brainwriting"
    label = "brainwriting"
    verbose_name = "Convene: brainwriting"
