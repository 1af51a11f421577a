"""Start background jobs and record their progress.

A feature app writes a task like this (in its tasks.py)::

    from intersector.jobs.services import JobFailed, job_task

    @job_task
    def import_resources(progress, *, upload_id):
        rows = read_rows(upload_id)
        progress.update(total=len(rows), message=_("Reading the file"))
        for number, row in enumerate(rows, start=1):
            if not row.get("title"):
                raise JobFailed(_("Row %(n)s has no title.") % {"n": number})
            save(row)
            progress.update(done=number, message=_("Imported %(n)s rows") % {"n": number})
        return {"summary": _("%(n)s resources imported.") % {"n": len(rows)}, "url": "/learn/"}

and a view starts it and sends the person to the job's page::

    job = start_job(import_resources, label=_("Importing resources.csv"), owner=request.user,
                    kind="resources.import", upload_id=upload.pk)
    return redirect(job)

The worker (`manage.py db_worker`) runs it. Keyword arguments must be plain JSON values.

A worker can die mid-task (killed, out of memory, the machine restarted). While a job runs, a
heartbeat thread writes a sign of life every JOB_HEARTBEAT_SECONDS; a job with none for
JOB_LEASE_SECONDS is orphaned and is marked failed, never retried by itself (a second run could
die the same way, or repeat what the first did). Workers sweep for orphans, and every page that
shows a job checks it first, so the person learns even when no worker runs. The page then offers
"Try again", which queues the same task with the same arguments as a new job (retry_job).
Write tasks so that a second run is harmless (the newsletter skips whoever already had it).
A feature that links its own record to a job passes `on_retry` to have the link follow::

    @job_task(on_retry=services.review_follows_new_job)   # called as on_retry(old_job, new_job)
"""

import functools
import logging
import time
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks.base import Task
from django_tasks.utils import normalize_json

from intersector.jobs.lease import Ticker
from intersector.jobs.models import Job
from intersector.live import publish
from intersector.refusals import Refused

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds), except for the first and last update.
PROGRESS_INTERVAL = 0.5


