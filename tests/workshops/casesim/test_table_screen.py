"""The case simulation's phone screen is its table's (workshops/screens.py, Activity.phone_audiences):
rendered once for everyone at a table who may act (and once for its observers), kept per version,
with nobody's seat, brief or answer in it. Each person's own parts, their confidential brief above
all, come only from their own request (/mine) or their own page."""

import re

import pytest
from django.test import Client

from intersector.live import current_event_id
from intersector.shared_responses import KEEP_HEADER
from intersector.workshops import screens
from intersector.workshops.activities.casesim import phases, state, table
from intersector.workshops.activities.casesim.models import RoleSeat
from tests.workshops.casesim.test_confidential import all_markers, markers_of, plant_markers
from tests.workshops.conftest import phone_for

pytestmark = pytest.mark.django_db
FOUND = re.compile(r"mk-[a-z0-9-]+?-q")


def without_clock(html):
    """A rendering without what moves with the clock (a second may pass between two)."""
    html = re.sub(r'data-now="\d+"|data-sim-left="\d+"', "", html)
    return re.sub(r'<span class="timer-value"[^>]*>[^<]*</span>', "", html)


def screens_address(page):
    return re.search(r'data-screens="([^"]+)"', page).group(1)


def position_of(workshop, participant):
    participant.refresh_from_db()
    return current_event_id(workshop.phone_topics(participant))


@pytest.fixture
def seated(workshop, started):
    """The started simulation with markers in every brief; {seat: its phone}."""
    simulation = plant_markers(state.simulation_of(started))
    seats = list(RoleSeat.objects.filter(simulation=simulation).select_related("participant").order_by("pk"))
    return simulation, {seat: phone_for(Client, seat.participant) for seat in seats}


def test_the_people_at_a_table_share_one_screen_without_anyone_s_brief(workshop, seated):
    simulation, phones = seated
    by_table = {}
    for seat, phone in phones.items():
        if table.can_act(seat):
            by_table.setdefault(seat.table_id, []).append((seat, phone))
    (first, first_phone), (second, second_phone) = next(v for v in by_table.values() if len(v) >= 2)[:2]
    page = first_phone.get(f"/w/{workshop.code}/").content.decode()
    address = screens_address(page)
    assert "data-screens-whole" in page and f"t{first.table_id}-act-" in address
    assert markers_of(simulation, first.role_key) & set(FOUND.findall(page))  # their own page: their brief
    assert screens_address(second_phone.get(f"/w/{workshop.code}/").content.decode()) == address

    version = position_of(workshop, first.participant)
    answer = first_phone.get(address + version)
    html = answer.content.decode()
    assert answer.status_code == 200 and answer[KEEP_HEADER] == "1"
    assert not FOUND.findall(html), "a brief in the table's shared screen"
    assert first.participant.display_name not in html and "csrfmiddlewaretoken" not in html
    assert 'data-mine="sim-brief"' in html and "Loading your confidential role" in html and "data-shared" in html
    assert "The case (everyone has it)" in html
    again = second_phone.get(address + version).content.decode()  # rendered again here (no ASGI store)
    assert without_clock(again) == without_clock(html)

    # Each holder's brief comes by their own request, and only theirs.
    mine = first_phone.get(f"/w/{workshop.code}/mine").content.decode()
    theirs = second_phone.get(f"/w/{workshop.code}/mine").content.decode()
    assert set(FOUND.findall(mine)) and set(FOUND.findall(mine)) <= markers_of(simulation, first.role_key)
    assert set(FOUND.findall(theirs)) <= markers_of(simulation, second.role_key)
    mine_for = re.search(r'data-mine-for="([^"]+)"', html).group(1)
    assert f'data-mine-for="{mine_for}"' in mine and "You play:" in mine


def test_observers_have_their_own_table_screen_and_no_brief_slot(workshop, seated):
    simulation, phones = seated
    holder = next(seat for seat in phones if table.can_act(seat))
    RoleSeat.objects.filter(pk=holder.pk).update(mode=RoleSeat.Mode.OBSERVER, role_key="")
    page = phones[holder].get(f"/w/{workshop.code}/").content.decode()
    address = screens_address(page)
    assert f"t{holder.table_id}-watch-" in address
    html = phones[holder].get(address + position_of(workshop, holder.participant)).content.decode()
    assert 'data-mine="sim-brief"' not in html and not FOUND.findall(html)
    assert "You observe this table" in phones[holder].get(f"/w/{workshop.code}/mine").content.decode()


