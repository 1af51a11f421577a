from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background work with a progress record that a page can show."""

    name = "intersector.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
