"""The site's one limiter (intersector/limits.py), through the pages and the API that use it."""

import uuid

import pytest
from django.test import Client

from intersector.api.services import create_token
from intersector.workshops import services

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture(autouse=True)
def own_cache(settings):
    """Each test counts in a fresh cache of its own."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": f"limits-{uuid.uuid4()}"}
    }


@pytest.fixture
def redis_cache(settings, redis_url):
    import redis

    prefix = f"limits-test-{uuid.uuid4()}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": redis_url, "KEY_PREFIX": prefix}
    }
    yield prefix
    server = redis.Redis.from_url(redis_url)
    keys = list(server.scan_iter(f"{prefix}*"))
    if keys:
        server.delete(*keys)
    server.close()


def test_every_request_shares_the_processs_redis_connections(redis_url):
    """Django makes a cache object per request context (each page request runs in a fresh
    one): with the site's pool class they all use one pool, so a request opens no connection."""
    from django.core.cache.backends.redis import RedisCache

    from intersector import limits

    options = {"KEY_PREFIX": f"limits-test-{uuid.uuid4()}",
               "OPTIONS": {"pool_class": "intersector.redis_pool.SharedConnectionPool"}}
    first, second = RedisCache(redis_url, options), RedisCache(redis_url, options)
    pool = first._cache._get_connection_pool(True)
    assert second._cache._get_connection_pool(True) is pool
    assert limits._redis_client(first) is limits._redis_client(second)
    try:
        for cache in [first, second] + [RedisCache(redis_url, options) for _ in range(5)]:
            cache.set("again", 1)
            limits._redis_client(cache).ping()
        assert pool._created_connections == 1  # one connection, reused by every request
    finally:
        first.delete("again")


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", "alice@example.org", PASSWORD)


@pytest.fixture
def secret(alice):
    return create_token(alice, "Report script")[1]


def me(token, address, **headers):
    return Client().get("/api/me", headers={"Authorization": f"Bearer {token}", **headers},
                        REMOTE_ADDR=address)


# --- API tokens ------------------------------------------------------------------------------


@pytest.mark.parametrize("cache", ["locmem", "redis"])
def test_wrong_api_tokens_are_limited_per_address(request, cache, secret, settings):
    if cache == "redis":
        request.getfixturevalue("redis_cache")
    assert (settings.API_TOKEN_FAILURE_LIMIT, settings.API_TOKEN_FAILURE_WINDOW) == (20, 900)
    for n in range(20):
        assert me(f"isk_guess_{n}", "203.0.113.9").status_code == 401

    refused = me("isk_guess_21", "203.0.113.9")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert 895 <= int(refused["Retry-After"]) <= 900
    assert refused.json() == {"detail": "Too many wrong API tokens came from your address. "
                                        "Please wait 15 minutes, then try again."}
    # Even the right token is refused from there: a guesser must not learn it found one.
    assert me(secret, "203.0.113.9").status_code == 429
    # The owner's script elsewhere carries on.
    response = me(secret, "198.51.100.4")
    assert response.status_code == 200 and response.json()["username"] == "alice"


def test_right_tokens_are_not_counted(secret):
    for _ in range(30):
        assert me(secret, "203.0.113.9").status_code == 200
    assert me("isk_mistyped", "203.0.113.9").status_code == 401


def test_a_signed_in_browser_is_not_held_up_by_wrong_tokens_from_its_address(alice):
    for n in range(21):
        me(f"isk_guess_{n}", "203.0.113.9")
    browser = Client()
    browser.force_login(alice)
    assert browser.get("/api/me", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_api_guessers_cannot_pick_their_address_without_trusted_proxies(secret, settings):
    assert settings.TRUSTED_PROXIES == 0
    for n in range(20):
        me(f"isk_guess_{n}", "203.0.113.9", **{"X-Forwarded-For": f"198.51.100.{n}"})
    assert me("isk_guess", "203.0.113.9", **{"X-Forwarded-For": "192.0.2.1"}).status_code == 429


def test_behind_a_trusted_proxy_each_visitor_counts_apart(secret, settings):
    settings.TRUSTED_PROXIES = 1
    proxy = "10.0.0.1"
    for n in range(20):
        # A port after the address (some proxies write one) does not make a new visitor.
        me(f"isk_guess_{n}", proxy, **{"X-Forwarded-For": f"192.0.2.{n}, 203.0.113.9:{40000 + n}"})
    assert me("isk_guess", proxy, **{"X-Forwarded-For": "203.0.113.9"}).status_code == 429
    assert me(secret, proxy, **{"X-Forwarded-For": "198.51.100.4"}).status_code == 200
    assert me(secret, proxy).status_code == 200  # no header: the proxy's own address


# --- Convene: joining and posting keep their numbers and words -----------------------------


@pytest.fixture
def fiona(django_user_model):
    return django_user_model.objects.create_user("fiona", "fiona@example.org", PASSWORD)


@pytest.fixture
def workshop(fiona):
    return services.create_workshop(fiona, "Sector styles", "starter")


def join(workshop, name, address, **headers):
    return Client().post(f"/w/{workshop.code}/", {"display_name": name, "sector": "government"},
                         REMOTE_ADDR=address, **headers)


def test_joins_from_one_network_are_limited_per_minute(workshop, settings):
    assert settings.CONVENE_JOIN_LIMIT == 300
    settings.CONVENE_JOIN_LIMIT = 3
    for n in range(3):
        assert join(workshop, f"Person {n}", "203.0.113.9").status_code == 302

    refused = join(workshop, "Person 4", "203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert refused.status_code == 429
    assert 55 <= int(refused["Retry-After"]) <= 60
    assert ("Too many people are joining from this network at once. Wait a minute and try again."
            in refused.content.decode())
    assert workshop.participants.count() == 3
    assert join(workshop, "Person 5", "198.51.100.4").status_code == 302


def test_posting_too_fast_is_refused_with_the_wait(workshop, fiona):
    from intersector.workshops.access import cookie_name
    from intersector.workshops.activities.brainwriting import services as brainwriting

    item = workshop.items.get(kind="brainwriting")
    services.go_to_item(workshop, item)
    console = Client()
    console.force_login(fiona)
    console.post(f"/convene/{workshop.pk}/items/{item.pk}/brainwriting/round/", {"action": "open"})
    participant = services.join(workshop, "Ana", "government", "")
    phone = Client()
    phone.cookies[cookie_name(workshop)] = services.token_for(participant)
    codes = []
    for n in range(brainwriting.NOTE_LIMIT + 1):
        response = phone.post(f"/w/{workshop.code}/brainwriting/notes/",
                              {"text": f"note {n}", "prompt": 0, "about": "government", "key": f"key-limit-{n:03d}"},
                              HTTP_X_CONVENE="fetch")
        codes.append(response.status_code)
    assert codes[:-1] == [200] * brainwriting.NOTE_LIMIT, codes
    assert codes[-1] == 429 and 55 <= int(response["Retry-After"]) <= 60
    assert "You are posting very fast. Wait a moment, then try again." in response.content.decode()
