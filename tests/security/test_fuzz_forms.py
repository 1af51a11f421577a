"""Hypothesis over the text inputs of the main forms, through their real addresses: any Unicode
text (and the awkward kinds on purpose: control characters, invisible marks, right-to-left
text, very long text) never gives a server error, and text that cannot be saved gets the 400
that names the field. Bounded and derandomized: the same examples on every run."""

import uuid
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import given, note
from hypothesis import strategies as st

from intersector.inputs import INVISIBLE_ONLY, is_password, problem
from tests.security.conftest import PASSWORD
from tests.security.fuzz import EXAMPLES, bounded, run_each
from tests.security.helpers import says_field, send, text_of

pytestmark = pytest.mark.django_db

AWKWARD = (
    "\x00\x07\x1b\x7f\x85\x9b\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\u00ad"
    "\u3164 \t\n\r\u00a0\u3000a\u00e9\u6f22\U0001f30d\u0645\u0631\u05e9\u05dc\u0301%'\"<>&\\;"
)
SPECIAL = [
    "x" * 61, "x" * 121, "x" * 201, "x" * 281, "word " * 500, "y" * 30_000, "<script>alert(1)</script>",
    "' OR 1=1 --", "%s %(name)s {0} {{ x }}", "\U0001d518\U0001d52b\U0001d526", "١٢٣", "\u0663" * 5000,
    "-1", "0", "9" * 5000, "NaN", "null", "a\u0000", "\u200b", " ",
]
TEXT = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),  # any Unicode a browser can send
    st.text(alphabet=st.sampled_from(AWKWARD), max_size=40),
    st.sampled_from(SPECIAL),
)


@dataclass
class FormUnderTest:
    label: str
    fields: list  # the text inputs fuzzed, one at a time
    request: object  # (site, field, text) -> (client, url, data, headers)
    extra: dict = field(default_factory=dict)


def phone(site, _name, text):
    return site.clients["phone"], f"/w/{site.workshop.code}/brainwriting/notes/", {
        "text": text, "key": uuid.uuid4().hex[:12], "prompt": 0, "about": "government"}, {"HTTP_X_CONVENE": "fetch"}


def staff(url, **base):
    def request(site, name, text):
        return site.clients["staff"], url(site), {**base, name: text}, {}
    return request


def join(site, name, text):
    data = {"display_name": "Ana", "sector": "government", "organisation": "", name: text}
    return Client(), f"/w/{site.workshop.code}/", data, {}


def sign_in(site, name, text):
    data = {"username": "sam", "password": PASSWORD, name: text}
    return Client(), "/accounts/sign-in/", data, {}


def agreement(site, name, text):
    data = {"name": "Clean air", "purpose": "Cleaner air.", "form": "mou",
            "partner-TOTAL_FORMS": 2, "partner-INITIAL_FORMS": 0, "partner-MIN_NUM_FORMS": 2,
            "partner-MAX_NUM_FORMS": 8, "partner-0-name": "City", "partner-0-sector": "government",
            "partner-0-representative": "Ana", "partner-1-name": "Clean Air Now",
            "partner-1-sector": "non-profit", "partner-1-representative": "Dana", name: text}
    return site.clients["staff"], "/agreements/new/", data, {}


def guest_comment(site, name, text):
    return site.clients["guest"], f"/agreements/{site.agreement.pk}/elements/{site.element}/comments/", \
        {name: text}, {}


def agenda_item(site, name, text):
    item = site.workshop.items.exclude(pk=site.item.pk).first()
    data = {"action": "save", "title": item.title, "kind": item.kind, "minutes": item.minutes,
            "text": "Read this.", name: text}
    return site.clients["staff"], f"/convene/{site.workshop.pk}/agenda/{item.pk}/", data, {}


FORMS = [
    FormUnderTest("join a workshop", ["display_name", "organisation"], join),
    FormUnderTest("sign in", ["username", "password"], sign_in),
    FormUnderTest("new workshop", ["title"], staff(lambda s: "/convene/new/", template="blank")),
    FormUnderTest("add an agenda item", ["title", "minutes"], staff(
        lambda s: f"/convene/{s.workshop.pk}/agenda/", title="Talk", kind="discussion", minutes=10)),
    FormUnderTest("edit an agenda item", ["title", "text", "minutes", "title_es", "text_es"], agenda_item),
    FormUnderTest("workshop title and languages", ["title", "title_es", "projector_language"], staff(
        lambda s: f"/convene/{s.workshop.pk}/languages/", title="Clean air")),
    FormUnderTest("invite a facilitator", ["who"], staff(lambda s: f"/convene/{s.workshop.pk}/facilitators/")),
    FormUnderTest("brainwriting note", ["text"], phone),
    FormUnderTest("new agreement", ["name", "purpose", "partner-0-name", "partner-0-representative",
                                    "partner-1-alternate"], agreement),
    FormUnderTest("agreement text", ["text", "comment"], staff(
        lambda s: f"/agreements/{s.agreement.pk}/elements/{s.element}/", text="Each partner names one.")),
    FormUnderTest("partner comment", ["body"], staff(
        lambda s: f"/agreements/{s.agreement.pk}/elements/{s.element}/comments/")),
    FormUnderTest("guest comment", ["body"], guest_comment),
    FormUnderTest("guest invitation", ["name", "email"], staff(
        lambda s: f"/agreements/{s.agreement.pk}/guests/", name="Lee", email="lee2@example.org", role="viewer")),
    FormUnderTest("API token name", ["name"], staff(lambda s: "/accounts/tokens/new/")),
    FormUnderTest("newsletter sign-up", ["email"], staff(lambda s: "/briefings/newsletter/")),
]


def fuzz(site, form):
    @bounded(examples=max(10, EXAMPLES * 2 // 3))
    @given(name=st.sampled_from(form.fields), text=TEXT)
    def run(name, text):
        cache.clear()  # rate limits would stop the fuzzing, not the server
        note(f"{form.label}: {name} = {text[:200]!r}")
        client, url, data, headers = form.request(site, name, text)
        problems = []
        response = send(client, "post", url, problems, data=data, **headers)
        assert not problems, problems
        kind = problem(text, allow_invisible=is_password(name))
        if kind:
            assert response.status_code == 400, (response.status_code, text_of(response)[:300])
            assert says_field(response, name, kind == INVISIBLE_ONLY), text_of(response)[:300]

    return run


def test_no_text_in_the_main_forms_gives_a_server_error(site):
    failures = run_each((form.label, fuzz(site, form)) for form in FORMS)
    assert not failures, "\n\n".join(failures)
