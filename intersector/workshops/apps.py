from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    """Convene: live workshops, agenda, join codes, activities."""

    name = "intersector.workshops"
    label = "workshops"
    verbose_name = "Convene"
