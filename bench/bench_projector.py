"""The projector's board under a big room: what a board fetch costs the server.

    .venv/bin/python bench/bench_projector.py                       # SQLite, 1,000 people, 20,000 notes
    .venv/bin/python bench/bench_projector.py --notes 50000 --database-url postgres://postgres@127.0.0.1:5432/bench_projector

In-process, through the real view (Django's test client: routing, middleware, the facilitator
check, templates). A starter workshop with `--people` people runs its brainwriting round with
`--notes` notes; then the vote, with 12 themes and three votes from everyone. A projector fetches
/w/<code>/screen/now at most about once a second while events arrive (projector.js), so:

- "new board": the board after a change (a live event moved the position): rendered;
- "kept board": a second screen (or the same one again) at the same position: from the cache;
- several screens after each of a burst of events: how many renderings for how many fetches;
- for scale, the console's count table of the same notes (services.board, which reads every note).

Figures are p50 / p95 in ms beside a floor measured in the same run: the bare request through the
same client (/healthz: middleware, no session, no query). Prints figures and asserts nothing about
speed.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--notes", type=int, default=20000)
    parser.add_argument("--screens", type=int, default=3, help="projector screens fetching after each event")
    parser.add_argument("--database-url", default="", help="e.g. postgres://postgres@127.0.0.1:5432/bench_projector (emptied!)")
    args, _unknown = parser.parse_known_args()  # bench/run.py passes the same arguments to every bench
    return args


ARGS = parse_args()
if ARGS.database_url:
    os.environ["DATABASE_URL"] = ARGS.database_url
sys.path.insert(0, str(ROOT / "bench"))

import django_setup  # noqa: E402,F401  (environment, database, django.setup)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from intersector.live import publish  # noqa: E402
from intersector.workshops import projector, services  # noqa: E402
from intersector.workshops.activities.brainwriting import services as bw  # noqa: E402
from intersector.workshops.activities.brainwriting.models import Note, Theme, Vote  # noqa: E402
from intersector.workshops.models import Participant  # noqa: E402

SECTORS = ("government", "business", "non-profit")


def percentiles(samples):
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[max(0, int(len(ordered) * 0.95) - 1)]


def line(label, samples, floor):
    p50, p95 = percentiles(samples)
    print(f"  {label:56s} {p50:8.2f} / {p95:8.2f}   ({p50 / floor:.1f}x the bare request)", flush=True)


def timed(function, times):
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def room():
    call_command("migrate", verbosity=0)
    if ARGS.database_url:
        call_command("flush", "--no-input", verbosity=0)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(f"bench-{time.time_ns()}", "bench@example.org", "a-long-pass-phrase-42")
    workshop = services.create_workshop(user, "Projector bench", "starter")
    Participant.objects.bulk_create(Participant(workshop=workshop, display_name=f"Person {n}", sector=SECTORS[n % 3])
                                    for n in range(ARGS.people))
    item = workshop.items.get(kind="brainwriting")
    services.go_to_item(workshop, item)
    item = bw.open_round(item)
    people = list(workshop.participants.values_list("pk", flat=True))
    Note.objects.bulk_create(
        (Note(item=item, participant_id=people[n % len(people)], prompt=n % 4, about=SECTORS[n % 3], round=1,
              text=f"Note {n}: a short idea about how this sector works with others", key=f"bench-{n:08d}")
         for n in range(ARGS.notes)), batch_size=2000)
    console = Client(HTTP_HOST="localhost")
    console.force_login(user)
    return workshop, item, people, console


def changed(workshop):
    """A live event, as a new note would send: the position moves, the kept board is old."""
    publish(workshop.topic, "bench.changed", {"workshop": workshop.pk})


def main():
    workshop, item, people, console = room()
    board = f"/w/{workshop.code}/screen/now"
    print(f"database: {connection.vendor}; {ARGS.people} people, {ARGS.notes} notes; figures in ms (p50 / p95)", flush=True)
    floor_ms = timed(lambda: console.get("/healthz"), 100)
    floor = percentiles(floor_ms)[0]
    line("floor: the bare request (GET /healthz)", floor_ms, floor)

    def new_board():
        changed(workshop)
        assert console.get(board).status_code == 200

    line(f"round: new board (30 newest cards of {ARGS.notes})", timed(new_board, 30), floor)
    line("round: kept board (same change, another screen)", timed(lambda: console.get(board), 60), floor)
    line("for scale: the console's count table (every note read)", timed(lambda: bw.board(item), 10), floor)

    renders = count_renders(lambda: [console.get(board) for _ in range(ARGS.screens)], workshop, 20)
    print(f"  {ARGS.screens} screens after each of 20 events: {renders} renderings for {ARGS.screens * 20} fetches", flush=True)

    notes = list(Note.objects.filter(item=item).values_list("pk", flat=True))
    bw.apply_themes(item, [(f"Theme {t}", notes[t::12]) for t in range(12)])
    bw.set_phase(item, "voting")
    themes = list(Theme.objects.filter(item=item).values_list("pk", flat=True))
    Vote.objects.bulk_create(Vote(theme_id=themes[(p + k) % 12], participant_id=p) for p in people for k in range(3))
    line(f"vote: new board (12 themes, {3 * len(people)} votes)", timed(new_board, 30), floor)
    line("vote: kept board", timed(lambda: console.get(board), 60), floor)


def count_renders(fetch_all, workshop, events):
    calls = [0]
    original = projector.projector_context

    def counting(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    projector.projector_context = counting
    try:
        for _ in range(events):
            changed(workshop)
            fetch_all()
    finally:
        projector.projector_context = original
    return calls[0]


if __name__ == "__main__":
    main()
