"""Seating people in case-simulation roles: time to seat a room, beside dealing cards.

    .venv/bin/python bench/bench_seating.py

Prints the median of several runs of `assign_roles` (every table gets every sector and as many
interest groups as its size allows, the same cast everywhere, own-sector matching, mirrors)
and of `seat_latecomer`, beside the floor: simply dealing the same people round-robin to the
tables. Target: seating 300 people well under 1 s. Asserts nothing about speed.
"""

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
    seating = assign_roles(people, list(range(40)), ROLES)
    late = [(f"late{i}", rng.choice(SECTORS)) for i in range(100)]

    def latecomers():
        current = seating
        for person in late:
            current = seat_latecomer(current, person, ROLES)

    per_person = median_ms(latecomers, repeat=5) / len(late)
    print(f"{'one latecomer into 300 seated (40 tables)':38} {per_person:8.2f} ms")


if __name__ == "__main__":
    main()
