from django.apps import AppConfig


class LibraryConfig(AppConfig):
    """Learn: toolkit, case library, resource library, research briefings (Wagtail)."""

    name = "intersector.library"
    label = "library"
    verbose_name = "Learn"
