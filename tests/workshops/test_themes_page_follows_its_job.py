"""The themes page follows its job by itself, with or without Redis: while the job runs, its status
box asks the server again every second (hx-get); once the job has finished, the box the server
sends back no longer asks, and themes.js reloads the page, which then shows the themes, or why
the job did not finish. These tests check each piece the browser relies on; the browser test
(tests/browser/test_workshops_brainwriting.py) watches the page reload itself on a single server."""

import re

import pytest
from django.test import Client

from intersector.jobs.services import start_job
from intersector.workshops.activities.brainwriting import services as bw
from intersector.workshops.activities.brainwriting.tasks import make_themes
from tests.workshops.test_brainwriting import write_notes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_round(brainwriting, console, workshop):
    console.post(f"/convene/{workshop.pk}/items/{brainwriting.pk}/brainwriting/round/", {"action": "open"})
    brainwriting.refresh_from_db()
    return brainwriting


def status_box(html):
    """The opening tag of the job's status box, or None when the page has none."""
    found = re.search(r'<div id="job-status"[^>]*>', html)
    return found.group(0) if found else None


def themes_job(item):
    item.refresh_from_db()
    return item.state["themes_job"]


def themes_url(workshop, item):
    return f"/convene/{workshop.pk}/items/{item.pk}/brainwriting/themes/"


def test_the_page_polls_its_job_while_it_runs_and_shows_the_themes_after(
        open_round, workshop, join_phone, console, run_worker):
    write_notes(open_round, join_phone, workshop)
    started = console.post(themes_url(workshop, open_round) + "make/")
    page = console.get(started["Location"]).content.decode()
    job_id = themes_job(open_round)
    box = status_box(page)
    status = f"/convene/{workshop.pk}/items/{open_round.pk}/brainwriting/themes/job/"
    assert f'hx-get="{status}"' in box and 'hx-trigger="every 1s"' in box
    assert "brainwriting/themes.js" in page  # the script that reloads the page when the box stops asking
    assert console.get(f"/jobs/{job_id}.json").json()["status"] == "queued"

    run_worker()

    fragment = console.get(status, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in status_box(fragment)  # the signal themes.js waits for
    assert console.get(f"/jobs/{job_id}.json").json()["status"] == "done"
    reloaded = console.get(themes_url(workshop, open_round)).content.decode()
    assert "hx-get" not in status_box(reloaded)  # a finished job's page does not reload again
    assert len(re.findall(r'<section class="column[^"]*" id="col-\d+" data-theme=', reloaded)) >= 2


def test_a_job_that_did_not_finish_says_why_on_the_themes_page(open_round, workshop, console, facilitator, run_worker):
    # A run whose activity cannot be found fails in the real worker with a plain reason.
    job = start_job(make_themes, label="Themes", owner=facilitator, kind="workshops.themes", item_id=0)
    bw.remember_job(open_round, job)
    assert "hx-get" in status_box(console.get(themes_url(workshop, open_round)).content.decode())

    run_worker()

    fragment = console.get(f"/jobs/{job.pk}/status", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in status_box(fragment)
    assert console.get(f"/jobs/{job.pk}.json").json()["status"] == "failed"
    reloaded = console.get(themes_url(workshop, open_round)).content.decode()
    assert "This did not finish." in reloaded and "This activity no longer exists." in reloaded


def test_only_the_facilitator_can_follow_the_job(open_round, workshop, join_phone, console, django_user_model):
    write_notes(open_round, join_phone, workshop)
    console.post(themes_url(workshop, open_round) + "make/")
    job_id = themes_job(open_round)
    stranger = Client()
    assert stranger.get(f"/jobs/{job_id}.json").status_code == 401
    stranger.force_login(django_user_model.objects.create_user("sam", "sam@example.org", "another-pass-phrase-42"))
    assert stranger.get(f"/jobs/{job_id}.json").status_code == 404
    assert stranger.get(f"/jobs/{job_id}/status", HTTP_HX_REQUEST="true").status_code == 404
    assert stranger.get(themes_url(workshop, open_round)).status_code == 404


def test_a_co_facilitator_follows_the_themes_job_another_facilitator_started(
        open_round, workshop, join_phone, console, run_worker, django_user_model):
    """The job belongs to whoever pressed "Make themes"; everyone who runs the workshop follows it
    on the themes page (the jobs app's own address would answer them 404)."""
    from intersector.workshops import services

    write_notes(open_round, join_phone, workshop)
    console.post(themes_url(workshop, open_round) + "make/")
    colleague = django_user_model.objects.create_user("cole", "cole@example.org", "a-long-pass-phrase-42")
    services.invite_facilitator(workshop, "cole")
    other = Client()
    other.force_login(colleague)
    page = other.get(themes_url(workshop, open_round)).content.decode()
    status = re.search(r'hx-get="([^"]+)"', status_box(page)).group(1)
    assert other.get(f"/jobs/{themes_job(open_round)}/status").status_code == 404  # not theirs
    assert other.get(status, HTTP_HX_REQUEST="true").status_code == 200
    run_worker()
    assert "hx-get" not in status_box(other.get(status, HTTP_HX_REQUEST="true").content.decode())
    stranger = Client()
    stranger.force_login(django_user_model.objects.create_user("sam", "sam@example.org", "a-long-pass-phrase-42"))
    assert stranger.get(status).status_code == 404
