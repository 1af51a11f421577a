"""Server time of the site's basic pages, beside the bare database round trip they include.

Runs Django in-process on a throwaway SQLite database (or DATABASE_URL) and times each request
through the whole middleware stack with the test client. Prints p50/p95 in milliseconds.
"""

import os
import statistics
import time

import django_setup  # noqa: E402,F401  (environment, database, django.setup)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "300"))


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def time_it(func):
    for _ in range(20):  # warm caches and connections
        func()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def raw_query():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def main():
    call_command("migrate", verbosity=0)
    client = Client(HTTP_HOST="localhost")
    print(f"database: {connection.vendor}; {RUNS} requests each; figures in ms (p50 / p95)")
    raw50, raw95 = time_it(raw_query)
    print(f"  SELECT 1 directly on the database   {raw50:7.3f} / {raw95:7.3f}")
    for label, url in (("/healthz (one query)", "/healthz"), ("home page", "/"), ("Learn landing", "/learn/"), ("404 page", "/nothing-here/")):
        status = client.get(url).status_code
        p50, p95 = time_it(lambda: client.get(url))
        print(f"  {label:36s} {p50:7.3f} / {p95:7.3f}   (HTTP {status}; {p50 / raw50:.0f}x the bare query)")


if __name__ == "__main__":
    main()
