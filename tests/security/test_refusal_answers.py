"""How a refused text is answered (a page, the phone's or htmx's fragment, JSON), and that what
people really type still goes through: accents, emoji, right-to-left text, new lines, passwords,
the forms' security token, and the content admin's rich text."""

import json
import re

import pytest
from django.test import Client

from intersector.workshops.activities.brainwriting.models import Note
from intersector.workshops.models import Participant, Workshop
from tests.security.conftest import PASSWORD
from tests.security.forms import forms_in

pytestmark = pytest.mark.django_db

MIXED = "Calidad del aire — José Ñúñez 🌍 مرحبا שלום\u200f"


# --- The three answers -------------------------------------------------------------------------


def test_a_page_form_gets_a_page_naming_the_field(site):
    response = site.clients["staff"].post("/convene/new/", {"title": "Clean\x00air", "template": "starter"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Something you sent cannot be saved" in html
    assert "The field “title” contains a character that cannot be saved (an invisible control " \
           "character). Remove it and try again." in html
    assert not Workshop.objects.filter(title__contains="air", pk__gt=site.workshop.pk).exists()


def test_the_phone_gets_the_fragment_its_script_shows_above_the_form(site):
    response = site.clients["phone"].post(
        f"/w/{site.workshop.code}/brainwriting/notes/",
        {"text": "\u200b\u200b", "key": "key-invisible-1", "prompt": 0, "about": "government"},
        HTTP_X_CONVENE="fetch")
    assert response.status_code == 400
    assert response.content.decode() == (
        '<p class="problem" role="alert">The field “text” contains only invisible characters. '
        "Type some text, or leave it empty.</p>")
    assert Note.objects.count() == 1  # only the site's own note


def test_htmx_gets_the_fragment_and_keeps_the_page(site):
    response = site.clients["staff"].post(f"/convene/{site.workshop.pk}/control/",
                                          {"action": "go\x1b"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert response["HX-Reswap"] == "none"
    assert response.content.startswith(b'<p class="problem" role="alert">The field')


def test_the_api_answers_json(site):
    response = site.clients["stranger"].get("/api/cases", {"q": "air\x00"})
    assert response.status_code == 400
    assert response.json() == {"detail": "The field “search” contains a character that cannot be "
                                         "saved (an invisible control character). Remove it and try again."}


@pytest.mark.parametrize("body, words", [
    ({"name": "Clean\x00air"}, "The field “name” contains a character"),
    ({"partners": [{"name": "ok"}, {"representative": "\u200b"}]}, "The field “representative” contains only"),
    ({"na\x1bme": "fine"}, "One of the names of the fields"),
    ('{"name": "broken \\ud800 half"}', "(a broken character)"),
])
def test_json_bodies_sent_to_the_api_are_checked_at_any_depth(site, body, words):
    response = site.clients["staff"].post("/api/me", body if isinstance(body, str) else json.dumps(body),
                                          content_type="application/json")
    assert response.status_code == 400 and words in response.json()["detail"]


def test_a_body_that_is_not_json_is_left_to_the_api(site):
    response = site.clients["staff"].post("/api/me", "{not json", content_type="application/json")
    assert response.status_code == 405  # /api/me only reads; the API says so itself


# --- What people type still goes through -----------------------------------------------------


def test_joining_with_accents_emoji_and_right_to_left_names(site):
    phone = Client()
    response = phone.post(f"/w/{site.workshop.code}/", {
        "display_name": "José Ñúñez 🌍", "sector": "non-profit", "organisation": "بلدية الرياض"})
    assert response.status_code == 302
    assert Participant.objects.filter(display_name="José Ñúñez 🌍", organisation="بلدية الرياض").exists()


def test_a_note_keeps_its_new_lines_emoji_and_joined_letters(site):
    text = "Primera línea\nשלום 👩\u200d👩\u200d👧 می\u200cخواهم"
    response = site.clients["phone"].post(
        f"/w/{site.workshop.code}/brainwriting/notes/",
        {"text": text, "key": "key-unicode-01", "prompt": 0, "about": "government"}, HTTP_X_CONVENE="fetch")
    assert response.status_code == 200
    assert Note.objects.filter(text=text).exists()


def test_a_workshop_title_in_several_scripts(site):
    response = site.clients["staff"].post("/convene/new/", {"title": MIXED, "template": "starter"})
    assert response.status_code == 302
    assert Workshop.objects.filter(title=MIXED).exists()


def test_signing_in_with_the_form_security_token_and_an_unusual_password(site, django_user_model):
    password = "contraseña larga 🌍 \u200b"
    django_user_model.objects.create_user("nuria", "nuria@example.org", password)
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/accounts/sign-in/")
    form = next(f for f in forms_in(page.content.decode(), "/accounts/sign-in/") if f.method == "post")
    response = browser.post(form.action, form.data(username="nuria", password=password))
    assert response.status_code == 302
    assert browser.session.get("_auth_user_id")


def test_a_password_with_a_control_character_is_refused_and_says_so(site):
    response = Client().post("/accounts/sign-in/", {"username": "sam", "password": PASSWORD + "\x00"})
    assert response.status_code == 400
    assert "The field “password” contains a character that cannot be part of a password" in \
        response.content.decode()
    assert PASSWORD not in response.content.decode()


# --- The content admin ------------------------------------------------------------------------


def briefing_form(site):
    url = f"/cms/snippets/library/briefing/edit/{site.briefing.pk}/"
    page = site.clients["staff"].get(url)
    form = next(f for f in forms_in(page.content.decode(), url) if f.method == "post" and "title" in f.text_fields)
    return url, form.data()


def test_the_content_admin_saves_rich_text_in_any_script(site):
    url, data = briefing_form(site)
    body = json.loads(data["body"])
    body["blocks"][0]["text"] = "Primer párrafo 🌍 שלום\u200f\nline"
    response = site.clients["staff"].post(url, {**data, "title": MIXED, "body": json.dumps(body)})
    assert response.status_code == 302
    site.briefing.refresh_from_db()
    assert site.briefing.title == MIXED and "Primer párrafo 🌍 שלום" in site.briefing.body


def test_the_content_admin_refuses_a_control_character_in_a_field(site):
    url, data = briefing_form(site)
    response = site.clients["staff"].post(url, {**data, "title": "Sept\x00ember"})
    assert response.status_code == 400
    assert "The field “title” contains a character that cannot be saved" in response.content.decode()


def test_the_content_admin_never_saves_a_control_character_hidden_in_rich_text(site):
    """The rich text editor sends JSON, where NUL travels escaped (\\u0000): Wagtail's own form
    refuses it and shows the editor again."""
    url, data = briefing_form(site)
    body = json.loads(data["body"])
    body["blocks"][0]["text"] = "Hidden\x00character"
    response = site.clients["staff"].post(url, {**data, "body": json.dumps(body)})
    assert response.status_code < 500
    site.briefing.refresh_from_db()
    assert "\x00" not in site.briefing.body and not re.search("Hidden.?character", site.briefing.body)
