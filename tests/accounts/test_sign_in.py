import time
import uuid

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


# --- Too many attempts ---------------------------------------------------------------------


def test_sixth_attempt_is_refused_even_with_the_right_password(client, alice, settings):
    assert settings.LOGIN_RATE_LIMIT == 5
    for attempt in range(5):
        assert sign_in(client, "alice", f"guess {attempt}").status_code == 400

    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert signed_in_user_id(client) is None
    window = settings.LOGIN_RATE_WINDOW
    assert window - 5 <= int(response["Retry-After"]) <= window
    html = response.content.decode()
    assert "Too many attempts to sign in" in html
    assert "Please wait 15 minutes, then try again." in html


def test_one_accounts_failures_do_not_block_other_accounts(client, alice, make_user):
    bob = make_user("bob")
    for attempt in range(5):
        sign_in(client, "alice", f"guess {attempt}", address="192.0.2.1")
    assert sign_in(client, "alice", address="198.51.100.7").status_code == 429

    response = sign_in(client, "bob", address="198.51.100.7")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(bob.pk)


def test_many_failures_from_one_address_block_that_address(client, alice, make_user):
    make_user("carol")
    for name in ["dan", "erin", "frank", "grace", "heidi"]:
        assert sign_in(client, name, "guess", address="203.0.113.9").status_code == 400

    refused = sign_in(client, "carol", address="203.0.113.9")
    assert refused.status_code == 429
    assert signed_in_user_id(client) is None

    allowed = sign_in(client, "carol", address="203.0.113.10")
    assert allowed.status_code == 302


def test_user_name_and_email_count_for_the_same_account(client, alice):
    for attempt in range(3):
        sign_in(client, "alice", "guess", address=f"192.0.2.{attempt + 1}")
    for attempt in range(2):
        sign_in(client, "Alice@example.org", "guess", address=f"198.51.100.{attempt + 1}")
    assert sign_in(client, "alice", address="203.0.113.1").status_code == 429


def test_signing_in_clears_the_accounts_failures(client, alice):
    # Each attempt from a different address, so only the account's counter is at work.
    for attempt in range(4):
        response = sign_in(client, "alice", "guess", address=f"192.0.2.{attempt + 1}")
        assert response.status_code == 400
    assert sign_in(client, "alice", address="192.0.2.50").status_code == 302
    client.post("/accounts/sign-out/")

    for attempt in range(4):
        response = sign_in(client, "alice", "guess", address=f"198.51.100.{attempt + 1}")
        assert response.status_code == 400
    assert sign_in(client, "alice", address="198.51.100.50").status_code == 302


def test_empty_submissions_are_not_counted_as_guesses(client, alice):
    for _ in range(6):
        client.post(SIGN_IN, {"username": "alice", "password": ""}, REMOTE_ADDR="192.0.2.1")
    assert sign_in(client, "alice", address="192.0.2.1").status_code == 302


def test_sign_in_opens_again_when_the_wait_is_over(client, alice, settings):
    settings.LOGIN_RATE_WINDOW = 1
    for _ in range(5):
        sign_in(client, "alice", "guess")
    refused = sign_in(client, "alice")
    assert refused.status_code == 429
    assert "Please wait 1 minute, then try again." in refused.content.decode()
    time.sleep(1.1)
    assert sign_in(client, "alice").status_code == 302


def test_attempts_are_counted_in_redis_when_the_site_uses_it(client, alice, settings, redis_url):
    import redis

    prefix = f"accounts-test-{uuid.uuid4()}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    settings.LOGIN_RATE_WINDOW = 60
    try:
        for _ in range(5):
            assert sign_in(client, "alice", "guess").status_code == 400
        refused = sign_in(client, "alice")
        assert refused.status_code == 429
        assert 55 <= int(refused["Retry-After"]) <= 60
        # Another server sharing the Redis sees the same count.
        assert sign_in(Client(), "alice", address="198.51.100.1").status_code == 429
    finally:
        server = redis.Redis.from_url(redis_url)
        keys = list(server.scan_iter(f"{prefix}*"))
        if keys:
            server.delete(*keys)
        server.close()


def test_behind_a_trusted_proxy_the_visitors_own_address_counts(client, alice, make_user, settings):
    make_user("bob")
    settings.LOGIN_RATE_TRUSTED_PROXIES = 1
    proxy = "10.0.0.1"
    for name in ["dan", "erin", "frank", "grace", "heidi"]:
        client.post(
            SIGN_IN,
            {"username": name, "password": "guess"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    # Someone else behind the same proxy is not blocked by that visitor's failures.
    response = client.post(
        SIGN_IN,
        {"username": "bob", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert response.status_code == 302
