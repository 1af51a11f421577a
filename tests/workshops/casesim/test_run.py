"""The facilitator runs the simulation through the console's real URLs: the phases' clock, extra
time, moving tables on, the report back, revealing, seating changes, the set-up and the overview."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intersector.workshops import services
from intersector.workshops.activities.casesim import state
from intersector.workshops.activities.casesim.models import RoleSeat, SheetEntry, Simulation, TableRun
from intersector.workshops.templatetags.convene import mmss
from intersector.workshops.models import Participant

SECTORS = ["government", "business", "non-profit"]


def url(item, name):
    return reverse(f"workshops:casesim:{name}", args=[item.workshop_id, item.pk])


def simulation(item):
    return Simulation.objects.get(item=item)


def runs(item):
    return list(TableRun.objects.filter(simulation__item=item).select_related("table"))


@pytest.fixture
def panel(console, started):
    """GET the console and return its HTML."""
    return lambda: console.get(reverse("workshops:console", args=[started.workshop_id])).content.decode()


# --- The clock -------------------------------------------------------------------------------


def test_every_table_moves_to_the_next_phase_and_phones_hear_it(console, started, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = console.post(url(started, "clock"), {"action": "next"})
    assert answer.status_code == 302
    assert {run.phase for run in runs(started)} == {"choose-families"}
    run = runs(started)[0]
    minutes = state.phase_minutes(simulation(started), "choose-families")
    assert abs((run.phase_ends_at - timezone.now()).total_seconds() - minutes * 60) < 5


@pytest.fixture
def sent(monkeypatch):
    """The live events the console's actions announce: (topic, event, data)."""
    events = []
    monkeypatch.setattr("intersector.workshops.services.publish",
                        lambda topic, event, data=None: events.append((topic, event, data)))
    return events


def test_what_each_action_announces(console, started, sent, people):
    workshop = started.workshop
    first, second = runs(started)
    console.post(url(started, "clock"), {"action": "next"})
    assert (workshop.phone_topic(), "sim.phase") in [(t, e) for t, e, _d in sent]  # every phone
    sent.clear()
    console.post(url(started, "clock"), {"action": "move-on", "run": first.pk})
    topics = {t for t, e, _d in sent if e == "sim.phase"}
    assert topics == {first.table.topic, workshop.topic}  # that table's phones and the boards, not the others
    sent.clear()
    seat = RoleSeat.objects.filter(simulation__item=started, table=second.table).first()
    console.post(url(started, "seats"), {"action": "take-out", "participant": seat.participant_id})
    seat_events = [d for t, e, d in sent if e == "seat.changed" and t == workshop.phone_topic()]
    assert seat.participant_id in {d["participant"] for d in seat_events}
    assert ("sim.changed" in {e for t, e, _d in sent if t == workshop.topic})
    sent.clear()
    console.post(url(started, "stage"), {"action": "reveal", "confirm": "yes"})
    assert [(t, e) for t, e, _d in sent if e == "sim.reveal"] == [(workshop.topic, "sim.reveal"),
                                                                   (workshop.phone_topic(), "sim.reveal")]
    assert all(set(d) <= {"workshop", "table", "run", "phase", "stage", "participant"} for _t, _e, d in sent)


def test_one_table_moves_on_and_every_table_then_catches_up(console, started):
    first, second = runs(started)
    assert console.post(url(started, "clock"), {"action": "move-on", "run": first.pk}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.phase, second.phase) == ("choose-families", "read")
    console.post(url(started, "clock"), {"action": "next"})  # every table to choose-families
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.phase, second.phase) == ("choose-families", "choose-families")
    for _ in range(3):
        console.post(url(started, "clock"), {"action": "next"})
    assert {run.phase for run in runs(started)} == {"done"}
    answer = console.post(url(started, "clock"), {"action": "next"})
    assert answer.status_code == 409
    assert "finished the last phase" in answer.content.decode()


def test_back_one_phase_undoes_a_click_too_many(console, started):
    console.post(url(started, "clock"), {"action": "next"})
    assert console.post(url(started, "clock"), {"action": "back"}).status_code == 302
    assert {run.phase for run in runs(started)} == {"read"}
    assert console.post(url(started, "clock"), {"action": "back"}).status_code == 409


