from intersector.workshops.activities import base


class TallyConfig(base.KindConfig):
    name = "tests.workshops.tally"
    label = "tally"
    verbose_name = "Convene: tally (tests only)"
