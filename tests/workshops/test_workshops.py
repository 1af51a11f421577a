"""Creating and running a workshop: agenda, join by code, console, tables, co-facilitators."""

import pytest
from django.test import Client

from intersector.workshops import services
from intersector.workshops.access import cookie_name
from intersector.workshops.models import CODE_ALPHABET, Participant, Workshop

pytestmark = pytest.mark.django_db


def test_a_workshop_from_the_starter_template_has_the_five_item_agenda(console):
    response = console.post("/convene/new/", {"title": "Sector styles", "template": "starter"})
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/convene/{workshop.pk}/"
    kinds = [item.kind for item in workshop.items.all()]
    assert kinds == ["presentation", "brainwriting", "break", "casesim", "discussion"]
    assert workshop.items.last().config["questions"] is True  # "Questions and close" takes questions
    assert sum(item.minutes for item in workshop.items.all()) == 180
    assert len(workshop.code) == 6 and set(workshop.code) <= set(CODE_ALPHABET)


def test_a_workshop_without_a_title_is_refused_with_a_message(console):
    response = console.post("/convene/new/", {"title": "  ", "template": "blank"})
    assert response.status_code == 400 and b"give the workshop a title" in response.content
    assert not Workshop.objects.exists()


def test_a_facilitator_sees_only_workshops_they_run(client, workshop, django_user_model):
    other = django_user_model.objects.create_user("otto")
    client.force_login(other)
    assert client.get(f"/convene/{workshop.pk}/").status_code == 404
    assert client.get(f"/convene/{workshop.pk}/results/").status_code == 404
    assert client.get(f"/convene/{workshop.pk}/exports/brainwriting/notes.csv").status_code == 404
    assert client.get(f"/w/{workshop.code}/screen").status_code == 404
    assert workshop.title.encode() not in client.get("/convene/").content


