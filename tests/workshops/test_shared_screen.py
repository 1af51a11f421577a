"""One phone screen for the whole room (workshops/screens.py): the same answer for everyone after a
console change, with nobody's own content in it; each person's own parts come from their own
request; a screen is kept only for a change already published, never shown stale."""

import re

import pytest
from django.utils import translation

from intersector.live import current_event_id
from intersector.shared_responses import KEEP_HEADER, SERVED_AT
from intersector.workshops import screens, services
from intersector.workshops.activities.brainwriting import services as bw

MARKER = "zebra-marker-7f3"


@pytest.fixture
def writing(workshop, django_capture_on_commit_callbacks):
    """Round 1 of the workshop's brainwriting, its live events sent (the test's transaction
    never commits: the callbacks run at once)."""
    item = workshop.items.get(kind="brainwriting")
    with django_capture_on_commit_callbacks(execute=True):
        services.go_to_item(workshop, item)
        bw.open_round(item)
    return item


def without_clock(html):
    return re.sub(r'data-now="\d+"', "", html)


def shared_url(workshop, version=None, language="en"):
    version = version or current_event_id(workshop.phone_topic())
    return screens.screens_url(workshop, language) + version


def test_the_shared_screen_holds_no_one_s_own_note_name_token_or_key(workshop, writing, join_phone):
    ana, ana_phone = join_phone("Anaqz")
    _ben, ben_phone = join_phone("Ben", "business")
    ana_phone.post(f"/w/{workshop.code}/brainwriting/notes/",
                   {"text": MARKER, "prompt": 0, "about": "government", "key": "ana-key-0001"})
    page = ana_phone.get(f"/w/{workshop.code}/")  # Ana's own page shows her note and her token
    assert MARKER in page.content.decode() and 'name="csrfmiddlewaretoken" value="' in page.content.decode()

    answer = ana_phone.get(shared_url(workshop))  # Ana asks first: her request renders the kept copy
    html = answer.content.decode()
    assert answer.status_code == 200 and answer[KEEP_HEADER] == "1" and SERVED_AT in answer
    assert MARKER not in html and "Anaqz" not in html and "csrfmiddlewaretoken" not in html
    assert 'name="key" value=""' in html and "Set-Cookie" not in str(answer.headers)
    assert f'data-mine-for="{writing.pk}:writing:1:1"' in html and 'data-mine="my-notes"></div>' in html
    assert "Add note" in html and bw.prompts(writing)[0] in html
    same = ben_phone.get(shared_url(workshop)).content.decode()  # rendered again here (no ASGI store)
    assert without_clock(same) == without_clock(html)

    ana_mine = ana_phone.get(f"/w/{workshop.code}/mine").content.decode()
    ben_mine = ben_phone.get(f"/w/{workshop.code}/mine").content.decode()
    assert MARKER in ana_mine and MARKER not in ben_mine
    assert f'data-mine-for="{writing.pk}:writing:1:1"' in ben_mine and 'data-mine="my-notes"' in ben_mine


def test_votes_and_counts_are_each_phone_s_own_part(workshop, writing, join_phone):
    from intersector.workshops.activities.brainwriting.models import Theme

    ana, ana_phone = join_phone("Anaqz")
    _ben, ben_phone = join_phone("Ben", "business")
    theme = Theme.objects.create(item=writing, label="Slow approvals")
    bw.set_phase(writing, "voting")
    ana_phone.post(f"/w/{workshop.code}/brainwriting/votes/", {"theme": theme.pk})
    html = ben_phone.get(shared_url(workshop)).content.decode()
    assert "Slow approvals" in html and "of your votes" not in html and "Take back" not in html
    assert f'data-mine="take-back-{theme.pk}"></div>' in html
    assert "Take back" in ana_phone.get(f"/w/{workshop.code}/mine").content.decode()
    assert "Take back" not in ben_phone.get(f"/w/{workshop.code}/mine").content.decode()
    assert re.search(r"You have 3 votes left", ben_phone.get(f"/w/{workshop.code}/mine").content.decode())


def test_a_screen_is_kept_only_for_a_change_already_published(workshop, writing, join_phone):
    """A position from the future (or another server life) is answered but never kept: a later
    change with that position must not find an older screen waiting for it."""
    _ana, phone = join_phone("Ana")
    now = current_event_id(workshop.phone_topic())
    epoch, seq = now.rsplit("-", 1)
    future = phone.get(shared_url(workshop, f"{epoch}-{int(seq) + 5}"))
    other_life = phone.get(shared_url(workshop, f"x{epoch}-{seq}"))
    for answer in (future, other_life):
        assert answer.status_code == 200 and KEEP_HEADER not in answer and "no-store" in answer["Cache-Control"]
    assert phone.get(shared_url(workshop, now))[KEEP_HEADER] == "1"
    assert phone.get(shared_url(workshop, f"{epoch}-{int(seq) - 1}"))[KEEP_HEADER] == "1"


