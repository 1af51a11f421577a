"""Starting the simulation seats everyone in a role, and each phone shows only its own brief."""

from intersector.workshops.activities.casesim import state
from intersector.workshops.activities.casesim.models import RoleSeat, TableRun


def test_starting_seats_everyone_in_a_role_at_two_tables(started, people):
    simulation = state.simulation_of(started)
    seats = list(RoleSeat.objects.filter(simulation=simulation))
    assert len(seats) == 8
    assert {seat.table_id for seat in seats} == set(TableRun.objects.filter(simulation=simulation)
                                                     .values_list("table_id", flat=True))
    assert len(simulation.cast) == 4  # two tables of four: every table plays the same four roles
    assert all(seat.mode == "role" for seat in seats)
    assert TableRun.objects.filter(simulation=simulation, phase="read").count() == 2


def test_a_phone_shows_its_own_brief_and_no_other(started, people, phone_of):
    simulation = state.simulation_of(started)
    roles = {r["key"]: r for r in state.roles_of(simulation)}
    seat = RoleSeat.objects.get(simulation=simulation, participant=people[0])
    page = phone_of(people[0]).get(f"/w/{started.workshop.code}/").content.decode()
    mine = roles[seat.role_key]["brief"].split("\n")[0][:60]
    assert mine in page.replace("<br>", "\n")
    for key in simulation.cast:
        if key != seat.role_key:
            assert roles[key]["brief"].split("\n")[0][:60] not in page


def test_the_people_panel_does_not_move_people_while_the_simulation_seats_them(started, people, console, workshop):
    """Moving someone with the core's people panel would leave their role at the old table: the
    console says where to move people instead, and nothing moves."""
    from intersector.workshops.models import Participant

    before = dict(Participant.objects.values_list("pk", "table_id"))
    other = workshop.tables.exclude(pk=before[people[0].pk]).first()
    for data in ({"action": "move", "participant": people[0].pk, "table": other.pk},
                 {"action": "count", "count": "5"}, {"action": "auto"}):
        answer = console.post(f"/convene/{workshop.pk}/tables/", data)
        assert answer.status_code == 409, data
        assert "table overview" in answer.content.decode()
    assert dict(Participant.objects.values_list("pk", "table_id")) == before
    # Once the room has moved on to another item, the people panel moves people again.
    from intersector.workshops import services

    services.go_to_item(workshop, workshop.items.get(kind="brainwriting"))
    assert console.post(f"/convene/{workshop.pk}/tables/", {"action": "count", "count": "3"}).status_code == 302
