"""A signed-in person's own area in a real browser: account, API tokens, background jobs."""

import pytest
from django.core.management import call_command

from intersector.accounts.services import add_member, create_organisation
from intersector.jobs.services import start_job
from tests.conftest import check_accessibility, screenshot
from tests.jobs.tasks import count_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture
def signed_in(live_server, new_page, django_user_model):
    def sign_in(width=1280, height=900):
        user = django_user_model.objects.filter(username="lena").first()
        if user is None:
            user = django_user_model.objects.create_user(
                "lena", "lena@example.org", PASSWORD, first_name="Lena", last_name="Ortiz"
            )
            organisation = create_organisation(name="Riverton Parks Department", sector="government")
            add_member(organisation, user, role="admin")
        page = new_page(width=width, height=height)
        page.goto(live_server.url + "/accounts/sign-in/")
        page.get_by_label("User name or e-mail address").fill("lena")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/")
        return page, user

    return sign_in


def test_account_page_shows_organisations(live_server, signed_in):
    page, _ = signed_in(width=360, height=740)
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("cell", name="Riverton Parks Department").wait_for()  # the click may still be loading the page
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "account-phone")
    check_accessibility(page)


def test_create_and_revoke_an_api_token(live_server, signed_in):
    page, _ = signed_in()
    page.goto(live_server.url + "/accounts/")
    page.get_by_role("link", name="Your API tokens").click()
    page.get_by_role("link", name="Create a token").click()
    page.get_by_label("Name").fill("Nightly report script")
    page.get_by_role("button", name="Create the token").click()
    secret = page.get_by_label("Token").input_value()
    assert len(secret) > 20
    screenshot(page, "token-created")
    check_accessibility(page)

    # The secret works against the API from a script.
    response = page.request.get(
        live_server.url + "/api/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.ok and response.json()["username"] == "lena"

    page.get_by_role("link", name="I have copied it").click()
    page.get_by_role("heading", name="Nightly report script").wait_for()  # the click may still be loading the page
    screenshot(page, "token-list")
    page.get_by_role("link", name="Revoke").first.click()
    page.get_by_role("button", name="Revoke the token").click()
    assert page.get_by_role("heading", name="Nightly report script").count() == 0
    check_accessibility(page)
    response = page.request.get(
        live_server.url + "/api/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status == 401


def test_job_page_follows_a_background_job_to_the_end(live_server, signed_in):
    page, user = signed_in()
    job = start_job(count_to, label="Counting the test rows", owner=user, n=5)
    page.goto(live_server.url + f"/jobs/{job.id}/")
    assert page.get_by_role("heading", name="Counting the test rows").is_visible()
    screenshot(page, "job-waiting")
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    # The page polls and shows the result without a reload.
    page.get_by_role("link", name="See the count").wait_for(timeout=10_000)
    screenshot(page, "job-done")
    check_accessibility(page)
    page.goto(live_server.url + "/jobs/")
    assert page.get_by_role("link", name="Counting the test rows").is_visible()
