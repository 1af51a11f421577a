"""The vectors behind "cases like this one" are computed by a background job, never by a page.

These tests commit (transaction=True) so that saving a case really starts the job, and run the
real database worker to carry it out.
"""

import re

import pytest

from intersector import analysis
from intersector.jobs.models import Job
from intersector.library import similar
from intersector.library.content import load_library
from intersector.library.models import Case

from .conftest import FIXTURES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def sentence_model():
    if analysis.model_info().kind != "embeddings":
        pytest.skip("the sentence model is not installed here: cases are compared by shared words")
    similar.forget()
    yield
    similar.forget()


def vector_jobs(**filters):
    return Job.objects.filter(kind=similar.VECTORS_JOB_KIND, **filters)


def similar_links(client, slug):
    response = client.get(f"/cases/{slug}/")
    assert response.status_code == 200
    section = response.content.decode().split('id="similar-heading"')[1]
    return re.findall(r'<h3><a href="(/cases/[^"]+/)"', section), section


def test_loading_cases_prepares_their_vectors_in_the_background(client, run_worker):
    load_library(FIXTURES)
    assert vector_jobs(status=Job.Status.QUEUED).count() == 1  # one job for all the new cases
    assert not Case.objects.filter(vector__isnull=False).exists()

    links, section = similar_links(client, "river-clean-up")
    assert links == [] and "Similar cases are being prepared" in section
    assert vector_jobs().count() == 1  # the page reused the waiting job instead of starting another

    mine = client.get("/cases/like-mine/", {"description": "Our children eat too little fresh food at school lunch"})
    assert mine.status_code == 200
    assert "3 cases are still being prepared for comparison" in mine.content.decode()

    run_worker()
    job = vector_jobs().get()
    assert job.status == Job.Status.DONE and job.result["summary"] == "3 cases are ready to compare."
    links, section = similar_links(client, "river-clean-up")
    assert len(links) == 2 and "/cases/river-clean-up/" not in links
    assert "being prepared" not in section
    mine = client.get("/cases/like-mine/", {"description": "Our children eat too little fresh food at school lunch"})
    section = mine.content.decode().split('id="matches-heading"')[1]
    assert "being prepared" not in section
    assert re.findall(r'<h3><a href="(/cases/[^"]+/)"', section)[0] == "/cases/school-meals/"


def test_editing_a_case_text_recomputes_its_vector_in_the_background(client, run_worker):
    load_library(FIXTURES)
    run_worker()
    case = Case.objects.get(slug="school-meals")
    old_vector = bytes(case.vector)

    case.summary = "Parents, a grocer and the school board plan fresh lunches together, every day of the year."
    case.save()
    case.refresh_from_db()
    assert case.vector is None and vector_jobs(status=Job.Status.QUEUED).count() == 1
    links, section = similar_links(client, "school-meals")
    assert "Similar cases are being prepared" in section
    links, _section = similar_links(client, "river-clean-up")  # the other pages keep answering
    assert links == ["/cases/bus-lanes/"]

    run_worker()
    case.refresh_from_db()
    assert case.vector_model == f"{analysis.model_info().name}:{case.text_digest()}"
    assert bytes(case.vector) != old_vector
    assert "/cases/school-meals/" in similar_links(client, "river-clean-up")[0]


def test_saving_a_case_without_changing_its_text_starts_no_job(run_worker):
    load_library(FIXTURES)
    run_worker()
    case = Case.objects.get(slug="bus-lanes")
    case.city = "Shelbyville"
    case.save()
    assert not vector_jobs(status=Job.Status.QUEUED).exists()
    case.refresh_from_db()
    assert case.vector is not None


def test_a_vector_left_from_an_older_text_is_recomputed(run_worker):
    load_library(FIXTURES)
    run_worker()
    # A text changed without save() (as a bulk change does): the stored vector is for the old text.
    Case.objects.filter(slug="bus-lanes").update(summary="A new summary about bicycles and ferries.")
    similar.schedule_refresh()
    run_worker()
    case = Case.objects.get(slug="bus-lanes")
    assert case.vector_model.endswith(":" + case.text_digest())


def test_unpublished_cases_get_no_vector_and_start_no_job(run_worker):
    load_library(FIXTURES)
    run_worker()
    case = Case.objects.get(slug="bus-lanes")
    case.live = False
    case.title = "Faster buses downtown, second try"
    case.save()
    assert not vector_jobs(status=Job.Status.QUEUED).exists()


def test_visits_do_not_restart_a_job_that_just_failed(client):
    import datetime

    from django.utils import timezone

    load_library(FIXTURES)
    vector_jobs().update(status=Job.Status.FAILED)  # as if the model had crashed on these cases
    links, section = similar_links(client, "bus-lanes")
    assert "Similar cases are being prepared" in section
    assert vector_jobs().count() == 1  # no new job for each visit

    vector_jobs().update(created=timezone.now() - datetime.timedelta(minutes=11))
    similar_links(client, "bus-lanes")
    assert vector_jobs(status=Job.Status.QUEUED).count() == 1  # tried again, once
    similar_links(client, "bus-lanes")
    assert vector_jobs().count() == 2
