"""The themes wall: every change a facilitator makes to the themes (move, merge and undo, a new
theme from chosen notes, rename, keep), each through the real URL with its refusals, its live
event after the commit, and kept themes staying kept when themes are made again."""

import json
import re

import pytest
from django.test import Client

from intersector.workshops import services
from intersector.workshops.access import cookie_name
from intersector.workshops.activities.brainwriting import services as bw
from intersector.workshops.activities.brainwriting.models import Note, Theme, Vote

pytestmark = pytest.mark.django_db

WRITERS = [("Zebedee Quill", "government"), ("Yolanda Birch", "business"), ("Xavier Moss", "non-profit")]
TEXTS = ["slow approvals", "public accountability", "quick decisions", "profit first",
         "close to communities", "mission driven", "tight budgets", "trusted locally"]


@pytest.fixture
def item(brainwriting, console, workshop):
    console.post(f"/convene/{workshop.pk}/items/{brainwriting.pk}/brainwriting/round/", {"action": "open"})
    brainwriting.refresh_from_db()
    people = [services.join(workshop, name, sector) for name, sector in WRITERS]
    sectors = ["government", "business", "non-profit"]
    for n, text in enumerate(TEXTS):
        bw.add_note(brainwriting, people[n % 3], n % 4, sectors[n % 3], text, f"key-wall-{n:04d}")
    return brainwriting


@pytest.fixture
def three(item):
    """Three automatic (not yet kept) themes: alpha, beta, gamma."""
    notes = list(Note.objects.filter(item=item).order_by("pk").values_list("pk", flat=True))
    bw.apply_themes(item, [("alpha", notes[:3]), ("beta", notes[3:6]), ("gamma", notes[6:])])
    return list(Theme.objects.filter(item=item))


def edit_url(item):
    return f"/convene/{item.workshop_id}/items/{item.pk}/brainwriting/themes/edit/"


def wall_url(item):
    return f"/convene/{item.workshop_id}/items/{item.pk}/brainwriting/themes/"


def htmx(client, item, data):
    return client.post(edit_url(item), data, HTTP_HX_REQUEST="true")


def said(response):
    return json.loads(response["HX-Trigger"])["wall:said"]


def notes_of(theme):
    return set(theme.notes.values_list("text", flat=True))


def test_the_wall_shows_a_column_per_theme_with_cards_their_sector_and_no_author(item, three, console):
    html = console.get(wall_url(item)).content.decode()
    assert html.count('<section class="column') == 3
    assert html.count('class="note-card"') == len(TEXTS)
    card = re.search(r'<li class="note-card"[^>]*>.*?</li>', html, re.S).group(0)
    assert "slow approvals" in card and "Government" in card
    # Each card's own controls say which note they are for.
    assert re.search(r'<label class="text" for="pick-\d+">slow approvals</label>', card)
    assert re.search(r'Move<span class="visually-hidden"> “slow approvals”</span> to…', card)
    for name, _sector in WRITERS:
        assert name not in html


def test_the_grid_lists_the_themes_with_most_votes_first(item, three, workshop, console):
    alpha, beta, gamma = three
    voter = services.join(workshop, "Voter", "business")
    Vote.objects.bulk_create([Vote(theme=gamma, participant=voter)] * 2 + [Vote(theme=beta, participant=voter)])
    assert [row["theme"].label for row in bw.grid(item)["rows"]] == ["gamma", "beta", "alpha"]
    grid = console.get(wall_url(item)).content.decode().split('class="board-table grid"')[1]
    assert grid.index("gamma") < grid.index("beta") < grid.index("alpha")


def test_a_card_dropped_on_another_theme_moves_there_and_the_boards_hear_it_after_the_commit(
        item, three, console, django_capture_on_commit_callbacks):
    alpha, beta, _gamma = three
    note = alpha.notes.first()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = htmx(console, item, {"action": "move", "note": note.pk, "to": beta.pk})
    assert response.status_code == 200
    assert said(response) == "1 note moved to “beta”."
    assert f'id="card-{note.pk}"' in response.content.decode()  # the wall comes back
    note.refresh_from_db()
    beta.refresh_from_db()
    assert note.theme == beta and beta.locked  # arranged by hand: kept
    assert len(callbacks) == 2  # themes.changed to the boards and to the phones, once committed


