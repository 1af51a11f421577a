"""The phones at a table: the brief, choosing the families, the shared sheet, through real URLs."""

import pytest

from intersector.workshops.activities.casesim import state, table
from intersector.workshops.activities.casesim.models import FamilyProposal, RoleSeat, SheetEntry, TableRun

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_CONVENE": "fetch"}


@pytest.fixture
def sim(started):
    return state.simulation_of(started)


@pytest.fixture
def tables(sim, people):
    """{table number: [participants in seat order]}."""
    found = {}
    for seat in RoleSeat.objects.filter(simulation=sim).select_related("table", "participant").order_by("pk"):
        found.setdefault(seat.table.number, []).append(seat.participant)
    return found


def url(started, *parts):
    return f"/w/{started.workshop.code}/casesim/" + "/".join(parts) + "/"


def set_phase(sim, phase, families=None):
    runs = TableRun.objects.filter(simulation=sim)
    runs.update(phase=phase)
    if families is not None:
        runs.update(families=families)


def post(phone, address, data=None):
    return phone.post(address, data or {}, **FETCH)


def save(phone, started, element, text=None, base=0, status=None):
    data = {"base_version": base}
    if text is not None:
        data["text"] = text
    if status:
        data["status"] = status
    return post(phone, url(started, "sheet", element, "save"), data)


# --- The brief --------------------------------------------------------------------------------


def test_the_brief_is_marked_opened_then_read(started, sim, people, phone_of):
    phone = phone_of(people[0])
    page = phone.get(f"/w/{started.workshop.code}/").content.decode()
    assert "I have read my brief" in page and "You must get" in page and "Your red lines" in page
    seat = RoleSeat.objects.get(simulation=sim, participant=people[0])
    assert seat.opened_at is not None and seat.acknowledged_at is None
    answer = post(phone, url(started, "brief", "read"))
    assert answer.status_code == 200 and "You said you have read your brief" in answer.content.decode()
    seat.refresh_from_db()
    assert seat.acknowledged_at is not None


def test_a_reconnecting_phone_returns_to_its_seat_and_role(started, sim, people, phone_of):
    seat = RoleSeat.objects.get(simulation=sim, participant=people[3])
    role = next(r for r in state.roles_of(sim) if r["key"] == seat.role_key)
    first = phone_of(people[3]).get(f"/w/{started.workshop.code}/").content.decode()
    again = phone_of(people[3]).get(f"/w/{started.workshop.code}/").content.decode()  # a new phone, same pass
    for page in (first, again):
        assert f"You play: {role['name']}" in page.replace("&#x27;", "'")
    assert RoleSeat.objects.filter(simulation=sim, participant=people[3]).count() == 1
    assert RoleSeat.objects.get(simulation=sim, participant=people[3]).table_id == seat.table_id


# --- Choosing the families ----------------------------------------------------------------------


def propose(phone, started, families):
    return post(phone, url(started, "families", "propose"), {"family": families})


def test_the_table_accepts_a_proposal_by_majority(started, sim, tables, phone_of):
    set_phase(sim, "choose-families")
    ana, ben, cy, di = tables[1]
    answer = propose(phone_of(ana), started, ["who", "how", "what-if"])
    assert answer.status_code == 200 and "Proposal sent" in answer.content.decode()
    proposal = FamilyProposal.objects.get(status="open")
    page = phone_of(ben).get(f"/w/{started.workshop.code}/now", **FETCH).content.decode()
    assert "Accept these families" in page and "1 role of 4 said yes (3 needed)" in page
    assert post(phone_of(ben), url(started, "families", "accept"), {"proposal": proposal.pk}).status_code == 200
    run = TableRun.objects.get(simulation=sim, table__number=1)
    assert run.families == []  # two of four: not more than half yet
    answer = post(phone_of(cy), url(started, "families", "accept"), {"proposal": proposal.pk})
    assert "The table has accepted these families" in answer.content.decode()
    run.refresh_from_db()
    assert run.families == ["who", "how", "what-if"]
    assert TableRun.objects.get(simulation=sim, table__number=2).families == []  # the other table chose nothing


@pytest.mark.parametrize("families, message", [
    (["who", "who", "why"], "You chose Who? twice"),
    (["who", "why"], "Choose between 3 and 5 families (you chose 2)"),
    (["who", "why", "what", "when", "how", "what-if"], "you chose 6"),
    (["who", "why", "money"], "is not one of the six question families"),
    ([], "you chose 0"),
])
def test_bad_family_choices_are_refused_plainly(started, sim, tables, phone_of, families, message):
    set_phase(sim, "choose-families")
    answer = propose(phone_of(tables[1][0]), started, families)
    assert answer.status_code == 400
    assert message in answer.content.decode().replace("&#x27;", "'")
    assert not FamilyProposal.objects.exists()


