"""Defects found running a workshop with six phones (issue 11): the server's side of each fix."""

import html
import re

import pytest

from intersector.workshops import services
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
    assert "<form" not in page and "Your name" not in page
    response = client.post(f"/w/{workshop.code}/", {"display_name": "Late", "sector": "business"})
    assert response.status_code == 410 and "<form" not in response.content.decode()
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
