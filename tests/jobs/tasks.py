"""Real tasks for the job tests; the worker imports them by their module path."""

import os
import time

from django_tasks import task

from intersector.jobs.services import JobFailed, job_task


@job_task
def count_to(progress, *, n):
    progress.update(total=n, message="Starting to count")
    for number in range(1, n + 1):
        progress.update(done=number, message=f"Counted to {number}")
    return {"summary": f"Counted to {n}.", "url": "/jobs/", "link_text": "See the count"}


@job_task
def refuse(progress, *, reason):
    progress.update(done=1, total=3, message="Checking the file")
    raise JobFailed(reason)


@job_task
def crash(progress):
    progress.update(done=1, total=2, message="About to trip")
    raise RuntimeError("internal detail: KeyError in row parser at line 42")


@task
def dies_before_reporting(job_id):
    """A task that never opens job_progress, like one whose code is broken on import."""
    raise ValueError("no progress was ever reported")


@job_task
def wait_while_held(progress, *, hold, steps=3):
    """Starts, then waits while the file `hold` exists (a test removes it, or kills the worker)."""
    progress.update(done=1, total=steps, message="Started; waiting to be let go", force=True)
    while os.path.exists(hold):
        time.sleep(0.05)
    for step in range(2, steps + 1):
        progress.update(done=step, message=f"Step {step}")
    return {"summary": "Let go and finished."}