def test_anonymous_visitors_are_sent_to_sign_in_for_the_console(client, workshop):
    response = client.get(f"/convene/{workshop.pk}/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_a_co_facilitator_invited_by_user_name_can_run_the_workshop(console, workshop, django_user_model):
    colleague = django_user_model.objects.create_user("cora", "cora@example.org")
    response = console.post(f"/convene/{workshop.pk}/facilitators/", {"who": "CORA@example.org"})
    assert response.status_code == 302
    other = Client()
    other.force_login(colleague)
    assert other.get(f"/convene/{workshop.pk}/").status_code == 200


def test_inviting_someone_without_an_account_gets_a_clear_message(console, workshop):
    response = console.post(f"/convene/{workshop.pk}/facilitators/", {"who": "nobody@example.org"})
    assert response.status_code == 400 and b"No single account matches" in response.content


def test_the_agenda_can_be_edited_reordered_and_extended(console, workshop):
    first, second = list(workshop.items.all())[:2]
    console.post(f"/convene/{workshop.pk}/agenda/{second.pk}/", {"action": "up"})
    assert list(workshop.items.values_list("pk", flat=True))[:2] == [second.pk, first.pk]
    console.post(f"/convene/{workshop.pk}/agenda/{first.pk}/",
                 {"action": "save", "title": "Welcome", "kind": "presentation", "minutes": "25", "text": "Hi"})
    first.refresh_from_db()
    assert (first.title, first.minutes, first.config["text"]) == ("Welcome", 25, "Hi")
    console.post(f"/convene/{workshop.pk}/agenda/", {"title": "Poll", "kind": "discussion", "minutes": "5"})
    assert workshop.items.last().title == "Poll"
    bad = console.post(f"/convene/{workshop.pk}/agenda/", {"title": "X", "kind": "discussion", "minutes": "-3"})
    assert bad.status_code == 400 and workshop.items.count() == 6


def test_another_workshops_agenda_item_is_not_found(console, workshop, facilitator):
    other = services.create_workshop(facilitator, "Other")
    foreign = other.items.first()
    response = console.post(f"/convene/{workshop.pk}/control/", {"action": "go", "item": foreign.pk})
    assert response.status_code == 404
    workshop.refresh_from_db()
    assert workshop.current_item is None


def test_duplicating_copies_the_agenda_with_a_new_code_and_nobody_in_it(console, workshop, join_phone):
    join_phone()
    response = console.post(f"/convene/{workshop.pk}/duplicate/")
    copy = Workshop.objects.exclude(pk=workshop.pk).get()
    assert response["Location"] == f"/convene/{copy.pk}/"
    assert copy.code != workshop.code and copy.items.count() == 5 and copy.participants.count() == 0


def test_a_participant_joins_by_code_and_sees_the_current_screen(client, workshop):
    page = client.get(f"/w/{workshop.code.lower()}/")
    assert page.status_code == 200 and b"Your name" in page.content
    response = client.post(f"/w/{workshop.code}/", {"display_name": " Ana  ", "sector": "government", "organisation": ""})
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.display_name == "Ana" and participant.sector == "government"
    screen = client.get(f"/w/{workshop.code}/")
    assert b"You are in" in screen.content
    # Same phone again: restored, not a second participant.
    client.get(f"/w/{workshop.code}/")
    assert Participant.objects.count() == 1


def test_joining_without_a_name_or_sector_is_refused(client, workshop):
    response = client.post(f"/w/{workshop.code}/", {"display_name": "", "sector": "government"})
    assert response.status_code == 400 and b"name others will see" in response.content
    response = client.post(f"/w/{workshop.code}/", {"display_name": "Bo", "sector": "pirates"})
    assert response.status_code == 400 and not Participant.objects.exists()


def test_a_wrong_code_gets_a_clear_message(client):
    response = client.get("/w/ZZZZZZ/")
    assert response.status_code == 404 and b"No workshop has the code" in response.content


def test_an_ended_workshop_code_expires(client, workshop, join_phone):
    from django.utils import timezone

    _participant, phone = join_phone()
    services.end_workshop(workshop)
    Workshop.objects.filter(pk=workshop.pk).update(ended=timezone.now() - timezone.timedelta(days=3))
    response = client.get(f"/w/{workshop.code}/")
    assert response.status_code == 410 and b"ended" in response.content
    # Even with a valid pass from before.
    assert phone.get(f"/w/{workshop.code}/now").status_code == 410
    assert phone.get(f"/w/{workshop.code.lower()}/now").status_code == 410


def test_a_tampered_token_is_not_accepted(client, workshop, join_phone):
    participant, phone = join_phone()
    token = services.token_for(participant)
    client.cookies[cookie_name(workshop)] = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/w/{workshop.code}/now").status_code == 403
    page = client.get(f"/w/{workshop.code}/")
    assert page.status_code == 400 and b"could not recognise" in page.content


def test_a_token_for_one_workshop_does_not_open_another(client, workshop, facilitator, join_phone):
    participant, _phone = join_phone()
    other = services.create_workshop(facilitator, "Other")
    client.cookies[cookie_name(other)] = services.token_for(participant)
    assert client.get(f"/w/{other.code}/now").status_code == 403
    assert client.get(f"/w/{other.code}/live/poll").status_code == 403


def test_the_console_moves_everyone_to_the_next_item_and_runs_the_timer(console, workshop, join_phone):
    _participant, phone = join_phone()
    console.post(f"/convene/{workshop.pk}/control/", {"action": "next"})
    assert b"Welcome: why sectors work together" in phone.get(f"/w/{workshop.code}/now").content
    console.post(f"/convene/{workshop.pk}/control/", {"action": "start"})
    workshop.refresh_from_db()
    assert workshop.timer_running and 1190 <= workshop.seconds_left() <= 1200
    console.post(f"/convene/{workshop.pk}/control/", {"action": "pause"})
    workshop.refresh_from_db()
    assert not workshop.timer_running and workshop.timer_remaining > 1100
    console.post(f"/convene/{workshop.pk}/control/", {"action": "next"})
    assert b"brainwriting" in phone.get(f"/w/{workshop.code}/now").content.lower()


def test_tables_are_created_and_people_seated_with_sectors_mixed(console, workshop, join_phone):
    for n in range(4):
        join_phone(f"Gov {n}", "government")
        join_phone(f"Biz {n}", "business")
    console.post(f"/convene/{workshop.pk}/tables/", {"action": "count", "count": "2"})
    console.post(f"/convene/{workshop.pk}/tables/", {"action": "auto"})
    for table in workshop.tables.all():
        sectors = sorted(p.sector for p in table.participants.all())
        assert sectors == ["business"] * 2 + ["government"] * 2
    person = workshop.participants.first()
    target = workshop.tables.exclude(pk=person.table_id).get()
    console.post(f"/convene/{workshop.pk}/tables/", {"action": "move", "participant": person.pk, "table": target.pk})
    person.refresh_from_db()
    assert person.table == target
    page = console.get(f"/convene/{workshop.pk}/")
    assert b"8 people have joined" in page.content


def test_a_plenary_of_1000_is_seated_at_tables_of_8_with_sectors_mixed(console, workshop):
    """A conference plenary: 1,000 people, 125 tables, everyone seated through the console."""
    from intersector.workshops.models import Participant

    sectors = ["government", "business", "non-profit", "other"]
    Participant.objects.bulk_create([Participant(workshop=workshop, display_name=f"P{n}", sector=sectors[n % 4])
                                     for n in range(1000)])
    console.post(f"/convene/{workshop.pk}/tables/", {"action": "count", "count": "125"})
    console.post(f"/convene/{workshop.pk}/tables/", {"action": "auto"})
    tables = list(workshop.tables.all())
    assert len(tables) == 125 and not workshop.participants.filter(table=None).exists()
    for table in tables:
        people = list(table.participants.all())
        assert len(people) == 8 and {p.sector for p in people} == set(sectors)
    page = console.get(f"/convene/{workshop.pk}/")
    assert page.status_code == 200 and b"Table 125" in page.content


def test_more_tables_than_the_most_a_room_needs_is_refused_with_the_limit(console, workshop):
    answer = console.post(f"/convene/{workshop.pk}/tables/", {"action": "count", "count": "401"})
    assert answer.status_code == 400 and "Between 0 and 400 tables, please." in answer.content.decode()
    assert workshop.tables.count() == 0


def test_the_projector_shows_the_code_and_a_qr_code(console, workshop, client):
    page = console.get(f"/w/{workshop.code}/screen")
    assert page.status_code == 200 and workshop.code.encode() in page.content
    qr = client.get(f"/w/{workshop.code}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_a_stranger_asking_for_the_live_stream_gets_a_plain_refusal(client, workshop):
    """A browser that has not joined (a stale tab, a copied link) is told why, as a page or JSON."""
    for address in (f"/w/{workshop.code}/live", f"/w/{workshop.code}/live/poll"):
        page = client.get(address)
        assert page.status_code == 403 and "Join the workshop to follow it." in page.content.decode()
        assert page["Content-Type"].startswith("text/html")
        answer = client.get(address, HTTP_ACCEPT="application/json")
        assert answer.status_code == 403 and answer.json()["detail"] == "Join the workshop to follow it."
