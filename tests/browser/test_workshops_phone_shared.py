"""After a console change the phone shows the room's screen (one rendering for everyone) and then
fills in its own parts; what it sends from that screen carries its own token and a fresh key."""

import pytest

from intersector.workshops import services
from intersector.workshops.activities.brainwriting import services as brainwriting
from intersector.workshops.activities.brainwriting.models import Note
from tests.conftest import screenshot
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    from django.db import connection

    server = Server("convene-shared", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


@pytest.fixture
def facilitator(django_user_model):
    return django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")


@pytest.fixture
def writing_round(facilitator):
    workshop = services.create_workshop(facilitator, "Sector styles", "starter")
    item = workshop.items.get(kind="brainwriting")
    services.go_to_item(workshop, item)
    brainwriting.open_round(item)
    return item


def console_round(server, facilitator, item, action):
    """The console's round button, through the server (its events start there)."""
    import httpx
    from django.test import Client

    client = Client()
    client.force_login(facilitator)
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={'c' * 32}"
    response = httpx.post(f"{server.url}/convene/{item.workshop_id}/items/{item.pk}/brainwriting/round/",
                          data={"action": action}, headers={"Cookie": cookie, "X-CSRFToken": "c" * 32}, timeout=10)
    assert response.status_code == 302, response.text[:300]


def join(phone, server, item, name):
    phone.goto(f"{server.url}/w/{item.workshop.code}/")
    phone.get_by_label("Your name (as others will see it)").fill(name)
    phone.get_by_label("Government", exact=True).check()
    phone.get_by_role("button", name="Join").click()
    phone.get_by_label("Your note").wait_for()
    phone.locator("#live[data-live-state='live']").wait_for(state="attached")


def test_a_phone_shows_the_room_s_screen_then_its_own_parts_and_writes_from_it(
        server, new_page, facilitator, writing_round):
    ana, ben = new_page(width=360, height=740, is_mobile=True), new_page(width=360, height=740, is_mobile=True)
    join(ana, server, writing_round, "Ana")
    join(ben, server, writing_round, "Ben")
    ana.get_by_label("Your note").fill("permits take months")
    ana.get_by_role("button", name="Add note").click()
    ana.get_by_text("Saved.", exact=True).wait_for()
    # The answer was Ana's own parts only (phone.js asks so): her notes filled in, the box empty
    # and focused for the next note, which goes with a new key.
    ana.locator(".my-notes p").get_by_text("permits take months").wait_for()
    assert ana.get_by_label("Your note").input_value() == ""
    assert ana.evaluate("document.activeElement.id") == "note-text"
    ana.get_by_label("Your note").fill("approvals need three signatures")
    ana.get_by_role("button", name="Add note").click()
    ana.locator(".my-notes p").get_by_text("approvals need three signatures").wait_for()
    assert ana.locator("p.saved").count() == 1
    assert Note.objects.filter(item=writing_round, participant__display_name="Ana").count() == 2
    Note.objects.filter(text="approvals need three signatures").delete()

    asked = []  # the room's screen comes in the event: no phone asks for it
    for phone in (ana, ben):
        phone.on("request", lambda request: asked.append(request.url) if "/screens/" in request.url else None)
    console_round(server, facilitator, writing_round, "close")
    for phone, count in ((ana, "You have written 1 note."), (ben, "You have written 0 notes.")):
        phone.locator("#screen-content[data-shared]").get_by_text("This round has closed.").wait_for()
        phone.get_by_text(count).wait_for()  # its own part, from its own request
    assert "permits take months" not in ben.content()
    assert asked == []

    console_round(server, facilitator, writing_round, "open")
    ana.locator("#screen-content[data-shared]").get_by_text("Round 2:").wait_for()
    # The pushed screen's countdown runs on the phone's clock offset from its page, not from
    # when the screen was rendered: it shows the round's five minutes, give or take a second.
    ana.wait_for_function("document.querySelector('#screen .timer-value') && "
                          "/^[45]:[0-9][0-9]$/.test(document.querySelector('#screen .timer-value').textContent)")
    assert asked == []
    ana.get_by_label("Your note").fill("budgets are yearly")
    ana.get_by_role("button", name="Add note").click()
    ana.get_by_text("Saved.", exact=True).wait_for()  # its token and a fresh key were in the form
    screenshot(ana, "workshops-phone-shared-round-2")
    notes = list(Note.objects.filter(item=writing_round).order_by("pk").values_list("text", "round"))
    assert notes == [("permits take months", 1), ("budgets are yearly", 2)]
    assert "budgets are yearly" in ana.locator(".my-notes").inner_text()


def test_each_new_note_joins_the_writer_s_list_which_keeps_the_latest_five(server, new_page, writing_round):
    """A new note's answer is that note alone: phone.js adds it after the others, the oldest goes
    once five are shown, and the line about earlier notes comes with it; a note sent again after
    its answer was lost is listed once."""
    ana = new_page(width=360, height=740, is_mobile=True)
    join(ana, server, writing_round, "Ana")
    # Sent url-encoded, not as multipart: the server reads those in a fraction of the time.
    sent = []
    ana.on("request", lambda r: sent.append(r.headers.get("content-type", "")) if r.method == "POST" else None)
    for n in range(6):
        ana.get_by_label("Your note").fill(f"idea number {n}")
        ana.get_by_role("button", name="Add note").click()
        ana.locator(".my-notes p").get_by_text(f"idea number {n}", exact=True).wait_for()
    ana.get_by_text("And 1 earlier note this round.").wait_for()
    assert ana.locator(".my-notes li > p:first-child").all_inner_texts() == [f"idea number {n}" for n in range(1, 6)]
    # Its Change form works as on a full screen (phone.js gave it the page's csrf token).
    ana.locator(".my-notes summary").last.click()
    ana.locator(".my-notes textarea").last.fill("idea number 5, changed")
    ana.locator(".my-notes li").last.get_by_role("button", name="Save change").click()
    ana.locator(".my-notes p").get_by_text("idea number 5, changed", exact=True).wait_for()
    # The same note sent again (the phone never heard the first answer): saved and listed once.
    key = Note.objects.filter(participant__display_name="Ana").order_by("pk").last().key
    ana.evaluate("""key => { const form = document.querySelector("form[data-note-answer]");
        form.elements.key.value = key; form.elements.text.value = "idea number 5"; form.requestSubmit(); }""", key)
    ana.get_by_text("Already saved.", exact=True).wait_for()
    assert ana.locator(".my-notes li").count() == 5
    assert Note.objects.filter(item=writing_round, participant__display_name="Ana").count() == 6
    assert len(sent) == 8 and all(kind.startswith("application/x-www-form-urlencoded") for kind in sent), sent


def test_vote_buttons_wait_for_the_phone_s_own_votes_saying_so(server, new_page, facilitator, writing_round):
    """The room's voting screen comes without anyone's votes: its Vote buttons stay disabled, with
    'Loading your votes…' in a status a screen reader hears, until the phone's own request says
    how many votes it has left; with none left they stay disabled."""
    from intersector.workshops.activities.brainwriting.models import Theme, Vote
    from intersector.workshops.models import Participant

    ana, ben = new_page(width=360, height=740, is_mobile=True), new_page(width=360, height=740, is_mobile=True)
    join(ana, server, writing_round, "Ana")
    join(ben, server, writing_round, "Ben")
    themes = [Theme.objects.create(item=writing_round, label=label) for label in ("Slow approvals", "Trust")]
    ben_person = Participant.objects.get(workshop=writing_round.workshop, display_name="Ben")
    for _n in range(3):  # Ben has used all three of his votes
        Vote.objects.create(theme=themes[0], participant=ben_person)
    held = []  # each phone's own request (/mine) waits until the test lets it through
    for phone in (ana, ben):
        phone.route("**/mine", lambda route: held.append(route))

    console_round(server, facilitator, writing_round, "voting")
    for phone in (ana, ben):
        vote = phone.get_by_role("button", name="Vote for Trust")
        vote.wait_for()
        assert vote.is_disabled()
        loading = phone.get_by_role("status").filter(has_text="Loading your votes…")
        assert loading.is_visible()
    screenshot(ana, "workshops-phone-votes-loading")
    deadline = 0
    while len(held) < 2 and deadline < 100:  # both phones have asked for their own parts
        ana.wait_for_timeout(100)
        deadline += 1
    for route in list(held):
        route.continue_()
    ana.get_by_text("You have 3 votes left.").wait_for()
    ana.wait_for_function("!document.getElementById('vote-%d').disabled" % themes[1].pk)
    ben.get_by_text("You have 0 votes left.").wait_for()
    assert ben.get_by_role("button", name="Vote for Trust").is_disabled()
    assert ben.get_by_role("button", name="Take back a vote from Slow approvals").is_enabled()
    ana.unroute("**/mine")
    ana.get_by_role("button", name="Vote for Trust").click()
    ana.get_by_text("You have 2 votes left.").wait_for()
    assert Vote.objects.filter(participant__display_name="Ana", theme=themes[1]).count() == 1


def own_parts_answer(phone, path_part, click):
    """Click, and return the answer to the phone's POST whose address holds path_part."""
    with phone.expect_response(lambda r: path_part in r.url and r.request.method == "POST") as answer:
        click()
    body = answer.value.text()
    assert answer.value.status == 200, body[:300]
    # The writer's own parts only (the "mine" partial), never the whole screen again.
    assert "data-mine-for" in body and 'id="screen-content"' not in body, body[:300]
    return body


def test_changing_deleting_and_voting_are_answered_with_the_writer_s_own_parts(
        server, new_page, facilitator, writing_round, axe):
    """As a note's Add: a note's Change and Delete, a Vote and a Take back are answered with the
    phone's own parts, which fill its slots in place; the screen says what was done, and the focus
    stays on the note, the note box or the theme's buttons."""
    from intersector.workshops.activities.brainwriting.models import Theme, Vote

    ana = new_page(width=360, height=740, is_mobile=True)
    join(ana, server, writing_round, "Ana")
    screens_asked = []  # no whole screen is fetched for any of these
    ana.on("request", lambda request: screens_asked.append(request.url)
           if request.method == "GET" and ("/now" in request.url or "/screens/" in request.url) else None)
    ana.get_by_label("Your note").fill("permits take months")
    ana.get_by_role("button", name="Add note").click()
    ana.locator(".my-notes p").get_by_text("permits take months").wait_for()
    note = Note.objects.get(text="permits take months")

    ana.get_by_text("Change or delete").click()
    ana.get_by_label("Note", exact=True).fill("permits take six months")
    own_parts_answer(ana, "/edit/", lambda: ana.get_by_role("button", name="Save change").click())
    ana.get_by_text("Change saved.", exact=True).wait_for()
    ana.locator(".my-notes p").get_by_text("permits take six months").wait_for()
    assert ana.evaluate("document.activeElement.id") == f"change-{note.pk}"
    note.refresh_from_db()
    assert note.text == "permits take six months"
    axe(ana)
    screenshot(ana, "workshops-phone-note-changed")

    ana.get_by_text("Change or delete").click()
    own_parts_answer(ana, "/delete/", lambda: ana.get_by_role("button", name="Delete note").click())
    ana.get_by_text("Note deleted.", exact=True).wait_for()
    assert ana.locator(".my-notes").count() == 0
    assert ana.evaluate("document.activeElement.id") == "note-text"
    assert not Note.objects.filter(pk=note.pk).exists()

    themes = [Theme.objects.create(item=writing_round, label=label) for label in ("Slow approvals", "Trust")]
    console_round(server, facilitator, writing_round, "voting")
    ana.get_by_text("You have 3 votes left.").wait_for()
    vote = ana.get_by_role("button", name="Vote for Trust")
    ana.wait_for_function("!document.getElementById('vote-%d').disabled" % themes[1].pk)
    screens_asked.clear()  # (the voting screen itself came in the event)
    own_parts_answer(ana, "/votes/", vote.click)
    ana.get_by_text("Vote saved.", exact=True).wait_for()
    ana.get_by_text("You have 2 votes left.").wait_for()
    ana.locator(f"#take-back-{themes[1].pk}").wait_for()
    assert ana.evaluate("document.activeElement.id") == f"vote-{themes[1].pk}"
    for _n in range(2):  # the last votes: every Vote button stays disabled, Take back works
        own_parts_answer(ana, "/votes/", vote.click)
        ana.wait_for_timeout(50)
    ana.get_by_text("You have 0 votes left.").wait_for()
    assert vote.is_disabled() and ana.get_by_role("button", name="Vote for Slow approvals").is_disabled()
    assert ana.evaluate("document.activeElement.id") == f"take-back-{themes[1].pk}"
    screenshot(ana, "workshops-phone-votes-own-parts")
    own_parts_answer(ana, "/votes/", lambda: ana.get_by_role("button", name="Take back a vote from Trust").click())
    ana.get_by_text("Vote taken back.", exact=True).wait_for()
    ana.get_by_text("You have 1 vote left.").wait_for()
    assert vote.is_enabled()
    assert Vote.objects.filter(participant__display_name="Ana", theme=themes[1]).count() == 2
    axe(ana)
    assert screens_asked == []
    assert ana.evaluate("document.documentElement.scrollWidth") <= 360
