from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    """Convene: live workshops, agenda, join codes, activities."""

    name = "intersector.workshops"
    label = "workshops"
    verbose_name = "Convene"

    def ready(self):
        from intersector import shared_responses
        from intersector.workshops.screens import PATH_PATTERN

        shared_responses.register(PATH_PATTERN)