class JobFailed(Exception):
    """Raise from a task to stop it with a message the person can act on."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


class JobGone(Exception):
    """The job was marked failed (its lease ran out) before this worker got to run it."""


def worker_stopped_message():
    return _("The server doing this work stopped before it finished. Nothing you saved is lost.")


def generic_failure_message():
    return _(
        "Something went wrong on our side while this was running. Nothing you saved before "
        "is lost. Please try again; if it keeps failing, tell the site's administrators."
    )


# --- Starting jobs --------------------------------------------------------------------------


def start_job(task, *, label, owner=None, kind=None, **kwargs):
    """Create the job record and queue its task once the record is committed."""
    return _create_job(task, kwargs, label=label, owner=owner, kind=kind)


def _create_job(task, kwargs, *, label, owner, kind, retry_of=None):
    kwargs = normalize_json(kwargs)  # fail here, not in the worker, on values JSON can't hold
    with transaction.atomic():
        job = Job.objects.create(
            label=str(label)[:200],
            kind=(kind or default_kind(task))[:100],
            owner=owner if owner is not None and owner.is_authenticated else None,
            task_path=task.module_path[:200],
            arguments=kwargs,
            retry_of=retry_of,
        )
        # The worker must never pick up a task whose job row it cannot see yet.
        transaction.on_commit(functools.partial(_enqueue, job.pk, task, kwargs))
        transaction.on_commit(functools.partial(publish_job, job.pk))
    return job


def default_kind(task):
    """"intersector.library.tasks.import_resources" -> "library.import_resources"."""
    module = task.func.__module__.removeprefix("intersector.").removesuffix(".tasks")
    return f"{module}.{task.name}"


def _enqueue(job_id, task, kwargs):
    try:
        task_result = task.enqueue(job_id=str(job_id), **kwargs)
    except Exception:
        logger.exception("Could not queue the task for job %s", job_id)
        _finish(job_id, Job.Status.FAILED, error=_("This could not be started. Please try again."))
        return
    # Only this column: the worker may already be updating the others.
    Job.objects.filter(pk=job_id).update(task_result_id=str(task_result.id))


# --- Inside a task --------------------------------------------------------------------------


class Progress:
    """What a running task reports: how much is done, out of how much, and what it is doing."""

    def __init__(self, job):
        self.job = job
        self.result = None
        self._last_write = None

    @property
    def done(self):
        return self.job.done

    @property
    def total(self):
        return self.job.total

    @property
    def message(self):
        return self.job.message

    def update(self, *, done=None, total=None, message=None, force=False):
        """Record progress. Writes are throttled; the last one (done == total) always lands."""
        if done is not None:
            self.job.done = max(0, int(done))
        if total is not None:
            self.job.total = max(0, int(total))
        if message is not None:
            self.job.message = str(message)[:500]
        if force or self._reached_total() or self._write_is_due():
            self.save()

    def latest(self):
        """The progress as last reported, including any update the throttle held back."""
        return {"done": self.job.done, "total": self.job.total, "message": self.job.message}

    def advance(self, step=1, *, message=None):
        self.update(done=self.job.done + step, message=message)

    def save(self):
        with transaction.atomic():
            # Reported progress is a sign of life too.
            Job.objects.filter(pk=self.job.pk).update(**self.latest(), heartbeat=timezone.now())
            transaction.on_commit(functools.partial(publish_job, self.job.pk))
        self._last_write = time.monotonic()

    def _reached_total(self):
        return self.job.total is not None and self.job.done >= self.job.total

    def _write_is_due(self):
        return self._last_write is None or time.monotonic() - self._last_write >= PROGRESS_INTERVAL


@contextmanager
def job_progress(job_id):
    """Mark the job running; on leaving mark it done, or failed with a plain message.

    Exceptions are re-raised so the task queue records the failure (and logs the traceback).
    Don't wrap the whole task in one transaction: progress would only show at the end.
    While it runs, a heartbeat thread tells the pages that its worker is still alive.
    """
    progress = Progress(_mark_running(job_id))
    heartbeat = Ticker(settings.JOB_HEARTBEAT_SECONDS, functools.partial(beat, job_id),
                       name=f"job-heartbeat-{job_id}").start()
    try:
        yield progress
    except JobFailed as exc:
        logger.warning("Job %s stopped: %s", job_id, exc.message)
        _finish(job_id, Job.Status.FAILED, error=exc.message, **progress.latest())
        raise
    except Exception:
        logger.exception("Job %s failed", job_id)
        _finish(job_id, Job.Status.FAILED, error=generic_failure_message(), **progress.latest())
        raise
    except BaseException:
        # The worker was told to stop in the middle of the task.
        stopped = _("This was stopped before it finished. Please try again.")
        _finish(job_id, Job.Status.FAILED, error=stopped, **progress.latest())
        raise
    else:
        # Finished means all done: the bar reads full even if the task counted loosely.
        total = max(progress.total or 0, progress.done)
        _finish(job_id, Job.Status.DONE, done=total, total=total, message=progress.message,
                result=progress.result)
    finally:
        heartbeat.stop()


# What each task wants done when a failed job of its is tried again: task path -> on_retry.
_RETRY_HOOKS = {}


def job_task(function=None, *, on_retry=None, **task_options):
    """Make `def f(progress, **kwargs)` a django-tasks task that start_job can queue.

    The task receives `job_id`, runs `f` inside job_progress, and stores f's return value
    (plain JSON, e.g. {"summary": ..., "url": ...}) as the job's result.
    `on_retry(old_job, new_job)` runs in the transaction that creates a new try, e.g. to point
    the feature's own record at the new job. Other options (priority, queue_name, ...) go to
    django-tasks' @task.
    """

    def decorate(func):
        @functools.wraps(func)  # keeps the module path the worker imports the task by
        def run_job(job_id, **kwargs):
            with job_progress(job_id) as progress:
                outcome = func(progress, **kwargs)
                if outcome is not None:
                    progress.result = normalize_json(outcome)
            return None

        queued = task(**task_options)(run_job)
        if on_retry is not None:
            _RETRY_HOOKS[queued.module_path] = on_retry
        return queued

    if function is not None:
        return decorate(function)
    return decorate


def _mark_running(job_id):
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            # Its lease ran out while it waited (the page already says so): don't start it now.
            raise JobGone(f"Job {job_id} was already {job.status}; not running it.")
        job.status = Job.Status.RUNNING
        job.started = job.heartbeat = timezone.now()
        job.finished = None
        job.error = ""
        job.save(update_fields=["status", "started", "heartbeat", "finished", "error"])
        transaction.on_commit(functools.partial(publish_job, job.pk))
    return job


def beat(job_id):
    """The running job's sign of life; False once the job has ended, to stop the heartbeat."""
    return Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
        heartbeat=timezone.now()) > 0