def test_families_only_while_choosing_and_not_by_observers(started, sim, tables, phone_of):
    answer = propose(phone_of(tables[1][0]), started, ["who", "why", "how"])
    assert answer.status_code == 409 and "not choosing families now" in answer.content.decode()
    set_phase(sim, "choose-families")
    RoleSeat.objects.filter(participant=tables[1][1]).update(mode="observer", role_key="")
    answer = propose(phone_of(tables[1][1]), started, ["who", "why", "how"])
    assert answer.status_code == 403 and "Observers can read" in answer.content.decode()
    page = phone_of(tables[1][1]).get(f"/w/{started.workshop.code}/now", **FETCH).content.decode()
    assert "You observe this table" in page and "Propose these families" not in page


def test_accepting_twice_or_a_replaced_proposal_is_refused(started, sim, tables, phone_of):
    set_phase(sim, "choose-families")
    ana, ben, *_rest = tables[1]
    propose(phone_of(ana), started, ["who", "why", "how"])
    first = FamilyProposal.objects.get()
    answer = post(phone_of(ana), url(started, "families", "accept"), {"proposal": first.pk})
    assert answer.status_code == 409 and "already accepted" in answer.content.decode()
    propose(phone_of(ben), started, ["who", "what", "how"])
    answer = post(phone_of(ana), url(started, "families", "accept"), {"proposal": first.pk})
    assert answer.status_code == 409 and "no longer open" in answer.content.decode()
    other_table = FamilyProposal.objects.create(run=TableRun.objects.get(simulation=sim, table__number=2),
                                                families=["who", "why", "how"])
    answer = post(phone_of(ana), url(started, "families", "accept"), {"proposal": other_table.pk})
    assert answer.status_code == 404


def test_withdrawing_takes_back_a_yes_or_the_proposal(started, sim, tables, phone_of):
    set_phase(sim, "choose-families")
    ana, ben, *_rest = tables[1]
    propose(phone_of(ana), started, ["who", "why", "how"])
    proposal = FamilyProposal.objects.get()
    post(phone_of(ben), url(started, "families", "accept"), {"proposal": proposal.pk})
    answer = post(phone_of(ben), url(started, "families", "withdraw"), {"proposal": proposal.pk})
    assert "You took back your yes" in answer.content.decode()
    proposal.refresh_from_db()
    assert proposal.accepted_by == [ana.pk]
    answer = post(phone_of(ana), url(started, "families", "withdraw"), {"proposal": proposal.pk})
    assert "You withdrew your proposal" in answer.content.decode()
    assert FamilyProposal.objects.get().status == "replaced"


def test_a_table_of_one_is_told_its_choice_is_the_tables(started, sim, tables, phone_of):
    set_phase(sim, "choose-families")
    alone, *others = tables[2]
    RoleSeat.objects.filter(participant__in=others).update(taken_out=True)
    page = phone_of(alone).get(f"/w/{started.workshop.code}/now", **FETCH).content.decode()
    assert "only one at this table with a role" in page
    answer = propose(phone_of(alone), started, ["who", "why", "how"])
    assert answer.status_code == 200 and "your choice is the table" in answer.content.decode().replace("&#x27;", "'")
    assert TableRun.objects.get(simulation=sim, table__number=2).families == ["who", "why", "how"]


# --- The sheet ----------------------------------------------------------------------------------


@pytest.fixture
def negotiating(sim):
    set_phase(sim, "negotiate", ["who", "how", "what-if"])
    return sim


def element_of(family):
    return table.scorecard().family_by_key[family].elements[0].key


def test_the_sheet_saves_and_marks_and_the_other_phones_read_it(started, negotiating, tables, phone_of):
    ana, ben, *_rest = tables[1]
    key = element_of("who")
    answer = save(phone_of(ana), started, key, "City staff coordinate.", base=0)
    assert answer.status_code == 200 and "Saved." in answer.content.decode()
    entry = SheetEntry.objects.get(element=key)
    assert (entry.text, entry.version, entry.updated_by_id) == ("City staff coordinate.", 1, ana.pk)
    answer = save(phone_of(ben), started, key, status="agreed")
    assert answer.status_code == 200 and 'aria-pressed="true"' in answer.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.version, entry.text) == ("agreed", 1, "City staff coordinate.")
    fragment = phone_of(ben).get(url(started, "sheet", key), **FETCH).content.decode()
    assert "City staff coordinate." in fragment and "Agreed" in fragment and "last changed by" in fragment
    page = phone_of(tables[2][0]).get(f"/w/{started.workshop.code}/now", **FETCH).content.decode()
    assert "City staff coordinate." not in page  # the other table has its own sheet
    run = TableRun.objects.get(pk=entry.run_id)
    assert run.last_activity >= entry.updated_at


