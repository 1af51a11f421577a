"""Activity kinds as plug-ins: a kind the core has never heard of (tests/workshops/tally) gets its
URLs, its actions and its export; a kind that is gone from the site is shown and refused plainly;
the console's panels answer 404 for a name they do not have."""

import pytest
from django.urls import reverse

from intersector.spreadsheets import read_back
from intersector.workshops import services
from intersector.workshops.models import AgendaItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def tally(workshop, console):
    response = console.post(f"/convene/{workshop.pk}/agenda/", {"title": "=Count us", "kind": "tally", "minutes": "5"})
    assert response.status_code == 302
    item = workshop.items.get(kind="tally")
    services.go_to_item(workshop, item)
    services.set_table_count(workshop, 2)
    return item


def seat(join_phone, workshop, name, table_number):
    participant, phone = join_phone(name)
    services.move_participant(workshop, participant.pk, workshop.tables.get(number=table_number).pk)
    return participant, phone


def test_a_new_kind_gets_its_urls_under_its_own_segment_and_namespace(tally, workshop):
    assert reverse("workshops:tally:tap", args=[workshop.code]) == f"/w/{workshop.code}/tally/tap/"
    assert reverse("workshops:tally:reset", args=[workshop.pk, tally.pk]) == \
        f"/convene/{workshop.pk}/items/{tally.pk}/tally/reset/"
    # Two kinds may use the same words without colliding.
    assert reverse("workshops:brainwriting:round", args=[workshop.pk, tally.pk]).endswith("/brainwriting/round/")


def test_a_new_kind_is_offered_on_the_agenda_and_runs_on_the_phone(tally, workshop, join_phone, console):
    assert b'<option value="tally">Tally</option>' in console.get(f"/convene/{workshop.pk}/agenda/").content
    _ana, ana = seat(join_phone, workshop, "Ana", 1)
    answer = ana.post(f"/w/{workshop.code}/tally/tap/", HTTP_X_CONVENE="fetch")
    assert answer.status_code == 200 and b"Counted." in answer.content and b"Your table: 1" in answer.content
    tally.refresh_from_db()
    table = workshop.tables.get(number=1)
    assert tally.state["taps"] == {str(table.pk): 1}
    # The console and the projector show it through the kind's own templates.
    assert b'class="tally"' in console.get(f"/convene/{workshop.pk}/").content
    assert b'class="tally"' in console.get(f"/w/{workshop.code}/screen").content


def test_a_kinds_action_is_refused_plainly_when_its_item_is_not_running(tally, workshop, join_phone):
    _ana, ana = seat(join_phone, workshop, "Ana", 1)
    services.go_to_item(workshop, workshop.items.first())
    answer = ana.post(f"/w/{workshop.code}/tally/tap/", HTTP_X_CONVENE="fetch")
    assert answer.status_code == 409 and b"Tally is not running right now." in answer.content


def test_a_kinds_refusal_reaches_the_phone_as_a_message(tally, workshop, join_phone):
    _bo, bo = join_phone("Bo")  # not at a table
    answer = bo.post(f"/w/{workshop.code}/tally/tap/", HTTP_X_CONVENE="fetch")
    assert answer.status_code == 409 and b"Sit at a table first." in answer.content


def test_a_kinds_facilitator_url_is_only_for_the_people_who_run_the_workshop(
        tally, workshop, console, django_user_model):
    from django.test import Client

    url = f"/convene/{workshop.pk}/items/{tally.pk}/tally/reset/"
    stranger = Client()
    stranger.force_login(django_user_model.objects.create_user("otto"))
    assert stranger.post(url).status_code == 404
    assert Client().post(url).status_code == 302 and "/accounts/" in Client().post(url)["Location"]
    other_item = workshop.items.get(kind="brainwriting")
    assert console.post(f"/convene/{workshop.pk}/items/{other_item.pk}/tally/reset/").status_code == 404
    assert console.get(url).status_code == 405
    assert console.post(url).status_code == 302


def test_a_new_kinds_export_is_on_the_results_page_and_formula_safe(tally, workshop, join_phone, console):
    _ana, ana = seat(join_phone, workshop, "Ana", 2)
    ana.post(f"/w/{workshop.code}/tally/tap/", HTTP_X_CONVENE="fetch")
    ana.post(f"/w/{workshop.code}/tally/tap/", HTTP_X_CONVENE="fetch")
    url = f"/convene/{workshop.pk}/exports/tally/taps.csv"
    assert url.encode() in console.get(f"/convene/{workshop.pk}/results/").content
    response = console.get(url)
    assert response["Content-Type"].startswith("text/csv")
    assert read_back(response.content.decode()) == [["activity", "table", "taps"], ["'=Count us", "2", "2"]]
    assert console.get(f"/convene/{workshop.pk}/exports/tally/nothing.csv").status_code == 404
    assert console.get(f"/convene/{workshop.pk}/exports/nokind/taps.csv").status_code == 404


