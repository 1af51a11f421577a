"""Live workshops on real uvicorn processes: notes reach screens, reconnects catch up, a restart
loses nothing, and two servers on Redis share events."""

import uuid

import pytest

from intersector.workshops import services
from intersector.workshops.activities.brainwriting import services as bw
from tests.live.conftest import delete_prefix, post_event  # noqa: F401 (a fixture)
from tests.live.servers import REDIS_BACKEND, Server, server_env, start_servers
from tests.workshops.phones import Phone, database_url

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shared_env(django_db_blocker):
    from django.db import connection

    return server_env(DATABASE_URL=database_url(connection.settings_dict), LIVE_KEEPALIVE_SECONDS=0.5)


@pytest.fixture
def server(shared_env):
    server = Server("convene", shared_env).start()
    yield server
    server.stop()


@pytest.fixture
def running(facilitator):
    """A workshop in round 1 of a build-on brainwriting."""
    workshop = services.create_workshop(facilitator, "Live test")
    item = workshop.items.get(kind="brainwriting")
    bw.configure(item, "Culture\nAssets", ["government", "business"], "build-on", 5, 3)
    services.go_to_item(workshop, item)
    bw.open_round(item)
    return workshop


def seat_everyone(workshop):
    services.set_table_count(workshop, 1)
    services.auto_assign(workshop)


@pytest.fixture
def board_cookie(facilitator):
    from django.test import Client

    client = Client()
    client.force_login(facilitator)
    return f"sessionid={client.cookies['sessionid'].value}"


def run_round(server_url, workshop, board_cookie, action):
    """The facilitator's console button, through the server (its events start there)."""
    import httpx

    item = workshop.items.get(kind="brainwriting")
    response = httpx.post(
        f"{server_url}/convene/{workshop.pk}/items/{item.pk}/brainwriting/round/", data={"action": action},
        headers={"Cookie": f"{board_cookie}; csrftoken={'c' * 32}", "X-CSRFToken": "c" * 32}, timeout=10)
    assert response.status_code == 302, response.text[:300]


def board_stream(server_url, workshop, board_cookie, last_event_id=None):
    from tests.workshops.phones import PhoneStream

    return PhoneStream(f"{server_url}/convene/{workshop.pk}/live", board_cookie, last_event_id)


def test_a_note_reaches_the_console_at_once_and_the_next_writer_with_the_sheet(server, running, board_cookie):
    """Build-on: the console hears the note as it is saved; the neighbour's phone is not woken
    for it (nobody else holds that sheet this round), and shows it when the sheet passes."""
    ana = Phone(server.url, running.code).join("Ana")
    ben = Phone(server.url, running.code).join("Ben", "business")
    seat_everyone(running)
    with ben.stream() as phone, board_stream(server.url, running, board_cookie) as board:
        phone.until("ready")
        board.until("ready")
        response = ana.post_note("Slow approvals")
        assert response.status_code == 200 and "Saved." in response.text
        board.until("note.added")
        note = running.items.get(kind="brainwriting").notes.get()
        assert board.last["data"]["note"] == note.pk and "Slow approvals" not in str(board.last)
        with pytest.raises(TimeoutError):
            phone.until("note.added", timeout=1)
        assert "Slow approvals" not in ben.screen().text
        run_round(server.url, running, board_cookie, "open")  # the sheets move one seat on
        phone.until("screen.changed")
    assert "Slow approvals" in ben.screen().text


def test_a_phone_moved_to_another_table_hears_it_on_the_stream_it_has(server, running, board_cookie):
    import httpx

    ana = Phone(server.url, running.code).join("Ana")
    services.set_table_count(running, 2)
    services.auto_assign(running)
    person = running.participants.get()
    target = running.tables.exclude(pk=person.table_id).first()
    with ana.stream() as phone:
        phone.until("ready")
        response = httpx.post(
            f"{server.url}/convene/{running.pk}/tables/",
            data={"action": "move", "participant": person.pk, "table": target.pk},
            headers={"Cookie": f"{board_cookie}; csrftoken={'c' * 32}", "X-CSRFToken": "c" * 32}, timeout=10)
        assert response.status_code in (200, 302)
        phone.until("seat.changed")
        assert phone.last["data"]["participant"] == person.pk
    assert f"· {target}<" in ana.http.get(f"/w/{running.code}/").text


