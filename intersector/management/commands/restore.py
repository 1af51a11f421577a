"""`manage.py restore FILE`: put a backup made by `manage.py backup` back in place."""

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import connections

from intersector import backups


class Command(BaseCommand):
    help = ("Restore a backup made by `manage.py backup` into this site's database and media "
            "folder. Stop the site first. Refuses a database that is not empty unless --force.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The backup file (.tar.gz).")
        parser.add_argument("--force", action="store_true",
                            help="Replace what the database and the media folder hold now.")
        parser.add_argument("--database-url", default="",
                            help="Restore into this database instead of the site's (DATABASE_URL).")
        parser.add_argument("--media-root", default="",
                            help="Put the uploaded files here instead of the site's MEDIA_ROOT.")

    def handle(self, *args, **options):
        try:
            if options["database_url"]:
                database = backups.Database.from_url(options["database_url"])
            else:
                database = backups.Database(connections["default"].settings_dict)
                connections["default"].close()   # the restore must not wait on this process
            media_root = options["media_root"] or settings.MEDIA_ROOT
            self.stdout.write(f"Restoring {options['archive']} into {database} and {media_root}...")
            summary = backups.restore(options["archive"], database, media_root, force=options["force"])
        except backups.BackupError as error:
            raise CommandError(str(error))
        manifest = summary["manifest"]
        self.stdout.write(self.style.SUCCESS(
            f"Restored the backup made {manifest['created']} by Intersector {manifest['app_version']}: "
            f"the database and {backups.files(summary['media_files'])}."))
        if summary["pending_migrations"]:
            self.stdout.write(f"This version has {summary['pending_migrations']} database changes the "
                              "backup predates: run `manage.py migrate` before starting the site.")
