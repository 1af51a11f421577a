import pytest

from tests.accounts.conftest import PASSWORD, signed_in_user_id

pytestmark = pytest.mark.django_db


def test_signed_out_visitors_are_sent_to_our_sign_in_page(client):
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response.url == "/accounts/sign-in/?next=/cms/"


def test_the_cms_own_sign_in_cannot_be_used_to_get_round_ours(client, make_user):
    make_user("editor", is_staff=True)
    response = client.post("/cms/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/sign-in/")
    assert signed_in_user_id(client) is None


def test_people_who_are_not_staff_get_a_friendly_refusal(client, alice):
    client.force_login(alice)
    for url in ["/cms/", "/cms/snippets/accounts/organisation/"]:
        response = client.get(url)
        assert response.status_code == 403, url
        html = response.content.decode()
        assert "You do not have access to this page" in html
        assert 'href="/accounts/"' in html  # our site layout, not Wagtail's


def test_staff_who_are_not_superusers_get_in(client, make_user):
    editor = make_user("editor", is_staff=True)
    assert not editor.is_superuser
    client.force_login(editor)
    response = client.get("/cms/")
    assert response.status_code == 200
    assert "wagtail" in response.content.decode().lower()


def test_staff_sign_in_through_our_page_and_land_in_the_cms(client, make_user):
    make_user("editor", is_staff=True)
    response = client.post(
        "/accounts/sign-in/", {"username": "editor", "password": PASSWORD, "next": "/cms/"}
    )
    assert response.url == "/cms/"
    assert client.get("/cms/").status_code == 200


def test_header_shows_the_content_admin_link_to_staff_only(client, alice, make_user):
    client.force_login(alice)
    assert 'href="/cms/"' not in client.get("/").content.decode()
    client.force_login(make_user("editor", is_staff=True))
    assert 'href="/cms/"' in client.get("/").content.decode()
