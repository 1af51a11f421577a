"""`manage.py reap_jobs`: mark failed the jobs whose worker died, once (e.g. from cron).

Workers already do this every few seconds and every job page does it for its own job; this is
for a site that wants the list tidy while no worker runs.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from intersector.jobs.services import reap_orphaned_jobs


class Command(BaseCommand):
    help = "Mark failed the background jobs whose worker stopped (no sign of life for JOB_LEASE_SECONDS)."

    def handle(self, *args, **options):
        count = reap_orphaned_jobs()
        if options["verbosity"]:
            self.stdout.write(f"{count} job(s) had no sign of life for {settings.JOB_LEASE_SECONDS:g} s "
                              "and were marked failed.")