def _finish(job_id, status, **fields):
    """End the job once: a job already marked failed (e.g. its lease ran out) stays as it is,
    so every page keeps saying what the person was told."""
    with transaction.atomic():
        Job.objects.filter(pk=job_id).exclude(status__in=Job.FINISHED).update(
            status=status, finished=timezone.now(), **fields)
        transaction.on_commit(functools.partial(publish_job, job_id))


def fail_jobs_of_failed_task(task_result):
    """A task that died before reporting (bad arguments, lost code) must not leave its job waiting."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    unfinished = Job.objects.filter(task_result_id=str(task_result.id)).exclude(
        status__in=Job.FINISHED
    )
    for job_id in unfinished.values_list("pk", flat=True):
        _finish(job_id, Job.Status.FAILED, error=generic_failure_message())


# --- Leases: a job whose worker is gone is failed, not left "running" ------------------------


def lease_cutoff():
    """Signs of life older than this mean the worker has gone."""
    return timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS)


def _orphan_condition(cutoff):
    """Running without a recent sign of life, or queued for longer than a lease. The queued
    part alone is not enough: only jobs whose task can never start are passed to it."""
    return (Q(status=Job.Status.RUNNING, heartbeat__lt=cutoff)
            | Q(status=Job.Status.RUNNING, heartbeat__isnull=True, started__lt=cutoff)
            | Q(status=Job.Status.QUEUED, created__lt=cutoff))


def check_lease(job):
    """The job as it really stands, for a page about to show it: if its worker is gone it is
    marked failed first, in the database, so every page (and the API) says the same."""
    if job.is_finished:
        return job
    cutoff = lease_cutoff()
    if job.status == Job.Status.RUNNING:
        last_sign = job.heartbeat or job.started or job.created
        orphaned = last_sign < cutoff
    else:
        orphaned = job.created < cutoff and bool(_cannot_start([(job.pk, job.task_result_id)], cutoff))
    if orphaned and fail_orphaned_job(job.pk, cutoff):
        job.refresh_from_db()
    return job


def reap_orphaned_jobs():
    """Mark failed every job whose worker is gone; the number marked. Workers call this every
    heartbeat (see the db_worker command); `manage.py reap_jobs` does it once."""
    cutoff = lease_cutoff()
    unfinished = Job.objects.filter(_orphan_condition(cutoff))
    running = list(unfinished.filter(status=Job.Status.RUNNING).values_list("pk", flat=True))
    queued = list(unfinished.filter(status=Job.Status.QUEUED).values_list("pk", "task_result_id"))
    return sum(fail_orphaned_job(pk, cutoff) for pk in running + _cannot_start(queued, cutoff))


def _cannot_start(queued, cutoff):
    """Of (job id, task result id) pairs, the jobs whose task will never run: it was never
    queued, its queue record is gone or finished, or a worker took it and died before starting."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends["default"], DatabaseBackend):
        return [pk for pk, result_id in queued if not result_id]
    found = {
        str(row["id"]): row for row in DBTaskResult.objects.filter(
            id__in=[result_id for _pk, result_id in queued if result_id]
        ).values("id", "status", "started_at")
    }
    stuck = []
    for pk, result_id in queued:
        row = found.get(result_id)
        if (row is None or row["status"] in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
                or (row["status"] == TaskResultStatus.RUNNING and row["started_at"] < cutoff)):
            stuck.append(pk)
    return stuck


