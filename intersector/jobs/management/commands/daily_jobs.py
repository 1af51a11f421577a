"""`manage.py daily_jobs`: start today's daily jobs not yet started (workers do this by themselves)."""

from django.core.management.base import BaseCommand

from intersector.jobs.daily import start_daily_jobs


class Command(BaseCommand):
    help = "Start today's daily background jobs (e.g. e-mailing overdue commitments) that have not run today."

    def handle(self, *args, **options):
        started = start_daily_jobs()
        if options["verbosity"]:
            self.stdout.write(f"{len(started)} daily job(s) started." if started else
                              "Nothing to start: today's daily jobs have started already, or it is before "
                              "DAILY_JOBS_HOUR.")
