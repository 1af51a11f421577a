"""Every address of the site, every form on its pages: control characters and invisible-only text
are refused with a 400 that names the field, and nothing answers with a server error.

The addresses come from Django's URL resolver and the forms from the pages' own HTML, so a route or
form added later is covered without being listed here. Run on SQLite and on PostgreSQL (which
cannot store NUL at all: that is what used to answer 500).
"""

from urllib.parse import quote, urlencode

import pytest

from tests.security.forms import forms_in
from tests.security.helpers import (
    INVISIBLE_ONLY, bad_text, expect_refusal, says_field, send, text_of,
)
from tests.security.routes import site_urls

pytestmark = pytest.mark.django_db

QUERY_FIELDS = ["q", "page", "code", "next", "sort", "last_event_id", "back", "kind", "sector"]


def with_parameter(route, value):
    """The route's address with its first path parameter replaced by `value` (or added at the end)."""
    encoded = quote(value, safe="")
    for name, real in route.parameters.items():
        if real and real in route.url:
            return route.url.replace(real, encoded, 1)
    return route.url + encoded


def clients_for(site, route):
    """Who opens this address: the participant's phone under /w/, a guest for agreements too."""
    clients = [site.clients["staff"]]
    if route.url.startswith("/w/"):
        clients.append(site.clients["phone"])
    if route.url.startswith("/agreements/"):
        clients.append(site.clients["guest"])
    return clients


def test_a_control_character_in_any_address_is_refused(site):
    problems = []
    for i, route in enumerate(site_urls(site)):
        url = with_parameter(route, bad_text(i))
        response = send(site.clients["staff"], ("get", "post")[i % 2], url, problems)
        expect_refusal(response, url, problems,
                       lambda r: "The address contains a character" in text_of(r), "about the address")
    assert not problems, "\n".join(problems)


def test_invisible_text_in_an_address_never_breaks_a_page(site):
    """Not refused (an address is not text people read), but the views must cope."""
    problems = []
    for route in site_urls(site):
        if route.cms:
            continue
        url = with_parameter(route, INVISIBLE_ONLY)
        for client in clients_for(site, route):
            for method in ("get", "post"):
                send(client, method, url, problems)
    assert not problems, "\n".join(problems)


def test_control_characters_and_invisible_only_text_in_any_query_are_refused(site):
    problems = []
    for i, route in enumerate(site_urls(site)):
        name, invisible = QUERY_FIELDS[i % len(QUERY_FIELDS)], i % 2 == 1
        url = f"{route.url}?{urlencode({name: INVISIBLE_ONLY if invisible else bad_text(i)})}"
        response = send(site.clients["staff"], "get", url, problems)
        expect_refusal(response, url, problems, lambda r: says_field(r, name, invisible),
                       f"naming “{name}”")
    assert not problems, "\n".join(problems)


def test_a_control_character_in_any_posted_field_is_refused_even_without_a_form(site):
    """Views that read request.POST directly (no form) are covered as well as form views."""
    problems = []
    for i, route in enumerate(site_urls(site)):
        name = QUERY_FIELDS[i % len(QUERY_FIELDS)]
        response = send(site.clients["staff"], "post", route.url, problems, data={name: bad_text(i)})
        expect_refusal(response, route.url, problems, lambda r: says_field(r, name), f"naming “{name}”")
    assert not problems, "\n".join(problems)


def page_forms(site):
    """Every POST form on every page of the site, as the people who can see it get it."""
    seen, found, problems = set(), [], []
    for route in site_urls(site):
        if route.cms or route.streams or route.url.startswith("/api/") or \
                route.url.endswith((".pdf", ".csv", ".json")):
            continue
        for client in clients_for(site, route) + [site.clients["stranger"]]:
            response = send(client, "get", route.url, problems)
            if response is None or response.status_code != 200 or \
                    "html" not in response.get("Content-Type", ""):
                continue
            for form in forms_in(text_of(response), route.url):
                if form.method == "post" and form.key() not in seen and not form.action.startswith("/cms/"):
                    seen.add(form.key())
                    found.append((client, form))
    assert not problems, "\n".join(problems)
    return found


