"""Leases: a job whose worker is gone is marked failed by whoever looks first (a page, the API,
a worker's sweep, `manage.py reap_jobs`); a job whose worker is alive is left alone."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intersector.jobs import services
from intersector.jobs.models import Job
from intersector.jobs.services import job_progress, start_job
from tests.jobs import tasks

STOPPED = "The server doing this work stopped before it finished. Nothing you saved is lost."
LONG_AGO = timedelta(hours=1)


@pytest.fixture
def queued(owner, django_capture_on_commit_callbacks):
    """A job queued in the real task queue (the queue record is written on commit)."""

    def make(label="Queued work"):
        with django_capture_on_commit_callbacks(execute=True):
            job = start_job(tasks.count_to, label=label, owner=owner, n=2)
        job.refresh_from_db()
        assert job.task_result_id
        return job

    return make


def running_since(job, moment, heartbeat=None):
    """The job as a worker leaves it in the database: running, last heard from at `heartbeat`."""
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started=moment, heartbeat=heartbeat)
    DBTaskResult.objects.filter(id=job.task_result_id).update(status="RUNNING", started_at=moment)


def queued_since(job, moment):
    Job.objects.filter(pk=job.pk).update(created=moment)


@pytest.mark.django_db
def test_a_running_job_with_no_sign_of_life_for_the_lease_is_failed_when_its_page_is_read(
        client, owner, queued):
    job = queued()
    running_since(job, timezone.now() - LONG_AGO, heartbeat=timezone.now() - timedelta(seconds=61))
    client.force_login(owner)

    html = client.get(f"/jobs/{job.pk}/").content.decode()

    assert "This did not finish." in html and STOPPED in html
    assert "Try again" in html and "the work carries on" not in html
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished is not None
    # The queue's record is failed too, so no worker picks the task up later by surprise.
    result = DBTaskResult.objects.get(id=job.task_result_id)
    assert result.status == "FAILED" and result.finished_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/jobs/{pk}/status", "/jobs/{pk}.json", "/api/jobs/{pk}", "/jobs/"])
def test_every_page_that_shows_a_job_marks_an_orphaned_one_failed(client, owner, queued, url):
    job = queued("Orphaned work")
    running_since(job, timezone.now() - LONG_AGO, heartbeat=timezone.now() - LONG_AGO)
    client.force_login(owner)
    body = client.get(url.format(pk=job.pk)).content.decode()
    assert "Running" not in body
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


@pytest.mark.django_db
def test_a_running_job_heard_from_within_the_lease_stays_running(client, owner, queued):
    job = queued()
    running_since(job, timezone.now() - LONG_AGO, heartbeat=timezone.now() - timedelta(seconds=30))
    client.force_login(owner)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Running" in html and STOPPED not in html and "Try again" not in html
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING
    assert services.reap_orphaned_jobs() == 0


@pytest.mark.django_db
def test_the_lease_comes_from_the_settings(client, owner, queued, settings):
    job = queued()
    running_since(job, timezone.now() - LONG_AGO, heartbeat=timezone.now() - timedelta(seconds=30))
    settings.JOB_LEASE_SECONDS = 20
    client.force_login(owner)
    client.get(f"/jobs/{job.pk}/")
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


@pytest.mark.django_db
def test_a_queued_job_waiting_for_a_worker_keeps_waiting(client, owner, queued):
    # No worker has run for an hour: the task is still in the queue and will run when one starts.
    job = queued()
    queued_since(job, timezone.now() - LONG_AGO)
    client.force_login(owner)
    assert "Waiting to start" in client.get(f"/jobs/{job.pk}/").content.decode()
    assert services.reap_orphaned_jobs() == 0
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED


@pytest.mark.django_db
def test_a_queued_job_whose_worker_died_before_starting_it_is_failed(client, owner, queued):
    job = queued()
    queued_since(job, timezone.now() - LONG_AGO)
    # A worker claimed the task an hour ago and died before the job could start.
    DBTaskResult.objects.filter(id=job.task_result_id).update(
        status="RUNNING", started_at=timezone.now() - LONG_AGO)
    client.force_login(owner)
    assert STOPPED in client.get(f"/jobs/{job.pk}/").content.decode()
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "FAILED"


@pytest.mark.django_db
@pytest.mark.parametrize("queue_record", ["missing", "never queued", "finished"])
def test_a_queued_job_whose_task_can_never_start_is_failed_by_the_sweep(owner, queued, queue_record):
    job = queued()
    queued_since(job, timezone.now() - LONG_AGO)
    if queue_record == "missing":
        DBTaskResult.objects.filter(id=job.task_result_id).delete()
    elif queue_record == "never queued":
        Job.objects.filter(pk=job.pk).update(task_result_id="")
    else:
        DBTaskResult.objects.filter(id=job.task_result_id).update(status="SUCCESSFUL")
    assert services.reap_orphaned_jobs() == 1
    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, STOPPED)


@pytest.mark.django_db
def test_a_freshly_queued_job_is_not_failed_before_its_lease(owner, queued):
    job = queued()
    Job.objects.filter(pk=job.pk).update(task_result_id="")  # its queue record is on its way
    assert services.reap_orphaned_jobs() == 0


@pytest.mark.django_db
def test_reap_jobs_marks_only_the_orphans(owner, queued):
    orphan, alive, done = queued("Orphan"), queued("Alive"), queued("Done")
    running_since(orphan, timezone.now() - LONG_AGO, heartbeat=timezone.now() - LONG_AGO)
    running_since(alive, timezone.now() - LONG_AGO, heartbeat=timezone.now())
    Job.objects.filter(pk=done.pk).update(status=Job.Status.DONE, created=timezone.now() - LONG_AGO)

    call_command("reap_jobs", verbosity=0)
    call_command("reap_jobs", verbosity=0)  # a second sweep finds nothing new

    statuses = dict(Job.objects.values_list("label", "status"))
    assert statuses == {"Orphan": "failed", "Alive": "running", "Done": "done"}


@pytest.mark.django_db
def test_a_job_marked_failed_stays_failed_when_its_lost_worker_finishes_after_all(owner, queued):
    # A worker that was only frozen (not dead) wakes up after its job was marked failed.
    job = queued()
    with job_progress(job.pk) as progress:
        running_since(job, timezone.now() - LONG_AGO, heartbeat=timezone.now() - LONG_AGO)
        assert services.reap_orphaned_jobs() == 1
        progress.update(done=2, total=2)
    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, STOPPED), "the page keeps what it told the person"


@pytest.mark.django_db
def test_a_job_already_marked_failed_is_not_started_by_a_late_worker(owner, queued):
    job = queued()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error=STOPPED)
    with pytest.raises(services.JobGone):
        with job_progress(job.pk):
            pytest.fail("the task body must not run")
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_renews_the_lease_while_the_task_runs(owner, settings):
    settings.JOB_HEARTBEAT_SECONDS = 0.05
    job = start_job(tasks.count_to, label="Beating", owner=owner, n=1)
    with job_progress(job.pk):
        started = Job.objects.get(pk=job.pk).heartbeat
        deadline = timezone.now() + timedelta(seconds=30)
        while Job.objects.get(pk=job.pk).heartbeat == started and timezone.now() < deadline:
            time.sleep(0.02)
        assert Job.objects.get(pk=job.pk).heartbeat > started


def test_a_lease_shorter_than_two_heartbeats_is_reported_by_the_system_check(settings):
    from intersector.jobs.apps import check_lease_settings

    settings.JOB_HEARTBEAT_SECONDS, settings.JOB_LEASE_SECONDS = 10, 60
    assert check_lease_settings(None) == []
    settings.JOB_LEASE_SECONDS = 15
    assert [warning.id for warning in check_lease_settings(None)] == ["jobs.W001"]
