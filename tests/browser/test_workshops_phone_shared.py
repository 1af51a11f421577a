"""After a console change the phone shows the room's screen (one rendering for everyone) and then
fills in its own parts; what it sends from that screen carries its own token and a fresh key."""

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

    server = Server("convene-shared", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


@pytest.fixture
def facilitator(django_user_model):
    return django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")


@pytest.fixture
def writing_round(facilitator):
    workshop = services.create_workshop(facilitator, "Sector styles", "starter")
    item = workshop.items.get(kind="brainwriting")
    services.go_to_item(workshop, item)
    brainwriting.open_round(item)
    return item


def console_round(server, facilitator, item, action):
    """The console's round button, through the server (its events start there)."""
    import httpx
    from django.test import Client

    client = Client()
    client.force_login(facilitator)
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={'c' * 32}"
    response = httpx.post(f"{server.url}/convene/{item.workshop_id}/items/{item.pk}/brainwriting/round/",
                          data={"action": action}, headers={"Cookie": cookie, "X-CSRFToken": "c" * 32}, timeout=10)
    assert response.status_code == 302, response.text[:300]


def join(phone, server, item, name):
    phone.goto(f"{server.url}/w/{item.workshop.code}/")
    phone.get_by_label("Your name (as others will see it)").fill(name)
    phone.get_by_label("Government", exact=True).check()
    phone.get_by_role("button", name="Join").click()
    phone.get_by_label("Your note").wait_for()
    phone.locator("#live[data-live-state='live']").wait_for(state="attached")


def test_a_phone_shows_the_room_s_screen_then_its_own_parts_and_writes_from_it(
        server, new_page, facilitator, writing_round):
    ana, ben = new_page(width=360, height=740, is_mobile=True), new_page(width=360, height=740, is_mobile=True)
    join(ana, server, writing_round, "Ana")
    join(ben, server, writing_round, "Ben")
    ana.get_by_label("Your note").fill("permits take months")
    ana.get_by_role("button", name="Add note").click()
    ana.get_by_text("Saved.", exact=True).wait_for()

    console_round(server, facilitator, writing_round, "close")
    for phone, count in ((ana, "You have written 1 note."), (ben, "You have written 0 notes.")):
        phone.locator("#screen-content[data-shared]").get_by_text("This round has closed.").wait_for()
        phone.get_by_text(count).wait_for()  # its own part, from its own request
    assert "permits take months" not in ben.content()

    console_round(server, facilitator, writing_round, "open")
    ana.locator("#screen-content[data-shared]").get_by_text("Round 2:").wait_for()
    ana.get_by_label("Your note").fill("budgets are yearly")
    ana.get_by_role("button", name="Add note").click()
    ana.get_by_text("Saved.", exact=True).wait_for()  # its token and a fresh key were in the form
    screenshot(ana, "workshops-phone-shared-round-2")
    notes = list(Note.objects.filter(item=writing_round).order_by("pk").values_list("text", "round"))
    assert notes == [("permits take months", 1), ("budgets are yearly", 2)]
    assert "budgets are yearly" in ana.locator(".my-notes").inner_text()
