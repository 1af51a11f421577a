"""Defects found running a workshop with six phones (issue 11): the server's side of each fix."""

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from intersector.workshops import people as services_people
from intersector.workshops import services
from intersector.workshops.access import cookie_name
from intersector.workshops.models import Rejoin
from intersector.workshops.activities.brainwriting import services as bw
from intersector.workshops.activities.brainwriting.starter import PROMPTS

pytestmark = pytest.mark.django_db

FOUR_PROMPTS = PROMPTS["en"]  # the starter's prompts, in the workshop's language


def setup_form(page):
    """The brainwriting set-up form on the console, as a browser would send it back."""
    form = re.search(r'<form[^>]*brainwriting/settings/.*?</form>', page, flags=re.S).group(0)
    prompts = re.search(r'<textarea id="bw-prompts"[^>]*>(.*?)</textarea>', form, flags=re.S).group(1)
    if prompts.startswith("\n"):  # a browser drops one newline right after <textarea>
        prompts = prompts[1:]
    data = {"prompts": html.unescape(prompts)}
    data["sectors"] = re.findall(r'name="sectors" value="([^"]+)" checked', form)
    data["mode"] = re.search(r'name="mode" value="([^"]+)" checked', form).group(1)
    data["round_minutes"] = re.search(r'name="round_minutes"[^>]*value="([^"]*)"', form).group(1)
    data["votes"] = re.search(r'name="votes"[^>]*value="([^"]*)"', form).group(1)
    return data


def test_the_set_up_shows_the_prompts_and_saving_only_the_minutes_keeps_them(brainwriting, workshop, console):
    page = console.get(f"/convene/{workshop.pk}/").content.decode()
    data = setup_form(page)
    assert data["prompts"].splitlines() == FOUR_PROMPTS
    assert "{{" not in data["prompts"] and "join:" not in data["prompts"]

    data["round_minutes"] = "7"
    response = console.post(f"/convene/{workshop.pk}/items/{brainwriting.pk}/brainwriting/settings/", data)
    assert response.status_code == 302
    brainwriting.refresh_from_db()
    assert brainwriting.config["prompts"] == FOUR_PROMPTS and brainwriting.config["round_minutes"] == 7

    # Saved again unchanged: every value round-trips exactly.
    before = dict(brainwriting.config)
    again = setup_form(console.get(f"/convene/{workshop.pk}/").content.decode())
    console.post(f"/convene/{workshop.pk}/items/{brainwriting.pk}/brainwriting/settings/", again)
    brainwriting.refresh_from_db()
    assert brainwriting.config == before


