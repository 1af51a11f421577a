"""Seating people in case-simulation roles: time to seat a room, beside dealing cards.

    .venv/bin/python bench/bench_seating.py

Prints the median of several runs of `assign_roles` (every table gets every sector and as many
interest groups as its size allows, the same cast everywhere, own-sector matching, mirrors)
and of `seat_latecomer`, beside the floor: simply dealing the same people round-robin to the
tables; also a plenary of 1,000 at tables of 6, 8 and 10. Target: seating 300 people well under
1 s, 1,000 under 1 s. With --db, also seating 1,000 joined people at tables in the database
(set_table_count + auto_assign, as the console's Tables panel does) beside the bare UPDATE of
their table column. Asserts nothing about speed.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intersector.casepacks import yamlfile  # noqa: E402
from intersector.casepacks.seating import assign_roles, seat_latecomer  # noqa: E402

SECTORS = ["government", "business", "non-profit", "other"]
ROLES = yamlfile.parse((ROOT / "content" / "simulations" / "sacramento.yaml")
                       .read_text(encoding="utf-8"))["roles"]


def median_ms(func, repeat=15):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def deal(people, tables):
    return {person: tables[index % len(tables)] for index, (person, _s) in enumerate(people)}


def main():
    rng = random.Random(300)
    people = [(f"p{i}", rng.choice(SECTORS)) for i in range(300)]
    print(f"roles in the pack: {len(ROLES)}; people: {len(people)}")
    print(f"{'room':38} {'seating':>10} {'floor: deal':>12}")
    for count, label in ((40, "300 people, 40 tables of 7-8"), (50, "300 people, 50 tables of 6"),
                         (10, "300 people, 10 tables of 30"), (1, "300 people, 1 table")):
        tables = list(range(count))
        seat_ms = median_ms(lambda: assign_roles(people, tables, ROLES))
        deal_ms = median_ms(lambda: deal(people, tables))
        print(f"{label:38} {seat_ms:8.2f} ms {deal_ms:9.3f} ms")
    plenary = [(f"q{i}", rng.choice(SECTORS)) for i in range(1000)]
    for size in (6, 8, 10):
        tables = list(range(-(-len(plenary) // size)))
        label = f"1,000 people, {len(tables)} tables of {size}"
        seat_ms = median_ms(lambda: assign_roles(plenary, tables, ROLES), repeat=5)
        deal_ms = median_ms(lambda: deal(plenary, tables), repeat=5)
        print(f"{label:38} {seat_ms:8.2f} ms {deal_ms:9.3f} ms")
    seating = assign_roles(people, list(range(40)), ROLES)
    late = [(f"late{i}", rng.choice(SECTORS)) for i in range(100)]

    def latecomers():
        current = seating
        for person in late:
            current = seat_latecomer(current, person, ROLES)

    per_person = median_ms(latecomers, repeat=5) / len(late)
    print(f"{'one latecomer into 300 seated (40 tables)':38} {per_person:8.2f} ms")
    if parse_args().db:
        seat_in_database()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", action="store_true", help="also seat 1,000 joined people in a database")
    args, _unknown = parser.parse_known_args()  # bench/run.py passes the same arguments to every bench
    return args


def seat_in_database(count=1000):
    """The console's Tables panel for a plenary: N tables, then Seat everyone (auto_assign), in a
    fresh database (DATABASE_URL, else a throwaway SQLite file), beside the bare UPDATE."""
    sys.path.insert(0, str(ROOT / "bench"))
    import django_setup  # noqa: F401
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from intersector.workshops import services
    from intersector.workshops.models import Participant

    call_command("migrate", "--no-input", verbosity=0)
    user = get_user_model().objects.create_user(f"seating-{random.randrange(10**6)}")
    workshop = services.create_workshop(user, "Plenary")
    rng = random.Random(1000)
    Participant.objects.bulk_create([Participant(workshop=workshop, display_name=f"P{n}", sector=rng.choice(SECTORS))
                                     for n in range(count)])
    print(f"\n{connection.vendor}: {count} joined people, the console's Tables panel")
    for size in (10, 8, 6):
        tables = -(-count // size)
        started = time.perf_counter()
        services.set_table_count(workshop, tables)
        made = time.perf_counter() - started
        started = time.perf_counter()
        services.auto_assign(workshop)
        seated = time.perf_counter() - started
        sizes = [t.participants.count() for t in workshop.tables.all()]
        started = time.perf_counter()
        Participant.objects.filter(workshop=workshop).update(table=None)  # the floor: one bare UPDATE
        floor = time.perf_counter() - started
        print(f"  {tables} tables of {size} (sizes {min(sizes)}-{max(sizes)}): tables made {1000 * made:.0f} ms, "
              f"everyone seated {1000 * seated:.0f} ms; floor: one UPDATE of everyone's table {1000 * floor:.1f} ms")


if __name__ == "__main__":
    main()
