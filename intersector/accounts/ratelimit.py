"""Slow down password guessing: a few failed sign-ins per account name, and per address.

After settings.LOGIN_RATE_LIMIT failures within LOGIN_RATE_WINDOW seconds for one account (or
from one client address), sign-in attempts for it are refused until the window ends. Counters
live in Django's cache, so several servers share them when the cache is Redis.

The window is fixed, not sliding: it starts at the first failure and its length is not extended
by later attempts, so a person locked out knows exactly how long to wait.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

from intersector.accounts.backends import find_account

PREFIX = "login-failures"


def _limit():
    return settings.LOGIN_RATE_LIMIT


def _window():
    return settings.LOGIN_RATE_WINDOW


def client_ip(request):
    """The visitor's address. Behind N trusted proxies, the Nth address from the right of
    X-Forwarded-For (LOGIN_RATE_TRUSTED_PROXIES); otherwise every visitor would share the
    proxy's address and one person's typos would lock out everyone."""
    proxies = getattr(settings, "LOGIN_RATE_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _account_key(name):
    # The same account counts once whether it was typed as a user name or an e-mail address.
    user = find_account(name)
    if user is not None:
        return f"{PREFIX}:user:{user.pk}"
    digest = hashlib.sha256((name or "").strip().lower().encode()).hexdigest()
    return f"{PREFIX}:name:{digest}"


def _keys(request, name):
    keys = [f"{PREFIX}:ip:{client_ip(request)}"]
    if (name or "").strip():
        keys.append(_account_key(name))
    return keys


def seconds_to_wait(request, name):
    """0 if this attempt may go ahead, else how many seconds until it may."""
    keys = _keys(request, name)
    stored = cache.get_many(keys + [key + ":until" for key in keys])
    now = time.time()
    wait = 0
    for key in keys:
        if stored.get(key, 0) >= _limit():
            until = stored.get(key + ":until", now + _window())
            wait = max(wait, math.ceil(until - now), 1)
    return wait


def _count(key, window):
    now = time.time()
    # The first failure opens the window; `add` does nothing when the key is already there.
    # The count is written before its end time, so it never outlives it.
    if cache.add(key, 1, window):
        count = 1
    else:
        try:
            count = cache.incr(key)  # keeps the key's expiry, in locmem and in Redis
        except ValueError:  # it expired between `add` and `incr`
            cache.set(key, 1, window)
            count = 1
    cache.add(key + ":until", now + window, window)
    return count


def record_failure(request, name):
    for key in _keys(request, name):
        _count(key, _window())


def clear_account(user):
    """A successful sign-in forgets that account's failures (the address's stay counted)."""
    key = f"{PREFIX}:user:{user.pk}"
    cache.delete_many([key, key + ":until"])
