"""Prepare a site to run: migrate, collect static files, load starter content, make an admin.

Safe to run again: nothing that exists is replaced.
"""

from django.conf import settings
from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = "Migrate, collect static files, load starter content and make sure an administrator exists."

    def add_arguments(self, parser):
        parser.add_argument("--no-static", action="store_true", help="Skip collectstatic.")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database is up to date.")
        if not options["no_static"] and not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write("Static files collected.")
        call_command("load_content")
        call_command("ensure_admin")