def test_a_moved_phone_stops_hearing_its_old_table_and_follows_the_new_one(server, running, board_cookie,
                                                                          post_event):
    """Even a phone that keeps its page (someone typing) must not go on hearing its old table's
    sheet: the server ends its stream after its seat.changed, and the reconnect (Last-Event-ID)
    follows the new table."""
    import httpx

    ana = Phone(server.url, running.code).join("Ana")
    services.set_table_count(running, 2)
    services.auto_assign(running)
    person = running.participants.get()
    old, new = person.table, running.tables.exclude(pk=person.table_id).get()
    with ana.stream() as phone:
        phone.until("ready")
        response = httpx.post(
            f"{server.url}/convene/{running.pk}/tables/",
            data={"action": "move", "participant": person.pk, "table": new.pk},
            headers={"Cookie": f"{board_cookie}; csrftoken={'c' * 32}", "X-CSRFToken": "c" * 32}, timeout=10)
        assert response.status_code in (200, 302)
        phone.until("seat.changed")
        position = phone.last["id"]
        with pytest.raises(EOFError):
            phone.next_event(timeout=3)
        assert phone.retry == 250  # the browser comes back at once, not after the usual 3 s
    with ana.stream(last_event_id=position) as phone:
        phone.until("ready")
        # Published in the server's process, whose live backend carries them.
        post_event(server, old.topic, "sheet.test", {"marker": "old-table"})
        post_event(server, new.topic, "sheet.test", {"marker": "new-table"})
        heard = phone.until("sheet.test")
    assert phone.last["data"]["marker"] == "new-table"
    assert all(event["data"].get("marker") != "old-table" for event in heard)


def test_in_blind_mode_phones_hear_no_notes_but_the_console_does(server, running, board_cookie):
    from tests.workshops.phones import PhoneStream

    item = running.items.get(kind="brainwriting")
    bw.configure(item, "Culture\nAssets", ["government", "business"], "blind", 5, 3)
    ana = Phone(server.url, running.code).join("Ana")
    ben = Phone(server.url, running.code).join("Ben")
    with ben.stream() as phone, PhoneStream(f"{server.url}/convene/{running.pk}/live", board_cookie) as board:
        phone.until("ready")
        board.until("ready")
        assert ana.post_note("Only for the board").status_code == 200
        board.until("note.added")
        with pytest.raises(TimeoutError):
            phone.until("note.added", timeout=1.5)


def test_a_stream_without_a_pass_is_refused(server, running):
    import httpx

    assert httpx.get(f"{server.url}/w/{running.code}/live", timeout=5).status_code == 403


def test_a_phone_that_reconnects_gets_the_screen_changes_it_missed(server, running, board_cookie):
    ben = Phone(server.url, running.code).join("Ben")
    with ben.stream() as screen:
        screen.until("ready")
        position = screen.last["id"]
    run_round(server.url, running, board_cookie, "close")
    run_round(server.url, running, board_cookie, "open")
    with ben.stream(last_event_id=position) as screen:
        missed = [e["event"] for e in screen.until("ready")]
    assert missed.count("screen.changed") == 2 and "timer.changed" in missed


def test_a_console_that_reconnects_gets_the_notes_it_missed(server, running, board_cookie):
    ana = Phone(server.url, running.code).join("Ana")
    with board_stream(server.url, running, board_cookie) as board:
        board.until("ready")
        position = board.last["id"]
    for n in range(3):
        assert ana.post_note(f"missed {n}").status_code == 200
    with board_stream(server.url, running, board_cookie, last_event_id=position) as board:
        missed = [e for e in board.until("ready") if e["event"] == "note.added"]
    assert len(missed) == 3


def test_a_server_restarted_mid_round_loses_no_saved_note(shared_env, running):
    first = Server("convene-restart", shared_env).start()
    try:
        ana = Phone(first.url, running.code).join("Ana")
        assert ana.post_note("Kept across a restart").status_code == 200
    finally:
        first.stop()
    second = Server("convene-restart", shared_env)
    second.port, second.url = first.port, first.url  # the same address: the phone's cookie still fits
    second.start()
    try:
        screen = ana.screen()
        assert screen.status_code == 200 and "Kept across a restart" in screen.text
    finally:
        second.stop()


@pytest.fixture
def redis_pair(shared_env, redis_url):
    prefix = f"test-convene:{uuid.uuid4().hex[:10]}:"
    env = {**shared_env, "REDIS_URL": redis_url, "LIVE_BACKEND": REDIS_BACKEND, "LIVE_REDIS_PREFIX": prefix}
    servers = start_servers(Server("convene-a", env), Server("convene-b", env))
    yield servers
    for one in servers:
        one.stop()
    delete_prefix(redis_url, prefix)


