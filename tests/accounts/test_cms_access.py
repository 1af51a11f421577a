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


@pytest.mark.parametrize("model", ["accounts/organisation", "library/briefing"])
def test_the_snippet_chooser_answers_a_made_up_id_with_not_found(client, make_user, model):
    """Wagtail's chooser took a non-numeric id for a crash (500); an editor now gets 'not found'."""
    client.force_login(make_user("editor", is_staff=True, is_superuser=True))
    assert client.get(f"/cms/snippets/choose/{model}/chosen/abc/").status_code == 404
    assert client.get(f"/cms/snippets/choose/{model}/chosen/1%27/").status_code == 404
    assert client.get(f"/cms/snippets/choose/{model}/chosen/999999/").status_code == 404
