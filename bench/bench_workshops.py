"""A live brainwriting under load: N phones follow the workshop and each posts a note every ~10 s.

    .venv/bin/python bench/bench_workshops.py --clients 500            # one uvicorn, memory backend
    .venv/bin/python bench/bench_workshops.py --clients 500 --redis    # two uvicorn processes + Redis

Prepares its own SQLite database (var/bench-workshops.sqlite3, migrated afresh) or uses
--database-url (PostgreSQL), creates a workshop with N participants in a brainwriting round, starts
uvicorn on 127.0.0.1, opens one stream per participant (with that participant's pass), and has
every participant post notes through the real form URL. Latency is from just before a POST is
sent to the moment the LAST screen that shows notes (console, projector) has the note's event. It also weighs the phone page
(HTML + every asset it loads) and times its first load in Chromium on Slow and Fast 3G, up to the
moment the note box is usable. After the notes the facilitator changes the screen four times: every
phone shows the room's screen that came in the event (--screens pushed, as phone.js does), printed
beside a bare ASGI fan-out of an event of the same size to as many streams in the same run. It
prints figures and asserts nothing about speed.
"""

import argparse
import asyncio
import gzip
import json
import os
import random
import re
import secrets
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
from sse_client import SSEClient, close_all  # noqa: E402

from tests.live.servers import REDIS_BACKEND, Server, server_env, start_servers  # noqa: E402

