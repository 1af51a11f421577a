"""The room's projector through its real URLs: what each screen shows (and never shows), who may
open it, and the board rendered once per change for every screen (projector.py). The browser
side, sizes and accessibility: tests/browser/test_projector.py."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intersector.live import current_event_id
from intersector.workshops import services
from intersector.workshops.activities.brainwriting import screen as bw_screen
from intersector.workshops.activities.brainwriting import services as bw

pytestmark = pytest.mark.django_db


def board(console, workshop, **params):
    return console.get(f"/w/{workshop.code}/screen/now", params)


def test_before_the_first_item_the_screen_invites_people_to_join(console, workshop, join_phone):
    join_phone("Ana", "government")
    join_phone("Ben", "business")
    join_phone("Dev", "government")
    page = console.get(f"/w/{workshop.code}/screen").content.decode()
    assert "Scan to join" in page and "Join on your phone at" in page and f'class="join-code">{workshop.code}<' in page
    assert f'src="/w/{workshop.code}/qr.svg"' in page
    assert f"testserver/w/{workshop.code}" in page  # the address to type, without http://
    # Live counts by sector: 2 in government, 1 in business, none listed for the others.
    assert re.search(r'p-sector-government"><span class="p-sector-n">2</span> <span class="p-sector-name">Government', page)
    assert re.search(r'p-sector-business"><span class="p-sector-n">1</span>', page)
    assert "p-sector-non-profit" not in page


def test_after_the_end_nothing_invites_anyone_to_join(console, workshop, join_phone):
    join_phone("Ana")
    services.go_to_item(workshop, workshop.items.first())
    services.end_workshop(workshop)
    for page in (console.get(f"/w/{workshop.code}/screen"), board(console, workshop)):
        text = page.content.decode()
        assert page.status_code == 200 and "Thank you for taking part" in text and "What happens next" in text
        board_html = text[text.index('id="board"'):] if 'id="board"' in text else text
        assert "qr.svg" not in board_html and "join" not in board_html.lower()
        assert workshop.code not in board_html and "join-code" not in board_html


def test_notes_arrive_as_cards_without_their_writers(console, workshop, brainwriting, join_phone):
    brainwriting = bw.open_round(brainwriting)
    people = [join_phone(f"Writer{n}Name", ["government", "business", "non-profit"][n % 3])[0] for n in range(4)]
    for n in range(bw_screen.CARDS + 5):
        bw.add_note(brainwriting, people[n % 4], n % 4, ["government", "business", "non-profit"][n % 3],
                    f"note number {n}", f"key-{n:04d}-abc")
    text = board(console, workshop).content.decode()
    assert "Writer" not in text  # no name, anywhere in the board
    cards = re.findall(r'data-card="(\d+)"', text)
    assert len(cards) == bw_screen.CARDS and cards == sorted(cards, key=int, reverse=True)  # newest first
    assert f"note number {bw_screen.CARDS + 4}" in text and "note number 0<" not in text
    assert "+5 more" in text
    assert re.search(r"<strong>35</strong> <span>notes</span>", text)


def test_voting_shows_the_theme_wall_with_bars(console, workshop, brainwriting, join_phone):
    brainwriting = bw.open_round(brainwriting)
    ana, ben = join_phone("Ana")[0], join_phone("Ben", "business")[0]
    notes = [bw.add_note(brainwriting, ana, 0, about, text, f"key-{n:04d}-abc")[0]
             for n, (about, text) in enumerate([("government", "slow sign-off"), ("business", "quick calls"),
                                                ("government", "public scrutiny")])]
    bw.apply_themes(brainwriting, [("Pace of decisions", [notes[0].pk, notes[1].pk]), ("Scrutiny", [notes[2].pk])])
    brainwriting = bw.set_phase(brainwriting, "voting")
    pace, scrutiny = brainwriting.themes.order_by("order")
    bw.vote(brainwriting, ana, pace.pk)
    bw.vote(brainwriting, ben, pace.pk)
    bw.vote(brainwriting, ben, scrutiny.pk)
    text = board(console, workshop).content.decode()
    assert "Vote on your phone for the themes that matter most." in text
    assert re.search(r'data-share="100" data-key="theme-%d"' % pace.pk, text)
    assert re.search(r'data-share="50" data-key="theme-%d"' % scrutiny.pk, text)
    assert "2 votes" in text and "1 vote<" in text and "across sectors" in text
    assert "from 2 people" in text


def test_a_talk_shows_its_text_and_the_join_code_large(console, workshop):
    services.go_to_item(workshop, workshop.items.first())
    text = board(console, workshop).content.decode()
    assert 'class="p-simple"' in text and "Listen in" in text
    assert 'class="timer' in text and "qr.svg" in text


def test_every_screen_gets_the_board_rendered_once_per_change(console, workshop, join_phone,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        join_phone("Ana")
    first = board(console, workshop)
    assert first.status_code == 200 and first["X-Served-At-Ms"].isdigit()
    with CaptureQueriesContext(connection) as again:
        second = board(console, workshop)
    assert second.content == first.content
    # Only who may see it is read again (the session, the user, the workshop): not the board.
    assert not any("workshops_participant" in q["sql"] or "workshops_agendaitem" in q["sql"] for q in again.captured_queries)

    heard = current_event_id(workshop.topic)
    with django_capture_on_commit_callbacks(execute=True):
        join_phone("Ben", "business")
    # A screen that has heard only the older event may get the kept board (the new event is on
    # its way to it); a screen that heard the new one gets a new board.
    assert board(console, workshop, at=heard).content == first.content
    fresh = board(console, workshop, at=current_event_id(workshop.topic))
    assert b"2 people have joined" in fresh.content and fresh.content != first.content
    assert b"2 people have joined" in board(console, workshop).content


def test_only_the_people_who_run_the_workshop_see_its_projector(client, workshop, django_user_model):
    assert client.get(f"/w/{workshop.code}/screen").status_code == 302  # sign in first
    assert client.get(f"/w/{workshop.code}/screen/now").status_code == 404
    django_user_model.objects.create_user("other", "other@example.org", "another-long-pass-phrase")
    client.login(username="other", password="another-long-pass-phrase")
    for address in (f"/w/{workshop.code}/screen", f"/w/{workshop.code}/screen/now"):
        page = client.get(address)
        assert page.status_code == 404
        assert "Only the people who run this workshop can open its projector view." in page.content.decode()
