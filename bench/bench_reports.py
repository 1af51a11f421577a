"""Collaborate's progress reports and its feed of what changed, on the demonstration collaborative
(make run's: 48 partners, 105 people, a health check of 104 answers).

For each audience and form: the report's sections built from the database, then its PDF and its
Word file, each the median of a few runs, beside the bare `SELECT 1`. Then the first page of the
feed of what changed. The issue's target: a report for the public in under 3 s. Asserts nothing.

    .venv/bin/python bench/bench_reports.py [--runs 3] [--slug S]   (DATABASE_URL=postgres://... for PostgreSQL)
"""

import argparse
import statistics
import time

import django_setup  # noqa: F401

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def timed(function, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slug", help="another collaborative in this database, e.g. bench_collaborate.py's "
                                       "capital-valley-at-scale (10x the demonstration)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not args.slug:
        call_command("load_content", verbosity=0)
    from intersector.collaboratives import activity, reports
    from intersector.collaboratives.models import Collaborative

    c = Collaborative.objects.get(slug=args.slug) if args.slug else Collaborative.objects.get(demonstration=True)
    print(f"{c.name}: {c.partners.count()} partners, {c.members.count()} people, {c.decisions.count()} decisions")

    def bare():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()

    floor, _ = timed(bare, 50)
    print(f"bare SELECT 1: {floor * 1000:.2f} ms ({connection.vendor})")
    reports.pdf(reports.build(c, "public", "update"))  # WeasyPrint loads its fonts once per process
    print(f"{'report':<28} {'sections':>9} {'PDF':>8} {'Word':>8} {'total':>8}")
    for audience in reports.AUDIENCES:
        for form in reports.FORMS:
            built, report = timed(lambda: reports.build(c, audience, form), args.runs)
            pdf, data = timed(lambda: reports.pdf(report), args.runs)
            word, _ = timed(lambda: reports.docx(report), args.runs)
            total = built + max(pdf, word)
            print(f"{audience + ' ' + form:<28} {built:>8.3f}s {pdf:>7.2f}s {word:>7.2f}s {total:>7.2f}s"
                  f"  ({len(data) // 1024} KB PDF)")
    feed, rows = timed(lambda: activity.page(c, 1), args.runs)
    print(f"what changed, first page ({len(rows[0])} changes): {feed * 1000:.1f} ms")
    print("target: a report for the public < 3 s (sections + its PDF)")


if __name__ == "__main__":
    main()