def test_every_form_refuses_control_characters_and_invisible_text_in_each_field(site):
    problems = []
    forms = page_forms(site)
    # The forms people fill in most must be among those found on the pages.
    actions = {form.action for _client, form in forms}
    for expected in ("/convene/new/", f"/w/{site.workshop.code}/brainwriting/notes/",
                     "/accounts/tokens/new/", f"/agreements/{site.agreement.pk}/guests/",
                     "/agreements/new/", "/accounts/password/", "/briefings/newsletter/"):
        assert expected in actions, f"no form posts to {expected}; found {sorted(actions)}"
    for i, (client, form) in enumerate(forms):
        for name in form.text_fields:
            if name == "csrfmiddlewaretoken":
                continue
            for value, invisible in ((bad_text(i), False), (INVISIBLE_ONLY, True)):
                if invisible and "password" in name:
                    continue  # a password is not text shown to people: only controls are refused
                response = send(client, "post", form.action, problems, data=form.data(**{name: value}))
                expect_refusal(response, f"{form.action} [{name}]", problems,
                               lambda r: says_field(r, name, invisible), f"naming “{name}”")
    assert not problems, "\n".join(problems)


def test_a_file_name_with_control_characters_never_breaks_an_upload(site):
    """Django drops the non-printable characters of file names; the upload forms go on as usual."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from intersector.agreements.models import Review
    from tests.security.conftest import OLD_AGREEMENT

    problems = []
    forms = [(client, form) for client, form in page_forms(site) if form.file_fields]
    assert {form.action for _client, form in forms} >= {
        "/agreements/reviews/new/", "/resources/import/", "/agreements/scorecard/versions/"}
    for client, form in forms:
        for name in form.file_fields:
            upload = SimpleUploadedFile("agree\x00ment\x1b\u202e.txt", OLD_AGREEMENT)
            send(client, "post", form.action, problems, data={**form.data(), name: upload})
    assert not problems, "\n".join(problems)
    review = Review.objects.exclude(pk=site.review.pk).get()
    assert review.filename == "agreement.txt"


def test_a_control_character_inside_an_uploaded_file_never_breaks_an_upload(site):
    """File contents are the forms' business, not the input check's: a NUL inside a text, CSV or
    YAML file is refused by the form or left out of the document's text, never a server error."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.security.conftest import OLD_AGREEMENT

    contents = {"agreement.txt": OLD_AGREEMENT * 40 + b"a hidden\x00NUL\x1b" + OLD_AGREEMENT,
                "resources.csv": b"title,url,summary\nA guide,https://example.org,Some\x00thing\n",
                "scorecard.yaml": b"version: 2\ntitle: \"Nul\x00here\"\n"}
    problems = []
    for client, form in page_forms(site):
        for name in form.file_fields:
            for filename, content in contents.items():
                upload = SimpleUploadedFile(filename, content)
                send(client, "post", form.action, problems, data={**form.data(), name: upload})
    assert not problems, "\n".join(problems)


def test_a_cookie_with_a_control_character_is_forgotten_not_a_server_error(site):
    """A cookie nobody typed: the visitor is simply treated as having no such cookie. Browsers
    send a NUL quoted as \\000, which Django's cookie parser turns back into NUL."""
    from django.test import Client

    problems = []
    names = ["sessionid", "csrftoken", "django_language", "messages", f"convene-{site.workshop.code}"]
    for name in names:
        client = Client(HTTP_COOKIE=f'{name}="abc\\000defghijklmnopqrstuvwxyz"')
        for url in ("/", f"/w/{site.workshop.code}/", "/agree/", "/accounts/", "/convene/new/"):
            send(client, "get", url, problems)
    signed_in = Client(HTTP_COOKIE='sessionid="\\000' + "a" * 31 + '"')
    account = send(signed_in, "get", "/accounts/", problems)
    assert not problems, "\n".join(problems)
    assert account.status_code == 302  # to sign in: the session was forgotten
