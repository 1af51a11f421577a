import re

import pytest

from tests.accounts.conftest import PASSWORD, signed_in_user_id

pytestmark = pytest.mark.django_db

RESET = "/accounts/password-reset/"
NEW_PASSWORD = "a brand new river of words"


def ask_for_link(client, email, **extra):
    return client.post(RESET, {"email": email}, **extra)


def link_in(message):
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0)


def test_reset_form_has_a_labelled_email_box(client):
    html = client.get(RESET).content.decode()
    assert '<label for="id_email">E-mail address of your account' in html
    assert 'autocomplete="email"' in html


def test_reset_by_email_sets_a_new_password_that_signs_in(client, alice, mailoutbox, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "intersector.example"]
    response = ask_for_link(client, "ALICE@example.org", HTTP_HOST="intersector.example")
    assert response.status_code == 302
    assert response.url == "/accounts/password-reset/sent/"
    assert "Check your e-mail" in client.get(response.url).content.decode()

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Choose a new password for Intersector"
    assert message.alternatives == []  # plain text only
    assert "Hello Alice Ayala," in message.body
    assert "Your user name is alice." in message.body
    link = link_in(message)
    assert link.startswith("http://intersector.example/accounts/password-reset/")

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert "Choose a new password" in html
    assert 'autocomplete="new-password"' in html
    set_password_url = form_page.redirect_chain[-1][0]

    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done.url == "/accounts/password-reset/done/"
    assert "Your new password is saved" in client.get(done.url).content.decode()

    assert client.post(
        "/accounts/sign-in/", {"username": "alice", "password": PASSWORD}
    ).status_code == 400
    signed_in = client.post("/accounts/sign-in/", {"username": "alice", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)

    # The link works only once.
    client.post("/accounts/sign-out/")
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_reset_link_refuses_passwords_that_do_not_match(client, alice, mailoutbox):
    ask_for_link(client, "alice@example.org")
    form_page = client.get(link_in(mailoutbox[0]), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "The two passwords are not the same." in html
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_made_up_link_does_not_work(client, alice):
    response = client.get("/accounts/password-reset/MQ/made-up-token/")
    assert "This link no longer works" in response.content.decode()


def test_unknown_address_looks_the_same_and_sends_nothing(client, alice, mailoutbox):
    known = ask_for_link(client, "alice@example.org")
    unknown = ask_for_link(client, "nobody@example.org")
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.org"]


def test_switched_off_accounts_get_no_link(client, make_user, mailoutbox):
    make_user("bob", is_active=False)
    response = ask_for_link(client, "bob@example.org")
    assert response.url == "/accounts/password-reset/sent/"
    assert mailoutbox == []


def test_a_mistyped_address_is_explained(client, mailoutbox):
    response = ask_for_link(client, "not an address")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Enter an e-mail address like name@example.org." in html
    assert mailoutbox == []
