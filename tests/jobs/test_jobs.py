import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from intersector.jobs import services
from intersector.jobs.models import Job
from intersector.jobs.services import job_progress, start_job
from tests.jobs import tasks

# --- Running real tasks in the real worker ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_in_the_worker_and_ends_done_with_full_progress(client, owner, run_worker):
    job = start_job(tasks.count_to, label="Counting to five", owner=owner, n=5)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert job.task_result_id, "the task is queued once the job row is committed"
    assert job.kind == "tests.jobs.count_to"

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.done == job.total == 5
    assert job.message == "Counted to 5"
    assert job.result["summary"] == "Counted to 5."
    assert job.started and job.finished and job.started <= job.finished
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "SUCCESSFUL"

    client.force_login(owner)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Counting to five" in html
    assert 'max="5" value="5"' in html
    assert 'for="job-progress"' in html and 'id="job-progress"' in html
    assert 'aria-valuetext="Done"' in html
    assert "Counted to 5." in html
    assert 'href="/jobs/"' in html and "See the count" in html
    assert "hx-trigger" not in html, "a finished job's page does not poll"


@pytest.mark.django_db(transaction=True)
def test_a_job_stopped_by_its_task_shows_the_tasks_plain_reason(client, owner, run_worker):
    job = start_job(
        tasks.refuse, label="Importing people.csv", owner=owner,
        reason="The file has no column called 'title'.",
    )
    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "The file has no column called 'title'."
    assert job.finished is not None
    client.force_login(owner)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "This did not finish." in html
    assert "The file has no column called &#x27;title&#x27;." in html
    assert "Traceback" not in html and "JobFailed" not in html


@pytest.mark.django_db(transaction=True)
def test_a_crashing_job_fails_with_a_plain_message_and_no_traceback(client, owner, run_worker):
    job = start_job(tasks.crash, label="Tripping over", owner=owner)
    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == services.generic_failure_message()
    assert "KeyError" not in job.error
    # The queue keeps the technical record for the log and the admin, not for the person.
    task_result = DBTaskResult.objects.get(id=job.task_result_id)
    assert task_result.status == "FAILED" and "RuntimeError" in task_result.traceback

    client.force_login(owner)
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status", f"/jobs/{job.pk}.json"):
        body = client.get(url).content.decode()
        assert "Something went wrong on our side" in body, url
        assert "Traceback" not in body and "RuntimeError" not in body and "line 42" not in body, url


@pytest.mark.django_db(transaction=True)
def test_a_task_that_dies_before_reporting_does_not_leave_its_job_waiting(owner, run_worker):
    job = start_job(tasks.dies_before_reporting, label="Never reports", owner=owner)
    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == services.generic_failure_message()


