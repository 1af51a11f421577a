"""`manage.py db_worker`: django-tasks' database worker, which also watches over job leases.

This app comes before django_tasks_db in INSTALLED_APPS, so this command is the one Django runs
(as `make run` and the deployment guide do). Besides running tasks, the worker marks failed
every job whose own worker died (no sign of life for JOB_LEASE_SECONDS): on start, then every
JOB_HEARTBEAT_SECONDS. Several workers may sweep at once; each job is marked once. It also starts
the day's daily jobs (intersector/jobs/daily.py) when they are due.
"""

import os

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from intersector.jobs.daily import DAILY_CHECK_SECONDS, start_daily_jobs
from intersector.jobs.lease import Ticker
from intersector.jobs.services import reap_orphaned_jobs


class Command(DatabaseWorkerCommand):
    help = "Run a database background worker; it also marks failed the jobs whose worker died."

    def handle(self, *args, **options):
        if options.get("batch"):
            reap_orphaned_jobs()  # a batch run is short: once, before it starts
            return super().handle(*args, **options)
        if options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The autoreloader's parent only restarts the child; the child does the sweeping.
            return super().handle(*args, **options)
        sweeper = Ticker(settings.JOB_HEARTBEAT_SECONDS, reap_orphaned_jobs,
                         name="jobs-lease-sweeper", first_now=True).start()
        daily = Ticker(DAILY_CHECK_SECONDS, start_daily_jobs, name="jobs-daily", first_now=True).start()
        try:
            return super().handle(*args, **options)
        finally:
            sweeper.stop(wait=1)
            daily.stop(wait=1)
