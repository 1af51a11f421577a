"""Jobs that run once a day (settings.DAILY_JOBS: task path -> label), such as e-mailing the
commitments that became overdue.

Every worker looks every DAILY_CHECK_SECONDS (see the db_worker command) and starts, from
DAILY_JOBS_HOUR local time on, each daily job that has no job of its kind started today; `manage.py
daily_jobs` does the same once (e.g. from cron on a site that runs its worker elsewhere). Two
workers looking at the same moment may both start one: daily tasks are written so that a second
run that day does nothing (each overdue commitment records that its e-mail went out).
"""

from django.conf import settings
from django.utils import timezone

from intersector.jobs.models import Job
from intersector.jobs.services import _task_at, default_kind, start_job

DAILY_CHECK_SECONDS = 600


def start_daily_jobs(now=None):
    """Start today's daily jobs not yet started; the jobs started."""
    now = timezone.localtime(now)
    if now.hour < settings.DAILY_JOBS_HOUR:
        return []
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    started = []
    for path, label in settings.DAILY_JOBS.items():
        task = _task_at(path)
        kind = default_kind(task)
        if not Job.objects.filter(kind=kind, created__gte=midnight).exists():
            started.append(start_job(task, label=label, kind=kind))
    return started
