from intersector.workshops.activities import base


class CaseSimConfig(base.KindConfig):
    name = "intersector.workshops.activities.casesim"
    label = "casesim"
    verbose_name = "Convene: case simulation"