def test_a_note_posted_on_server_a_reaches_a_screen_on_server_b(redis_pair, running, board_cookie):
    server_a, server_b = redis_pair
    ana = Phone(server_a.url, running.code).join("Ana")
    ben = Phone(server_b.url, running.code).join("Ben", "business")
    with board_stream(server_b.url, running, board_cookie) as board, ben.stream() as phone:
        board.until("ready")
        phone.until("ready")
        assert ana.post_note("Crosses servers").status_code == 200
        board.until("note.added", timeout=5)
        assert board.last["data"]["note"] == running.items.get(kind="brainwriting").notes.get().pk
        run_round(server_a.url, running, board_cookie, "close")
        phone.until("screen.changed", timeout=5)


def test_the_room_s_screen_is_rendered_once_has_no_one_s_own_parts_and_is_never_stale(
        server, running, board_cookie):
    """After a console change every phone asks for the screen at the event's position: the first
    request renders it, the others get that copy from memory (a quiet change made behind the
    server's back does not show in it), with nobody's note, name, token or cookie; the next
    change has a new position, whose screen shows everything."""
    from intersector.workshops import screens
    from intersector.workshops.models import AgendaItem

    marker = "zebra-marker-7f3"
    ana = Phone(server.url, running.code).join("Anaqz")
    ben = Phone(server.url, running.code).join("Ben", "business")
    assert ana.post_note(marker).status_code == 200
    url = screens.screens_url(running, "en")
    with ben.stream() as phone:
        phone.until("ready")
        run_round(server.url, running, board_cookie, "close")
        phone.until("screen.changed")
        closed = phone.last["id"].split(",")[0]
        first = ana.http.get(url + closed)  # Ana's request renders the room's copy
        AgendaItem.objects.filter(workshop=running, kind="brainwriting").update(title="Renamed quietly")
        again = ben.http.get(url + closed)
        assert first.status_code == again.status_code == 200 and again.text == first.text
        assert "This round has closed." in again.text and "Renamed quietly" not in again.text
        assert marker not in again.text and "Anaqz" not in again.text and "csrfmiddlewaretoken" not in again.text
        assert "set-cookie" not in again.headers and "x-keep-shared" not in again.headers
        assert int(again.headers["x-served-at-ms"]) >= int(first.headers["x-served-at-ms"])
        assert "You have written 1 note." in ana.http.get(f"/w/{running.code}/mine").text
        assert "You have written 0 notes." in ben.http.get(f"/w/{running.code}/mine").text
        run_round(server.url, running, board_cookie, "open")
        phone.until("screen.changed")
        opened = phone.last["id"].split(",")[0]
    fresh = ben.http.get(url + opened).text
    assert opened != closed and "Renamed quietly" in fresh and "Round 2:" in fresh and marker not in fresh


def test_a_console_change_brings_the_room_s_screen_in_its_event_in_every_language(
        server, running, board_cookie):
    """No herd of fetches: the phones' screen.changed event carries the room's new screen, rendered
    once per language after the commit, the same as the kept screen at that position, with nobody's
    own content; `asof` is the position just before the event, so the phone may show it at once."""
    import re

    from intersector.workshops import screens

    marker = "zebra-marker-7f3"
    ana = Phone(server.url, running.code).join("Anaqz")
    assert ana.post_note(marker).status_code == 200
    with ana.stream() as phone:
        phone.until("ready")
        run_round(server.url, running, board_cookie, "close")
        phone.until("screen.changed")
        event = phone.last
    position = event["id"].split(",")[0]
    data = event["data"]
    epoch, seq = position.rsplit("-", 1)
    assert data["asof"] == f"{epoch}-{int(seq) - 1}" and set(data["screens"]) == {"en", "es"}
    english, spanish = data["screens"]["en"], data["screens"]["es"]
    assert "This round has closed." in english and "This round has closed." not in spanish
    for html in (english, spanish):
        assert marker not in html and "Anaqz" not in html and "csrfmiddlewaretoken" not in html
        assert "data-shared" in html
    kept = ana.http.get(screens.screens_url(running, "en") + position).text
    assert re.sub(r'data-now="\d+"', "", kept) == re.sub(r'data-now="\d+"', "", english)