@pytest.mark.django_db(transaction=True)
def test_the_status_fragment_polls_while_waiting_and_stops_when_done(client, owner, run_worker):
    job = start_job(tasks.count_to, label="Counting to three", owner=owner, n=3)
    client.force_login(owner)

    waiting = client.get(f"/jobs/{job.pk}/status", headers={"HX-Request": "true"})
    html = waiting.content.decode()
    assert waiting.status_code == 200
    assert f'hx-get="/jobs/{job.pk}/status"' in html and 'hx-trigger="every 1s"' in html
    assert "<html" not in html, "the fragment is only the status block"
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and 'id="job-announcement"' in page

    run_worker()

    done = client.get(f"/jobs/{job.pk}/status", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and "hx-get" not in done
    assert 'max="3" value="3"' in done
    assert 'hx-swap-oob="innerHTML"' in done and "Counting to three: done." in done


@pytest.mark.django_db(transaction=True)
def test_the_json_view_reports_progress(client, owner, run_worker):
    job = start_job(tasks.count_to, label="Counting to four", owner=owner, n=4)
    client.force_login(owner)
    before = client.get(f"/jobs/{job.pk}.json").json()
    assert before["status"] == "queued" and before["done"] == 0 and before["total"] is None

    run_worker()

    after = client.get(f"/jobs/{job.pk}.json").json()
    assert after["status"] == "done"
    assert (after["done"], after["total"], after["percent"]) == (4, 4, 100)
    assert after["result_url"] == "/jobs/"
    assert after["url"] == f"/jobs/{job.pk}/"


# --- Progress records -------------------------------------------------------------------------


@pytest.mark.django_db
def test_progress_writes_are_throttled_but_the_last_one_always_lands(owner, monkeypatch):
    job = start_job(tasks.count_to, label="Many small steps", owner=owner, n=500)
    with job_progress(job.pk) as progress:
        with CaptureQueriesContext(connection) as queries:
            for number in range(1, 501):
                progress.update(done=number, total=500, message=f"Step {number}")
        writes = [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
        assert 1 <= len(writes) <= 3, f"{len(writes)} writes for 500 updates"
        job.refresh_from_db()
        assert (job.done, job.total, job.message) == (500, 500, "Step 500")
        assert job.status == Job.Status.RUNNING

    job.refresh_from_db()
    assert job.status == Job.Status.DONE


@pytest.mark.django_db
def test_progress_is_written_again_once_the_interval_has_passed(owner, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_INTERVAL", 0.0)
    job = start_job(tasks.count_to, label="Slow steps", owner=owner, n=10)
    with job_progress(job.pk) as progress:
        progress.update(done=1, total=10)
        progress.update(done=2, message="Second step")
        job.refresh_from_db()
        assert (job.done, job.message) == (2, "Second step")


@pytest.mark.django_db
def test_a_failed_job_keeps_the_progress_it_had_reached(owner):
    job = start_job(tasks.count_to, label="Half way", owner=owner, n=10)
    with pytest.raises(services.JobFailed):
        with job_progress(job.pk) as progress:
            progress.update(done=1, total=10)
            progress.update(done=5, message="Row 5 is broken")  # held back by the throttle
            raise services.JobFailed("Row 5 has no title.")
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (Job.Status.FAILED, 5, 10)
    assert (job.message, job.error) == ("Row 5 is broken", "Row 5 has no title.")


@pytest.mark.django_db
def test_a_job_without_a_known_total_ends_with_a_full_bar(client, owner):
    job = start_job(tasks.count_to, label="Unknown amount", owner=owner, n=1)
    with job_progress(job.pk) as progress:
        progress.update(done=7, message="Seven found")
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (Job.Status.DONE, 7, 7)


@pytest.mark.django_db
def test_a_running_job_without_a_total_shows_a_bar_that_only_says_work_is_going_on(client, owner):
    job = start_job(tasks.count_to, label="Searching", owner=owner, n=1)
    client.force_login(owner)
    with job_progress(job.pk) as progress:
        progress.update(message="Looking around", force=True)
        html = client.get(f"/jobs/{job.pk}/").content.decode()
        assert '<progress id="job-progress" class="progress" aria-valuetext="Running">' in html
        assert "Looking around" in html


@pytest.mark.django_db
def test_start_job_refuses_arguments_the_queue_cannot_store(owner):
    with pytest.raises(TypeError):
        start_job(tasks.count_to, label="Bad", owner=owner, n=object())
    assert not Job.objects.exists()


def test_only_safe_result_links_are_shown():
    assert Job(result={"url": "/media/export.csv"}).result_url == "/media/export.csv"
    assert Job(result={"url": "https://example.org/x"}).result_url == "https://example.org/x"
    assert Job(result={"url": "javascript:alert(1)"}).result_url == ""
    assert Job(result={"url": "//evil.example/x"}).result_url == ""
    assert Job(result=["not", "a", "dict"]).result_url == ""


# --- Who may see a job ------------------------------------------------------------------------


def _urls(job):
    return [f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status", f"/jobs/{job.pk}.json"]


@pytest.mark.django_db
def test_other_people_get_not_found_for_someone_elses_job(client, owner, stranger):
    job = start_job(tasks.count_to, label="Private work", owner=owner, n=1)
    client.force_login(stranger)
    for url in _urls(job):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Private work" not in response.content.decode(), url


@pytest.mark.django_db
def test_an_unknown_job_is_not_found(client, owner):
    client.force_login(owner)
    assert client.get("/jobs/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert client.get("/jobs/not-a-uuid/").status_code == 404


@pytest.mark.django_db
def test_staff_may_see_any_job(client, owner, django_user_model):
    job = start_job(tasks.count_to, label="Owner's work", owner=owner, n=1)
    staff = django_user_model.objects.create_user("staff", "s@example.org", is_staff=True)
    client.force_login(staff)
    for url in _urls(job):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_a_job_without_an_owner_is_for_staff_only(client, owner):
    job = start_job(tasks.count_to, label="System work", n=1)
    assert job.owner is None
    client.force_login(owner)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, owner):
    job = start_job(tasks.count_to, label="Private work", owner=owner, n=1)
    for url in ("/jobs/", f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/sign-in/?next="), url
    polled = client.get(
        f"/jobs/{job.pk}/status",
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver/jobs/{job.pk}/"},
    )
    assert polled.status_code == 204
    assert polled["HX-Redirect"] == f"/accounts/sign-in/?next=/jobs/{job.pk}/"
    anonymous_json = client.get(f"/jobs/{job.pk}.json")
    assert anonymous_json.status_code == 401
    assert "Private work" not in anonymous_json.content.decode()
    assert json.loads(anonymous_json.content)["detail"]


@pytest.mark.django_db
def test_recent_jobs_lists_only_your_own(client, owner, stranger):
    start_job(tasks.count_to, label="Mine to see", owner=owner, n=1)
    start_job(tasks.count_to, label="Someone else's", owner=stranger, n=1)
    client.force_login(owner)
    html = client.get("/jobs/").content.decode()
    assert "Mine to see" in html
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html


@pytest.mark.django_db
def test_job_pages_cannot_be_posted_to(client, owner):
    job = start_job(tasks.count_to, label="Read only", owner=owner, n=1)
    client.force_login(owner)
    assert client.post(f"/jobs/{job.pk}/").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_each_committed_progress_step_is_published_live_with_the_job_id_only(owner, run_worker):
    from intersector.live.backends import get_backend

    job = start_job(tasks.count_to, label="Counting live", owner=owner, n=3)
    run_worker()

    topic = f"job:{job.pk}"
    epoch = get_backend().read(topic, None).epoch
    events = get_backend().read(topic, f"{epoch}-0").events  # everything since the topic began
    assert len(events) >= 3, "queued, running, and done at least"
    assert {event.event for event in events} == {"progress"}
    assert all(event.data == {"job": str(job.pk)} for event in events)
