"""A worker killed in the middle of a job: the job is marked failed once its lease runs out, its
page says so plainly and offers "Try again", and the new try finishes on a new worker.

Real `manage.py db_worker` processes run a real task and are killed with SIGKILL, as when a
machine dies; the lease is shortened to a few seconds through their environment."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intersector.jobs.models import Job
from intersector.jobs.services import start_job, worker_stopped_message
from tests.jobs import tasks
from tests.jobs.conftest import LEASE_SECONDS, sleep_until, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

LEASE = timedelta(seconds=LEASE_SECONDS)
STOPPED = "The server doing this work stopped before it finished. Nothing you saved is lost."


def stored(job):
    return Job.objects.get(pk=job.pk)


def test_a_killed_workers_job_fails_after_its_lease_and_try_again_finishes_it(
        client, owner, worker_process, tmp_path):
    hold = tmp_path / "hold"
    hold.touch()
    job = start_job(tasks.wait_while_held, label="Themes for the morning round", owner=owner,
                    hold=str(hold))
    first = worker_process("first")
    running = wait_for(lambda: (found := stored(job)).status == Job.Status.RUNNING and found,
                       "the worker to start the job", workers=[first])
    client.force_login(owner)

    # While its worker lives, the job outlives its lease: the heartbeat keeps it running.
    sleep_until(running.started + 2 * LEASE)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Running" in html and "the work carries on" in html and STOPPED not in html
    assert stored(job).status == Job.Status.RUNNING
    assert stored(job).heartbeat > running.started + LEASE

    first.kill()
    last_sign = stored(job).heartbeat
    sleep_until(last_sign + LEASE)

    # Nobody else is watching: reading the page is enough to learn what happened.
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "This did not finish." in html and STOPPED in html
    assert f'action="/jobs/{job.pk}/retry"' in html and "Try again" in html
    assert "the work carries on" not in html and "hx-trigger" not in html
    failed = stored(job)
    assert failed.status == Job.Status.FAILED and failed.error == worker_stopped_message()
    assert (failed.done, failed.total) == (1, 3), "the progress it had reached is kept"
    assert DBTaskResult.objects.get(id=failed.task_result_id).status == "FAILED"
    assert client.get(f"/jobs/{job.pk}.json").json()["status"] == "failed"
    assert client.get(f"/api/jobs/{job.pk}").json()["error"] == STOPPED

    hold.unlink()
    response = client.post(f"/jobs/{job.pk}/retry")
    again = Job.objects.get(retry_of=job)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{again.pk}/"
    assert (again.label, again.kind, again.owner, again.arguments) == (
        job.label, job.kind, owner, {"hold": str(hold)})
    second = worker_process("second")
    wait_for(lambda: stored(again).status == Job.Status.DONE, "the new try to finish",
             workers=[second])

    html = client.get(f"/jobs/{again.pk}/").content.decode()
    assert "Let go and finished." in html and 'max="3" value="3"' in html
    assert stored(job).status == Job.Status.FAILED, "the first try still says what happened to it"
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f'href="/jobs/{again.pk}/"' in html and "See how the new try is going" in html
    assert f'action="/jobs/{job.pk}/retry"' not in html


def test_a_running_worker_marks_failed_the_job_of_a_worker_that_died(owner, worker_process, tmp_path):
    hold = tmp_path / "hold"
    hold.touch()
    job = start_job(tasks.wait_while_held, label="Report for the workshop", owner=owner,
                    hold=str(hold))
    first = worker_process("first")
    wait_for(lambda: stored(job).status == Job.Status.RUNNING, "the worker to start the job",
             workers=[first])
    first.kill()
    hold.unlink()  # were the task to run again by surprise, it would now finish

    # No page is open: the other worker's sweep finds the job once its lease has run out.
    second = worker_process("second")
    failed = wait_for(lambda: (found := stored(job)).status == Job.Status.FAILED and found,
                      "the second worker to mark the job failed", workers=[second])
    assert failed.error == worker_stopped_message()
    assert failed.finished - failed.heartbeat >= LEASE
    result = DBTaskResult.objects.get(id=failed.task_result_id)
    assert result.status == "FAILED" and result.worker_ids == ["first"], "no worker resumed it"