@pytest.mark.parametrize("prompts, message", [
    ('{{ item.config.prompts|join:"\n" }}', "looks like template code"),
    ("Culture\n{% if x %}Assets", "looks like template code"),
    ("  \n \n", "Write at least one prompt"),
    ("x" * 121, "under 120 characters"),
])
def test_a_set_up_with_template_code_or_no_prompts_is_refused_in_the_form(brainwriting, workshop, console,
                                                                           prompts, message):
    data = setup_form(console.get(f"/convene/{workshop.pk}/").content.decode())
    data.update(prompts=prompts, round_minutes="9")
    response = console.post(f"/convene/{workshop.pk}/items/{brainwriting.pk}/brainwriting/settings/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in html.unescape(page)
    # The form is open again with what was typed: nothing is lost, nothing was saved.
    assert 'id="bw-setup" open' in page and setup_form(page)["round_minutes"] == "9"
    assert html.unescape(setup_form(page)["prompts"]) == prompts
    brainwriting.refresh_from_db()
    assert brainwriting.config["prompts"] == FOUR_PROMPTS and brainwriting.config["round_minutes"] == 5


# --- Ending a workshop ----------------------------------------------------------------------


def test_ending_asks_first_on_a_page_of_its_own_away_from_the_set_up(brainwriting, workshop, console):
    page = console.get(f"/convene/{workshop.pk}/").content.decode()
    assert 'value="end"' not in page  # no one-click end button in the run controls any more
    assert f'href="/convene/{workshop.pk}/end/"' in page
    assert page.index(f'/convene/{workshop.pk}/end/') < page.index('id="now"')  # in the head, not beside Set-up
    # The old one-click action no longer ends anything.
    assert console.post(f"/convene/{workshop.pk}/control/", {"action": "end"}).status_code == 400
    confirm = console.get(f"/convene/{workshop.pk}/end/")
    assert confirm.status_code == 200 and "This cannot be undone." in confirm.content.decode()
    workshop.refresh_from_db()
    assert workshop.status == "live"

    assert console.post(f"/convene/{workshop.pk}/end/").status_code == 302
    workshop.refresh_from_db()
    assert workshop.status == "ended"
    assert console.post(f"/convene/{workshop.pk}/end/").status_code == 409


def test_after_ending_the_console_offers_no_run_controls_and_the_server_refuses_them(brainwriting, workshop, console):
    services.end_workshop(workshop)
    page = console.get(f"/convene/{workshop.pk}/").content.decode()
    for control in ("Start timer", "Next item", "+1 minute", "Open round", "Go to<"):
        assert control not in page, control
    assert "This workshop has ended." in page
    other = workshop.items.exclude(pk=brainwriting.pk).first()
    for data in ({"action": "start"}, {"action": "next"}, {"action": "add"}, {"action": "pause"},
                 {"action": "go", "item": other.pk}):
        response = console.post(f"/convene/{workshop.pk}/control/", data)
        assert response.status_code == 409, data
        assert "This workshop has ended" in response.content.decode()
    response = console.post(f"/convene/{workshop.pk}/items/{brainwriting.pk}/brainwriting/round/", {"action": "open"})
    assert response.status_code == 409
    workshop.refresh_from_db()
    assert workshop.status == "ended" and workshop.current_item_id == brainwriting.pk and workshop.timer_ends_at is None


def test_a_late_phone_sees_only_that_the_workshop_has_ended(brainwriting, workshop, client, join_phone):
    _ana, ana = join_phone("Ana")
    bw.open_round(brainwriting)
    services.end_workshop(workshop)
    response = client.get(f"/w/{workshop.code}/")
    page = response.content.decode()
    assert response.status_code == 410 and "This workshop has ended." in page
    assert page.count("<form") == 1 and 'class="phone-language"' in page and "Your name" not in page  # the language switch only
    response = client.post(f"/w/{workshop.code}/", {"display_name": "Late", "sector": "business"})
    assert response.status_code == 410 and 'name="display_name"' not in response.content.decode()
    assert not workshop.participants.filter(display_name="Late").exists()
    # Someone who took part still gets their thank-you screen, and can no longer send anything.
    assert "Thank you for taking part." in ana.get(f"/w/{workshop.code}/").content.decode()
    response = ana.post(f"/w/{workshop.code}/brainwriting/notes/", {"text": "late", "prompt": 0,
                                                                     "about": "government", "key": "late-note-key"},
                        HTTP_X_CONVENE="fetch")
    assert response.status_code == 409 and "This workshop has ended" in response.content.decode()


# --- The themes page ------------------------------------------------------------------------


def test_each_list_on_the_themes_page_has_its_own_label(brainwriting, workshop, console, join_phone):
    from intersector.workshops.activities.brainwriting.models import Note

    item = bw.open_round(brainwriting)
    writer, _phone = join_phone("Writer")
    texts = ["permits take months", "budgets are yearly", "trust takes time"]
    for n, text in enumerate(texts):
        bw.add_note(item, writer, 0, "government", text, f"key-label-{n:03d}")
    notes = list(Note.objects.filter(item=item))
    bw.apply_themes(item, [("Slow approvals", [notes[0].pk, notes[1].pk]), ("Trust", [notes[2].pk])])
    page = console.get(f"/convene/{workshop.pk}/items/{item.pk}/brainwriting/themes/").content.decode()
    selects = re.findall(r'<select[^>]*\bid="([^"]+)"', page)
    assert len(selects) >= 2
    labels = {}
    for select in selects:
        label = re.search(rf'<label[^>]*for="{re.escape(select)}"[^>]*>(.*?)</label>', page, flags=re.S)
        assert label, f"the list {select} has no label"
        labels[select] = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", label.group(1))).split())
    assert len(set(labels.values())) == len(labels), labels
    for note in notes:  # a list that moves one note says which note
        if f"to-{note.pk}" in labels:
            assert note.text in labels[f"to-{note.pk}"]


# --- Joining again from another browser: "Is this you?" -------------------------------------


def join_form(client, workshop, **data):
    return client.post(f"/w/{workshop.code}/", {"display_name": "Ana", "sector": "government", **data})


def test_joining_again_with_the_same_name_and_sector_asks_is_this_you_instead_of_making_a_second(workshop, client):
    ana = services.join(workshop, "Ana María", "government")
    response = join_form(client, workshop, display_name="  ana   maría ")
    page = response.content.decode()
    assert response.status_code == 200 and "Is this you?" in page
    assert f'name="participant" value="{ana.pk}"' in page
    assert workshop.participants.count() == 1 and cookie_name(workshop) not in response.cookies
    # Another sector is another person; so is someone who says so.
    assert join_form(client, workshop, display_name="Ana María", sector="business").status_code == 302
    assert join_form(Client(), workshop, display_name="Ana María", someone_else="1").status_code == 302
    assert workshop.participants.filter(sector="government").count() == 2


def test_the_language_switch_of_is_this_you_comes_back_to_the_question(workshop, client):
    """ "Is this you?" answers a POST: its language switch comes back to it by a GET that asks the
    same question again (and to the join form, filled in, once nobody of that name is in)."""
    ana = services.join(workshop, "Ana María", "government")
    page = join_form(client, workshop, display_name="Ana María", organisation="City").content.decode()
    back = re.search(r'<input type="hidden" name="next" value="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert back.startswith(f"/w/{workshop.code}/?same=1")
    switched = client.post("/i18n/setlang/", {"language": "es", "next": back})
    assert switched.status_code == 302 and switched["Location"] == back
    again = client.get(back).content.decode()
    assert "¿Es usted?" in again and f'name="participant" value="{ana.pk}"' in again
    assert 'name="organisation" value="City"' in again and workshop.participants.count() == 1
    ana.delete()
    form = client.get(back).content.decode()
    assert "¿Es usted?" not in form and 'value="Ana María"' in form


def test_the_first_phone_lets_the_second_browser_in_and_nobody_else_can(workshop, client, join_phone):
    ana, first = join_phone("Ana")
    second = client
    asked = second.post(f"/w/{workshop.code}/rejoin/ask", {"participant": ana.pk, "display_name": "Ana", "sector": "government"})
    assert asked.status_code == 302 and asked["Location"].endswith("/rejoin/")
    waiting = second.get(f"/w/{workshop.code}/rejoin/")
    assert waiting.status_code == 200 and "Waiting for a yes" in waiting.content.decode()
    assert 'data-look-again-seconds="4"' in waiting.content.decode() and "rejoin.js" in waiting.content.decode()
    assert 'http-equiv="refresh"' not in waiting.content.decode()  # axe: meta-refresh
    assert cookie_name(workshop) not in second.cookies  # no pass yet
    assert "Is this you, on another phone?" in first.get(f"/w/{workshop.code}/").content.decode()
    question = Rejoin.objects.get()

    # Another participant cannot answer for Ana; a stranger without a pass cannot either.
    _ben, ben = join_phone("Ben", "business")
    assert ben.post(f"/w/{workshop.code}/rejoin/answer", {"rejoin": question.pk, "answer": "yes"}).status_code == 409
    assert Client().post(f"/w/{workshop.code}/rejoin/answer", {"rejoin": question.pk, "answer": "yes"}).status_code == 403
    assert second.get(f"/w/{workshop.code}/rejoin/").status_code == 200  # still waiting

    assert first.post(f"/w/{workshop.code}/rejoin/answer", {"rejoin": question.pk, "answer": "yes"}).status_code == 302
    let_in = second.get(f"/w/{workshop.code}/rejoin/")
    assert let_in.status_code == 302 and cookie_name(workshop) in let_in.cookies
    screen = second.get(f"/w/{workshop.code}/")
    assert screen.context["participant"].pk == ana.pk and "Is this you" not in screen.content.decode()
    assert workshop.participants.filter(display_name="Ana").count() == 1
    assert first.get(f"/w/{workshop.code}/now").status_code == 200  # the first phone still works
    assert not Rejoin.objects.exists()  # used once


def test_a_facilitator_answers_for_someone_whose_first_phone_is_gone(workshop, client, console, join_phone):
    ana, _first = join_phone("Ana")
    client.post(f"/w/{workshop.code}/rejoin/ask", {"participant": ana.pk, "display_name": "ana", "sector": "government"})
    page = console.get(f"/convene/{workshop.pk}/").content.decode()
    assert "asks to continue on another phone or browser" in page
    question = Rejoin.objects.get()
    assert console.post(f"/convene/{workshop.pk}/rejoins/", {"rejoin": question.pk, "answer": "no"}).status_code == 302
    told = client.get(f"/w/{workshop.code}/rejoin/")
    assert "was not let in as Ana" in told.content.decode() and cookie_name(workshop) not in client.cookies
    assert console.post(f"/convene/{workshop.pk}/rejoins/", {"rejoin": question.pk, "answer": "yes"}).status_code == 409

    client.post(f"/w/{workshop.code}/rejoin/ask", {"participant": ana.pk, "display_name": "Ana", "sector": "government"})
    console.post(f"/convene/{workshop.pk}/rejoins/", {"rejoin": Rejoin.objects.get(status="waiting").pk, "answer": "yes"})
    assert client.get(f"/w/{workshop.code}/rejoin/").status_code == 302
    assert client.get(f"/w/{workshop.code}/").context["participant"].pk == ana.pk


def test_a_question_needs_the_name_and_sector_and_its_own_browser(workshop, client, join_phone):
    ana, _first = join_phone("Ana")
    response = client.post(f"/w/{workshop.code}/rejoin/ask", {"participant": ana.pk, "display_name": "Bob",
                                                            "sector": "government"})
    assert response.status_code == 404 and not Rejoin.objects.exists()
    client.post(f"/w/{workshop.code}/rejoin/ask", {"participant": ana.pk, "display_name": "Ana", "sector": "government"})
    question = Rejoin.objects.get()
    services_people.answer_rejoin(workshop, question.pk, True)
    # Another browser that copies the question's id, without its signed secret, gets nothing.
    other = Client()
    other.cookies["convene-rejoin-" + workshop.code] = services_people.REJOIN.make([question.pk, "guessed"])
    assert other.get(f"/w/{workshop.code}/rejoin/").status_code == 302
    assert cookie_name(workshop) not in other.cookies
    Rejoin.objects.update(created=timezone.now() - timedelta(hours=1))  # and an old one expires
    assert client.get(f"/w/{workshop.code}/rejoin/")["Location"].endswith(f"/w/{workshop.code}/")
    assert cookie_name(workshop) not in client.cookies


# --- The facilitator removes or merges a person ---------------------------------------------


def test_a_facilitator_merges_two_entries_of_one_person_keeping_what_both_did(brainwriting, workshop, console,
                                                                             join_phone):
    from intersector.workshops.activities.brainwriting.models import Note, Vote
    from intersector.workshops.qna import services as qna
    from intersector.workshops.qna.models import Question

    item = bw.open_round(brainwriting)
    first, _a = join_phone("Ana")
    second, _b = join_phone("Ana", organisation="City")
    ben, _c = join_phone("Ben", "business")
    bw.add_note(item, first, 0, "government", "permits take months", "key-first-0001")
    bw.add_note(item, second, 0, "government", "budgets are yearly", "key-second-001")
    item = bw.close_round(item)
    notes = list(Note.objects.filter(item=item))
    bw.apply_themes(item, [("Slow", [notes[0].pk]), ("Money", [notes[1].pk])])
    item = bw.set_phase(item, "voting")
    slow = Note.objects.get(pk=notes[0].pk).theme_id
    for person in (first, first, second, second):  # four votes, three allowed per person
        bw.vote(item, person, slow)
    discussion = workshop.items.get(kind="discussion")
    services.go_to_item(workshop, discussion)
    discussion.refresh_from_db()
    asked, _new = qna.ask(discussion, first, "Who pays?", key="question-key-01")
    mine, _new = qna.ask(discussion, ben, "When?", key="question-key-02")
    qna.approve_all(discussion)
    for person in (first, second):
        qna.vote(discussion, person, mine.pk)
    qna.vote(discussion, second, asked.pk)  # the same person voting for "their own" question

    page = console.get(f"/convene/{workshop.pk}/people/{first.pk}/").content.decode()
    assert "1 note" in page and "2 votes on themes" in page and "1 question" in page
    assert re.search(r'Same name and sector">\s*<option value="%d"' % second.pk, page)
    response = console.post(f"/convene/{workshop.pk}/people/{first.pk}/", {"action": "merge", "into": second.pk})
    assert response.status_code == 302
    assert not workshop.participants.filter(pk=first.pk).exists()
    assert Note.objects.filter(participant=second).count() == 2
    assert Vote.objects.filter(participant=second).count() == 3
    assert Question.objects.get(pk=asked.pk).participant_id == second.pk
    assert Question.objects.get(pk=mine.pk).votes == 1 and Question.objects.get(pk=asked.pk).votes == 0


def test_a_facilitator_removes_a_stray_entry_with_what_it_wrote(brainwriting, workshop, console, join_phone):
    from intersector.workshops.activities.brainwriting.models import Note

    item = bw.open_round(brainwriting)
    stray, phone = join_phone("Mickey Mouse", "business")
    bw.add_note(item, stray, 0, "government", "hello", "key-stray-0001")
    page = console.get(f"/convene/{workshop.pk}/").content.decode()
    assert f'href="/convene/{workshop.pk}/people/{stray.pk}/"' in page
    assert console.post(f"/convene/{workshop.pk}/people/{stray.pk}/", {"action": "remove"}).status_code == 302
    assert not workshop.participants.exists() and not Note.objects.exists()
    assert phone.get(f"/w/{workshop.code}/now").status_code == 403  # its pass no longer works
    assert console.post(f"/convene/{workshop.pk}/people/{stray.pk}/", {"action": "remove"}).status_code == 404


def test_someone_in_play_in_the_case_simulation_is_taken_out_there_first(workshop, console):
    from intersector.workshops.activities.casesim import phases

    people = [services.join(workshop, f"Person {n}", ["government", "business", "non-profit"][n % 3]) for n in range(8)]
    services.set_table_count(workshop, 2)
    item = workshop.items.get(kind="casesim")
    services.go_to_item(workshop, item)
    response = console.post(f"/convene/{workshop.pk}/people/{people[0].pk}/", {"action": "remove"})
    assert response.status_code == 409 and "take them out there first" in html.unescape(response.content.decode())
    assert workshop.participants.filter(pk=people[0].pk).exists()
    phases.take_out(item, people[0].pk)
    response = console.post(f"/convene/{workshop.pk}/people/{people[0].pk}/", {"action": "merge", "into": people[1].pk})
    assert response.status_code == 302 and not workshop.participants.filter(pk=people[0].pk).exists()
