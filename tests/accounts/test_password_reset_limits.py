"""Password-reset mails are limited per e-mail address and per visitor, and say nothing about
which addresses have accounts."""

import re

import pytest

pytestmark = pytest.mark.django_db

RESET = "/accounts/password-reset/"
SENT = "/accounts/password-reset/sent/"


def ask(client, email, address="192.0.2.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def visible(response):
    """What the person sees: the status, where it leads, and the page's message."""
    page = re.search(r'<section class="error-page">.*?</section>', response.content.decode(), re.S)
    return response.status_code, response.get("Location"), page and page.group(0)


def test_three_links_an_hour_per_email_address_then_a_neutral_wait(client, alice, mailoutbox, settings):
    assert (settings.PASSWORD_RESET_LIMIT, settings.PASSWORD_RESET_WINDOW) == (3, 3600)
    for n in range(3):
        response = ask(client, "ALICE@example.org" if n else "alice@example.org", f"192.0.2.{n}")
        assert (response.status_code, response.url) == (302, SENT)
    assert len(mailoutbox) == 3

    refused = ask(client, "alice@example.org", "198.51.100.1")
    assert refused.status_code == 429
    assert 3500 <= int(refused["Retry-After"]) <= 3600
    html = refused.content.decode()
    assert "Please wait before asking again" in html
    assert "Links to this e-mail address have been asked for several times already." in html
    assert "wait 60 minutes and ask again" in html
    assert len(mailoutbox) == 3  # nothing sent past the limit


def test_an_address_without_an_account_gets_the_same_answers(client, alice, mailoutbox):
    answers = {}
    for email in ("alice@example.org", "nobody@example.org"):
        answers[email] = [visible(ask(client, email, f"192.0.2.{n}")) for n in range(4)]
    assert answers["alice@example.org"] == answers["nobody@example.org"]
    assert [status for status, _where, _page in answers["nobody@example.org"]] == [302, 302, 302, 429]
    assert {message.to[0] for message in mailoutbox} == {"alice@example.org"}


def test_ten_requests_an_hour_from_one_address(client, make_user, mailoutbox, settings):
    assert settings.PASSWORD_RESET_ADDRESS_LIMIT == 10
    make_user("bob")
    for n in range(10):
        assert ask(client, f"person{n}@example.org", "203.0.113.9").status_code == 302

    refused = ask(client, "bob@example.org", "203.0.113.9")
    assert refused.status_code == 429
    assert "Many password reset links were asked for from your network." in refused.content.decode()
    assert mailoutbox == []
    # Bob, from his own address, still gets his link.
    assert ask(client, "bob@example.org", "198.51.100.4").status_code == 302
    assert [message.to for message in mailoutbox] == [["bob@example.org"]]


def test_a_script_asking_for_json_gets_json(client, alice):
    for n in range(3):
        ask(client, "alice@example.org", f"192.0.2.{n}")
    response = client.post(RESET, {"email": "alice@example.org"}, REMOTE_ADDR="192.0.2.9",
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 429 and response["Retry-After"]
    assert response.json()["detail"].startswith("Links to this e-mail address have been asked for")