def test_someone_at_another_table_never_gets_a_table_s_screen(workshop, seated):
    """The address names its table; a phone seated elsewhere (moved, or guessing) is answered with
    its own screen, never kept, with only its own brief."""
    simulation, phones = seated
    one = next(seat for seat in phones if table.can_act(seat))
    other = next(seat for seat in phones if seat.table_id != one.table_id)
    address = screens_address(phones[one].get(f"/w/{workshop.code}/").content.decode())
    answer = phones[other].get(address + position_of(workshop, other.participant))
    assert answer.status_code == 200 and KEEP_HEADER not in answer and "no-store" in answer["Cache-Control"]
    assert set(FOUND.findall(answer.content.decode())) <= markers_of(simulation, other.role_key)
    forged = address.replace(f"t{one.table_id}-act-", f"t{other.table_id}-act-")
    assert phones[one].get(forged + position_of(workshop, one.participant)).status_code == 404


def test_a_table_screen_is_kept_only_for_positions_already_published(workshop, seated):
    """Its version is the position in both of the phone's topics (the room's and the table's): a
    table position from the future is answered but never kept."""
    _simulation, phones = seated
    seat, phone = next((s, p) for s, p in phones.items() if table.can_act(s))
    address = screens_address(phone.get(f"/w/{workshop.code}/").content.decode())
    now = position_of(workshop, seat.participant)
    room, own = now.split(",")
    epoch, seq = own.rsplit("-", 1)
    future = phone.get(address + f"{room},{epoch}-{int(seq) + 3}")
    only_room = phone.get(address + room)
    for answer in (future, only_room):
        assert answer.status_code == 200 and KEEP_HEADER not in answer
    assert phone.get(address + now)[KEEP_HEADER] == "1"


def test_a_table_s_change_gives_its_phones_a_new_address_showing_it(workshop, seated, django_capture_on_commit_callbacks):
    simulation, phones = seated
    seat, phone = next((s, p) for s, p in phones.items() if s.mode == RoleSeat.Mode.ROLE)
    address = screens_address(phone.get(f"/w/{workshop.code}/").content.decode())
    before = position_of(workshop, seat.participant)
    assert "Choose the question families" not in phone.get(address + before).content.decode()
    run = state.run_of(simulation, seat.table_id)
    with django_capture_on_commit_callbacks(execute=True):
        phases.move_table_on(state.simulation_of(simulation.item).item, run.pk)
    after = position_of(workshop, seat.participant)
    assert after != before and after.split(",")[0] == before.split(",")[0]  # only the table's topic moved
    assert "Choose the question families" in phone.get(address + after).content.decode()
    assert not FOUND.findall(phone.get(address + after).content.decode()) and all_markers(simulation)


def test_a_move_gives_the_table_a_new_address_its_former_member_never_learns(workshop, seated,
                                                                              django_capture_on_commit_callbacks):
    """A kept table screen is answered from memory without asking Django (shared_responses), so
    the address it is kept under is the capability: once someone leaves a table, what the table
    does next is kept under a new address, which the person who left is never given. Those who
    stayed and still ask at the old address get their screen, never kept, and the new address."""
    simulation, phones = seated
    counts = {}
    for seat in phones:
        counts[seat.table_id] = counts.get(seat.table_id, 0) + 1
    leaving = next(s for s in phones if table.can_act(s) and counts[s.table_id] >= 3)
    staying = next(s for s in phones if s.table_id == leaving.table_id and s != leaving and table.can_act(s))
    old = screens_address(phones[staying].get(f"/w/{workshop.code}/").content.decode())
    assert screens_address(phones[leaving].get(f"/w/{workshop.code}/").content.decode()) == old
    other_run = next(r for r in simulation.runs.all() if r.table_id != leaving.table_id)
    with django_capture_on_commit_callbacks(execute=True):
        phases.move_person(simulation.item, leaving.participant_id, other_run.pk, "")

    new = screens_address(phones[staying].get(f"/w/{workshop.code}/").content.decode())
    assert new != old and f"t{staying.table_id}-act-" in new
    moved_page = phones[leaving].get(f"/w/{workshop.code}/").content.decode()
    assert screens_address(moved_page) not in (old, new)

    after = position_of(workshop, staying.participant)
    at_old = phones[staying].get(old + after)
    assert at_old.status_code == 200 and KEEP_HEADER not in at_old and "no-store" in at_old["Cache-Control"]
    assert at_old["X-Screens"] == new and at_old["X-Screens-Whole"] == "1"
    at_new = phones[staying].get(new + after)
    assert at_new[KEEP_HEADER] == "1" and not FOUND.findall(at_new.content.decode())
    # The one who left, at the old address: their own screen, never kept, with their new table's.
    theirs = phones[leaving].get(old + position_of(workshop, leaving.participant))
    assert KEEP_HEADER not in theirs and theirs["X-Screens"] == screens_address(moved_page)
    assert not FOUND.findall(theirs.content.decode())  # observing now: no brief of anyone's
