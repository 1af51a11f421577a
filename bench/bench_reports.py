"""Collaborate's progress reports and its feed of what changed, on the demonstration collaborative
(make run's: 48 partners, 105 people, a health check of 104 answers).

For each audience and form: the report's sections built from the database (beside the floor: the
same SELECT statements run bare on the cursor), then its PDF and its Word file, each the median of
a few runs; and the bare `SELECT 1`. Then the first page of the feed of what changed. The issue's
target: every report (sections and its PDF or Word file) in under 3 s, at 10x too. Asserts nothing.

    .venv/bin/python bench/bench_reports.py [--runs 3] [--slug S] [--cpu]   (DATABASE_URL=postgres://... for PostgreSQL)
"""

import argparse
import statistics
import time

import django_setup  # noqa: F401

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


CLOCK = time.perf_counter  # --cpu: time.process_time


def timed(function, runs):
    times = []
    for _ in range(runs):
        started = CLOCK()
        result = function()
        times.append(CLOCK() - started)
    return statistics.median(times), result


def report_statements(collaborative, audience, form):
    """The SELECT statements building the report runs, as the database received them."""
    from django.test.utils import CaptureQueriesContext

    from intersector.collaboratives import reports

    with CaptureQueriesContext(connection) as captured:
        reports.build(collaborative, audience, form)
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]


def bare_statements(statements):
    def run():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slug", help="another collaborative in this database, e.g. bench_collaborate.py's "
                                       "capital-valley-at-scale (10x the demonstration)")
    parser.add_argument("--cpu", action="store_true", help="this process's CPU time, not the wall clock's: what "
                        "the work costs on a machine others share (SQLite's time is counted, PostgreSQL's is not)")
    args = parser.parse_args()
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
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
    print(f"times: {'CPU (this process)' if args.cpu else 'wall clock'}, median of {args.runs}")
    print("floor: the report's own SELECT statements run bare on the cursor (rows fetched), no Python around them")
    print(f"{'report':<28} {'sections':>9} {'SQL':>4} {'floor':>8} {'PDF':>8} {'Word':>8} {'total':>8}")
    for audience in reports.AUDIENCES:
        for form in reports.FORMS:
            built, report = timed(lambda: reports.build(c, audience, form), args.runs)
            statements = report_statements(c, audience, form)
            floor_queries, _ = timed(bare_statements(statements), args.runs)
            pdf, data = timed(lambda: reports.pdf(report), args.runs)
            word, _ = timed(lambda: reports.docx(report), args.runs)
            total = built + max(pdf, word)
            print(f"{audience + ' ' + form:<28} {built:>8.3f}s {len(statements):>4} {floor_queries:>7.3f}s "
                  f"{pdf:>7.2f}s {word:>7.2f}s {total:>7.2f}s  ({len(data) // 1024} KB PDF)")
    feed, rows = timed(lambda: activity.page(c, 1), args.runs)
    print(f"what changed, first page ({len(rows[0])} changes): {feed * 1000:.1f} ms")
    print("target: every report < 3 s (sections + its PDF or Word file), at 10x too")


if __name__ == "__main__":
    main()