def test_extra_minutes_for_one_table_or_all(console, started):
    first, second = runs(started)
    before = {run.pk: run.phase_ends_at for run in runs(started)}
    console.post(url(started, "clock"), {"action": "add", "minutes": "2", "run": first.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.phase_ends_at - before[first.pk] == timedelta(minutes=2)
    assert first.extra_seconds == 120
    assert second.phase_ends_at == before[second.pk]
    console.post(url(started, "clock"), {"action": "add", "minutes": "3"})
    second.refresh_from_db()
    assert second.phase_ends_at - before[second.pk] == timedelta(minutes=3)


def seat_at(item, run):
    return RoleSeat.objects.filter(simulation__item=item, table=run.table, mode="role").first()


def test_pausing_every_clock_keeps_the_time_left_and_resuming_continues_from_it(console, started, phone_of, panel):
    first, second = runs(started)
    TableRun.objects.filter(pk=first.pk).update(phase_ends_at=timezone.now() + timedelta(minutes=7, seconds=30))
    assert console.post(url(started, "clock"), {"action": "pause"}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.phase_ends_at is None and 420 <= first.paused_left <= 450  # (a slow machine: seconds pass)
    assert second.paused_left is not None
    later = timezone.now() + timedelta(minutes=20)
    assert state.seconds_left(first, later) == first.paused_left  # the time left does not run down
    page = panel()
    assert page.count('class="sim-clock sim-paused"') == 2 and "2 tables' clocks paused" in page
    assert "Resume every paused clock" in page and "Pause every clock" not in page
    phone = phone_of(seat_at(started, first).participant).get(f"/w/{started.workshop.code}/").content.decode()
    assert "data-sim-paused data-say-up" in phone and "Paused" in phone and mmss(first.paused_left) in phone

    TableRun.objects.filter(pk=first.pk).update(last_activity=timezone.now() - timedelta(minutes=10))
    assert "quiet 3 min" not in panel()  # a table waiting for the clock is not a quiet table
    left = first.paused_left
    assert console.post(url(started, "clock"), {"action": "resume"}).status_code == 302
    first.refresh_from_db()
    assert first.paused_left is None
    assert abs((first.phase_ends_at - timezone.now()).total_seconds() - left) < 3
    phone = phone_of(seat_at(started, first).participant).get(f"/w/{started.workshop.code}/").content.decode()
    assert "data-sim-paused data-say-up" not in phone and "data-sim-left" in phone
    assert "quiet 3 min" not in panel()


def test_pausing_one_table_leaves_the_others_running_and_tells_only_that_table(console, started, sent):
    first, second = runs(started)
    assert console.post(url(started, "clock"), {"action": "pause", "run": first.pk}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.paused_left is not None and first.phase_ends_at is None
    assert second.paused_left is None and second.phase_ends_at is not None
    assert {t for t, e, _d in sent if e == "sim.phase"} == {first.table.topic, started.workshop.topic}
    projector = console.get(f"/w/{started.workshop.code}/screen").content.decode()
    assert projector.count("<strong>Paused</strong>") == 1  # the projector's table list says which
    sent.clear()
    console.post(url(started, "clock"), {"action": "pause"})  # every table: the second one too
    assert (started.workshop.phone_topic(), "sim.phase") in [(t, e) for t, e, _d in sent]
    second.refresh_from_db()
    assert second.paused_left is not None
    sent.clear()
    assert console.post(url(started, "clock"), {"action": "resume", "run": second.pk}).status_code == 302
    assert {t for t, e, _d in sent if e == "sim.phase"} == {second.table.topic, started.workshop.topic}
    first.refresh_from_db()
    assert first.paused_left is not None  # still paused


def test_pause_and_resume_refuse_plainly_when_there_is_nothing_to_do(console, started):
    first, _second = runs(started)
    answer = console.post(url(started, "clock"), {"action": "resume"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 409 and "No clock is paused" in answer.content.decode()
    console.post(url(started, "clock"), {"action": "pause", "run": first.pk})
    answer = console.post(url(started, "clock"), {"action": "pause", "run": first.pk}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 409 and "paused already" in answer.content.decode()
    for _ in range(4):
        console.post(url(started, "clock"), {"action": "next"})
    answer = console.post(url(started, "clock"), {"action": "pause"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 409  # every table has finished: no clock to pause


def test_extra_time_while_paused_waits_and_a_new_phase_starts_its_clock(console, started):
    first, _second = runs(started)
    console.post(url(started, "clock"), {"action": "pause", "run": first.pk})
    first.refresh_from_db()
    left = first.paused_left
    console.post(url(started, "clock"), {"action": "add", "minutes": "2", "run": first.pk})
    first.refresh_from_db()
    assert first.paused_left == left + 120 and first.phase_ends_at is None
    console.post(url(started, "clock"), {"action": "move-on", "run": first.pk})
    first.refresh_from_db()
    assert first.phase == "choose-families" and first.paused_left is None and first.phase_ends_at is not None


@pytest.mark.parametrize("minutes", ["", "two", "0", "31", "-2", "2.5"])
def test_bad_minutes_are_refused_plainly(console, started, minutes):
    before = [run.phase_ends_at for run in runs(started)]
    answer = console.post(url(started, "clock"), {"action": "add", "minutes": minutes}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 400
    assert "minutes" in answer.content.decode()
    assert [run.phase_ends_at for run in runs(started)] == before


def test_another_workshops_table_is_not_found(console, started, facilitator, simulation_item):
    other = services.create_workshop(facilitator, "Another room", "starter")
    for n in range(6):
        services.join(other, f"Other {n}", SECTORS[n % 3])
    other_item = other.items.get(kind="casesim")
    services.go_to_item(other, other_item)
    foreign = TableRun.objects.filter(simulation__item=other_item).first()
    for action in ("move-on", "add", "back"):
        answer = console.post(url(started, "clock"), {"action": action, "run": foreign.pk, "minutes": "2"})
        assert answer.status_code == 404
    foreign.refresh_from_db()
    assert foreign.phase == "read" and foreign.extra_seconds == 0
    stranger = Participant.objects.filter(workshop=other).first()
    answer = console.post(url(started, "seats"), {"action": "take-out", "participant": stranger.pk})
    assert answer.status_code == 404


def test_phones_and_strangers_cannot_reach_the_facilitators_addresses(started, people, phone_of, django_user_model):
    phone = phone_of(people[0])
    stranger = Client()
    stranger.force_login(django_user_model.objects.create_user("sam", "sam@example.org", "another-long-pass-42"))
    posts = [("clock", {"action": "next"}), ("stage", {"action": "reveal", "confirm": "yes"}),
             ("seats", {"action": "take-out", "participant": people[1].pk}), ("setup", {"pack": "sacramento"})]
    for name, data in posts:
        assert stranger.post(url(started, name), data).status_code == 404
        answer = phone.post(url(started, name), data)
        assert answer.status_code == 302 and "/sign-in/" in answer["Location"]  # a phone is nobody's account
    assert stranger.get(url(started, "guide")).status_code == 404
    assert phone.get(url(started, "guide")).status_code == 302
    assert {run.phase for run in runs(started)} == {"read"}
    sim = simulation(started)
    assert sim.revealed_at is None
    assert not RoleSeat.objects.filter(simulation=sim, taken_out=True).exists()


def test_an_item_of_another_kind_is_not_found(console, started, workshop):
    other = workshop.items.exclude(kind="casesim").first()
    answer = console.post(reverse("workshops:casesim:clock", args=[workshop.pk, other.pk]), {"action": "next"})
    assert answer.status_code == 404


def test_unknown_action_is_refused(console, started):
    for name in ("clock", "stage", "seats"):
        assert console.post(url(started, name), {"action": "dance"}).status_code == 400


# --- Report back and revealing ---------------------------------------------------------------


def test_report_back_and_back_to_the_tables(console, started):
    console.post(url(started, "stage"), {"action": "report"})
    assert simulation(started).stage == "report"
    console.post(url(started, "stage"), {"action": "tables"})
    assert simulation(started).stage == "tables"


def test_revealing_needs_the_confirmation_and_is_final(console, started, people, phone_of):
    answer = console.post(url(started, "stage"), {"action": "reveal"})
    assert answer.status_code == 400
    assert simulation(started).revealed_at is None
    console.post(url(started, "stage"), {"action": "reveal", "confirm": "yes"})
    sim = simulation(started)
    assert sim.revealed_at is not None
    assert len(state.revealed_roles(sim)) == len(sim.cast)
    page = console.get(reverse("workshops:console", args=[started.workshop_id])).content.decode()
    assert "Briefs revealed to everyone." in page
    assert "Reveal all briefs" not in page  # no way back, and no button that pretends otherwise


# --- Seating ---------------------------------------------------------------------------------


def test_taking_out_hands_the_role_to_the_mirror_and_putting_back_makes_a_mirror(console, workshop, simulation_item):
    people = [services.join(workshop, f"P{n}", SECTORS[n % 3]) for n in range(11)]
    services.set_table_count(workshop, 2)
    services.go_to_item(workshop, simulation_item)
    sim = simulation(simulation_item)
    mirror = RoleSeat.objects.filter(simulation=sim, mode="mirror").first()
    assert mirror is not None  # tables of six and five play a cast of five: one person shares a role
    holder = RoleSeat.objects.get(simulation=sim, table=mirror.table, role_key=mirror.role_key, mode="role")
    answer = console.post(url(simulation_item, "seats"), {"action": "take-out", "participant": holder.participant_id})
    assert answer.status_code == 302
    holder.refresh_from_db()
    mirror.refresh_from_db()
    assert holder.taken_out and mirror.mode == "role" and mirror.role_key == holder.role_key
    assert console.post(url(simulation_item, "seats"),
                        {"action": "take-out", "participant": holder.participant_id}).status_code == 409
    console.post(url(simulation_item, "seats"), {"action": "put-back", "participant": holder.participant_id})
    holder.refresh_from_db()
    assert not holder.taken_out and holder.mode == "mirror" and holder.role_key == mirror.role_key
    assert len(people) == 11


def test_moving_a_person_to_another_table_and_role(console, started):
    sim = simulation(started)
    first, second = runs(started)
    seat = RoleSeat.objects.filter(simulation=sim, table=first.table).first()
    other_role = next(key for key in sim.cast if key != seat.role_key)
    answer = console.post(url(started, "seats"), {"action": "move", "participant": seat.participant_id,
                                                  "run": second.pk, "role": other_role})
    assert answer.status_code == 302
    seat.refresh_from_db()
    assert seat.table_id == second.table_id and seat.role_key == other_role
    assert seat.mode == "mirror"  # someone at table 2 already plays that role
    assert Participant.objects.get(pk=seat.participant_id).table_id == second.table_id
    # As an observer
    console.post(url(started, "seats"), {"action": "move", "participant": seat.participant_id, "run": second.pk,
                                         "role": ""})
    seat.refresh_from_db()
    assert (seat.mode, seat.role_key) == ("observer", "")


def test_moving_refuses_unknown_roles_and_a_table_of_one(console, workshop, simulation_item):
    people = [services.join(workshop, f"P{n}", SECTORS[n % 3]) for n in range(6)]
    services.set_table_count(workshop, 2)
    services.go_to_item(workshop, simulation_item)
    sim = simulation(simulation_item)
    first, second = runs(simulation_item)
    seats = list(RoleSeat.objects.filter(simulation=sim, table=first.table))
    assert len(seats) == 3
    answer = console.post(url(simulation_item, "seats"), {"action": "move", "participant": seats[0].participant_id,
                                                          "run": second.pk, "role": "no-such-role"})
    assert answer.status_code == 400
    console.post(url(simulation_item, "seats"), {"action": "move", "participant": seats[0].participant_id,
                                                 "run": second.pk, "role": ""})
    answer = console.post(url(simulation_item, "seats"), {"action": "move", "participant": seats[1].participant_id,
                                                          "run": second.pk, "role": ""})
    assert answer.status_code == 409
    assert "one person" in answer.content.decode()
    assert RoleSeat.objects.filter(simulation=sim, table=first.table).count() == 2
    assert len(people) == 6


def test_a_latecomer_takes_the_emptiest_table(started, workshop, phone_of):
    sim = simulation(started)
    first, second = runs(started)
    # Table 1 loses a person: it is now the emptiest.
    seat = RoleSeat.objects.filter(simulation=sim, table=first.table).first()
    seat.table = second.table
    seat.save()
    late = services.join(workshop, "Late Lucy", "business")
    assert phone_of(late).get(f"/w/{workshop.code}/").status_code == 200
    placed = RoleSeat.objects.get(simulation=sim, participant=late)
    assert placed.table_id == first.table_id
    assert placed.mode == "role"


def test_seating_everyone_again(console, started):
    sim = simulation(started)
    RoleSeat.objects.filter(simulation=sim).update(acknowledged_at=timezone.now())
    answer = console.post(url(started, "seats"), {"action": "redeal"})
    assert answer.status_code == 400
    console.post(url(started, "seats"), {"action": "redeal", "confirm": "yes"})
    assert RoleSeat.objects.filter(simulation=sim, acknowledged_at__isnull=False).count() == 0
    assert RoleSeat.objects.filter(simulation=sim).count() == 8
    run = runs(started)[0]
    SheetEntry.objects.create(run=run, family="who", element="representatives", text="x")
    answer = console.post(url(started, "seats"), {"action": "redeal", "confirm": "yes"})
    assert answer.status_code == 409


# --- Set-up ----------------------------------------------------------------------------------


def test_setup_before_the_start_and_a_refusal_after(console, workshop, simulation_item, people):
    answer = console.post(url(simulation_item, "setup"), {
        "pack": "sacramento", "language": "es", "prefer": "other", "extra": "observer",
        "minutes-read": "12", "minutes-negotiate": "40"})
    assert answer.status_code == 302
    simulation_item.refresh_from_db()
    assert simulation_item.config["language"] == "es"
    assert simulation_item.config["phase_minutes"] == {"read": 12, "negotiate": 40}
    services.set_table_count(workshop, 2)
    services.go_to_item(workshop, simulation_item)
    sim = simulation(simulation_item)
    assert state.phase_minutes(sim, "read") == 12
    run = runs(simulation_item)[0]
    assert abs((run.phase_ends_at - run.phase_started_at).total_seconds() - 12 * 60) < 1
    assert sim.pack_language == "es"
    answer = console.post(url(simulation_item, "setup"), {"pack": "sacramento", "prefer": "own", "extra": "mirror"})
    assert answer.status_code == 409
    assert "has started" in answer.content.decode()


@pytest.mark.parametrize("data", [
    {"pack": "no-such-pack", "prefer": "own", "extra": "mirror"},
    {"pack": "sacramento", "language": "fr", "prefer": "own", "extra": "mirror"},
    {"pack": "sacramento", "prefer": "mine", "extra": "mirror"},
    {"pack": "sacramento", "prefer": "own", "extra": "dance"},
    {"pack": "sacramento", "prefer": "own", "extra": "mirror", "minutes-read": "0"},
    {"pack": "sacramento", "prefer": "own", "extra": "mirror", "minutes-read": "many"},
])
def test_bad_setup_is_refused(console, simulation_item, data):
    before = dict(simulation_item.config)
    answer = console.post(url(simulation_item, "setup"), data)
    assert answer.status_code == 400
    simulation_item.refresh_from_db()
    assert simulation_item.config == before


def test_the_console_shows_the_setup_before_the_start(console, workshop, simulation_item):
    services.go_to_item(workshop, workshop.items.exclude(kind="casesim").first())
    workshop.current_item = simulation_item
    workshop.save()  # the item is current but not started: the set-up form shows
    page = console.get(reverse("workshops:console", args=[workshop.pk])).content.decode()
    assert 'name="prefer"' in page and "minutes-negotiate" in page


# --- The overview ----------------------------------------------------------------------------


def test_the_overview_shows_people_briefs_connection_families_and_counts(console, started, people, phone_of, panel):
    sim = simulation(started)
    first = runs(started)[0]
    seat = RoleSeat.objects.filter(simulation=sim, table=first.table, mode="role").first()
    RoleSeat.objects.filter(pk=seat.pk).update(opened_at=timezone.now(), acknowledged_at=timezone.now())
    phone_of(seat.participant).get(f"/w/{started.workshop.code}/")  # the phone is seen
    TableRun.objects.filter(pk=first.pk).update(families=["who", "how"])
    for n, status in enumerate(["agreed", "agreed", "disputed", "parked", "draft"]):
        SheetEntry.objects.create(run=first, family="who", element=f"e{n}", status=status)
    page = panel()
    assert seat.participant.display_name in page
    assert "briefs: 1/4 opened, 1/4 acknowledged · 1/4 connected" in page
    assert "2 / 1 / 1" in page
    assert "0 / 0 / 0" in page
    for brief_line in (r["brief"].split("\n")[0][:50] for r in state.roles_of(sim)):
        assert brief_line not in page  # the console's overview shows names, never briefs


def test_a_quiet_table_is_flagged_after_three_minutes(started, panel):
    first, second = runs(started)
    assert "quiet 3 min" not in panel()
    TableRun.objects.filter(pk=first.pk).update(last_activity=timezone.now() - timedelta(minutes=3, seconds=5))
    page = panel()
    assert page.count("quiet 3 min") == 1
    assert "1 table quiet for 3 min" in page


def test_over_time_is_flagged(started, panel):
    first = runs(started)[0]
    TableRun.objects.filter(pk=first.pk).update(phase_ends_at=timezone.now() - timedelta(minutes=4, seconds=10))
    page = panel()
    assert "over by 4 min" in page and "1 table over time" in page


def test_the_report_back_panel_is_included(console, started, panel):
    console.post(url(started, "stage"), {"action": "report"})
    assert "Back to the tables" in panel()


def seat_room(workshop, item, count, tables):
    for n in range(count):
        services.join(workshop, f"P{n:03}", SECTORS[n % 3])
    services.set_table_count(workshop, tables)
    services.go_to_item(workshop, item)


def test_the_overview_does_not_query_per_table(console, facilitator, django_assert_max_num_queries):
    small = services.create_workshop(facilitator, "Small room", "starter")
    seat_room(small, small.items.get(kind="casesim"), 12, 2)
    large = services.create_workshop(facilitator, "Large room", "starter")
    seat_room(large, large.items.get(kind="casesim"), 120, 20)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for room in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert console.get(reverse("workshops:console", args=[room.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        console.get(reverse("workshops:console", args=[large.pk]))


@pytest.mark.parametrize("count,tables", [(6, 1), (6, 2), (300, 40)])
def test_six_to_three_hundred_people_start_and_every_table_plays_every_sector(console, facilitator, count, tables):
    room = services.create_workshop(facilitator, "Room", "starter")
    item = room.items.get(kind="casesim")
    seat_room(room, item, count, tables)
    sim = simulation(item)
    seats = list(RoleSeat.objects.filter(simulation=sim))
    assert len(seats) == count
    roles = {r["key"]: r for r in state.roles_of(sim)}
    assert {roles[key]["sector"] for key in sim.cast} == set(SECTORS)
    by_table = {}
    for seat in seats:
        by_table.setdefault(seat.table_id, []).append(seat)
    assert len(by_table) == min(tables, count // 3)
    for table_seats in by_table.values():
        assert {s.role_key for s in table_seats if s.mode == "role"} == set(sim.cast)
    page = console.get(reverse("workshops:console", args=[room.pk]))
    assert page.status_code == 200
    assert page.content.decode().count('name="run" value=') >= len(by_table)


def test_the_guide_page_shows_every_brief_to_the_facilitator_only(console, started):
    sim = simulation(started)
    answer = console.get(url(started, "guide"))
    assert answer.status_code == 200
    assert "no-cache" in answer["Cache-Control"] or "no-store" in answer["Cache-Control"]
    page = answer.content.decode().replace("<br>", "\n")
    for key in sim.cast:
        role = next(r for r in state.roles_of(sim) if r["key"] == key)
        assert role["brief"].split("\n")[0][:60] in page
    assert console.post(url(started, "guide")).status_code == 405


def test_the_guide_waits_for_the_start(console, simulation_item):
    assert console.get(url(simulation_item, "guide")).status_code == 409


@pytest.mark.parametrize("count", [0, 1, 2])
def test_too_few_people_start_without_an_error_and_the_console_says_so(console, facilitator, count):
    room = services.create_workshop(facilitator, "Tiny room", "starter")
    item = room.items.get(kind="casesim")
    seat_room(room, item, count, 1)
    page = console.get(reverse("workshops:console", args=[room.pk]))
    assert page.status_code == 200
    assert ("one person" in page.content.decode()) == (count == 1)


def test_a_pack_without_a_sector_is_named_in_the_setup_and_a_pack_without_roles_is_refused(
        console, workshop, simulation_item, monkeypatch):
    from intersector.workshops.activities.casesim import phases

    real = state.pack_languages("sacramento")
    pack = next(iter(real.values()))
    no_business = [role for role in pack.roles if role.sector != "business"]
    monkeypatch.setattr(state, "pack_languages",
                        lambda key: {"en": type(pack)(**{**pack.__dict__, "roles": no_business})})
    workshop.current_item = simulation_item
    workshop.save()
    page = console.get(reverse("workshops:console", args=[workshop.pk])).content.decode()
    assert "no role for the business sector" in page
    monkeypatch.setattr(state, "pack_languages",
                        lambda key: {"en": type(pack)(**{**pack.__dict__, "roles": no_business[:2]})})
    answer = console.post(url(simulation_item, "setup"), {"pack": "sacramento", "prefer": "own", "extra": "mirror"})
    assert answer.status_code == 400
    assert "fewer than three roles" in answer.content.decode()
    assert phases.pack_problems("sacramento")