DATABASE = ROOT / "var" / "bench-workshops.sqlite3"
NOTE_ID = re.compile(r"brainwriting/notes/(\d+)/edit/")
CSRF = "b" * 32  # any well-formed token works when the cookie and the header agree
# As phone.js posts the note form (data-note-answer): the answer is the new note alone.
NOTE_HEADERS = {"X-Convene": "fetch", "X-Convene-Answer": "note"}
TEXTS = ["slow approvals and sign-offs", "profit and speed", "close to communities", "public accountability",
         "capital and operational skill", "mission first, money tight", "risk averse culture", "data and money"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=500, help="participants (phones), max 2000")
    parser.add_argument("--seconds", type=float, default=30, help="how long everyone keeps posting")
    parser.add_argument("--every", type=float, default=10, help="seconds between one phone's notes")
    parser.add_argument("--redis", action="store_true", help="two uvicorn processes on Redis")
    parser.add_argument("--redis-url", default=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    parser.add_argument("--database-url", default="", help="e.g. postgres://postgres@127.0.0.1:5432/bench (emptied!)")
    parser.add_argument("--notes-only", action="store_true",
                        help="only the notes (no phone page in Chromium, console changes or themes)")
    parser.add_argument("--no-floor", action="store_true", help="skip the bare fan-out floor for the notes")
    parser.add_argument("--web-threads", type=int, default=0, help="the servers' WEB_THREADS (default: the site's)")
    parser.add_argument("--server-cpus", default="",
                        help="e.g. 0: the uvicorn processes run on these CPUs only and this bench's clients on the "
                             "others, so the server has cores of its own (as deployed) and one process and two "
                             "(--redis) get the same CPU")
    parser.add_argument("--no-board-fetch", action="store_true",
                        help="the console and projector do not fetch their board after note events")
    parser.add_argument("--screens", choices=["pushed", "shared", "own"], default="pushed",
                        help="after a console change each phone shows the room's screen that came in the event and "
                             "then asks for its own parts, as phone.js does (pushed); or asks for the room's screen at "
                             "the event's position (shared: the previous way); or each its own whole screen (own)")
    args, _unknown = parser.parse_known_args()  # bench/run.py passes the same arguments to every bench
    args.clients = max(1, min(args.clients, 2000))
    return args


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def prepare_database(env):
    """Migrate a fresh database, then create the workshop and its participants in this process."""
    if env["DATABASE_URL"].startswith("sqlite"):
        DATABASE.parent.mkdir(exist_ok=True)  # a fresh clone has no var/ yet
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    else:
        subprocess.run([sys.executable, "manage.py", "flush", "--no-input"], cwd=ROOT, env=env, check=False,
                       capture_output=True)
    started = time.monotonic()
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    print(f"  database migrated in {time.monotonic() - started:.1f} s")
    os.environ.update(env)
    import django

    django.setup()


def create_workshop(count):
    from django.contrib.auth import get_user_model

    from intersector.workshops import services
    from intersector.workshops.activities.brainwriting import services as bw

    user = get_user_model().objects.create_user(f"bench-{uuid.uuid4().hex[:6]}")
    workshop = services.create_workshop(user, "Bench workshop")
    sectors = ["government", "business", "non-profit", "other"]
    people = [services.join(workshop, f"Phone {n}", sectors[n % 4]) for n in range(count)]
    services.set_table_count(workshop, max(1, count // 6))
    services.auto_assign(workshop)
    item = workshop.items.get(kind="brainwriting")
    services.go_to_item(workshop, item)
    # Build-on: sheets pass round the tables between rounds.
    bw.configure(item, "\n".join(bw.prompts(item)), bw.sectors(item), "build-on", 60, 3)
    bw.open_round(item)
    cookie = f"convene-{workshop.code}"
    tables = dict(type(people[0]).objects.filter(workshop=workshop).values_list("pk", "table_id"))
    from django.test import Client

    board = Client()
    board.force_login(user)
    return (workshop, [f"{cookie}={services.token_for(p)}; csrftoken={CSRF}" for p in people],
            [tables[p.pk] for p in people], f"sessionid={board.cookies['sessionid'].value}")


async def open_streams(servers, workshop, cookies, tables, board_cookie):
    """One stream per phone (spread over the servers), plus the console and the projector."""
    clients = [SSEClient(f"{servers[i % len(servers)].url}/w/{workshop.code}/live", headers={"Cookie": c})
               for i, c in enumerate(cookies)]
    for client, table in zip(clients, tables):
        client.table = table
    for index, path in enumerate([f"/convene/{workshop.pk}/live", f"/w/{workshop.code}/live"]):
        board = SSEClient(f"{servers[index % len(servers)].url}{path}", headers={"Cookie": board_cookie})
        board.table = "board"
        clients.append(board)
    gate = asyncio.Semaphore(50)

    async def connect(client):
        async with gate:
            try:
                await client.connect(30)
            except (OSError, ConnectionError, TimeoutError) as exc:
                client.error = f"{type(exc).__name__}: {exc}"

    await asyncio.gather(*(connect(c) for c in clients))
    return [c for c in clients if c.connected_at is not None], [c.error for c in clients if c.connected_at is None]


async def post_notes(servers, code, cookies, tables, args):
    """Every phone posts a note every ~`every` seconds (random phase), for `seconds`."""
    sent = {}  # note id -> monotonic time just before its POST
    errors, post_times = [], []
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        async def phone(index, cookie):
            server = servers[index % len(servers)]
            await asyncio.sleep(random.uniform(0, args.every))
            end = time.monotonic() + args.seconds
            while time.monotonic() < end:
                t0 = time.monotonic()
                try:
                    response = await http.post(
                        f"{server.url}/w/{code}/brainwriting/notes/",
                        data={"text": random.choice(TEXTS), "prompt": index % 4, "about": "government",
                              "key": secrets.token_urlsafe(12)},
                        headers={"Cookie": cookie, "X-CSRFToken": CSRF, **NOTE_HEADERS},
                    )
                    post_times.append(time.monotonic() - t0)
                    if response.status_code != 200:
                        errors.append(f"HTTP {response.status_code}: {response.text[:120]}")
                    else:
                        ids = [int(n) for n in NOTE_ID.findall(response.text)]
                        if ids:
                            sent[max(ids)] = (t0, tables[index])
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                await asyncio.sleep(max(0.0, args.every * random.uniform(0.8, 1.2) - (time.monotonic() - t0)))

        await asyncio.gather(*(phone(i, c) for i, c in enumerate(cookies)))
    return sent, errors, post_times


def arrivals(clients):
    """note id -> list of arrival times, one per screen that got it."""
    seen = {}
    for client in clients:
        for event in client.events:
            if event.event == "note.added":
                seen.setdefault(json.loads(event.data)["note"], []).append(event.at)
    return seen


async def measure(servers, workshop, cookies, tables, board_cookie, args):
    rss_idle = [s.rss_mib() for s in servers]
    started = time.monotonic()
    clients, failures = await open_streams(servers, workshop, cookies, tables, board_cookie)
    connect_s = time.monotonic() - started
    rss_connected = [s.rss_mib() for s in servers]
    # Who must see a note: the boards (console and projector). Phones show no one else's note
    # while a round is open (see brainwriting.services.note_event); they stay connected and
    # get every screen and timer change.
    boards = sum(1 for client in clients if client.table == "board")
    await warm_up(servers, workshop, cookies, board_cookie)
    await asyncio.sleep(1)
    cpu_before = cpu_seconds(servers)
    board_fetches = {}  # board -> [(start, end, status)]
    fetching = None if args.no_board_fetch else asyncio.create_task(
        fetch_boards(workshop, clients, board_cookie, board_fetches))
    sent, errors, post_times = await post_notes(servers, workshop.code, cookies, tables, args)
    cpu_notes = cpu_seconds(servers) - cpu_before

    def expected(table):
        return boards

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        seen = arrivals(clients)
        if all(len(seen.get(n, [])) >= expected(table) for n, (_t0, table) in sent.items()):
            break
        await asyncio.sleep(0.5)
    seen = arrivals(clients)
    rss_after = [s.rss_mib() for s in servers]
    await stop_fetching(fetching)
    screen_changes = [] if args.notes_only else await follow_the_facilitator(servers, workshop, clients, board_cookie)
    latencies, missing, deliveries = [], 0, 0
    for note, (t0, table) in sent.items():
        times = seen.get(note, [])
        deliveries += len(times)
        missing += max(0, expected(table) - len(times))
        if len(times) >= expected(table):
            latencies.append(max(times) - t0)
    stream_errors = [c.error for c in clients if c.error]
    await close_all(clients)
    return {"connected": len(clients), "failures": failures, "deliveries": deliveries, "connect_s": connect_s, "notes": len(sent),
            "latencies": latencies, "missing": missing, "errors": errors, "post_times": post_times,
            "stream_errors": stream_errors, "rss": list(zip(rss_idle, rss_connected, rss_after)),
            "screen_changes": screen_changes, "cpu_notes": cpu_notes, "board_fetches": board_fetches,
            "sent": sent, "board_clients": [c for c in clients if c.table == "board"]}


def notes_floor(args):
    """The floor for the notes, in the same run: the same number of phone streams, two board
    streams and the same notes (one POST per phone every ~`every` s) against a bare ASGI app
    that fans each POST out in memory (bench/bare_fanout.py: no Django, no database). Returns
    POST -> event on both boards, in seconds, and the number of POSTs."""
    from bench_live import BareServer

    server = BareServer("bench-convene-floor", server_env()).start()
    if args.server_cpus:
        pin(server.process.pid, cpus_apart(args)[0])
    try:
        return asyncio.run(asyncio.wait_for(floor_notes(server, args), args.seconds + 120))
    finally:
        server.stop()


async def floor_notes(server, args):
    phones = [SSEClient(f"{server.url}/probe/phones/stream") for _ in range(args.clients)]
    boards = [SSEClient(f"{server.url}/probe/boards/stream") for _ in range(2)]
    gate = asyncio.Semaphore(50)

    async def connect(client):
        async with gate:
            await client.connect(30)

    await asyncio.gather(*(connect(c) for c in phones + boards))
    await asyncio.sleep(1)
    sent, numbers = {}, iter(range(10 ** 9))
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        async def phone():
            await asyncio.sleep(random.uniform(0, args.every))
            end = time.monotonic() + args.seconds
            while time.monotonic() < end:
                n, t0 = next(numbers), time.monotonic()
                sent[n] = t0
                try:
                    await http.post(f"{server.url}/probe/boards/publish", json={"event": "note.added", "data": {"note": n}})
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(max(0.0, args.every * random.uniform(0.8, 1.2) - (time.monotonic() - t0)))

        await asyncio.gather(*(phone() for _ in phones))
    await asyncio.gather(*(b.wait_for(lambda events: sum(e.event == "note.added" for e in events) >= len(sent), 15)
                           for b in boards))
    seen = arrivals(boards)
    latencies = [max(seen[n]) - t0 for n, t0 in sent.items() if len(seen.get(n, [])) >= len(boards)]
    await close_all(phones + boards)
    return latencies, len(sent)


def report_notes(result, floor, args):
    """The notes beside their floor: server CPU per note, the boards' fetches, when a note shows."""
    notes = max(1, result["notes"])
    lat = result["latencies"]
    print(f"  server CPU while the phones posted: {result['cpu_notes']:.1f} s for {result['notes']} notes = "
          f"{1000 * result['cpu_notes'] / notes:.1f} ms per note (all server processes, everything they did)")
    if floor is not None:
        bare, count = floor
        print(f"  floor, same run: the same {args.clients} phone streams + 2 boards and {count} POSTs on a bare ASGI "
              f"fan-out (no Django, no database): POST -> event on both boards p50 {1000 * percentile(bare, .5):.0f} "
              f"p95 {1000 * percentile(bare, .95):.0f} ms")
        if lat and bare:
            print(f"  note POST -> console and projector p95: {1000 * percentile(lat, .95):.0f} ms vs floor "
                  f"{1000 * percentile(bare, .95):.0f} ms ({percentile(lat, .95) / percentile(bare, .95):.1f}x)")
    for name, fetches in result["board_fetches"].items():
        took = [1000 * (end - start) for start, end, status in fetches]
        failed = sum(1 for *_t, status in fetches if status != 200)
        print(f"  {name} fetches its board after note events (at most 1/s): {len(fetches)} fetches, "
              f"p50 {percentile(took, .5):.0f} p95 {percentile(took, .95):.0f} ms, failed {failed}")
    for name, shown in shown_on_boards(result).items():
        shown = [1000 * x for x in shown]
        print(f"  note POST -> note counted on the {name}'s screen (event, then its next fetch): "
              f"p50 {percentile(shown, .5):.0f} p95 {percentile(shown, .95):.0f} ms ({len(shown)} notes)")


ONE_AT_A_TIME = {
    "note POST, answered with the writer's whole screen (before)": ("post", {"X-Convene": "fetch"}),
    "note POST, answered with the writer's own parts (before)": ("post", {"X-Convene": "fetch", "X-Convene-Answer": "mine"}),
    "note POST, answered with the new note alone (phone.js)": ("post", NOTE_HEADERS),
    "a phone's own parts (/mine)": ("mine", {"X-Convene": "fetch"}),
    "floor: the bare request (/healthz)": ("healthz", {}),
}


def one_at_a_time(server, workshop, cookies, count=200, blocks=5):
    """Each kind of request `count` times, one at a time from different phones, on the server the
    room has just used, in interleaved blocks (so a busy moment of the machine falls on every
    kind alike): the server CPU per request (from /proc) beside the bare request in the same
    run. {name: (CPU ms per request, wall ms median)}."""
    import statistics

    cpu, walls, n = dict.fromkeys(ONE_AT_A_TIME, 0.0), {name: [] for name in ONE_AT_A_TIME}, 0
    with httpx.Client(timeout=30) as http:
        for _block in range(blocks):
            for name, (kind, headers) in ONE_AT_A_TIME.items():
                cpu_before = cpu_seconds([server])
                for _ in range(count // blocks):
                    n += 1
                    cookie = cookies[n % len(cookies)]
                    t0 = time.monotonic()
                    if kind == "post":
                        http.post(f"{server.url}/w/{workshop.code}/brainwriting/notes/",
                                  data={"text": random.choice(TEXTS), "prompt": n % 4, "about": "business",
                                        "key": secrets.token_urlsafe(12)},
                                  headers={"Cookie": cookie, "X-CSRFToken": CSRF, **headers})
                    elif kind == "mine":
                        http.get(f"{server.url}/w/{workshop.code}/mine", headers={"Cookie": cookie, **headers})
                    else:
                        http.get(f"{server.url}/healthz")
                    walls[name].append(time.monotonic() - t0)
                cpu[name] += cpu_seconds([server]) - cpu_before
    return {name: (1000 * cpu[name] / len(walls[name]), 1000 * statistics.median(walls[name])) for name in ONE_AT_A_TIME}


def statements_per_request(workshop, cookies):
    """SQL statements each request runs (in this process, through Django's test client)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    phone = Client(HTTP_HOST="127.0.0.1")
    name, value = cookies[-1].split(";")[0].split("=", 1)
    phone.cookies[name] = value
    for label, (kind, headers) in ONE_AT_A_TIME.items():
        with CaptureQueriesContext(connection) as statements:
            if kind == "post":
                phone.post(f"/w/{workshop.code}/brainwriting/notes/",
                           {"text": "counted", "prompt": 0, "about": "business", "key": secrets.token_urlsafe(12)},
                           headers=headers)
            elif kind == "mine":
                phone.get(f"/w/{workshop.code}/mine", headers=headers)
            else:
                phone.get("/healthz")
        counts[label] = len(statements.captured_queries)
    return counts


def report_one_at_a_time(found, counts):
    floor = found["floor: the bare request (/healthz)"][0]
    print("\n  one request at a time on the same server, after the room (server CPU per request, from /proc):")
    for name, (cpu, wall) in found.items():
        print(f"    {name}: {cpu:.2f} ms CPU ({cpu / floor:.1f}x the bare request), wall median {wall:.1f} ms, "
              f"{counts.get(name, 0)} SQL statements")


async def warm_up(servers, workshop, cookies, board_cookie):
    """One note and one board fetch on each server before the CPU is counted: a process's first
    requests compile its templates and queries, which is not what a note costs."""
    async with httpx.AsyncClient(timeout=30) as http:
        for index, server in enumerate(servers):
            phone = cookies[index]  # post_notes sends phone i to server i % len(servers)
            await http.post(f"{server.url}/w/{workshop.code}/brainwriting/notes/",
                            data={"text": "warming up", "prompt": 0, "about": "government",
                                  "key": secrets.token_urlsafe(12)},
                            headers={"Cookie": phone, "X-CSRFToken": CSRF, **NOTE_HEADERS})
            for path in BOARD_FETCHES.values():
                await http.get(server.url + path.format(pk=workshop.pk, code=workshop.code),
                               headers={"Cookie": board_cookie, "HX-Request": "true"})


BOARD_FETCHES = {"console": "/convene/{pk}/panel/now/", "projector": "/w/{code}/screen/now"}


async def fetch_boards(workshop, clients, board_cookie, fetches):
    """The console and the projector as their pages behave: after note events, fetch the board
    again, at most once a second (console.js, projector.js). Fills {board: [(start, end, status)]}."""
    boards = [c for c in clients if c.table == "board"]

    def count(events):
        return sum(e.event == "note.added" for e in events)

    async def follow(name, client, http):
        base = client.url.split("/w/")[0].split("/convene/")[0]
        url = base + BOARD_FETCHES[name].format(pk=workshop.pk, code=workshop.code)
        done = fetches.setdefault(name, [])
        seen = 0
        while True:
            if not await client.wait_for(lambda events: count(events) > seen, 3600):
                return
            seen = count(client.events)
            start = time.monotonic()
            try:
                response = await http.get(url, headers={"Cookie": board_cookie, "HX-Request": "true"})
                done.append((start, time.monotonic(), response.status_code))
            except httpx.HTTPError:
                done.append((start, time.monotonic(), 0))
            await asyncio.sleep(max(0.0, 1 - (time.monotonic() - start)))

    async with httpx.AsyncClient(timeout=30) as http:
        await asyncio.gather(*(follow(name, client, http) for name, client in zip(BOARD_FETCHES, boards)))


async def stop_fetching(task):
    if task is None:
        return
    await asyncio.sleep(1.5)  # the last throttled fetch
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass


def shown_on_boards(result):
    """Per board, POST -> the end of the board's first fetch that began after the note's event
    reached it: when the note is on the console's or projector's screen."""
    shown = {}
    boards = result["board_clients"]
    for name, client in zip(BOARD_FETCHES, boards):
        fetches = sorted(result["board_fetches"].get(name, []))
        arrived = {json.loads(e.data)["note"]: e.at for e in client.events if e.event == "note.added"}
        times = []
        for note, (t0, _table) in result["sent"].items():
            at = arrived.get(note)
            end = next((end for start, end, status in fetches if start >= at and status == 200), None) if at else None
            if end is not None:
                times.append(end - t0)
        shown[name] = times
    return shown


async def follow_the_facilitator(servers, workshop, clients, board_cookie, changes=4):
    """The facilitator closes and opens the round (console buttons): every phone hears
    screen.changed and fetches its new screen at once, as phone.js does. Returns, per change,
    the seconds until each phone heard it and until each phone had its new screen."""
    phones = [c for c in clients if c.table != "board"]
    item = await asyncio.to_thread(lambda: workshop.items.get(kind="brainwriting"))  # the ORM is sync
    changed = []
    for action in ["close", "open"] * (changes // 2):
        results = await one_change(servers, workshop, item, phones, board_cookie, action)
        if results is None:
            break
        changed.append(results)
        await asyncio.sleep(2)
    return changed


def cpu_seconds(servers):
    """CPU time the server processes have used (user + system), from /proc."""
    total = 0.0
    for server in servers:
        fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


async def one_change(servers, workshop, item, phones, board_cookie, action):
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        seen_before = {id(c): len(c.events) for c in phones}
        t0 = time.monotonic()
        response = await http.post(
            f"{servers[0].url}/convene/{workshop.pk}/items/{item.pk}/brainwriting/round/", data={"action": action},
            headers={"Cookie": f"{board_cookie}; csrftoken={CSRF}", "X-CSRFToken": CSRF})
        if response.status_code != 302:
            print(f"  the console's {action} failed: HTTP {response.status_code}")
            return None

        async def phone(client):
            def heard(events):
                return any(e.event == "screen.changed" for e in events[seen_before[id(client)]:])
            if not await client.wait_for(heard, 15):
                return None
            event = next(e for e in client.events[seen_before[id(client)]:] if e.event == "screen.changed")
            try:
                shown, filled, status = await new_screen(http, client, workshop, event)
            except httpx.HTTPError:
                return event.at - t0, time.monotonic() - t0, 0, time.monotonic() - t0
            return event.at - t0, shown - t0, status, filled - t0

        cpu_before = cpu_seconds(servers)
        results = await asyncio.gather(*(phone(c) for c in phones))
        cpu = cpu_seconds(servers) - cpu_before
    return [(*r, cpu) for r in results if r is not None]


# Set by main(): --screens and the room's screens address; counted as the phones go: screens shown
# from the event, screens fetched, the largest pushed event's bytes.
SCREENS = {"mode": "pushed", "url": None, "pushed": 0, "fetched": 0, "bytes": 0}


def pushed_screen(event):
    """The room's screen (English) that came in the event, if phone.js would show it as it is:
    the event comes straight after the position it was rendered at (workshops/screens.py)."""
    data = json.loads(event.data or "{}")
    html, asof = (data.get("screens") or {}).get("en"), data.get("asof") or ""
    at = (event.id or "").split(",")[0]
    if not html or "-" not in asof or "-" not in at:
        return None
    (life, seq), (asof_life, asof_seq) = at.rsplit("-", 1), asof.rsplit("-", 1)
    return html if life == asof_life and int(seq) == int(asof_seq) + 1 else None


async def new_screen(http, client, workshop, event):
    """What phone.js does when it hears screen.changed: show the room's screen that came in the
    event (--screens pushed), else ask for the room's screen at the event's position in the
    phones' topic (the first of the stream's positions) and show it; then, after a random wait of
    up to its data-mine-spread ms, ask for this phone's own parts (/mine) if it has any. With
    --screens own: ask for its own whole screen (/now), the old way. Returns (monotonic time the
    new screen was shown, time its own parts were filled, HTTP status: 200 for a pushed one)."""
    base = client.url.split("/w/")[0]
    headers = {"Cookie": client.headers["Cookie"], "X-Convene": "fetch"}
    event_id = event.id
    html = pushed_screen(event) if SCREENS["mode"] == "pushed" else None
    if html is not None:
        shown, status = event.at, 200
        SCREENS["pushed"] += 1
        SCREENS["bytes"] = max(SCREENS["bytes"], len(event.data.encode()))
    elif SCREENS["mode"] == "own" or not event_id:
        page = await http.get(f"{base}/w/{workshop.code}/now", headers=headers)
        shown = time.monotonic()
        return shown, shown, page.status_code
    else:
        page = await http.get(f"{base}{SCREENS['url']}{event_id.split(',')[0]}", headers=headers)
        shown, status, html = time.monotonic(), page.status_code, page.text
        SCREENS["fetched"] += 1
    spread = re.search(r'data-mine-spread="(\d+)"', html)
    if status != 200 or not spread or 'data-mine="' not in html:
        return shown, shown, status
    await asyncio.sleep(random.uniform(0, int(spread.group(1)) / 1000))
    try:
        mine = await http.get(f"{base}/w/{workshop.code}/mine", headers=headers)
    except httpx.HTTPError:  # the screen was shown all the same; its own parts failed (counted)
        return shown, time.monotonic(), 0
    return shown, time.monotonic(), mine.status_code


BARE_APP = """
BODY = b"x" * int(__import__("os").environ.get("BARE_BYTES", "3000"))

async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/html; charset=utf-8")]})
    await send({"type": "http.response.body", "body": BODY})
"""


async def herd(url, cookies, processes, rounds=2):
    """Every phone asks `url` at once (with its own cookie), `rounds` times: p50 and p95 ms until
    each had its answer, the server CPU per request (ms) and the statuses seen."""
    times, statuses = [], set()
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        for _attempt in range(100):  # a server just started: wait until it answers
            try:
                await http.get(url, headers={"Cookie": cookies[0]})
                break
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
        cpu_before = process_cpu(processes)
        for _round in range(rounds):
            t0 = time.monotonic()

            async def one(cookie):
                try:
                    answer = await http.get(url, headers={"Cookie": cookie, "X-Convene": "fetch"})
                    statuses.add(answer.status_code)
                except httpx.HTTPError as exc:  # counted, not fatal: the herd goes on
                    statuses.add(type(exc).__name__)
                return time.monotonic() - t0

            times += await asyncio.gather(*(one(c) for c in cookies))
            await asyncio.sleep(1)
        cpu = process_cpu(processes) - cpu_before
    lat = [t * 1000 for t in times]
    return percentile(lat, .5), percentile(lat, .95), 1000 * cpu / max(1, len(times)), sorted(map(str, statuses))


def process_cpu(processes):
    total = 0.0
    for process in processes:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def screen_herds(servers, workshop, cookies, position):
    """The same herd -- every phone asking at once -- for the room's kept screen, a phone's own
    parts (/mine), a phone's whole own screen (/now, the old way) and a bare uvicorn's constant page
    of the screen's size (the floor), one after another in this run: wall time and server CPU per
    request side by side, whatever else the machine is doing."""
    processes = [server.process for server in servers]
    base = servers[0].url
    rows = [("the room's screen (kept)", herd(f"{base}{SCREENS['url']}{position}", cookies, processes)),
            ("a phone's own parts (/mine)", herd(f"{base}/w/{workshop.code}/mine", cookies, processes)),
            ("a phone's whole own screen (/now)", herd(f"{base}/w/{workshop.code}/now", cookies, processes))]
    results = [(name, asyncio.run(job)) for name, job in rows]
    size = len(httpx.get(f"{base}/w/{workshop.code}/now", headers={"Cookie": cookies[0]}).content)
    results.append((f"floor: bare uvicorn, {size / 1024:.1f} KB constant", asyncio.run(bare_floor(cookies, size))))
    return results


async def bare_floor(cookies, size):
    """The floor for "every phone shows its new screen": the same phones ask a bare uvicorn (no
    Django, no database: a constant body of the screen's size) all at once, on the same machine
    in the same run."""
    from tests.live.servers import HOST, free_port

    folder = ROOT / "var" / "bench-bare"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bare_screen.py").write_text(BARE_APP)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bare_screen:app", "--app-dir", str(folder), "--host", HOST,
         "--port", str(port), "--no-access-log", "--log-level", "warning"],
        env={**os.environ, "BARE_BYTES": str(max(1, size))}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://{HOST}:{port}/"
    try:
        return await herd(url, cookies, [process])
    finally:
        process.terminate()
        process.wait(timeout=10)


def weigh_phone_page(server, code, cookie):
    """Bytes the phone downloads on first load: the page and every script and style it links."""
    with httpx.Client(base_url=server.url, timeout=10) as http:
        join_page = http.get(f"/w/{code}/")
        page = http.get(f"/w/{code}/", headers={"Cookie": cookie})
        assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
        bodies = [page.content] + [http.get(a).content for a in assets]
    raw = sum(len(b) for b in bodies)
    zipped = sum(len(gzip.compress(b)) for b in bodies)
    return {"join_page": len(join_page.content), "raw": raw, "gzip": zipped, "files": 1 + len(assets)}


def report(result, servers, weight, args):
    mode = "two uvicorn processes + Redis" if args.redis else "one uvicorn process, memory backend"
    if args.server_cpus:
        mode += f", server on CPU {args.server_cpus} and the bench's clients on the others"
    lat = [x * 1000 for x in result["latencies"]]
    posts = [x * 1000 for x in result["post_times"]]
    print(f"\nWorkshop under load: {args.clients} phones, a note each every ~{args.every:g} s "
          f"for {args.seconds:g} s, {mode}")
    print(f"  streams connected: {result['connected']} (phones + console + projector) in {result['connect_s']:.1f} s; refused: {len(result['failures'])}")
    print(f"  notes posted and saved: {result['notes']}; POST errors: {len(result['errors'])}; "
          f"stream errors: {len(result['stream_errors'])}")
    print(f"  note events delivered to screens: {result['deliveries']} (each note: console and projector)")
    print(f"  POST -> note event on EVERY screen that shows it (ms): p50 {percentile(lat, .5):.0f}  "
          f"p95 {percentile(lat, .95):.0f}  max {max(lat, default=float('nan')):.0f}  "
          f"(notes complete on all screens: {len(lat)}/{result['notes']}, events missing: {result['missing']})")
    print(f"  POST response time (ms): p50 {percentile(posts, .5):.0f}  p95 {percentile(posts, .95):.0f}")
    for problem in (result["errors"] + result["stream_errors"] + result["failures"])[:3]:
        print(f"    e.g. {problem}")
    report_screen_changes(result, args)
    for server, (idle, connected, after) in zip(servers, result["rss"]):
        print(f"  {server.name} memory (MiB): idle {idle:.0f}, streams open {connected:.0f}, after posting {after:.0f}")
    print(f"  phone page first load: {weight['raw'] / 1024:.1f} KB uncompressed, {weight['gzip'] / 1024:.1f} KB gzipped, "
          f"{weight['files']} files (join page HTML {weight['join_page'] / 1024:.1f} KB)")


def report_screen_changes(result, args):
    """Console change -> every phone hears it, shows its new screen, has its own parts filled;
    beside the floor: the same number of phones asking a bare server at once, in this run."""
    how = {"pushed": "the room's screen from the event, then each phone's own parts spread out",
           "shared": "the room's screen asked for at the event's position, then each phone's own parts spread out",
           "own": "each phone its own whole screen (/now)"}[args.screens]
    print(f"  console changes, phones showing {how}:")
    if args.screens == "pushed":
        print(f"  screens shown from the event: {SCREENS['pushed']}, fetched instead: {SCREENS['fetched']}; "
              f"largest screen.changed event {SCREENS['bytes'] / 1024:.1f} KB (both languages)")
    for n, results in enumerate(result["screen_changes"], 1):
        heard = [r[0] * 1000 for r in results]
        shown = [r[1] * 1000 for r in results]
        filled = [r[3] * 1000 for r in results]
        failed = sum(1 for r in results if r[2] != 200)
        print(f"  console change {n} -> every phone: heard by {len(results)} phones "
              f"p50 {percentile(heard, .5):.0f} p95 {percentile(heard, .95):.0f} max {max(heard, default=float('nan')):.0f} ms; "
              f"shows the new screen p50 {percentile(shown, .5):.0f} p95 {percentile(shown, .95):.0f} "
              f"max {max(shown, default=float('nan')):.0f} ms; own parts filled p95 {percentile(filled, .95):.0f} ms; "
              f"failed loads (screen or own parts) {failed}; server CPU for it {results[0][4] if results else float('nan'):.1f} s")
    floor = result.get("screen_floor")
    if floor and result["screen_changes"]:
        shown = [r[1] * 1000 for results in result["screen_changes"] for r in results]
        bare = [x * 1000 for x in floor]
        print(f"  floor, same run: a bare ASGI fan-out (bare_fanout.py) of an event of the same size to the same "
              f"{args.clients} streams, {len(result['screen_changes'])} times: every stream has it p50 "
              f"{percentile(bare, .5):.0f} p95 {percentile(bare, .95):.0f} ms")
        print(f"  console change -> every phone shows the new screen p95: {percentile(shown, .95):.0f} ms vs floor "
              f"{percentile(bare, .95):.0f} ms ({percentile(shown, .95) / percentile(bare, .95):.1f}x; goal <= 1,000 ms)")


def screen_event_floor(args, size, changes):
    """The floor for "every phone shows the new screen" with pushed screens, in the same run: the
    same number of phone streams on a bare ASGI app fanning out, in memory, one event of the
    pushed event's size, `changes` times. Returns, per stream and change, the seconds from the
    publish request until that stream had the event."""
    from bench_live import BareServer

    server = BareServer("bench-convene-screen-floor", server_env()).start()
    if args.server_cpus:
        pin(server.process.pid, cpus_apart(args)[0])
    try:
        return asyncio.run(asyncio.wait_for(floor_screen_events(server, args, size, changes), 300))
    finally:
        server.stop()


async def floor_screen_events(server, args, size, changes):
    phones = [SSEClient(f"{server.url}/probe/phones/stream") for _ in range(args.clients)]
    gate = asyncio.Semaphore(50)

    async def connect(client):
        async with gate:
            await client.connect(30)

    await asyncio.gather(*(connect(c) for c in phones))
    await asyncio.sleep(1)
    times = []
    async with httpx.AsyncClient(timeout=30) as http:
        for n in range(changes):
            seen_before = [len(c.events) for c in phones]
            t0 = time.monotonic()
            await http.post(f"{server.url}/probe/phones/publish",
                            json={"event": "screen.changed", "data": {"n": n, "screen": "x" * max(0, size - 40)}})

            async def heard(client, before):
                if await client.wait_for(lambda events: any(e.event == "screen.changed" for e in events[before:]), 15):
                    return next(e for e in client.events[before:] if e.event == "screen.changed").at - t0
                return None

            times += [t for t in await asyncio.gather(*(heard(c, b) for c, b in zip(phones, seen_before))) if t is not None]
            await asyncio.sleep(2)
    await close_all(phones)
    return times


def report_herds(herds, args):
    print(f"\n  {args.clients} phones asking at once (twice), one after another in this run "
          f"(goal: the room's screen p95 <= 1,000 ms, near the floor):")
    for name, (p50, p95, cpu, statuses) in herds:
        print(f"    {name:38} p50 {p50:6.0f} ms  p95 {p95:6.0f} ms  server CPU {cpu:5.2f} ms a request  "
              f"answers {'/'.join(statuses)}")


def cpus_apart(args):
    """({server CPUs}, {client CPUs}) for --server-cpus, or (None, None)."""
    if not args.server_cpus:
        return None, None
    server = {int(cpu) for cpu in args.server_cpus.split(",")}
    return server, os.sched_getaffinity(0) - server


def pin(pid, cpus):
    """Every thread of process `pid` (threads made later inherit it) onto `cpus`."""
    for thread in os.listdir(f"/proc/{pid}/task"):
        os.sched_setaffinity(int(thread), cpus)


def main():
    args = parse_args()
    server_cpus, client_cpus = cpus_apart(args)
    if client_cpus:
        os.sched_setaffinity(0, client_cpus)  # before this process starts any thread
    prefix = f"bench-convene:{uuid.uuid4().hex[:8]}:"
    database_url = args.database_url or f"sqlite:///{DATABASE}"
    settings = {"DATABASE_URL": database_url, "CONVENE_NOTE_LIMIT": 1000, "LIVE_BUFFER_SIZE": 2000}
    if args.web_threads:
        settings["WEB_THREADS"] = args.web_threads
    if args.redis:
        settings.update(REDIS_URL=args.redis_url, LIVE_BACKEND=REDIS_BACKEND, LIVE_REDIS_PREFIX=prefix)
    env = server_env(**settings)
    prepare_database(env)
    workshop, cookies, tables, board_cookie = create_workshop(args.clients)
    from intersector.workshops import screens

    SCREENS.update(mode=args.screens, url=screens.screens_url(workshop, "en"))
    servers = [Server("bench-convene-a", env), Server("bench-convene-b", env)] if args.redis else [Server("bench-convene", env)]
    start_servers(*servers)
    for server in servers if server_cpus else ():
        pin(server.process.pid, server_cpus)
    try:
        weight = weigh_phone_page(servers[0], workshop.code, cookies[0])
        for profile, (latency, kbits) in PROFILES.items() if not (args.redis or args.notes_only) else ():
            slow = load_on_slow_3g(servers[0], workshop.code, cookies[0], latency, kbits)
            if slow:
                print(f"  phone page in Chromium on {profile}: note box usable {slow[4]:.0f} ms (first paint "
                      f"{slow[3]:.0f} ms), DOM ready (scripts run, live) {slow[0]:.0f} ms, loaded {slow[1]:.0f} ms, "
                      f"{slow[2] / 1024:.1f} KB transferred, {slow[5]} requests")
        result = asyncio.run(asyncio.wait_for(measure(servers, workshop, cookies, tables, board_cookie, args),
                                              args.seconds + 180 + (0 if args.notes_only else 4 * 120)))
        if result["screen_changes"] and args.screens == "pushed" and not args.no_floor:
            result["screen_floor"] = screen_event_floor(args, SCREENS["bytes"] or 4000, len(result["screen_changes"]))
        report(result, servers, weight, args)
        report_notes(result, None if args.no_floor else notes_floor(args), args)
        report_one_at_a_time(one_at_a_time(servers[0], workshop, cookies), statements_per_request(workshop, cookies))
        if result["screen_changes"]:
            page = httpx.get(f"{servers[0].url}/w/{workshop.code}/", headers={"Cookie": cookies[0]}).text
            position = re.search(r'data-live-last-event-id="([^",]*)', page).group(1)
            report_herds(screen_herds(servers, workshop, cookies, position), args)
    finally:
        for server in servers:
            server.stop()
        if args.redis:
            import redis

            client = redis.Redis.from_url(args.redis_url, socket_timeout=5)
            keys = list(client.scan_iter(match=f"{prefix}*"))
            if keys:
                client.delete(*keys)
            client.close()
    if not (args.redis or args.notes_only):
        time_themes()



def time_themes(sizes=(50, 300, 1000)):
    """Themes end to end (read notes, embed, cluster, label, save), as the job does it."""
    from intersector import analysis
    from intersector.workshops.activities.brainwriting.models import Note, Theme
    from intersector.workshops.activities.brainwriting.tasks import group_notes
    from intersector.workshops.models import AgendaItem, Participant

    item = AgendaItem.objects.filter(kind="brainwriting").last()
    author = Participant.objects.filter(workshop=item.workshop).first()
    words = ["slow", "approval", "profit", "speed", "trust", "community", "mission", "funding", "risk", "data",
             "permits", "capital", "volunteers", "reports", "elections", "competition", "grants", "law"]
    rng = random.Random(7)
    print(f"\nThemes ({analysis.model_info().name}), job work without the queue:")
    for size in sizes:
        Note.objects.filter(item=item).delete()
        Theme.objects.filter(item=item).delete()
        Note.objects.bulk_create([
            Note(item=item, participant=author, prompt=n % 4, about="government", round=1, key=f"t{size}-{n}",
                 text=" ".join(rng.sample(words, 5))) for n in range(size)])
        started = time.monotonic()
        group_notes(item)
        print(f"  {size:>5} notes: {time.monotonic() - started:.2f} s, {Theme.objects.filter(item=item).count()} themes")


PROFILES = {"Slow 3G (400 ms, 400 kbit/s)": (400, 400), "Fast 3G (150 ms, 1.6 Mbit/s)": (150, 1600)}


def load_on_slow_3g(server, code, cookie, latency=400, kbits=400):
    """First load of the phone page in Chromium with a DevTools network profile (round trip in ms,
    download kbit/s). Returns milliseconds until DOM ready (deferred scripts run), loaded, bytes
    transferred, first contentful paint, the moment the note box is usable, and the number of
    requests. The note box is usable once it is parsed (domInteractive: it takes typing and the
    form posts without JavaScript) and painted (first contentful paint); NaN when the page has no
    note box (the workshop is not in a writing round)."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        return None
    name, _, value = cookie.split(";")[0].partition("=")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
        context.add_cookies([{"name": name, "value": value, "url": server.url + f"/w/{code}/"}])
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": latency, "downloadThroughput": kbits * 1024 / 8,
            "uploadThroughput": kbits * 1024 / 8})
        page.goto(f"{server.url}/w/{code}/", wait_until="load")
        # Chromium may report the first paint just after "load": wait for it (at most 3 s).
        timing = page.evaluate("""async () => {
            const t = performance.getEntriesByType('navigation')[0];
            const paint = await new Promise(done => {
                new PerformanceObserver(list => {
                    const entry = list.getEntriesByName('first-contentful-paint')[0];
                    if (entry) done(entry.startTime);
                }).observe({type: 'paint', buffered: true});
                setTimeout(() => done(NaN), 3000);
            });
            const box = document.getElementById('note-text');
            const usable = box && !box.disabled ? Math.max(paint, t.domInteractive) : NaN;
            const requests = 1 + performance.getEntriesByType('resource')
                .filter(r => r.startTime < t.loadEventStart).length;
            return [t.domContentLoadedEventEnd, t.loadEventEnd, t.transferSize, paint, usable, requests];
        }""")
        browser.close()
    return timing


if __name__ == "__main__":
    main()
