import pytest
from django.test import Client

from tests.accounts.conftest import signed_in_user_id

pytestmark = pytest.mark.django_db

SIGN_OUT = "/accounts/sign-out/"


def test_every_page_offers_a_sign_out_button(client, alice):
    client.force_login(alice)
    html = client.get("/").content.decode()
    assert f'<form method="post" action="{SIGN_OUT}"' in html
    assert "Sign out</button>" in html


def test_signing_out_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post(SIGN_OUT, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert signed_in_user_id(client) is None
    assert "You are signed out." in response.content.decode()


def test_opening_the_sign_out_address_asks_before_signing_out(client, alice):
    client.force_login(alice)
    response = client.get(SIGN_OUT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Do you want to sign out?" in html
    assert f'<form method="post" action="{SIGN_OUT}">' in html
    assert signed_in_user_id(client) == str(alice.pk)


def test_sign_out_address_sends_signed_out_visitors_home(client):
    response = client.get(SIGN_OUT)
    assert response.status_code == 302
    assert response.url == "/"


def test_sign_out_from_another_site_without_security_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(SIGN_OUT)
    assert response.status_code == 403
    assert signed_in_user_id(client) == str(alice.pk)


def test_other_methods_get_a_readable_refusal(client, alice):
    client.force_login(alice)
    response = client.put(SIGN_OUT)
    assert response.status_code == 405
    assert "That action is not possible here" in response.content.decode()
