"""One Redis connection pool per server address in each process, for Django's Redis cache.

Django keeps its cache objects per request context, and pages run on pool threads, each
request in a fresh copy of the event loop's context (intersector/pages_in_threads.py): so every request
got a new cache object, a new pool and a NEW connection to Redis (connect, handshake, close),
and a busy room's every note paid it (the rate limiter counts each one). With this pool class
(CACHES OPTIONS "pool_class"), every cache object of the process shares one pool per address,
whose connections stay open. redis-py's pools notice a fork and start afresh in the child.
"""

import threading

import redis


class SharedConnectionPool(redis.ConnectionPool):
    _shared = {}
    _lock = threading.Lock()

    @classmethod
    def from_url(cls, url, **options):
        key = (url, repr(sorted(options.items())))
        with cls._lock:
            pool = cls._shared.get(key)
            if pool is None:
                pool = cls._shared[key] = super().from_url(url, **options)
            return pool