@pytest.fixture
def sheet_events(monkeypatch, django_capture_on_commit_callbacks):
    """sheet_events(action) -> [(topic, data)] of the sim.sheet events the action published."""
    from intersector import live

    def run(action):
        sent = []
        monkeypatch.setattr(live, "_send", lambda topic, event, data: sent.append((topic, event, data)))
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return [(topic, data) for topic, event, data in sent if event == "sim.sheet"]

    return run


def test_the_sheet_event_tells_the_tables_phones_what_they_show_and_the_boards_only_ids(
        started, negotiating, tables, phone_of, sheet_events):
    from django.utils import timezone

    ana, ben, *_rest = tables[1]
    key = element_of("who")
    workshop = started.workshop
    [(to_table, data), (to_boards, ids)] = sheet_events(
        lambda: save(phone_of(ana), started, key, "City staff coordinate.\nThe chair rotates.", base=0))
    assert to_table == workshop.table_topic(ana.table_id) and to_boards == workshop.topic
    entry = SheetEntry.objects.get(element=key)
    run_ids = {"workshop": workshop.pk, "table": ana.table_id, "run": entry.run_id, "element": key, "version": 1,
               "by": ana.pk}
    assert ids == run_ids  # the console and projector: ids only, as before
    assert data == {**run_ids, "shown": {"text": "City staff coordinate.\nThe chair rotates.", "status": "draft",
                                        "by_name": ana.display_name,
                                        "at": timezone.localtime(entry.updated_at).strftime("%H:%M")}}
    # A status alone: the same text, the new status and who set it.
    [(_topic, data), _boards] = sheet_events(lambda: save(phone_of(ben), started, key, status="agreed"))
    assert data["shown"]["text"] == "City staff coordinate.\nThe chair rotates."
    assert (data["shown"]["status"], data["shown"]["by_name"], data["version"]) == ("agreed", ben.display_name, 1)


def test_while_two_versions_wait_the_event_says_only_which_element_changed(
        started, negotiating, tables, phone_of, sheet_events):
    ana, ben, cy, _di = tables[1]
    key = element_of("how")
    save(phone_of(ana), started, key, "Decisions by consensus.", base=0)
    [(_topic, data), _boards] = sheet_events(
        lambda: save(phone_of(ben), started, key, "Decisions by a vote.", base=0))
    assert "shown" not in data and data["element"] == key and data["version"] == 2
    # The phones fetch that element: both texts, the choice.
    fragment = phone_of(cy).get(url(started, "sheet", key), **FETCH).content.decode()
    assert "Decisions by consensus." in fragment and "Decisions by a vote." in fragment
    [(_topic, data), _boards] = sheet_events(lambda: post(phone_of(cy), url(started, "sheet", key, "resolve"),
                                                          {"keep": "other"}))
    assert data["shown"]["text"] == "Decisions by a vote." and data["shown"]["by_name"] == cy.display_name


def test_a_text_too_long_for_an_event_is_fetched(started, negotiating, tables, phone_of, sheet_events):
    ana, ben, *_rest = tables[1]
    key = element_of("what-if")
    long_text = "Acción " * 500  # 3,500 characters, 6,000 bytes once escaped for the event
    [(_topic, data), _boards] = sheet_events(lambda: save(phone_of(ana), started, key, long_text, base=0))
    assert "shown" not in data and data["version"] == 1
    assert long_text.strip() in phone_of(ben).get(url(started, "sheet", key), **FETCH).content.decode()


def test_a_phone_at_another_table_hears_nothing_of_the_sheet(started, negotiating, tables, phone_of, sheet_events):
    ana = tables[1][0]
    other = tables[2][0]
    events = sheet_events(lambda: save(phone_of(ana), started, element_of("who"), "Only for table one.", base=0))
    topics = {topic for topic, _data in events}
    assert started.workshop.table_topic(other.table_id) not in topics
    assert started.workshop.phone_topic() not in topics
    assert [data["shown"]["text"] for _topic, data in events if "shown" in data] == ["Only for table one."]