def test_a_kinds_own_pages_moved_under_its_segment_and_old_links_follow(workshop, console, brainwriting):
    old = console.get(f"/convene/{workshop.pk}/items/{brainwriting.pk}/themes/")
    assert old.status_code == 301
    assert old["Location"] == f"/convene/{workshop.pk}/items/{brainwriting.pk}/brainwriting/themes/"
    assert console.get(old["Location"]).status_code == 200
    assert console.get(f"/convene/{workshop.pk}/items/{brainwriting.pk}/brainwriting/nothing/").status_code == 404


# --- A kind the site no longer has ----------------------------------------------------------


@pytest.fixture
def gone(workshop):
    """An item whose kind's plug-in was removed from the site (its row and set-up are still there)."""
    item = workshop.items.first()
    AgendaItem.objects.filter(pk=item.pk).update(kind="roleplay", config={"pack": 7})
    item.refresh_from_db()
    return item


def test_an_item_of_a_removed_kind_says_so_and_keeps_its_set_up(gone, workshop, console):
    page = console.get(f"/convene/{workshop.pk}/").content.decode()
    assert "not available on this site" in page
    agenda = console.get(f"/convene/{workshop.pk}/agenda/").content.decode()
    assert 'value="roleplay" selected' in agenda
    console.post(f"/convene/{workshop.pk}/agenda/{gone.pk}/",
                 {"action": "save", "title": "Renamed", "kind": "roleplay", "minutes": "20"})
    gone.refresh_from_db()
    assert (gone.title, gone.kind, gone.config) == ("Renamed", "roleplay", {"pack": 7})
    results = console.get(f"/convene/{workshop.pk}/results/").content.decode()
    assert "This activity is not available on this site." in results


def test_an_item_of_a_removed_kind_is_refused_for_running(gone, workshop, console):
    response = console.post(f"/convene/{workshop.pk}/control/", {"action": "go", "item": gone.pk})
    assert response.status_code == 409 and b"not available on this site" in response.content
    workshop.refresh_from_db()
    assert workshop.current_item is None


def test_a_phone_and_projector_on_an_item_of_a_removed_kind_show_a_plain_notice(gone, workshop, console, join_phone):
    from intersector.workshops.models import Workshop

    # It was running when its plug-in went away.
    Workshop.objects.filter(pk=workshop.pk).update(current_item=gone, status="live")
    _ana, phone = join_phone()
    assert b"This activity is not available on this site." in phone.get(f"/w/{workshop.code}/now").content
    assert b"This activity is not available on this site." in console.get(f"/w/{workshop.code}/screen").content
    assert b"This activity is not available on this site." in console.get(f"/convene/{workshop.pk}/").content


def test_adding_an_item_of_a_kind_the_site_does_not_have_is_refused(workshop, console):
    response = console.post(f"/convene/{workshop.pk}/agenda/", {"title": "Sim", "kind": "roleplay", "minutes": "20"})
    assert response.status_code == 400 and "“roleplay” is not a kind of activity this site offers" in response.content.decode()
    assert not workshop.items.filter(kind__in=["roleplay", "presentation"], title="Sim").exists()
    first = workshop.items.first()
    changed = console.post(f"/convene/{workshop.pk}/agenda/{first.pk}/",
                           {"action": "save", "title": "X", "kind": "roleplay", "minutes": "20"})
    assert changed.status_code == 400
    first.refresh_from_db()
    assert first.kind == "presentation"


def test_duplicating_a_workshop_keeps_an_item_of_a_removed_kind_as_it_is(gone, workshop, facilitator):
    copy = services.duplicate_workshop(facilitator, workshop)
    item = copy.items.get(kind="roleplay")
    assert item.config == {"pack": 7}


# --- The console's panels ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["activity", "nothing", "now.html"])
def test_a_console_panel_that_does_not_exist_is_not_found(workshop, console, name):
    assert console.get(f"/convene/{workshop.pk}/panel/{name}/").status_code == 404


@pytest.mark.parametrize("name", ["now", "people"])
def test_the_console_panels_that_exist_answer(workshop, console, name):
    assert console.get(f"/convene/{workshop.pk}/panel/{name}/").status_code == 200


# --- Tables ------------------------------------------------------------------------------------


def test_a_table_lists_its_seats_in_order_and_has_its_own_topic(workshop, join_phone):
    services.set_table_count(workshop, 1)
    people = [join_phone(name)[0] for name in ("Ana", "Ben", "Cy")]
    table = workshop.tables.get()
    for person in reversed(people):
        services.move_participant(workshop, person.pk, table.pk)
    assert table.seats() == people
    assert table.topic == workshop.table_topic(table) == f"workshop:{workshop.pk}:table:{table.pk}"
    people[0].refresh_from_db()
    assert workshop.phone_topics(people[0]) == [workshop.phone_topic(), table.topic]