def test_a_change_gives_a_new_address_whose_screen_shows_it(workshop, writing, join_phone,
                                                           django_capture_on_commit_callbacks):
    _ana, phone = join_phone("Ana")
    before = shared_url(workshop)
    assert "Round 1:" in phone.get(before).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        bw.close_round(writing)
    after = shared_url(workshop)
    assert after != before and "This round has closed." in phone.get(after).content.decode()


def test_the_language_is_part_of_the_address(workshop, writing, join_phone):
    _ana, phone = join_phone("Ana")
    english = phone.get(shared_url(workshop)).content.decode()
    spanish = phone.get(shared_url(workshop, language="es"))
    with translation.override("es"):
        add_note = translation.gettext("Add note")
    assert spanish["Content-Language"] == "es" and add_note in spanish.content.decode()
    assert english != spanish.content.decode()
    unknown = phone.get(shared_url(workshop, language="xx"))
    assert unknown.status_code == 404 and "Reload the page" in unknown.content.decode()


def test_strangers_and_wrong_keys_get_a_plain_refusal(workshop, writing, join_phone, client):
    _ana, phone = join_phone("Ana")
    assert client.get(shared_url(workshop)).status_code == 403
    wrong = shared_url(workshop).replace(screens.key_for(workshop), "0" * 20)
    answer = phone.get(wrong)
    assert answer.status_code == 404 and "Reload the page" in answer.content.decode()
    assert client.get(f"/w/{workshop.code}/mine").status_code == 403


def test_a_kind_with_a_screen_per_table_never_answers_the_room_s_address_with_it(workshop, join_phone):
    """Case simulation: one screen per table (tests/workshops/casesim/test_table_screen.py); the
    room's screens address answers with that phone's own screen, never kept."""
    item = workshop.items.get(kind="casesim")
    services.go_to_item(workshop, item)
    _ana, phone = join_phone("Ana")
    answer = phone.get(shared_url(workshop))
    assert answer.status_code == 200 and KEEP_HEADER not in answer and "no-store" in answer["Cache-Control"]
    assert 'data-shared' not in answer.content.decode()


def test_the_page_gives_the_phone_the_screens_address_and_its_token(workshop, writing, join_phone):
    _ana, phone = join_phone("Ana")
    html = phone.get(f"/w/{workshop.code}/").content.decode()
    assert f'data-screens="{screens.screens_url(workshop, "en")}"' in html
    assert re.search(r'data-csrf="[A-Za-z0-9]{64}"', html) and f'data-personal="/w/{workshop.code}/mine"' in html


