import hashlib

import pytest
from django.core.exceptions import ValidationError

from intersector.api.models import ApiToken
from intersector.api.services import MAX_TOKENS_PER_USER, create_token
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_the_secret_is_not_stored_only_its_fingerprint(alice):
    token, secret = create_token(alice, "Nightly sync")
    assert secret.startswith("isk_") and len(secret) >= 40
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(value) for value in row.values())
    assert row["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert row["prefix"] == secret[:12]


def test_creating_a_token_shows_the_secret_once(client, alice):
    client.force_login(alice)
    form = client.get("/accounts/tokens/new/")
    assert form.status_code == 200 and 'name="name"' in form.content.decode()

    response = client.post("/accounts/tokens/new/", {"name": "Report script"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    secret = html.split('id="token-secret" value="')[1].split('"')[0]
    assert secret.startswith("isk_")
    assert "This is the only time we show it" in html
    assert client.get("/api/me", headers=bearer(secret)).json()["username"] == "alice"

    listing = client.get("/accounts/tokens/").content.decode()
    assert "Report script" in listing and secret[:12] in listing
    assert secret not in listing


def test_a_token_needs_a_name_and_says_so(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/tokens/new/", {"name": "   "})
    assert response.status_code == 400
    assert "Give the token a name" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_two_tokens_cannot_share_a_name(client, alice):
    create_token(alice, "Report script")
    client.force_login(alice)
    response = client.post("/accounts/tokens/new/", {"name": "report SCRIPT"})
    assert response.status_code == 400
    assert "already have a token with that name" in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_there_is_a_limit_to_how_many_tokens_one_person_has(alice):
    for number in range(MAX_TOKENS_PER_USER):
        create_token(alice, f"Script {number}")
    with pytest.raises(ValidationError):
        create_token(alice, "One too many")


def test_the_list_shows_only_your_own_tokens(client, alice, bob):
    create_token(alice, "Alice's script")
    create_token(bob, "Bob's script")
    client.force_login(alice)
    html = client.get("/accounts/tokens/").content.decode()
    assert "Alice&#x27;s script" in html and "Bob&#x27;s script" not in html


def test_revoking_asks_first_then_removes_the_token(client, alice, alice_secret):
    token = ApiToken.objects.get(user=alice)
    client.force_login(alice)
    confirm = client.get(f"/accounts/tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200
    assert 'method="post"' in confirm.content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists(), "looking at the question revokes nothing"

    response = client.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/tokens/"
    assert "is revoked" in response.content.decode()
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert client.get("/api/me", headers=bearer(alice_secret)).status_code == 401


def test_another_persons_token_cannot_be_revoked(client, alice, bob, alice_secret):
    token = ApiToken.objects.get(user=alice)
    client.force_login(bob)
    assert client.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert client.get("/api/me", headers=bearer(alice_secret)).status_code == 200


def test_token_pages_need_signing_in(client, alice_secret):
    token = ApiToken.objects.get()
    for url in ("/accounts/tokens/", "/accounts/tokens/new/", f"/accounts/tokens/{token.pk}/revoke/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/sign-in/?next="), url
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_token_urls_have_the_agreed_names():
    from django.urls import reverse

    assert reverse("api_tokens:list") == "/accounts/tokens/"
    assert reverse("api_tokens:create") == "/accounts/tokens/new/"
    assert reverse("api_tokens:revoke", args=[7]) == "/accounts/tokens/7/revoke/"