def test_a_save_before_the_start_or_without_a_seat_is_refused_plainly(workshop, people, simulation_item, phone_of):
    from intersector.workshops import services

    workshop.current_item = simulation_item  # current, not started yet
    workshop.save(update_fields=["current_item"])
    answer = save(phone_of(people[0]), simulation_item, element_of("who"), "Too early.", base=0)
    assert answer.status_code == 409 and "has not started yet" in answer.content.decode()
    services.set_table_count(workshop, 2)
    services.go_to_item(workshop, simulation_item)
    late = services.join(workshop, "Late Lou", "business")  # joined after the start, never seated
    answer = save(phone_of(late), simulation_item, element_of("who"), "No seat.", base=0)
    assert answer.status_code == 403 and "do not have a seat" in answer.content.decode()
    assert not SheetEntry.objects.exists()


def test_a_stale_edit_keeps_both_texts_until_the_table_chooses(started, negotiating, tables, phone_of):
    ana, ben, cy, _di = tables[1]
    key = element_of("how")
    save(phone_of(ana), started, key, "Decisions by consensus.", base=0)
    answer = save(phone_of(ben), started, key, "Decisions by a vote of three quarters.", base=0)
    assert answer.status_code == 409
    page = answer.content.decode()
    assert "Decisions by consensus." in page and "Decisions by a vote of three quarters." in page
    assert "Both versions are kept" in page
    entry = SheetEntry.objects.get(element=key)
    assert entry.text == "Decisions by consensus." and entry.conflict_text == "Decisions by a vote of three quarters."
    # A third person cannot add a third version; their text is not lost, only not saved.
    answer = save(phone_of(cy), started, key, "Something else.", base=entry.version)
    assert answer.status_code == 409 and "waiting for the table to choose" in answer.content.decode()
    # Resolving: a merged text.
    answer = post(phone_of(cy), url(started, "sheet", key, "resolve"),
                  {"keep": "merged", "text": "Consensus first, then three quarters."})
    assert answer.status_code == 200
    entry.refresh_from_db()
    assert (entry.text, entry.conflict_text, entry.conflict_by) == ("Consensus first, then three quarters.", "", None)
    answer = post(phone_of(ana), url(started, "sheet", key, "resolve"), {"keep": "other"})
    assert answer.status_code == 409 and "already chosen" in answer.content.decode()


@pytest.mark.parametrize("keep, expected", [("current", "Mine first."), ("other", "Theirs second.")])
def test_resolving_keeps_either_version(started, negotiating, tables, phone_of, keep, expected):
    ana, ben, *_rest = tables[1]
    key = element_of("what-if")
    save(phone_of(ana), started, key, "Mine first.", base=0)
    save(phone_of(ben), started, key, "Theirs second.", base=0)
    assert post(phone_of(ana), url(started, "sheet", key, "resolve"), {"keep": keep}).status_code == 200
    assert SheetEntry.objects.get(element=key).text == expected


def test_sending_the_same_text_again_changes_nothing(started, negotiating, tables, phone_of):
    ana = tables[1][0]
    key = element_of("who")
    save(phone_of(ana), started, key, "Once.", base=0)
    answer = save(phone_of(ana), started, key, "Once.", base=0)  # the answer was lost; sent again
    assert answer.status_code == 200
    assert SheetEntry.objects.get(element=key).version == 1


@pytest.mark.parametrize("text, status, message", [
    ("", None, "The text is empty"),
    ("   ", None, "The text is empty"),
    ("x" * 20_000, None, "under 4,000 characters (this one has 20,000)"),
    ("Fine.", "finished", "Choose Agreed, Disputed or Parked"),
])
def test_bad_sheet_text_is_refused_plainly(started, negotiating, tables, phone_of, text, status, message):
    answer = save(phone_of(tables[1][0]), started, element_of("who"), text, status=status)
    assert answer.status_code == 400 and message in answer.content.decode()
    assert not SheetEntry.objects.exists()


def test_bad_versions_and_elements_are_refused(started, negotiating, tables, phone_of):
    phone = phone_of(tables[1][0])
    assert save(phone, started, element_of("who"), "Text.", base="x").status_code == 400
    assert save(phone, started, element_of("who"), "Text.", base=7).status_code == 400
    answer = save(phone, started, element_of("why"), "Text.")
    assert answer.status_code == 409 and "not in the families your table chose" in answer.content.decode()
    assert save(phone, started, "no-such-element", "Text.").status_code == 404


