"""`manage.py backup`: the database and the uploaded files in one archive, while the site serves."""

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import connections

from intersector import backups


class Command(BaseCommand):
    help = ("Back up the site (database and uploaded files) into one .tar.gz archive. Safe while "
            "the site is running. Restore it with `manage.py restore`.")

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.BASE_DIR / "backups"),
                            help="File to write, or a folder to put it in (default: backups/).")

    def handle(self, *args, **options):
        try:
            database = backups.Database(connections["default"].settings_dict)
            self.stdout.write(f"Backing up {database} and the files in {settings.MEDIA_ROOT}...")
            path, manifest = backups.backup(database, settings.MEDIA_ROOT, options["output"])
        except backups.BackupError as error:
            raise CommandError(str(error))
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {path} ({size / 1048576:.1f} MB): the {backups.KIND_NAMES[manifest['database']]} "
            f"database and {backups.files(manifest['media_files'])}."))
        self.stdout.write("It holds password hashes and invitation links: keep it private, and "
                          "keep a copy on another machine.")
