"""The one rate limiter of the site, and the one way to know a visitor's address.

A `Limit` allows `times` actions per key in a fixed window of `seconds` that opens with the
first one; the counters live in Django's cache, so every server shares them when the cache is
Redis. Counting is atomic (`add` opens the window, `incr` counts inside it; on Redis both in
one round trip). Each call answers
how many seconds to wait (0: go ahead), so the refusal can say when to come back.

    from intersector import limits

    NOTES = limits.Limit("notes", times="CONVENE_NOTE_LIMIT", seconds=60)

    # Count every try, refuse the ones past the limit:
    wait = NOTES.hit(participant.pk)
    if wait:
        raise Refused(_("You are posting very fast. ..."), status=429, retry_after=wait)

    # Count failures only (sign-in, API tokens): ask first, count a failure, forget on success.
    address = limits.client_address(request)
    wait = FAILURES.wait(address)        # 0 unless `times` failures are already counted
    ...; FAILURES.hit(address)           # after a failure
    FAILURES.clear(address)              # after a success, where that makes sense

`times` and `seconds` are numbers, names of settings (read at each call, so tests and
operators can change them) or functions returning a number. A key is any parts (an account
id, an address, an e-mail); they are hashed, so the cache holds no addresses in clear.
IPv6 addresses count by their /64 network: one household or server holds a whole /64.

`client_address(request)` is the visitor's address for every limit. uvicorn is started with
`--no-proxy-headers` (intersector/serve.py), so REMOTE_ADDR is the connection's address; only
when settings.TRUSTED_PROXIES proxies stand in front is X-Forwarded-For read, and then only the
hop the nearest trusted proxy wrote. Anything further left is whatever the client sent.
"""

import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache

PREFIX = "limit"


def client_address(request):
    """The address the request came from, as far as this site can trust it."""
    connection = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return connection
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if not hops:  # reached us without passing the proxy
        return connection
    # Each trusted proxy appends the address it saw; the Nth from the right was written by the
    # outermost one. Fewer hops than proxies: the farthest one a proxy wrote.
    return _without_port(hops[-min(proxies, len(hops))])[:100]


def _without_port(hop):
    # Some proxies write "203.0.113.9:51234" or "[2001:db8::1]:51234"; the port changes with
    # every connection and must not make a new visitor.
    if hop.startswith("["):
        return hop[1:].split("]", 1)[0]
    if hop.count(":") == 1:
        return hop.split(":", 1)[0]
    return hop


def minutes(seconds):
    """A wait in whole minutes for messages: at least 1."""
    return max(1, math.ceil(seconds / 60))


class Limit:
    """At most `times` per key in a fixed window of `seconds` opened by the first one."""

    def __init__(self, name, times, seconds):
        self.name = name
        self._times = times
        self._seconds = seconds

    @property
    def times(self):
        return _number(self._times)

    @property
    def seconds(self):
        return _number(self._seconds)

    def key(self, *who):
        joined = "\x1f".join(_part(part) for part in who)
        return f"{PREFIX}:{self.name}:{hashlib.sha256(joined.encode()).hexdigest()[:32]}"

    def hit(self, *who):
        """Count one; 0 while within the limit, else the seconds until the window ends."""
        key, seconds = self.key(*who), self.seconds
        if _count(key, seconds) <= self.times:
            return 0
        return _left(cache.get(key + ":until"), seconds)

    def wait(self, *who):
        """Without counting: 0 while fewer than `times` are counted, else seconds to wait."""
        key = self.key(*who)
        stored = cache.get_many([key, key + ":until"])
        if stored.get(key, 0) < self.times:
            return 0
        return _left(stored.get(key + ":until"), self.seconds)

    def clear(self, *who):
        key = self.key(*who)
        cache.delete_many([key, key + ":until"])


def _number(value):
    if callable(value):
        return int(value())
    if isinstance(value, str):
        return int(getattr(settings, value))
    return int(value)


def _part(part):
    text = str(part)
    if ":" in text:  # perhaps an IPv6 address: count its /64
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            return text
        if address.version == 6:
            if address.ipv4_mapped:
                return str(address.ipv4_mapped)
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return text


def _open(key, seconds):
    # The window's end is kept beside the count so a refusal can say how long to wait.
    cache.set(key + ":until", time.time() + seconds, seconds)


def _count(key, seconds):
    counted = _count_in_redis(key, seconds)
    if counted is not None:
        return counted
    if cache.add(key, 1, seconds):  # the first one opens the window
        _open(key, seconds)
        return 1
    try:
        count = cache.incr(key)  # keeps the key's expiry, in locmem and in Redis
    except ValueError:  # the window ended between `add` and `incr`
        cache.set(key, 1, seconds)
        _open(key, seconds)
        return 1
    if count == 1:
        # Redis's INCR re-created a key that expired after Django's existence check, without
        # an expiry: give it its window, or it would count forever.
        cache.touch(key, seconds)
        _open(key, seconds)
    return count


def _count_in_redis(key, seconds):
    """On Django's Redis cache, count in one round trip: SET NX EX opens the window (with 0),
    INCR counts and SET NX EX keeps the window's end, in one pipeline. Django's add, then incr (which asks whether the key exists
    first) take three round trips and two new clients, and a busy room's every note is counted.
    None for any other cache."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    stored = backend.make_and_validate_key(key)
    client = _redis_client(backend)
    pipe = client.pipeline(transaction=False)
    pipe.set(stored, 0, ex=seconds, nx=True)
    pipe.incr(stored)
    # The window's end, in the same trip (only if none is kept): a whole number of seconds,
    # which Django's Redis cache stores as it is and cache.get reads back (_left).
    pipe.set(backend.make_and_validate_key(key + ":until"), int(time.time()) + seconds, ex=seconds, nx=True)
    opened, count, _until = pipe.execute()
    if count == 1 and not opened:  # the window ended between the two: INCR made a key without expiry
        client.expire(stored, seconds)
        _open(key, seconds)
    return count


_clients = {}  # connection pool -> a client on it


def _redis_client(backend):
    """A client on the cache's writing pool, made once per pool (Django's get_client makes a
    new one, with its table of reply parsers, at every call); the pool is the process's one
    (intersector/redis_pool.py), or the cache object's own."""
    pool = backend._cache._get_connection_pool(True)
    client = _clients.get(pool)
    if client is None:
        if len(_clients) >= 16:  # cache objects with pools of their own: start again
            _clients.clear()
        client = _clients[pool] = backend._cache._client(connection_pool=pool)
    return client


def _left(until, seconds):
    if until is None:  # end not known (evicted): the whole window
        return seconds
    return max(1, math.ceil(until - time.time()))
