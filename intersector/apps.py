from django.apps import AppConfig


class IntersectorConfig(AppConfig):
    """Site-wide templates, static files and management commands."""

    name = "intersector"
    label = "intersector"
