"""Learn's speed with a big library: 10,000 generated resources and 2,000 generated cases.

Runs Django in-process on a throwaway SQLite database (or DATABASE_URL: give it an empty
PostgreSQL database, it is filled). Each figure is the server time of a request through the
whole stack (test client), beside the time of the very same SQL statements that request ran,
replayed directly on the database: the ratio is what the framework adds.

    .venv/bin/python bench/bench_library.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/learn_bench .venv/bin/python bench/bench_library.py
"""

import os
import random
import statistics
import time

import django_setup  # noqa: E402,F401  (environment, database, django.setup)

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from wagtail.search.backends import get_search_backend  # noqa: E402

from intersector import analysis  # noqa: E402
from intersector.content import CONTENT_DIR  # noqa: E402
from intersector.library import similar, vocab  # noqa: E402
from intersector.library.content import load_library  # noqa: E402
from intersector.library.models import Case, Resource, Term, Tool  # noqa: E402

RESOURCES = int(os.environ.get("BENCH_RESOURCES", "10000"))
CASES = int(os.environ.get("BENCH_CASES", "2000"))
RUNS = int(os.environ.get("BENCH_RUNS", "200"))
WORDS = (
    "partnership governance health clinic river park transit housing school data trust funding "
    "council business nonprofit workshop volunteer outcomes evaluation community climate water "
    "jobs training safety streets energy food youth seniors broadband bridge library museum"
).split()


def percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def time_it(func, runs=RUNS):
    for _ in range(10):
        func()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


FILLER = [f"w{n:04d}" for n in range(3000)]


def sentence(rng, n):
    """Words like real text: one in ten from the subject words, the rest from a wide vocabulary."""
    return " ".join(rng.choice(WORDS) if rng.random() < 0.1 else rng.choice(FILLER) for _ in range(n)).capitalize() + "."


def generate(rng):
    """Bulk-create the generated library and put it in the search index."""
    terms = {(t.vocabulary, t.key): t for t in Term.objects.all()}
    sectors = [terms[(vocab.SECTOR, k)] for k in vocab.VOCABULARIES[vocab.SECTOR]]
    issues = [terms[(vocab.ISSUE_AREA, k)] for k in vocab.VOCABULARIES[vocab.ISSUE_AREA]]
    models_ = [terms[(vocab.PARTNERSHIP_MODEL, k)] for k in vocab.VOCABULARIES[vocab.PARTNERSHIP_MODEL]]
    backend = get_search_backend()
    with transaction.atomic():
        resources = Resource.objects.bulk_create(
            Resource(slug=f"gen-resource-{i}", title=sentence(rng, 6), authors="A. Author; B. Writer",
                     publisher="Generated Press", year=rng.randint(1990, 2026), type=rng.choice(list(vocab.RESOURCE_TYPES)),
                     summary=sentence(rng, 40), live=True)
            for i in range(RESOURCES)
        )
        through = Resource.sectors.through
        through.objects.bulk_create(
            through(resource_id=r.pk, term_id=t.pk) for r in resources for t in rng.sample(sectors, rng.randint(1, 3))
        )
        through = Resource.partnership_models.through
        through.objects.bulk_create(through(resource_id=r.pk, term_id=rng.choice(models_).pk) for r in resources)
        through = Resource.issue_areas.through
        through.objects.bulk_create(
            through(resource_id=r.pk, term_id=t.pk) for r in resources for t in rng.sample(issues, rng.randint(1, 2))
        )
        tools = list(Tool.objects.all())
        # 300 distinct texts: embedding 2,000 long texts on a CPU would take minutes, and the
        # similarity search costs the same whatever the vectors hold.
        texts = [(sentence(rng, 5), sentence(rng, 30), "".join(f"<p>{sentence(rng, 60)}</p>" for _ in range(4)))
                 for _ in range(300)]
        cases = Case.objects.bulk_create(
            Case(slug=f"gen-case-{i}", title=texts[i % 300][0], summary=texts[i % 300][1],
                 story=texts[i % 300][2], issue_area=rng.choice(issues),
                 partnership_model=rng.choice(models_), city="Town", state=rng.choice(list(vocab.US_STATES)),
                 start_year=rng.randint(1995, 2025), live=True)
            for i in range(CASES)
        )
        through = Case.sectors.through
        through.objects.bulk_create(
            through(case_id=c.pk, term_id=t.pk) for c in cases for t in rng.sample(sectors, rng.randint(1, 3))
        )
        if tools:
            through = Case.tools.through
            through.objects.bulk_create(through(case_id=c.pk, tool_id=t.pk) for c in cases for t in rng.sample(tools, 2))
    for model, objects in ((Resource, resources), (Case, cases)):
        for start in range(0, len(objects), 1000):
            backend.add_bulk(model, objects[start : start + 1000])


