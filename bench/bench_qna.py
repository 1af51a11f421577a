"""Questions and answers under load: 300 people asking and voting at once, no vote lost or doubled.

    .venv/bin/python bench/bench_qna.py                                   # SQLite, 300 phones
    .venv/bin/python bench/bench_qna.py --database-url postgres://postgres@127.0.0.1:5432/bench_qna

In-process, through the real views (Django's test client: URL routing, middleware, the phone's
pass, the kind's decorators, the services, the templates), from a pool of threads, each with its own
database connection. A starter workshop runs its "Questions and close" item (a discussion with
questions on, approved before shown):

1. every phone asks one question at the same moment;
2. the console's panel with all of them waiting, then "approve all";
3. every phone votes for `--votes` other people's questions, all at once and in random order; a
   fifth of the votes are sent twice at the same moment (a double tap, from two connections), and a
   tenth are taken back afterwards;
4. every phone reloads its question list (what a phone does after a `qna.votes` event).

Then it checks every question: its counter == its vote rows == the votes the phones meant to cast
(lost and doubled votes are printed; the exit status is 1 if any). It counts the live events: the
boards hear every vote, the phones at most one `qna.votes` per few seconds.

Figures are p50 / p95 per request in ms, printed beside floors measured in the same run by the
same pool: `SELECT 1` and the bare INSERT of one vote row (autocommit, no view, no ORM). Prints
figures and asserts nothing about speed.
"""

import argparse
import os
import random
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=300, help="participants, max 1000")
    parser.add_argument("--votes", type=int, default=10, help="votes each phone casts")
    parser.add_argument("--threads", type=int, default=24, help="requests in flight at once")
    parser.add_argument("--database-url", default="", help="e.g. postgres://postgres@127.0.0.1:5432/bench_qna (emptied!)")
    args, _unknown = parser.parse_known_args()  # bench/run.py passes the same arguments to every bench
    args.phones = max(3, min(args.phones, 1000))
    args.votes = max(1, min(args.votes, args.phones - 1))
    return args


ARGS = parse_args()
if ARGS.database_url:
    os.environ["DATABASE_URL"] = ARGS.database_url
os.environ.setdefault("CONVENE_QUESTION_LIMIT", "1000")  # one question each here; the limit is tested elsewhere
sys.path.insert(0, str(ROOT / "bench"))

import django_setup  # noqa: E402,F401  (environment, database, django.setup)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from intersector.workshops import services  # noqa: E402
from intersector.workshops.access import cookie_name  # noqa: E402
from intersector.workshops.qna.models import Question, QuestionVote  # noqa: E402

LOCK = threading.Lock()


