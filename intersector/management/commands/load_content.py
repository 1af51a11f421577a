from django.apps import apps
from django.core.management import BaseCommand
from django.utils.module_loading import module_has_submodule
from importlib import import_module

from intersector import content


class Command(BaseCommand):
    help = "Load the starter content in content/ (only what is missing; edits are kept)."

    def handle(self, *args, **options):
        # Apps register their loaders in a `content` module, found here like admin.py is.
        for app in apps.get_app_configs():
            if module_has_submodule(app.module, "content") and app.name != "intersector":
                import_module(f"{app.name}.content")
        registered = content.loaders()
        if not registered:
            self.stdout.write("No starter content to load yet.")
            return
        for loader in registered:
            summary = loader.load(content.CONTENT_DIR)
            self.stdout.write(f"{loader.name}: {summary}")
