"""Try again: the owner (or staff) queues the same task with the same arguments as a new job,
and is sent to its page. Everyone else is refused, and so is a job that has not failed."""

import pytest
from django.test import Client

from intersector.jobs import services
from intersector.jobs.models import Job
from intersector.jobs.services import start_job
from tests.jobs import tasks

STOPPED = "The server doing this work stopped before it finished. Nothing you saved is lost."


def failed_job(owner, **kwargs):
    job = start_job(tasks.count_to, label="Counting to three", owner=owner, n=3, **kwargs)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, error=STOPPED)
    job.refresh_from_db()
    return job


@pytest.mark.django_db(transaction=True)
def test_try_again_queues_the_same_work_as_a_new_job_that_runs_to_done(client, owner, run_worker):
    job = failed_job(owner)
    assert (job.task_path, job.arguments) == ("tests.jobs.tasks.count_to", {"n": 3})
    client.force_login(owner)

    response = client.post(f"/jobs/{job.pk}/retry")

    again = Job.objects.get(retry_of=job)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{again.pk}/"
    assert (again.status, again.label, again.kind, again.owner) == (
        Job.Status.QUEUED, "Counting to three", "tests.jobs.count_to", owner)
    assert again.task_result_id and again.task_result_id != job.task_result_id
    run_worker()
    again.refresh_from_db()
    assert again.status == Job.Status.DONE and again.result["summary"] == "Counted to 3."
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert client.get(f"/jobs/{again.pk}.json").json()["retry_of"] == str(job.pk)
    html = client.get(f"/jobs/{again.pk}/").content.decode()
    assert "This is a new try" in html and f'href="/jobs/{job.pk}/"' in html


@pytest.mark.django_db
def test_the_failed_page_offers_try_again_to_its_owner_with_a_csrf_protected_form(client, owner):
    job = failed_job(owner)
    client.force_login(owner)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert STOPPED in html
    form = html[html.index('<form method="post" action="/jobs/'):]
    form = form[:form.index("</form>")]
    assert f'action="/jobs/{job.pk}/retry"' in form and 'name="csrfmiddlewaretoken"' in form
    assert ">Try again</button>" in form


@pytest.mark.django_db
def test_a_second_click_on_try_again_queues_nothing_more(client, owner):
    job = failed_job(owner)
    client.force_login(owner)
    first = client.post(f"/jobs/{job.pk}/retry")
    second = client.post(f"/jobs/{job.pk}/retry")
    assert first["Location"] == second["Location"]
    assert Job.objects.filter(retry_of=job).count() == 1
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "See how the new try is going" in html and f'action="/jobs/{job.pk}/retry"' not in html


@pytest.mark.django_db
def test_staff_may_try_again_and_the_new_job_stays_the_owners(client, owner, django_user_model):
    job = failed_job(owner)
    staff = django_user_model.objects.create_user("staff", "s@example.org", is_staff=True)
    client.force_login(staff)
    assert "Try again" in client.get(f"/jobs/{job.pk}/").content.decode()
    assert client.post(f"/jobs/{job.pk}/retry").status_code == 302
    assert Job.objects.get(retry_of=job).owner == owner


# --- Refusals ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_someone_elses_failed_job_cannot_be_tried_again(client, owner, stranger):
    job = failed_job(owner)
    client.force_login(stranger)
    response = client.post(f"/jobs/{job.pk}/retry")
    assert response.status_code == 404 and "Counting" not in response.content.decode()
    assert not Job.objects.filter(retry_of=job).exists()


@pytest.mark.django_db
def test_a_job_without_an_owner_is_tried_again_by_staff_only(client, owner):
    job = failed_job(None)
    client.force_login(owner)
    assert client.post(f"/jobs/{job.pk}/retry").status_code == 404
    assert not services.may_retry(job, owner)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_is_queued(client, owner):
    job = failed_job(owner)
    response = client.post(f"/jobs/{job.pk}/retry")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
    assert not Job.objects.filter(retry_of=job).exists()


@pytest.mark.django_db
def test_try_again_needs_the_pages_csrf_token(owner):
    job = failed_job(owner)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    assert browser.post(f"/jobs/{job.pk}/retry").status_code == 403
    assert not Job.objects.filter(retry_of=job).exists()


@pytest.mark.django_db
def test_try_again_is_a_post(client, owner):
    job = failed_job(owner)
    client.force_login(owner)
    assert client.get(f"/jobs/{job.pk}/retry").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.DONE])
def test_a_job_that_has_not_failed_is_not_tried_again(client, owner, status):
    job = start_job(tasks.count_to, label="Going fine", owner=owner, n=1)
    Job.objects.filter(pk=job.pk).update(status=status)
    client.force_login(owner)
    assert "Try again" not in client.get(f"/jobs/{job.pk}/").content.decode()
    response = client.post(f"/jobs/{job.pk}/retry")
    assert response.status_code == 409
    assert "nothing to try again" in response.content.decode()
    assert client.post(f"/jobs/{job.pk}/retry", headers={"Accept": "application/json"}).json()["detail"]
    assert not Job.objects.filter(retry_of=job).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("task_path", ["", "tests.jobs.tasks.no_such_task", "tests.jobs.conftest.owner"])
def test_a_job_whose_task_is_gone_says_to_start_afresh(client, owner, task_path):
    job = failed_job(owner)
    Job.objects.filter(pk=job.pk).update(task_path=task_path)
    client.force_login(owner)
    response = client.post(f"/jobs/{job.pk}/retry")
    assert response.status_code == 409
    assert "start it afresh" in response.content.decode()
    assert not Job.objects.filter(retry_of=job).exists()
