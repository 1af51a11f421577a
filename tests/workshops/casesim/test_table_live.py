"""On a real uvicorn server: a phone's edit of the sheet reaches the other phones of its table on the
stream they already have (then they fetch just that element), and not another table's phones."""

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


def test_an_edit_reaches_the_tables_phones_and_not_another_table(server, negotiating):
    workshop, phones = negotiating
    (table_one, one), (_table_two, two) = seated(workshop, phones)
    writer, reader, other = one[0], one[1], two[0]
    element = table.scorecard().family_by_key["who"].elements[0].key
    with reader.stream() as same_table, other.stream() as other_table:
        same_table.until("ready")
        other_table.until("ready")
        answer = writer.http.post(f"/w/{workshop.code}/casesim/sheet/{element}/save/",
                                  data={"text": "City staff coordinate.", "base_version": "0"},
                                  headers={"X-CSRFToken": writer.http.cookies.get("csrftoken", ""),
                                           "X-Convene": "fetch"})
        assert answer.status_code == 200, answer.text[:300]
        assert re.search(r'data-version="1"', answer.text)
        same_table.until("sim.sheet")
        writer_pk = RoleSeat.objects.filter(table_id=table_one).order_by("pk")[0].participant_id
        assert same_table.last["data"] == {"workshop": workshop.pk, "table": table_one, "run": TableRun.objects.get(
            table_id=table_one).pk, "element": element, "version": 1, "by": writer_pk}  # ids only
        with pytest.raises(TimeoutError):
            other_table.until("sim.sheet", timeout=1.5)
    fragment = reader.http.get(f"/w/{workshop.code}/casesim/sheet/{element}/", headers={"X-Convene": "fetch"})
    assert fragment.status_code == 200 and "City staff coordinate." in fragment.text
    elsewhere = other.http.get(f"/w/{workshop.code}/casesim/sheet/{element}/", headers={"X-Convene": "fetch"})
    assert elsewhere.status_code == 200 and "City staff coordinate." not in elsewhere.text
