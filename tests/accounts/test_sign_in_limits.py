"""Wrong passwords pause signing in per account *and* address, never the owner elsewhere."""

import time
import uuid

import pytest
from django.test import Client

from tests.accounts.conftest import PASSWORD, signed_in_user_id
from tests.accounts.test_sign_in import SIGN_IN

pytestmark = pytest.mark.django_db

OWNER = "192.0.2.1"
STRANGER = "203.0.113.9"
PAUSED = "For your safety, signing in is paused after several wrong passwords."


def sign_in(client, name, password=PASSWORD, address=OWNER, **headers):
    return client.post(SIGN_IN, {"username": name, "password": password}, REMOTE_ADDR=address, **headers)


def fail(client, name, address, times=1, **headers):
    for _ in range(times):
        assert sign_in(client, name, "guess", address, **headers).status_code == 400


def test_the_sixth_try_from_one_address_is_refused_even_with_the_right_password(client, alice, settings):
    assert settings.SIGN_IN_LIMIT == 5
    fail(client, "alice", OWNER, 5)

    response = sign_in(client, "alice", address=OWNER)
    assert response.status_code == 429
    assert signed_in_user_id(client) is None
    window = settings.SIGN_IN_WINDOW
    assert window - 5 <= int(response["Retry-After"]) <= window
    html = response.content.decode()
    assert "Too many attempts to sign in" in html
    assert PAUSED + " Please wait 15 minutes, then try again." in html


def test_a_strangers_wrong_passwords_do_not_lock_the_owner_out(client, alice):
    fail(client, "alice", STRANGER, 5)
    assert sign_in(Client(), "alice", address=STRANGER).status_code == 429  # the stranger waits
    fail(client, "alice@example.org", "198.51.100.20", 5)  # and an accomplice elsewhere

    owner = Client()
    response = sign_in(owner, "alice", address=OWNER)
    assert response.status_code == 302
    assert signed_in_user_id(owner) == str(alice.pk)


def test_one_accounts_failures_do_not_block_other_accounts_from_that_address(client, alice, make_user):
    bob = make_user("bob")
    fail(client, "alice", STRANGER, 5)
    response = sign_in(client, "bob", address=STRANGER)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(bob.pk)


def test_many_failures_from_one_address_block_that_address(client, make_user, settings):
    make_user("carol")
    assert settings.SIGN_IN_ADDRESS_LIMIT == 20
    for n in range(20):  # a few guesses on each of many names
        fail(client, f"person{n // 4}", STRANGER)

    assert sign_in(client, "carol", address=STRANGER).status_code == 429
    assert signed_in_user_id(client) is None
    assert sign_in(client, "carol", address="203.0.113.10").status_code == 302


