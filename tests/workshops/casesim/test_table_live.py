"""On a real uvicorn server: a phone's edit of the sheet reaches the other phones of its table on the
stream they already have, with what they show (no fetch needed), and not another table's phones; a
phone that missed events gets them again on reconnecting, or a resync and the latest text."""

import re

import pytest

from intersector.workshops import services
from intersector.workshops.activities.casesim import table
from intersector.workshops.activities.casesim.models import RoleSeat, TableRun
from tests.live.servers import Server, server_env
from tests.workshops.phones import Phone, database_url

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    from django.db import connection

    server = Server("casesim-table", server_env(DATABASE_URL=database_url(connection.settings_dict),
                                                LIVE_KEEPALIVE_SECONDS=0.5)).start()
    yield server
    server.stop()


@pytest.fixture
def negotiating(facilitator, server):
    workshop = services.create_workshop(facilitator, "Simulation", "starter")
    phones = [Phone(server.url, workshop.code).join(f"P{n}", ["government", "business", "non-profit"][n % 3])
              for n in range(6)]
    services.set_table_count(workshop, 2)
    services.go_to_item(workshop, workshop.items.get(kind="casesim"))
    TableRun.objects.update(phase="negotiate", families=["who", "how", "what-if"])
    return workshop, phones


def seated(workshop, phones):
    """{table id: [phones]} from the seats the start gave."""
    by_name = {phone_name: phone for phone_name, phone in zip((f"P{n}" for n in range(6)), phones)}
    found = {}
    for seat in RoleSeat.objects.select_related("participant").order_by("pk"):
        found.setdefault(seat.table_id, []).append(by_name[seat.participant.display_name])
    return list(found.items())


def save(phone, workshop, element, text, base):
    return phone.http.post(f"/w/{workshop.code}/casesim/sheet/{element}/save/",
                           data={"text": text, "base_version": str(base)},
                           headers={"X-CSRFToken": phone.http.cookies.get("csrftoken", ""), "X-Convene": "fetch"})


def test_an_edit_reaches_the_tables_phones_and_not_another_table(server, negotiating):
    workshop, phones = negotiating
    (table_one, one), (_table_two, two) = seated(workshop, phones)
    writer, reader, other = one[0], one[1], two[0]
    element = table.scorecard().family_by_key["who"].elements[0].key
    with reader.stream() as same_table, other.stream() as other_table:
        same_table.until("ready")
        other_table.until("ready")
        answer = save(writer, workshop, element, "City staff coordinate.", 0)
        assert answer.status_code == 200, answer.text[:300]
        assert re.search(r'data-version="1"', answer.text)
        same_table.until("sim.sheet")
        writer_seat = RoleSeat.objects.select_related("participant").filter(table_id=table_one).order_by("pk")[0]
        data = same_table.last["data"]
        assert {key: data[key] for key in ("workshop", "table", "run", "element", "version", "by")} == {
            "workshop": workshop.pk, "table": table_one, "run": TableRun.objects.get(table_id=table_one).pk,
            "element": element, "version": 1, "by": writer_seat.participant_id}
        # What the table's phones show, in the event: nothing to fetch.
        assert data["shown"]["text"] == "City staff coordinate."
        assert (data["shown"]["status"], data["shown"]["by_name"]) == ("draft", writer_seat.participant.display_name)
        with pytest.raises(TimeoutError):
            other_table.until("sim.sheet", timeout=1.5)
    fragment = reader.http.get(f"/w/{workshop.code}/casesim/sheet/{element}/", headers={"X-Convene": "fetch"})
    assert fragment.status_code == 200 and "City staff coordinate." in fragment.text
    elsewhere = other.http.get(f"/w/{workshop.code}/casesim/sheet/{element}/", headers={"X-Convene": "fetch"})
    assert elsewhere.status_code == 200 and "City staff coordinate." not in elsewhere.text


def test_a_phone_that_missed_edits_gets_them_again_or_a_resync_and_the_latest_text(server, negotiating):
    workshop, phones = negotiating
    (_table_one, one), _two = seated(workshop, phones)
    writer, reader = one[0], one[1]
    element = table.scorecard().family_by_key["how"].elements[0].key
    with reader.stream() as stream:
        stream.until("ready")
        assert save(writer, workshop, element, "First words.", 0).status_code == 200
        stream.until("sim.sheet")
        position = stream.last["id"]
    # The reader's phone is away (a tunnel) while two more edits are made.
    assert save(writer, workshop, element, "Second words.", 1).status_code == 200
    assert save(writer, workshop, element, "The latest words.", 2).status_code == 200
    with reader.stream(last_event_id=position) as stream:
        missed = [event for event in stream.take(2) if event["event"] == "sim.sheet"]
    assert [(e["data"]["version"], e["data"]["shown"]["text"]) for e in missed] == [
        (2, "Second words."), (3, "The latest words.")]  # the replay, in order, with the texts
    # A position the stream cannot resume from (another server's, an old page's): a resync, and
    # the phone's screen, built from the database, has the latest text.
    with reader.stream(last_event_id="0-1,0-1") as stream:
        assert [event["event"] for event in stream.until("ready")] == ["resync"]
    screen = reader.screen()
    assert screen.status_code == 200 and "The latest words." in screen.text and "Second words." not in screen.text
