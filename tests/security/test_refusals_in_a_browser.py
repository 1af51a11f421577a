"""What a person sees in Chromium when something they typed cannot be saved: the phone keeps the
note they wrote and says above the form what to fix; a page form answers with a page that names
the field. Screenshots at 360 px and desktop width go to var/screenshots/."""

import pytest

from intersector.workshops import services
from intersector.workshops.activities.brainwriting import services as bw
from tests.conftest import check_accessibility, screenshot
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture
def server():
    """The phone's page streams live events: uvicorn serves it (the test server cannot)."""
    from django.db import connection

    server = Server("inputs-browser", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


@pytest.fixture
def facilitator(django_user_model):
    return django_user_model.objects.create_user("fiona", "fiona@example.org", PASSWORD)


@pytest.mark.live
def test_the_phone_keeps_the_note_and_says_what_to_fix(server, phone_page, facilitator):
    workshop = services.create_workshop(facilitator, "Sector styles")
    item = workshop.items.get(kind="brainwriting")
    services.go_to_item(workshop, item)
    bw.open_round(item)
    phone_page.goto(f"{server.url}/w/{workshop.code}/")
    phone_page.get_by_label("Your name (as others will see it)").fill("Ana")
    phone_page.get_by_label("Government").check()
    phone_page.get_by_role("button", name="Join").click()
    note = phone_page.get_by_label("Your note")
    note.fill("\u200b\u200b\u200b")
    phone_page.get_by_role("button", name="Add note").click()
    problem = phone_page.locator(".problem-slot .problem")
    problem.wait_for()
    assert "contains only invisible characters. Type some text" in problem.inner_text()
    assert note.input_value() == "\u200b\u200b\u200b"  # nothing typed is lost
    screenshot(phone_page, "input-refused-phone-note")
    check_accessibility(phone_page)


@pytest.mark.parametrize("width", [360, 1280])
def test_a_page_form_answers_with_a_page_naming_the_field(live_server, new_page, facilitator, width):
    page = new_page(width=width, height=800)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("User name or e-mail address").fill("fiona")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/convene/new/")
    page.get_by_label("Title").fill("Clean\x07air")
    page.get_by_role("button", name="Create workshop").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Something you sent cannot be saved"
    assert page.get_by_text("The field “title” contains a character that cannot be saved").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"input-refused-page-{width}")
    check_accessibility(page)