def test_someone_removed_never_learns_the_room_s_next_screens(workshop, writing, join_phone, console,
                                                              django_capture_on_commit_callbacks):
    """A kept screen is answered from memory to whoever knows its address (shared_responses), so
    removing someone gives the room new screens addresses: what the room shows next is never kept
    under an address the removed person knew. Phones still asking at the old address get their
    own screen, never kept, and are told the new address."""
    _ana, phone = join_phone("Ana")
    stray, stray_phone = join_phone("Troll")
    old = screens.screens_url(workshop, "en")
    assert f'data-screens="{old}"' in stray_phone.get(f"/w/{workshop.code}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert console.post(f"/convene/{workshop.pk}/people/{stray.pk}/", {"action": "remove"}).status_code == 302
        bw.close_round(writing)
    workshop.refresh_from_db()
    new = screens.screens_url(workshop, "en")
    assert new != old and f'data-screens="{new}"' in phone.get(f"/w/{workshop.code}/").content.decode()
    version = current_event_id(workshop.phone_topic())
    at_old = phone.get(old + version)
    assert at_old.status_code == 200 and "This round has closed." in at_old.content.decode()
    assert KEEP_HEADER not in at_old and "no-store" in at_old["Cache-Control"] and at_old["X-Screens"] == new
    assert phone.get(new + version)[KEEP_HEADER] == "1"
    assert stray_phone.get(old + version).status_code == 403  # and never kept for them to find
    # A key that was never this workshop's is still a plain refusal.
    assert phone.get(old.replace(screens.key_for(workshop, generation=0), "0" * 20) + version).status_code == 404


def sent_events(monkeypatch):
    from intersector import live

    events = []
    real_send = live._send
    monkeypatch.setattr(live, "_send", lambda topic, event, data: (events.append((topic, event, data)),
                                                                     real_send(topic, event, data)))
    return events


def test_the_phones_event_carries_the_room_s_screen_and_nothing_of_anyone_s_own(
        workshop, writing, join_phone, monkeypatch, django_capture_on_commit_callbacks):
    _ana, ana_phone = join_phone("Anaqz")
    ana_phone.post(f"/w/{workshop.code}/brainwriting/notes/",
                   {"text": MARKER, "prompt": 0, "about": "government", "key": "ana-key-0001"})
    events = sent_events(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        bw.close_round(writing)
    (phones,) = [data for topic, event, data in events if topic == workshop.phone_topic() and event == "screen.changed"]
    (boards,) = [data for topic, event, data in events if topic == workshop.topic and event == "screen.changed"]
    assert "screens" not in boards  # the console and projector fetch their own boards
    assert "This round has closed." in phones["screens"]["en"] and set(phones["screens"]) == {"en", "es"}
    kept = ana_phone.get(shared_url(workshop)).content.decode()
    assert without_clock(kept) == without_clock(phones["screens"]["en"])
    assert phones["asof"] and MARKER not in str(phones) and "Anaqz" not in str(phones)


def test_a_screen_near_the_event_s_size_is_announced_and_never_over_it(
        workshop, writing, join_phone, monkeypatch, django_capture_on_commit_callbacks):
    """Voting on 30 long themes: the screens in both languages are just under 64 KB as HTML but
    over it once escaped as JSON (quotes, accents, newlines). The change still reaches every phone,
    and an event that carries the screens fits; a phone fetches what the event could not carry."""
    import json

    from intersector.live.events import MAX_SCREEN_BYTES
    from intersector.workshops.activities.brainwriting.models import Note

    writer, phone = join_phone("Writer")
    Note.objects.bulk_create([Note(item=writing, participant=writer, prompt=0, about="government", round=1,
                                   key=f"key-big-{n:05d}", text=f"note {n}") for n in range(30)])
    with django_capture_on_commit_callbacks(execute=True):
        item = bw.close_round(writing)
        notes = item.notes.order_by("pk").values_list("pk", flat=True)
        bw.apply_themes(item, [(f'Theme {n}: "approvals" and sign-offs take months in every sector', [pk])
                               for n, pk in enumerate(notes)])
    events = sent_events(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        bw.set_phase(item, "voting")
    (phones,) = [data for topic, event, data in events if topic == workshop.phone_topic() and event == "screen.changed"]
    assert phones["item"] == item.pk
    assert len(json.dumps(phones, separators=(",", ":")).encode()) <= MAX_SCREEN_BYTES
    assert "Theme 29" in phone.get(shared_url(workshop)).content.decode()


def test_a_kind_whose_phones_each_see_their_own_screen_sends_no_screen_in_its_event(
        workshop, join_phone, monkeypatch, django_capture_on_commit_callbacks):
    join_phone("Ana")
    events = sent_events(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        services.go_to_item(workshop, workshop.items.get(kind="casesim"))
    (phones,) = [data for topic, event, data in events if topic == workshop.phone_topic() and event == "screen.changed"]
    assert "screens" not in phones and "asof" not in phones


def test_the_questions_screen_is_shared_and_each_phone_s_list_is_its_own(workshop, join_phone):
    """Q&A: one screen for the room (the text and the question form, no key, no list); each
    phone's list of questions, with its own votes and its own questions waiting, comes from its
    own request."""
    from intersector.workshops.qna import services as qna
    from intersector.workshops.qna.models import Question

    item = workshop.items.get(title="Questions and close")
    services.go_to_item(workshop, item)
    qna.configure(item, True, "approve")
    item.refresh_from_db()
    ana, ana_phone = join_phone("Anaqz")
    ben, ben_phone = join_phone("Ben", "business")
    waiting, _new = qna.ask(item, ana, MARKER, key="ana-question-1")  # only Ana sees it until approved
    shown, _new = qna.ask(item, ben, "Who pays for the buses?", key="ben-question-1")
    qna.approve(item, [shown.pk])
    qna.vote(item, ana, shown.pk)
    html = ana_phone.get(shared_url(workshop)).content.decode()
    assert answer_kept(ana_phone, workshop) and 'data-mine="qna-list"' in html and "Loading the questions…" in html
    assert MARKER not in html and "Who pays for the buses?" not in html and "Anaqz" not in html
    assert 'name="key" value=""' in html and "csrfmiddlewaretoken" not in html and "Your question" in html
    ana_mine = ana_phone.get(f"/w/{workshop.code}/mine").content.decode()
    ben_mine = ben_phone.get(f"/w/{workshop.code}/mine").content.decode()
    assert MARKER in ana_mine and MARKER not in ben_mine
    assert "Who pays for the buses?" in ana_mine and 'aria-pressed="true"' in ana_mine
    assert f'data-mine-for="{item.pk}:discussion:1"' in ben_mine and 'aria-pressed' not in ben_mine  # his own
    assert f'data-mine-for="{item.pk}:discussion:1"' in html
    assert Question.objects.get(pk=waiting.pk).status == Question.Status.PENDING


def answer_kept(phone, workshop):
    return phone.get(shared_url(workshop))[KEEP_HEADER] == "1"
