from django.apps import AppConfig


class CasePacksConfig(AppConfig):
    """Case packs for the simulation, stored in the database and edited in /cms/.

    The file format and its checks (packs.py, checks.py) stay plain Python: the package's
    __init__ imports no models, so `python -m intersector.casepacks check` runs without a site.
    """

    name = "intersector.casepacks"
    label = "casepacks"
    verbose_name = "Case packs"
