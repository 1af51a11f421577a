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
"""

import functools
import logging
import time
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks.utils import normalize_json

from intersector.jobs.models import Job
from intersector.live import publish

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds), except for the first and last update.
PROGRESS_INTERVAL = 0.5


class JobFailed(Exception):
    """Raise from a task to stop it with a message the person can act on."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


def generic_failure_message():
    return _(
        "Something went wrong on our side while this was running. Nothing you saved before "
        "is lost. Please try again; if it keeps failing, tell the site's administrators."
    )


# --- Starting jobs --------------------------------------------------------------------------


def start_job(task, *, label, owner=None, kind=None, **kwargs):
    """Create the job record and queue its task once the record is committed."""
    kwargs = normalize_json(kwargs)  # fail here, not in the worker, on values JSON can't hold
    with transaction.atomic():
        job = Job.objects.create(
            label=str(label)[:200],
            kind=(kind or default_kind(task))[:100],
            owner=owner if owner is not None and owner.is_authenticated else None,
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
            Job.objects.filter(pk=self.job.pk).update(**self.latest())
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
    """
    progress = Progress(_mark_running(job_id))
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


def job_task(function=None, **task_options):
    """Make `def f(progress, **kwargs)` a django-tasks task that start_job can queue.

    The task receives `job_id`, runs `f` inside job_progress, and stores f's return value
    (plain JSON, e.g. {"summary": ..., "url": ...}) as the job's result.
    Options (priority, queue_name, ...) go to django-tasks' @task.
    """

    def decorate(func):
        @functools.wraps(func)  # keeps the module path the worker imports the task by
        def run_job(job_id, **kwargs):
            with job_progress(job_id) as progress:
                outcome = func(progress, **kwargs)
                if outcome is not None:
                    progress.result = normalize_json(outcome)
            return None

        return task(**task_options)(run_job)

    if function is not None:
        return decorate(function)
    return decorate


def _mark_running(job_id):
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        job.status = Job.Status.RUNNING
        job.started = timezone.now()
        job.finished = None
        job.error = ""
        job.save(update_fields=["status", "started", "finished", "error"])
        transaction.on_commit(functools.partial(publish_job, job.pk))
    return job


def _finish(job_id, status, **fields):
    with transaction.atomic():
        Job.objects.filter(pk=job_id).update(status=status, finished=timezone.now(), **fields)
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


# --- Live updates ---------------------------------------------------------------------------


def publish_job(job_id):
    """Tell open pages that the job changed: the event carries the id only, and pages fetch
    what they may see through their own permission-checked request (the status fragment)."""
    try:
        publish(f"job:{job_id}", "progress", {"job": str(job_id)})
    except Exception:
        # A missed live event only delays the page until its next poll; the job carries on.
        logger.warning("Could not publish progress of job %s", job_id, exc_info=True)