def percentiles(samples):
    ordered = sorted(samples)
    if not ordered:
        return float("nan"), float("nan")
    return ordered[len(ordered) // 2], ordered[max(0, int(len(ordered) * 0.95) - 1)]


def timed(pool, tasks):
    """Run the (function, args) tasks on the pool; (milliseconds per task, results, seconds overall)."""

    def one(task):
        function, args = task
        # Each pool thread keeps its own connection (CONN_MAX_AGE), as a server's threads do.
        start = time.perf_counter()
        result = function(*args)
        return result, (time.perf_counter() - start) * 1000

    start = time.perf_counter()
    outcomes = list(pool.map(one, tasks))
    return [ms for _r, ms in outcomes], [r for r, _ms in outcomes], time.perf_counter() - start


def line(label, samples, floor=None, extra=""):
    p50, p95 = percentiles(samples)
    ratio = f"   ({p50 / floor:.0f}x the bare insert)" if floor else ""
    print(f"  {label:44s} {p50:8.2f} / {p95:8.2f}{ratio}{extra}", flush=True)


def prepare_database():
    call_command("migrate", verbosity=0)
    if ARGS.database_url:
        call_command("flush", "--no-input", verbosity=0)  # said so in --help: emptied
    # else django_setup made a throwaway SQLite file


class Events:
    """Counts what the services publish (wrapping the one function they all go through)."""

    def __init__(self):
        import intersector.workshops.services as core

        self.counts = Counter()
        self.original = core.publish

        def counting(topic, event, data=None):
            with LOCK:
                self.counts[(topic.endswith(":phones"), event)] += 1
            return self.original(topic, event, data)

        core.publish = counting


def main():
    prepare_database()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(f"bench-{time.time_ns()}", "bench@example.org", "a-long-pass-phrase-42")
    workshop = services.create_workshop(user, "Q&A bench", "starter")
    item = workshop.items.get(title="Questions and close")
    services.go_to_item(workshop, item)
    people = [services.join(workshop, f"Person {n}", ("government", "business", "non-profit")[n % 3])
              for n in range(ARGS.phones)]
    passes = {p.pk: services.token_for(p) for p in people}
    cookie = cookie_name(workshop)

    def phone(person):
        client = Client(HTTP_HOST="localhost", HTTP_X_CONVENE="fetch")
        client.cookies[cookie] = passes[person.pk]
        return client

    console = Client(HTTP_HOST="localhost")
    console.force_login(user)
    base = f"/w/{workshop.code}/discussion/qna"
    console_base = f"/convene/{workshop.pk}/items/{item.pk}/discussion/qna"
    events = Events()
    print(f"database: {connection.vendor}; {ARGS.phones} phones, {ARGS.votes} votes each, "
          f"{ARGS.threads} requests in flight; figures in ms (p50 / p95)", flush=True)

    with ThreadPoolExecutor(ARGS.threads) as pool:
        # Floors, by the same pool: a round trip, and the bare insert of a vote row.
        select_ms, _r, _s = timed(pool, [(bare_select, ()) for _ in range(ARGS.phones)])
        line("floor: SELECT 1", select_ms)
        # 1. Everyone asks at once.
        def ask(person, n):
            response = phone(person).post(f"{base}/ask/", {"text": f"Question {n} from the room: what about {n}?",
                                                           "key": f"bench-key-{n:06d}"})
            return response.status_code
        ask_ms, statuses, seconds = timed(pool, [(ask, (p, n)) for n, p in enumerate(people)])
        questions = list(Question.objects.filter(item=item).values_list("pk", "participant_id"))
        insert_ms = bare_inserts(pool, questions)
        floor = percentiles(insert_ms)[0]
        line("floor: bare INSERT of a vote row", insert_ms)
        line(f"ask a question ({len(people)} at once)", ask_ms, floor,
             f"   [{Counter(statuses)}; {len(questions)} saved; {len(people) / seconds:.0f}/s]")
        # 2. The facilitator's side of the flood.
        panel_ms = time_once(lambda: console.get(f"/convene/{workshop.pk}/panel/now/"), 5)
        line(f"console panel, {len(questions)} waiting", panel_ms, floor)
        approve_ms = time_once(lambda: console.post(f"{console_base}/approve/", {"action": "all"}, HTTP_HX_REQUEST="true"), 1)
        line("approve all waiting (one request)", approve_ms, floor,
             f"   [{Question.objects.filter(item=item, status='shown').count()} shown]")
        # 3. Everyone votes at once; some double taps; then some take a vote back.
        rng = random.Random(300)
        owner = dict((pk, person) for pk, person in questions)
        ids = [pk for pk, _p in questions]
        meant, tasks, taps = Counter(), [], 0
        takebacks = []
        for person in people:
            for question in rng.sample([q for q in ids if owner[q] != person.pk], ARGS.votes):
                meant[question] += 1
                copies = 2 if rng.random() < 0.2 else 1
                taps += copies
                tasks.extend([(cast, (phone(person), base, question, "vote"))] * copies)
                if rng.random() < 0.1:
                    takebacks.append((cast, (phone(person), base, question, "unvote")))
                    meant[question] -= 1
        rng.shuffle(tasks)
        vote_ms, statuses, seconds = timed(pool, tasks)
        line(f"vote ({taps} taps for {sum(meant.values()) + len(takebacks)} votes)", vote_ms, floor,
             f"   [{Counter(statuses)}; {len(tasks) / seconds:.0f}/s]")
        unvote_ms, statuses, _s = timed(pool, takebacks)
        line(f"take a vote back ({len(takebacks)})", unvote_ms, floor, f"   [{Counter(statuses)}]")
        # 4. Every phone reloads its list, as after a qna.votes event.
        list_ms, statuses, _s = timed(pool, [(lambda p: phone(p).get(f"{base}/list/").status_code, (p,)) for p in people])
        line("phone reloads its question list", list_ms, floor, f"   [{Counter(statuses)}]")
        screen_ms, statuses, _s = timed(pool, [(lambda p: phone(p).get(f"/w/{workshop.code}/now").status_code, (p,))
                                               for p in people])
        line("phone reloads its whole screen (for scale)", screen_ms, floor, f"   [{Counter(statuses)}]")
        projector_ms = time_once(lambda: console.get(f"/w/{workshop.code}/screen/now"), 20)
        line("projector board (pinned + top 5)", projector_ms, floor)
    # One phone alone (nothing else in flight): what a request costs the server, beside the floor
    # measured alone too.
    line("alone: SELECT 1", time_once(bare_select, 50))
    lonely, target = phone(people[0]), next(q for q, p in questions if p != people[0].pk)
    state = {"action": "unvote" if QuestionVote.objects.filter(question_id=target, participant=people[0]).exists() else "vote"}

    def toggle():
        cast(lonely, base, target, state["action"])
        state["action"] = "unvote" if state["action"] == "vote" else "vote"

    line("alone: vote or take back (screen answered)", time_once(toggle, 60))  # an even number: as it was
    line("alone: phone reloads its question list", time_once(lambda: lonely.get(f"{base}/list/"), 60))

    # The check: no vote lost, none doubled.
    rows = Counter(QuestionVote.objects.filter(question__item=item).values_list("question_id", flat=True))
    counters = dict(Question.objects.filter(item=item).values_list("pk", "votes"))
    lost = sum(max(0, meant[q] - counters[q]) for q in ids)
    doubled = sum(max(0, counters[q] - meant[q]) for q in ids)
    mismatched = sum(1 for q in ids if counters[q] != rows.get(q, 0))
    print(f"  votes meant {sum(meant.values())}, counted {sum(counters.values())}, vote rows {sum(rows.values())}: "
          f"lost {lost}, doubled {doubled}, counters differing from their rows {mismatched}", flush=True)
    boards, phones = events.counts[(False, "qna.voted")], events.counts[(True, "qna.votes")]
    print(f"  live events: boards heard {boards} vote events; phones heard {phones} 'qna.votes' "
          f"(coalesced per item every few seconds) for {taps + len(takebacks)} taps; "
          f"{events.counts[(True, 'qna.changed')]} 'qna.changed' for {events.counts[(False, 'qna.changed')]} "
          f"moderation changes", flush=True)
    sys.exit(1 if lost or doubled or mismatched else 0)


def bare_select():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def bare_inserts(pool, questions):
    """The floor: one vote row inserted with autocommit (each asker on their own question, which
    the views refuse, so these rows collide with nothing), then removed again."""
    table = QuestionVote._meta.db_table

    def insert(question, participant):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} (question_id, participant_id, created) VALUES (%s, %s, %s)",
                           [question, participant, "2026-01-01 00:00:00"])

    samples, _r, _s = timed(pool, [(insert, pair) for pair in questions])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE question_id IN (SELECT id FROM qna_question WHERE participant_id = {table}.participant_id)")
    return samples


def cast(client, base, question, action):
    return client.post(f"{base}/vote/", {"question": question, "action": action}).status_code


def time_once(function, times):
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


if __name__ == "__main__":
    main()