def fail_orphaned_job(job_id, cutoff):
    """Mark one orphaned job failed, and its queue record too, so no worker resumes it later.
    True if this call marked it (another page or worker may have got there first)."""
    message = worker_stopped_message()
    now = timezone.now()
    with transaction.atomic():
        marked = Job.objects.filter(_orphan_condition(cutoff), pk=job_id).update(
            status=Job.Status.FAILED, finished=now, error=message)
        if not marked:
            return False
        result_id = Job.objects.filter(pk=job_id).values_list("task_result_id", flat=True).first()
        if result_id:
            _fail_task_result(result_id, now)
        transaction.on_commit(functools.partial(publish_job, job_id))
    logger.warning("Job %s had no sign of life from its worker for %s s: marked failed",
                   job_id, settings.JOB_LEASE_SECONDS)
    return True


def _fail_task_result(result_id, now):
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if isinstance(task_backends["default"], DatabaseBackend):
        DBTaskResult.objects.filter(
            id=result_id, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).update(status=TaskResultStatus.FAILED, finished_at=now,
                 exception_class_path=f"{__name__}.JobGone",
                 traceback="The worker stopped before the task finished (its job's lease ran out).")


# --- Trying again -------------------------------------------------------------------------


def may_retry(job, user):
    """Only the person who started the job, or staff, may start it again."""
    if not user.is_authenticated:
        return False
    return user.is_staff or (job.owner_id is not None and job.owner_id == user.pk)


def retry_offered(job, user):
    """Whether the job's page shows "Try again" to this person."""
    return (job.status == Job.Status.FAILED and bool(job.task_path) and may_retry(job, user))


def retry_job(job, user):
    """Queue the failed job's task again with the same arguments, as a new job for the same
    owner; the feature's on_retry hook points its own record at the new job. A job already
    tried again returns that try: a double click queues one."""
    if not may_retry(job, user):
        raise Refused(_("Only the person who started this, or the site's staff, can try it again."),
                      status=403)
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status != Job.Status.FAILED:
            raise Refused(_("This has not stopped, so there is nothing to try again."), status=409)
        earlier = job.retries.order_by("-created").first()
        if earlier is not None:
            return earlier
        task_to_run = _task_at(job.task_path)
        new_job = _create_job(task_to_run, job.arguments, label=job.label, owner=job.owner,
                              kind=job.kind, retry_of=job)
        on_retry = _RETRY_HOOKS.get(task_to_run.module_path)
        if on_retry is not None:
            on_retry(job, new_job)
    return new_job


def _task_at(path):
    cannot = Refused(_("This can no longer be started again from here. Please start it afresh "
                       "from the page where you began it."), status=409)
    if not path:
        raise cannot
    try:
        found = import_string(path)
    except ImportError:
        logger.warning("Job task %s cannot be imported", path)
        raise cannot from None
    if not isinstance(found, Task):
        raise cannot
    return found


# --- Live updates ---------------------------------------------------------------------------


def publish_job(job_id):
    """Tell open pages that the job changed: the event carries the id only, and pages fetch
    what they may see through their own permission-checked request (the status fragment)."""
    try:
        publish(f"job:{job_id}", "progress", {"job": str(job_id)})
    except Exception:
        # A missed live event only delays the page until its next poll; the job carries on.
        logger.warning("Could not publish progress of job %s", job_id, exc_info=True)
