import pytest
from django.test import Client

from tests.accounts.conftest import PASSWORD, signed_in_user_id

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"
NO_MATCH = "That e-mail/user name and password do not match"


def sign_in(client, username, password=PASSWORD, address="192.0.2.1", **data):
    return client.post(
        SIGN_IN, {"username": username, "password": password, **data}, REMOTE_ADDR=address
    )


def test_sign_in_page_has_labelled_boxes_with_autocomplete(client):
    html = client.get(SIGN_IN).content.decode()
    assert '<label for="id_username">User name or e-mail address' in html
    assert '<label for="id_password">Password' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert 'href="/accounts/password-reset/"' in html


def test_sign_in_with_user_name(client, alice):
    response = sign_in(client, "alice")
    assert response.status_code == 302
    assert response.url == "/"
    assert signed_in_user_id(client) == str(alice.pk)


def test_sign_in_with_email_address_in_any_case(client, alice):
    response = sign_in(client, "ALICE@Example.org")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)


@pytest.mark.parametrize("username", ["alice", "alice@example.org", "nobody", "nobody@example.org"])
def test_wrong_password_or_unknown_account_gets_the_same_clear_message(client, alice, username):
    response = sign_in(client, username, "not the password")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert NO_MATCH in html
    assert signed_in_user_id(client) is None


def test_empty_form_says_what_to_fill_in(client):
    response = client.post(SIGN_IN, {"username": "", "password": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter your user name or e-mail address." in html
    assert "Enter your password." in html
    assert 'aria-invalid="true"' in html


def test_switched_off_account_cannot_sign_in(client, make_user):
    make_user("bob", is_active=False)
    response = sign_in(client, "bob")
    assert response.status_code == 400
    assert NO_MATCH in response.content.decode()
    assert signed_in_user_id(client) is None


def test_sign_in_returns_to_the_page_asked_for(client, alice):
    page = client.get(SIGN_IN + "?next=/convene/")
    assert 'name="next" value="/convene/"' in page.content.decode()
    response = sign_in(client, "alice", next="/convene/")
    assert response.url == "/convene/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_sign_in_never_sends_people_to_another_site(client, alice, next_url):
    response = sign_in(client, "alice", next=next_url)
    assert response.status_code == 302
    assert response.url == "/"


def test_sign_in_form_without_its_security_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGN_IN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert "Your form expired" in response.content.decode()
    assert signed_in_user_id(client) is None

    # The same form sent from the page, with its token, works.
    client.get(SIGN_IN)
    token = client.cookies["csrftoken"].value
    response = client.post(
        SIGN_IN, {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(alice.pk)