def test_x_forwarded_for_does_not_change_the_address_without_trusted_proxies(client, alice, settings):
    assert settings.TRUSTED_PROXIES == 0
    for n in range(5):
        fail(client, "alice", STRANGER, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = sign_in(client, "alice", address=STRANGER, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_hop_it_wrote_counts(client, alice, make_user, settings):
    make_user("bob")
    settings.TRUSTED_PROXIES = 1
    proxy = "10.0.0.1"
    # The visitor writes whatever it likes on the left; the proxy appends the address it saw.
    for n in range(5):
        fail(client, "alice", proxy, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, {STRANGER}")
    refused = sign_in(client, "alice", address=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.77, {STRANGER}")
    assert refused.status_code == 429
    # Others behind the same proxy are not blocked by that visitor's failures.
    for name in ("alice", "bob"):
        other = Client()
        response = sign_in(other, name, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.4")
        assert response.status_code == 302


def test_guessing_from_many_addresses_meets_a_ceiling_per_account(client, alice, settings):
    assert (settings.SIGN_IN_ACCOUNT_LIMIT, settings.SIGN_IN_ACCOUNT_WINDOW) == (50, 3600)
    for n in range(10):
        fail(client, "alice", f"198.51.100.{n}", 5)
    refused = sign_in(Client(), "alice", address=OWNER)
    assert refused.status_code == 429
    assert 3500 <= int(refused["Retry-After"]) <= 3600
    assert "Please wait 60 minutes" in refused.content.decode()


def test_a_new_password_from_the_mailed_link_lifts_the_ceiling(client, alice, settings, mailoutbox):
    settings.SIGN_IN_ACCOUNT_LIMIT = 6
    for n in range(3):
        fail(client, "alice", f"198.51.100.{n}", 2)
    assert sign_in(Client(), "alice", address=OWNER).status_code == 429

    owner = Client()
    owner.post("/accounts/password-reset/", {"email": "alice@example.org"}, REMOTE_ADDR=OWNER)
    link = next(word for word in mailoutbox[0].body.split() if word.startswith("http"))
    form = owner.get(link, follow=True, REMOTE_ADDR=OWNER)
    new = "a brand new river of words"
    owner.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, REMOTE_ADDR=OWNER)
    assert sign_in(owner, "alice", new, address=OWNER).status_code == 302


def test_user_name_and_email_count_for_the_same_account(client, alice):
    fail(client, "alice", STRANGER, 3)
    fail(client, "Alice@example.org", STRANGER, 2)
    assert sign_in(client, "alice", address=STRANGER).status_code == 429


def test_signing_in_clears_that_addresss_failures_only(client, alice):
    fail(client, "alice", OWNER, 4)
    fail(client, "alice", STRANGER, 5)
    assert sign_in(client, "alice", address=OWNER).status_code == 302
    client.post("/accounts/sign-out/")

    fail(client, "alice", OWNER, 4)  # a fresh count: four more typos are still allowed
    assert sign_in(client, "alice", address=OWNER).status_code == 302
    assert sign_in(Client(), "alice", address=STRANGER).status_code == 429


def test_ipv6_addresses_count_by_their_network(client, alice):
    for n in range(1, 6):
        fail(client, "alice", f"2001:db8:1:2::{n}")
    assert sign_in(client, "alice", address="2001:db8:1:2::99").status_code == 429
    assert sign_in(client, "alice", address="2001:db8:1:3::1").status_code == 302


def test_empty_submissions_are_not_counted_as_guesses(client, alice):
    for _ in range(6):
        client.post(SIGN_IN, {"username": "alice", "password": ""}, REMOTE_ADDR=OWNER)
    assert sign_in(client, "alice", address=OWNER).status_code == 302


def test_sign_in_opens_again_when_the_wait_is_over(client, alice, settings):
    settings.SIGN_IN_WINDOW = 1
    fail(client, "alice", OWNER, 5)
    refused = sign_in(client, "alice", address=OWNER)
    assert refused.status_code == 429
    assert "Please wait 1 minute, then try again." in refused.content.decode()
    time.sleep(1.1)
    assert sign_in(client, "alice", address=OWNER).status_code == 302


def test_a_refusal_to_an_htmx_request_is_a_fragment(client, alice):
    fail(client, "alice", OWNER, 5)
    response = sign_in(client, "alice", address=OWNER, HTTP_HX_REQUEST="true")
    assert response.status_code == 429 and response["Retry-After"]
    assert response.content.decode().startswith('<p class="problem" role="alert">For your safety')


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
    settings.SIGN_IN_WINDOW = 60
    try:
        fail(client, "alice", STRANGER, 5)
        refused = sign_in(client, "alice", address=STRANGER)
        assert refused.status_code == 429
        assert 55 <= int(refused["Retry-After"]) <= 60
        # Another server sharing the Redis sees the same count; the owner still gets in.
        assert sign_in(Client(), "alice", address=STRANGER).status_code == 429
        assert sign_in(Client(), "alice", address=OWNER).status_code == 302
        server = redis.Redis.from_url(redis_url)
        assert all(0 < server.ttl(key) <= 3600 for key in server.scan_iter(f"{prefix}*"))
    finally:
        server = redis.Redis.from_url(redis_url)
        keys = list(server.scan_iter(f"{prefix}*"))
        if keys:
            server.delete(*keys)
        server.close()
