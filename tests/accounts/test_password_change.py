import pytest

from tests.accounts.conftest import PASSWORD, signed_in_user_id

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password/"
NEW_PASSWORD = "a brand new river of words"


def test_signed_out_visitors_are_asked_to_sign_in(client):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response.url == "/accounts/sign-in/?next=/accounts/password/"


def test_change_password_form_has_labelled_boxes(client, alice):
    client.force_login(alice)
    html = client.get(CHANGE).content.decode()
    assert '<label for="id_old_password">Your current password' in html
    assert '<label for="id_new_password1">New password' in html
    assert 'autocomplete="current-password"' in html
    assert 'autocomplete="new-password"' in html


def test_changing_password_keeps_you_signed_in(client, alice):
    client.force_login(alice)
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/accounts/"
    assert "Your password is changed." in response.content.decode()
    assert signed_in_user_id(client) == str(alice.pk)
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_wrong_current_password_changes_nothing(client, alice):
    client.force_login(alice)
    response = client.post(
        CHANGE,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "That is not your current password." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_too_weak_new_password_is_explained(client, alice):
    client.force_login(alice)
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 400
    assert "This password is too common." in response.content.decode()
