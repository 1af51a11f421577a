"""A note whose answer was lost (the server saved it, then restarted before answering) is sent
again with the same key, even though the restart made the phone reload its screen and the new
form came with a new key: the phone shows "Already saved." and the board has the note once."""

import pytest

from intersector.workshops import services
from intersector.workshops.activities.brainwriting import services as brainwriting
from intersector.workshops.activities.brainwriting.models import Note
from tests.conftest import screenshot
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    from django.db import connection

    server = Server("convene-resend", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


@pytest.fixture
def workshop(django_user_model):
    facilitator = django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")
    return services.create_workshop(facilitator, "Sector styles", "starter")


@pytest.fixture
def writing_round(workshop):
    item = workshop.items.get(kind="brainwriting")
    services.go_to_item(workshop, item)
    brainwriting.open_round(item)
    return item


def join(phone, server, workshop):
    phone.goto(f"{server.url}/w/{workshop.code}/")
    phone.get_by_label("Your name (as others will see it)").fill("Ana")
    phone.get_by_label("Government", exact=True).check()
    phone.get_by_role("button", name="Join").click()
    phone.get_by_label("Your note").wait_for()


def lose_the_first_answer(phone):
    """The server gets the first note and saves it; the phone never hears back."""
    def saved_then_cut(route):
        route.fetch()
        route.abort("connectionreset")
        phone.unroute("**/brainwriting/notes/")

    phone.route("**/brainwriting/notes/", saved_then_cut)


def test_a_note_sent_again_after_a_restart_is_saved_once(server, phone_page, workshop, writing_round):
    phone = phone_page
    join(phone, server, workshop)
    lose_the_first_answer(phone)
    phone.get_by_label("Your note").fill("permits take months")
    phone.get_by_role("button", name="Add note").click()
    phone.get_by_text("Not sent: no connection").wait_for()
    assert Note.objects.filter(item=writing_round).count() == 1  # saved, though the phone can't know

    # A restart: the stream comes back with "resync" and the phone reloads its screen (new form).
    phone.evaluate("document.dispatchEvent(new CustomEvent('live:resync', {detail: {data: {}}}))")
    phone.get_by_text("Not sent: no connection").wait_for(state="detached")
    assert phone.get_by_label("Your note").input_value() == "permits take months"
    screenshot(phone, "workshops-phone-resend-kept")

    phone.get_by_role("button", name="Add note").click()
    phone.get_by_text("Already saved.").wait_for()
    assert list(Note.objects.filter(item=writing_round).values_list("text", flat=True)) == ["permits take months"]

    # The next note is a new one, with the new form's key.
    phone.get_by_label("Your note").fill("budgets are yearly")
    phone.get_by_role("button", name="Add note").click()
    phone.get_by_text("Saved.", exact=True).wait_for()
    assert Note.objects.filter(item=writing_round).count() == 2


def test_a_rewritten_note_after_a_lost_answer_is_a_new_note(server, phone_page, workshop, writing_round):
    phone = phone_page
    join(phone, server, workshop)
    lose_the_first_answer(phone)
    phone.get_by_label("Your note").fill("permits take months")
    phone.get_by_role("button", name="Add note").click()
    phone.get_by_text("Not sent: no connection").wait_for()

    # The person writes something else instead; the screen reloads meanwhile.
    phone.get_by_label("Your note").fill("elections change priorities")
    phone.evaluate("document.dispatchEvent(new CustomEvent('live:resync', {detail: {data: {}}}))")
    phone.get_by_text("Not sent: no connection").wait_for(state="detached")
    phone.get_by_role("button", name="Add note").click()
    phone.get_by_text("Saved.", exact=True).wait_for()
    texts = set(Note.objects.filter(item=writing_round).values_list("text", flat=True))
    assert texts == {"permits take months", "elections change priorities"}