def test_the_boards_and_phones_are_told_once_the_change_is_saved(item, three, console, workshop,
                                                               django_capture_on_commit_callbacks):
    alpha, beta, _gamma = three
    page = console.get(wall_url(item)).content.decode()
    position = re.search(r'data-live-last-event-id="([^"]*)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        htmx(console, item, {"action": "rename", "theme": alpha.pk, "label": "Pace"})
    events = console.get(f"/convene/{workshop.pk}/live/poll", {"last_event_id": position}).json()["events"]
    assert [e["event"] for e in events] == ["themes.changed"]
    assert "Pace" not in json.dumps(events), "events carry ids, not content"


def test_selected_cards_from_several_themes_make_a_new_theme(item, three, console):
    alpha, beta, gamma = three
    picked = [alpha.notes.first(), beta.notes.first(), gamma.notes.first()]
    response = htmx(console, item, {"action": "new", "notes": [n.pk for n in picked], "label": "  Trust   "})
    assert response.status_code == 200 and said(response) == "New theme “Trust”."
    new = Theme.objects.get(label="Trust")
    assert notes_of(new) == {n.text for n in picked} and new.locked
    assert all(Theme.objects.get(pk=t.pk).locked for t in three)  # arranged by hand: all kept
    unnamed = htmx(console, item, {"action": "new", "notes": [alpha.notes.first().pk]})
    assert said(unnamed) == "New theme “New theme”."


def test_the_selected_cards_move_together_without_javascript(item, three, console):
    alpha, beta, _gamma = three
    moving = list(alpha.notes.values_list("pk", flat=True)[:2])
    response = console.post(edit_url(item), {"action": "move", "notes": moving, "to": beta.pk})
    assert response.status_code == 302 and response["Location"].endswith("/themes/#themes")
    assert set(beta.notes.values_list("pk", flat=True)) >= set(moving)
    assert "2 notes moved to “beta”." in console.get(response["Location"]).content.decode()


def test_a_theme_dropped_on_another_merges_into_it_and_undo_brings_it_back(item, three, workshop, console):
    alpha, beta, _gamma = three
    voter = services.join(workshop, "Voter", "business")
    vote = Vote.objects.create(theme=beta, participant=voter)
    beta_notes = notes_of(beta)
    response = htmx(console, item, {"action": "merge", "themes": [alpha.pk, beta.pk]})
    assert said(response) == "“beta” merged into “alpha”."
    assert not Theme.objects.filter(pk=beta.pk).exists()
    assert notes_of(alpha) >= beta_notes and Vote.objects.get(pk=vote.pk).theme_id == alpha.pk
    html = response.content.decode()
    assert "“beta” merged into “alpha”." in html and 'id="undo-merge"' in html

    undone = htmx(console, item, {"action": "undo-merge"})
    assert said(undone) == "Merge undone: “beta” is back."
    back = Theme.objects.get(item=item, label="beta")
    assert notes_of(back) == beta_notes and Vote.objects.get(pk=vote.pk).theme_id == back.pk
    assert len(notes_of(Theme.objects.get(pk=alpha.pk))) == 3
    assert not back.locked and not Theme.objects.get(pk=alpha.pk).locked  # all as it was before the merge
    assert 'id="undo-merge"' not in undone.content.decode()
    again = htmx(console, item, {"action": "undo-merge"})
    assert again.status_code == 409 and b"no merge to undo" in again.content


def test_undo_is_only_for_the_last_change(item, three, console):
    alpha, beta, gamma = three
    htmx(console, item, {"action": "merge", "themes": [alpha.pk, beta.pk]})
    htmx(console, item, {"action": "rename", "theme": gamma.pk, "label": "Later change"})
    response = htmx(console, item, {"action": "undo-merge"})
    assert response.status_code == 409
    assert not Theme.objects.filter(item=item, label="beta").exists()


def test_a_theme_is_renamed_in_place(item, three, console):
    alpha = three[0]
    response = htmx(console, item, {"action": "rename", "theme": alpha.pk, "label": "Pace of decisions"})
    assert said(response) == "Renamed to “Pace of decisions”."
    assert ">Pace of decisions</textarea>" in response.content.decode()


def test_an_empty_theme_is_deleted_at_once(item, three, console, django_capture_on_commit_callbacks):
    alpha, beta, _gamma = three
    htmx(console, item, {"action": "move", "notes": list(alpha.notes.values_list("pk", flat=True)), "to": beta.pk})
    page = console.get(wall_url(item)).content.decode()
    assert re.search(r'<button class="link-button" type="submit" id="delete-%d">Delete<span class="visually-hidden"> '
                     r'“alpha”</span></button>' % alpha.pk, page)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = htmx(console, item, {"action": "delete", "theme": alpha.pk})
    assert response.status_code == 200 and said(response) == "“alpha” deleted."
    assert not Theme.objects.filter(pk=alpha.pk).exists() and f'id="col-{alpha.pk}"' not in response.content.decode()
    assert len(callbacks) == 2  # themes.changed to the boards and to the phones, once committed


def test_a_theme_with_notes_is_deleted_only_once_confirmed_and_its_notes_stay(item, three, workshop, console):
    alpha, beta, _gamma = three
    voter = services.join(workshop, "Voter", "business")
    Vote.objects.create(theme=alpha, participant=voter)
    texts = notes_of(alpha)
    page = console.get(wall_url(item)).content.decode()
    confirm = re.search(r'<details class="delete-theme" id="delete-%d".*?</details>' % alpha.pk, page, re.S).group(0)
    assert "Its 3 notes go back to “Notes not in a theme yet”. Its 1 vote is given back." in html_text(confirm)
    assert 'name="confirmed" value="1"' in confirm and "Yes, delete “alpha”" in confirm

    refused = htmx(console, item, {"action": "delete", "theme": alpha.pk})
    assert refused.status_code == 409 and "holds notes: confirm to delete it" in html_text(refused.content.decode())
    assert Theme.objects.filter(pk=alpha.pk).exists() and notes_of(alpha) == texts

    response = htmx(console, item, {"action": "delete", "theme": alpha.pk, "confirmed": "1"})
    assert said(response) == "“alpha” deleted: its 3 notes are back in “not in a theme yet”."
    assert not Theme.objects.filter(pk=alpha.pk).exists() and not Vote.objects.filter(participant=voter).exists()
    assert set(Note.objects.filter(item=item, theme=None).values_list("text", flat=True)) == texts
    unthemed = response.content.decode().split('id="col-none"')[1].split("</section>")[0]
    assert all(text in unthemed for text in texts)
    again = htmx(console, item, {"action": "delete", "theme": alpha.pk, "confirmed": "1"})
    assert again.status_code == 404 and "That theme is not in this activity." in again.content.decode()
    # Without scripts the confirmation is the same form: the page comes back with what was done.
    plain = console.post(edit_url(item), {"action": "delete", "theme": beta.pk, "confirmed": "1"})
    assert plain.status_code == 302 and not Theme.objects.filter(pk=beta.pk).exists()


def test_a_deleted_theme_comes_back_with_undo_its_notes_and_votes_until_the_next_change(
        item, three, workshop, console, django_capture_on_commit_callbacks):
    """Deleting is undone from the "Deleted: Undo" bar: the theme, its name, the notes still not in
    a theme and its votes (each person's, as far as they have votes left) come back; the phones
    hear it. The bar stays until the wall's next change, which forgets it."""
    alpha, beta, gamma = three
    Theme.objects.filter(pk=alpha.pk).update(label="Slow approvals", locked=True)
    voter, other = services.join(workshop, "Voter", "business"), services.join(workshop, "Other", "government")
    Vote.objects.create(theme=alpha, participant=voter)
    Vote.objects.create(theme=alpha, participant=voter)
    Vote.objects.create(theme=alpha, participant=other)
    texts = notes_of(alpha)
    deleted = htmx(console, item, {"action": "delete", "theme": alpha.pk, "confirmed": "1"})
    bar = re.search(r'<form[^>]*class="undo-merge undo-delete".*?</form>', deleted.content.decode(), re.S).group(0)
    assert "Deleted: “Slow approvals”." in html_text(bar) and 'value="undo-delete"' in bar
    assert "Undo deleting “Slow approvals”" in html_text(bar)
    # Meanwhile Other uses all three votes given back: theirs cannot come back on top.
    for _n in range(3):
        Vote.objects.create(theme=beta, participant=other)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        undone = htmx(console, item, {"action": "undo-delete"})
    assert undone.status_code == 200 and said(undone) == "“Slow approvals” is back, with its notes and votes."
    back = Theme.objects.get(item=item, label="Slow approvals")
    assert back.locked and notes_of(back) == texts
    assert Vote.objects.filter(theme=back, participant=voter).count() == 2
    assert Vote.objects.filter(theme=back, participant=other).count() == 0
    assert 'value="undo-delete"' not in undone.content.decode() and sent
    assert htmx(console, item, {"action": "undo-delete"}).status_code == 409  # only once

    # Any other change on the wall forgets the undo (the notes may have gone elsewhere since).
    htmx(console, item, {"action": "delete", "theme": back.pk, "confirmed": "1"})
    htmx(console, item, {"action": "rename", "theme": gamma.pk, "label": "Trust"})
    refused = htmx(console, item, {"action": "undo-delete"})
    assert refused.status_code == 409 and "no deleted theme to bring back" in html_text(refused.content.decode())
    assert not Theme.objects.filter(item=item, label="Slow approvals").exists()
    assert set(Note.objects.filter(item=item, theme=None).values_list("text", flat=True)) >= texts


def html_text(markup):
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.mark.parametrize("data, status, message", [
    ({"action": "rename", "label": ""}, 400, "Give the theme a name."),
    ({"action": "rename", "label": "x" * 121}, 400, "Keep theme names under 120 characters."),
    ({"action": "new", "notes": []}, 400, "Select the notes for the new theme first."),
    ({"action": "new", "notes": ["999999"]}, 404, "That note is not in this activity."),
    ({"action": "new", "notes": ["1; DROP"]}, 404, "That note is not in this activity."),
    ({"action": "move", "notes": [], "to": "THEME"}, 400, "Select the notes to move first."),
    ({"action": "move", "note": "NOTE", "to": "999999"}, 404, "That theme is not in this activity."),
    ({"action": "move", "note": "NOTE", "to": "beta"}, 404, "That theme is not in this activity."),
    ({"action": "merge", "themes": ["THEME"]}, 400, "Pick two different themes to merge."),
    ({"action": "merge", "themes": ["THEME", "THEME"]}, 400, "Pick two different themes to merge."),
    ({"action": "merge", "themes": ["THEME", "999999"]}, 404, "That theme is not in this activity."),
    ({"action": "undo-merge"}, 409, "There is no merge to undo"),
    ({"action": "split", "theme": "THEME", "notes": ["OTHER"]}, 404, "Those notes are not all in that theme."),
    ({"action": "shuffle"}, 400, "Unknown action."),
])
def test_bad_input_is_refused_plainly_and_changes_nothing(item, three, console, data, status, message,
                                                          django_capture_on_commit_callbacks):
    alpha, beta, _gamma = three
    fill = {"THEME": str(alpha.pk), "NOTE": str(alpha.notes.first().pk), "OTHER": str(beta.notes.first().pk)}
    data = {key: ([fill.get(v, v) for v in value] if isinstance(value, list) else fill.get(value, value))
            for key, value in data.items()}
    data.setdefault("theme", alpha.pk)
    before = list(Note.objects.values_list("pk", "theme_id"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = htmx(console, item, data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert list(Note.objects.values_list("pk", "theme_id")) == before
    assert sorted(Theme.objects.filter(item=item).values_list("label", "locked")) == [
        ("alpha", False), ("beta", False), ("gamma", False)]
    assert not callbacks


def test_another_workshops_notes_and_themes_are_not_found(item, three, console, facilitator):
    other = services.create_workshop(facilitator, "Other")
    other_item = other.items.get(kind="brainwriting")
    foreign = Theme.objects.create(item=other_item, label="foreign")
    alpha = three[0]
    assert htmx(console, item, {"action": "move", "note": alpha.notes.first().pk, "to": foreign.pk}).status_code == 404
    assert htmx(console, item, {"action": "merge", "themes": [alpha.pk, foreign.pk]}).status_code == 404
    assert Theme.objects.filter(pk=foreign.pk).exists() and alpha.notes.count() == 3


@pytest.mark.parametrize("data", [
    {"action": "rename", "label": "Hijacked"},
    {"action": "merge"},
    {"action": "new", "label": "Hijacked"},
    {"action": "move"},
    {"action": "undo-merge"},
])
def test_only_the_workshops_facilitators_change_its_themes(item, three, workshop, django_user_model, data):
    alpha, beta, _gamma = three
    data = {**data, "theme": alpha.pk, "themes": [alpha.pk, beta.pk], "notes": [beta.notes.first().pk],
            "note": beta.notes.first().pk, "to": alpha.pk}
    other = Client()
    other.force_login(django_user_model.objects.create_user("otto", "otto@example.org", "a-long-pass-phrase-43"))
    participant = services.join(workshop, "Pat", "business")
    phone = Client()
    phone.cookies[cookie_name(workshop)] = services.token_for(participant)
    before = sorted(Theme.objects.filter(item=item).values_list("pk", "label", "locked"))
    notes = sorted(Note.objects.values_list("pk", "theme_id"))
    assert other.post(edit_url(item), data).status_code == 404
    for visitor in (phone, Client()):
        response = visitor.post(edit_url(item), data)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert sorted(Theme.objects.filter(item=item).values_list("pk", "label", "locked")) == before
    assert sorted(Note.objects.values_list("pk", "theme_id")) == notes


def test_a_change_without_the_csrf_token_is_refused(item, three, facilitator):
    careful = Client(enforce_csrf_checks=True)
    careful.force_login(facilitator)
    alpha = three[0]
    response = careful.post(edit_url(item), {"action": "rename", "theme": alpha.pk, "label": "Forged"},
                            HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert Theme.objects.get(pk=alpha.pk).label == "alpha"


def test_the_wall_only_changes_by_post(item, three, console):
    assert console.get(edit_url(item), {"action": "rename", "theme": three[0].pk, "label": "x"}).status_code == 405


def test_what_the_facilitator_arranged_stays_when_themes_are_made_again(item, three, console):
    alpha, beta, gamma = three
    moved = gamma.notes.first()
    htmx(console, item, {"action": "move", "note": moved.pk, "to": beta.pk})
    picked = alpha.notes.first()
    htmx(console, item, {"action": "new", "notes": [picked.pk], "label": "Hand made"})
    arranged = {t.label: notes_of(t) for t in Theme.objects.filter(item=item, locked=True)}
    left_to_the_machine = notes_of(gamma)
    assert set(arranged) == {"alpha", "beta", "Hand made"}
    # A re-run proposes its own grouping of every note: only notes in no kept theme may follow it.
    everything = list(Note.objects.filter(item=item).values_list("pk", flat=True))
    bw.apply_themes(item, [("automatic", everything)])
    assert {t.label: notes_of(t) for t in Theme.objects.filter(item=item, locked=True)} == arranged
    assert notes_of(Theme.objects.get(item=item, label="automatic")) == left_to_the_machine


# --- Phones: the notes behind each theme while voting --------------------------------------------


@pytest.fixture
def voting(item, workshop, console):
    """A big theme (more notes than a phone is sent at once) and a small one; voting open."""
    writer = services.join(workshop, "Late Writer", "business")
    for n in range(4):
        bw.add_note(item, writer, 0, "business", f"extra note {n}", f"key-extra-{n:04d}")
    notes = list(Note.objects.filter(item=item).order_by("pk").values_list("pk", flat=True))
    bw.apply_themes(item, [("big", notes[:9]), ("small", notes[9:])])
    console.post(f"/convene/{workshop.pk}/items/{item.pk}/brainwriting/round/", {"action": "voting"})
    return {t.label: t for t in Theme.objects.filter(item=item)}


def test_phones_read_the_notes_behind_each_theme_while_voting(voting, workshop, join_phone):
    _p, phone = join_phone("Reader")
    screen = phone.get(f"/w/{workshop.code}/now").content.decode()
    big, small = voting["big"], voting["small"]
    # A small theme's notes come with the screen; a big one's when the phone opens it.
    small_box = re.search(rf'<details class="behind" id="behind-{small.pk}">.*?</details>', screen, re.S).group(0)
    assert "extra note 3" in small_box and "Business" in small_box and "Read its 3 notes" in small_box
    big_box = re.search(rf'<details class="behind" id="behind-{big.pk}"[^>]*>.*?</details>', screen, re.S).group(0)
    url = f"/w/{workshop.code}/brainwriting/themes/{big.pk}/notes/"
    assert f'data-notes-url="{url}"' in big_box and "slow approvals" not in big_box
    notes = phone.get(url, HTTP_X_CONVENE="fetch")
    assert notes.status_code == 200 and notes["Cache-Control"].startswith("max-age=0")
    html = notes.content.decode()
    assert html.count("<li>") == 9 and "slow approvals" in html and "Government" in html
    for name, _sector in WRITERS:
        assert name not in html and name not in screen


def test_the_notes_behind_a_theme_are_refused_to_strangers_and_before_voting(voting, item, workshop, join_phone,
                                                                              console, facilitator):
    _p, phone = join_phone("Reader")
    url = f"/w/{workshop.code}/brainwriting/themes/{voting['big'].pk}/notes/"
    assert Client().get(url).status_code == 403
    assert console.get(url).status_code == 403  # a facilitator's account is not a phone's pass
    other = services.create_workshop(facilitator, "Other")
    foreign = Theme.objects.create(item=other.items.get(kind="brainwriting"), label="foreign")
    missing = phone.get(f"/w/{workshop.code}/brainwriting/themes/{foreign.pk}/notes/", HTTP_X_CONVENE="fetch")
    assert missing.status_code == 404 and b"That theme is not in this activity." in missing.content
    assert phone.post(url).status_code == 405
    console.post(f"/convene/{workshop.pk}/items/{item.pk}/brainwriting/round/", {"action": "writing"})
    early = phone.get(url, HTTP_X_CONVENE="fetch")
    assert early.status_code == 409 and b"once voting opens" in early.content
