"""Defects found running a workshop with six phones (issue 11): the server's side of each fix."""

import html
import re

import pytest

from intersector.workshops import services
from intersector.workshops.activities.brainwriting.starter import PROMPTS

pytestmark = pytest.mark.django_db

FOUR_PROMPTS = [str(p) for p in PROMPTS]


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