def replay(queries):
    """Run the SQL a request ran, directly on the database connection."""
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql)
            cursor.fetchall()


def compare(label, client, url):
    client.get(url)  # warm: the queries replayed are those of a repeat visit, as timed below
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    statements = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    p50, p95 = time_it(lambda: client.get(url))
    d50, d95 = time_it(lambda: replay(statements))
    print(f"  {label:44s} {p50:7.2f} / {p95:7.2f}   direct {d50:6.2f} / {d95:6.2f}   "
          f"x{p95 / d95:4.1f}   ({len(statements)} queries, HTTP {status})")


def uncached(label, client, url):
    """A question no reader asked before in this version of the library: nothing from the cache."""
    from django.core.cache import cache

    def ask():
        cache.clear()
        client.get(url)

    p50, p95 = time_it(ask)
    print(f"  {label:44s} {p50:7.2f} / {p95:7.2f}")


def main():
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; model: {analysis.model_info().name}; figures in ms (p50 / p95)")

    start = time.perf_counter()
    summary = load_library(CONTENT_DIR)
    print(f"  starter content load (content/library)       {time.perf_counter() - start:7.2f} s   ({summary})")

    rng = random.Random(7)
    start = time.perf_counter()
    generate(rng)
    print(f"  generated {RESOURCES} resources + {CASES} cases, indexed  {time.perf_counter() - start:7.2f} s")
    start = time.perf_counter()
    stored = similar.store_missing_vectors()  # what the background job does after a load (see similar.py)
    print(f"  case vectors computed and stored ({stored})     {time.perf_counter() - start:7.2f} s")
    with connection.cursor() as cursor:
        # What autovacuum / a nightly job would have done after a bulk load (vectors included): fresh
        # planner statistics (and, on PostgreSQL, the full-text GIN indexes' pending entries merged,
        # and the rows the vectors rewrote cleared from the indexes).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    start = time.perf_counter()
    similar.case_index()
    print(f"  'cases like this one' index, first build       {(time.perf_counter() - start) * 1000:7.1f} ms")

    client = Client(HTTP_HOST="localhost")
    print(f"\n  {'request (server time, %s runs)' % RUNS:44s} {'p50':>7s} / {'p95':>7s}   {'same SQL directly':>21s}   p95 ratio")
    compare("resources: search + 2 facets", client, "/resources/?q=partnership+health&type=report&sector=government")
    compare("resources: one common word + 2 facets", client, "/resources/?q=partnership&type=report&sector=government")
    compare("resources: 2 facets, no search", client, "/resources/?issue=health&sector=business")
    compare("cases: search + 2 facets", client, "/cases/?q=river&sector=business&issue=environment")
    uncached("cases: search + 2 facets, nothing cached", client, "/cases/?q=river&sector=business&issue=environment")
    compare("site search (4 kinds)", client, "/search/?q=workshop")
    case = Case.objects.filter(slug__startswith="gen-case-").order_by("pk")[CASES // 2]
    compare("case page (with cases like this one)", client, case.get_absolute_url())
    compare("API: /api/resources search + 2 facets", client, "/api/resources?q=school&type=article&sector=non-profit")

    p50, p95 = time_it(lambda: similar.cases_like(case))
    with CaptureQueriesContext(connection) as captured:
        similar.cases_like(case)
    statements = [q["sql"] for q in captured.captured_queries]
    d50, d95 = time_it(lambda: replay(statements))
    print(f"  {'cases like this one (function)':44s} {p50:7.2f} / {p95:7.2f}   direct {d50:6.2f} / {d95:6.2f}   x{p95 / d95:4.1f}")
    p50, p95 = time_it(lambda: similar.cases_like_text("our river is polluted and the factory and council disagree"), runs=50)
    print(f"  {'cases like mine (embeds the text)':44s} {p50:7.2f} / {p95:7.2f}")


if __name__ == "__main__":
    main()
