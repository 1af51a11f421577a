"""In Chromium: a person watches a job whose worker is killed. The open page changes by itself to
say the work stopped, offers "Try again", and the new try runs to done on a new worker.
Screenshots of the stopped job at phone (360 px) and desktop widths go to var/screenshots/."""

import pytest

from intersector.jobs.models import Job
from intersector.jobs.services import start_job
from tests.conftest import check_accessibility, screenshot
from tests.jobs import tasks
from tests.jobs.conftest import HEARTBEAT_SECONDS, LEASE_SECONDS, wait_for
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-phrase-42"
STOPPED = "The server doing this work stopped before it finished. Nothing you saved is lost."


@pytest.fixture
def server(short_lease):
    from django.db import connection

    env = server_env(DATABASE_URL=database_url(connection.settings_dict),
                     JOB_LEASE_SECONDS=LEASE_SECONDS, JOB_HEARTBEAT_SECONDS=HEARTBEAT_SECONDS)
    server = Server("jobs-browser", env).start()
    yield server
    server.stop()


def sign_in(page, server):
    page.goto(f"{server.url}/accounts/sign-in/")
    page.get_by_label("User name or e-mail address").fill("owner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_an_open_job_page_says_when_its_worker_dies_and_try_again_finishes_the_work(
        server, new_page, owner, worker_process, tmp_path):
    owner.set_password(PASSWORD)
    owner.save()
    hold = tmp_path / "hold"
    hold.touch()
    job = start_job(tasks.wait_while_held, label="Themes for “Sector styles”", owner=owner, hold=str(hold))
    first = worker_process("browser-first")
    wait_for(lambda: Job.objects.get(pk=job.pk).status == Job.Status.RUNNING, "the job to start",
             workers=[first])

    desktop = new_page(width=1280, height=800)
    desktop.set_default_timeout(30_000)
    sign_in(desktop, server)
    desktop.goto(f"{server.url}/jobs/{job.pk}/")
    desktop.get_by_text("the work carries on").wait_for()

    first.kill()
    # The page asks every second; once the lease has run out the answer says what happened.
    desktop.get_by_text(STOPPED).wait_for()
    try_again = desktop.get_by_role("button", name="Try again")
    assert try_again.is_visible()
    assert not desktop.get_by_text("the work carries on").is_visible()
    assert "did not finish" in desktop.locator("#job-announcement").inner_text()
    screenshot(desktop, "jobs-worker-stopped-desktop")
    check_accessibility(desktop)

    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    phone.set_default_timeout(30_000)
    sign_in(phone, server)
    phone.goto(f"{server.url}/jobs/{job.pk}/")
    phone.get_by_role("button", name="Try again").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360, "nothing runs off a phone"
    screenshot(phone, "jobs-worker-stopped-phone")
    check_accessibility(phone)

    hold.unlink()
    try_again.click()
    desktop.wait_for_url(f"{server.url}/jobs/*/")
    again = Job.objects.get(retry_of=job)
    assert desktop.url == f"{server.url}/jobs/{again.pk}/"
    worker_process("browser-second")
    desktop.get_by_text("Let go and finished.").wait_for()
    screenshot(desktop, "jobs-tried-again-done-desktop")
