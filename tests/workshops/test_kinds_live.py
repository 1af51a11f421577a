"""A table's live topic on a real uvicorn server, used by a kind the core does not know (the tests'
tally): a tap reaches the phones of that table and the boards, not the other tables' phones, on
the one stream each phone already has; a phone that comes back catches up on both topics."""

import httpx
import pytest

from intersector.workshops import services
from tests.live.servers import Server, server_env
from tests.workshops.phones import Phone, PhoneStream, database_url

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server(django_db_blocker):
    from django.db import connection

    env = server_env(DATABASE_URL=database_url(connection.settings_dict), LIVE_KEEPALIVE_SECONDS=0.5,
                     CONVENE_EXTRA_KINDS="tests.workshops.tally")
    server = Server("convene-kinds", env).start()
    yield server
    server.stop()


@pytest.fixture
def counting(facilitator):
    workshop = services.create_workshop(facilitator, "Tables count", "blank")
    item = services.add_item(workshop, "Count", "tally", 5)
    services.go_to_item(workshop, item)
    services.set_table_count(workshop, 2)
    return workshop


def seat(workshop, phone_name, number):
    person = workshop.participants.get(display_name=phone_name)
    services.move_participant(workshop, person.pk, workshop.tables.get(number=number).pk)


def tap(phone):
    response = phone.http.post(f"/w/{phone.code}/tally/tap/", headers={
        "X-CSRFToken": phone.http.cookies.get("csrftoken", ""), "X-Convene": "fetch"})
    assert response.status_code == 200, response.text[:300]
    return response


def start_timer(server, workshop, board_cookie):
    """The console's button, through the server (its events start there)."""
    response = httpx.post(f"{server.url}/convene/{workshop.pk}/control/", data={"action": "start"},
                          headers={"Cookie": f"{board_cookie}; csrftoken={'c' * 32}", "X-CSRFToken": "c" * 32},
                          timeout=10)
    assert response.status_code == 302, response.text[:300]


@pytest.fixture
def board_cookie(facilitator):
    from django.test import Client

    client = Client()
    client.force_login(facilitator)
    return f"sessionid={client.cookies['sessionid'].value}"


def test_a_tap_reaches_its_tables_phones_and_the_boards_but_not_other_tables(server, counting, board_cookie):
    ana, ben, cy = (Phone(server.url, counting.code).join(name) for name in ("Ana", "Ben", "Cy"))
    seat(counting, "Ana", 1)
    seat(counting, "Ben", 1)
    seat(counting, "Cy", 2)
    table_one = counting.tables.get(number=1)
    with ben.stream() as same_table, cy.stream() as other_table, \
            PhoneStream(f"{server.url}/convene/{counting.pk}/live", board_cookie) as board:
        for stream in (same_table, other_table, board):
            stream.until("ready")
        assert "Your table: 1" in tap(ana).text
        same_table.until("tally.changed")
        assert same_table.last["data"] == {"workshop": counting.pk, "table": table_one.pk, "count": 1}
        board.until("tally.changed")
        with pytest.raises(TimeoutError):
            other_table.until("tally.changed", timeout=1.5)
        # The workshop's own events still reach every phone on the same stream.
        start_timer(server, counting, board_cookie)
        other_table.until("timer.changed")
        same_table.until("timer.changed")
    assert "Your table: 1" in ben.screen().text and "Your table: 0" in cy.screen().text


def test_a_phone_that_comes_back_gets_what_it_missed_on_its_table_and_the_workshop(server, counting, board_cookie):
    ana, ben = (Phone(server.url, counting.code).join(name) for name in ("Ana", "Ben"))
    seat(counting, "Ana", 1)
    seat(counting, "Ben", 1)
    with ben.stream() as phone:
        phone.until("ready")
        position = phone.last["id"]
    tap(ana)
    start_timer(server, counting, board_cookie)
    with ben.stream(last_event_id=position) as phone:
        missed = [event["event"] for event in phone.until("ready")]
    assert missed.count("tally.changed") == 1 and "timer.changed" in missed
    assert "," in position  # one position in each topic


def test_the_phone_page_follows_both_topics_from_the_position_it_was_rendered_at(server, counting):
    ana = Phone(server.url, counting.code).join("Ana")
    seat(counting, "Ana", 2)
    page = ana.http.get(f"/w/{counting.code}/").text
    assert 'data-live-events="screen.changed timer.changed seat.changed' in page and "tally.changed" in page
    poll = httpx.get(f"{server.url}/w/{counting.code}/live/poll", timeout=5,
                     headers={"Cookie": ana.cookie_header()}).json()
    assert poll["last_event_id"].count(",") == 1 and not poll["resync"]
    tap(ana)
    again = httpx.get(f"{server.url}/w/{counting.code}/live/poll", params={"last_event_id": poll["last_event_id"]},
                      timeout=5, headers={"Cookie": ana.cookie_header()}).json()
    assert [event["event"] for event in again["events"]] == ["tally.changed"]