def test_the_sheet_is_read_only_outside_negotiating_and_for_observers(started, sim, tables, phone_of):
    key = element_of("who")
    set_phase(sim, "choose-families", ["who", "how", "what"])
    answer = save(phone_of(tables[1][0]), started, key, "Too early.")
    assert answer.status_code == 409 and "not started negotiating" in answer.content.decode()
    set_phase(sim, "present")
    answer = save(phone_of(tables[1][0]), started, key, "Too late.")
    assert answer.status_code == 409 and "the sheet is read-only now" in answer.content.decode()
    page = phone_of(tables[1][0]).get(f"/w/{started.workshop.code}/now", **FETCH).content.decode()
    assert "read-only now" in page and "Save text" not in page
    set_phase(sim, "negotiate")
    RoleSeat.objects.filter(participant=tables[1][1]).update(mode="observer", role_key="")
    answer = save(phone_of(tables[1][1]), started, key, "Observed.")
    assert answer.status_code == 403 and "Observers can read" in answer.content.decode()
    page = phone_of(tables[1][1]).get(f"/w/{started.workshop.code}/now", **FETCH).content.decode()
    assert "Save text" not in page and "only the people playing a role change it" in page.replace("&#x27;", "'")
    assert not SheetEntry.objects.exists()


def test_another_tables_entry_is_not_reachable(started, negotiating, tables, phone_of):
    key = element_of("who")
    save(phone_of(tables[2][0]), started, key, "Table two's secret wording.")
    fragment = phone_of(tables[1][0]).get(url(started, "sheet", key), **FETCH)
    assert fragment.status_code == 200 and "secret wording" not in fragment.content.decode()
    assert phone_of(tables[1][0]).get(url(started, "sheet", "no-such-element"), **FETCH).status_code == 404
    assert phone_of(tables[1][0]).get(url(started, "sheet", element_of("why")), **FETCH).status_code == 404


def test_the_element_fragment_is_cheap(started, negotiating, tables, phone_of, django_assert_max_num_queries):
    key = element_of("who")
    save(phone_of(tables[1][0]), started, key, "Cheap.")
    phone = phone_of(tables[1][1])
    with django_assert_max_num_queries(2):  # the pass; the entry with its run, names and seat
        answer = phone.get(url(started, "sheet", key), **FETCH)
    assert "Cheap." in answer.content.decode()


def test_every_phase_has_its_screen(started, sim, tables, phone_of):
    phone = phone_of(tables[1][0])
    screen = lambda: phone.get(f"/w/{started.workshop.code}/now", **FETCH).content.decode()  # noqa: E731
    assert "Step 1 of 4" in screen() and "Time left for this step" in screen()
    set_phase(sim, "choose-families")
    assert "Propose these families" in screen() and "Who?" in screen()
    set_phase(sim, "negotiate", ["who"])
    page = screen()
    assert "Save text" in page and 'value="agreed"' in page and 'aria-pressed="false">Parked' in page
    assert 'maxlength="4000"' in page
    set_phase(sim, "done")
    assert "Look at the screen" in screen()
    sim.stage = "report"
    sim.save()
    assert "The tables are reporting back" in screen()


def test_a_spanish_phone_reads_the_scorecard_in_spanish_with_the_same_keys(started, negotiating, tables, phone_of,
                                                                           monkeypatch, console):
    from intersector.agreements import services as agree_services
    from tests.agreements.test_scorecard_languages import with_spanish

    agree_services.import_scorecard(with_spanish(), note="shipped, with its Spanish")
    monkeypatch.setattr(table, "_CURRENT", [])  # the version another test's process may have kept
    ana, ben, *_rest = tables[1]
    english = phone_of(ana).get(f"/w/{started.workshop.code}/").content.decode()
    assert "Representatives at each stage" in english and "Representantes en cada etapa" not in english
    spanish = phone_of(ben).get(f"/w/{started.workshop.code}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Representantes en cada etapa" in spanish and "Representatives at each stage" not in spanish
    assert "¿Quién representará a cada socio" in spanish and "¿Y si...?" in spanish
    answer = phone_of(ben).post(url(started, "sheet", "representatives", "save"),
                                {"base_version": 0, "text": "Cada socio nombra a una persona."},
                                HTTP_ACCEPT_LANGUAGE="es", **FETCH)
    assert answer.status_code == 200
    assert SheetEntry.objects.get(element="representatives").family == "who"  # stored by key, whatever the words
    fragment = phone_of(ana).get(url(started, "sheet", "representatives"), HTTP_ACCEPT_LANGUAGE="es", **FETCH)
    assert "Cada socio nombra a una persona." in fragment.content.decode()
    board = console.get(f"/convene/{started.workshop_id}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "¿Quién?, ¿Cómo?, ¿Y si...?" in board  # the families each table chose, on the console
