"""The case simulation under load: seating a room, then every table editing its shared sheet.

    .venv/bin/python bench/bench_casesim.py                      # 300 people, 40 tables, 60 s, one uvicorn
    .venv/bin/python bench/bench_casesim.py --redis              # two uvicorn processes + Redis
    .venv/bin/python bench/bench_casesim.py --database-url postgres://postgres@127.0.0.1:5432/bench_casesim

1. Seating: the time to start the simulation item of a starter workshop for N joined people at
   T tables (services.go_to_item -> state.start: the pack snapshot, casepacks seating, the RoleSeat
   rows, the TableRuns), beside its floor: the pure casepacks.assign_roles call and the bare bulk
   insert of the same N seat rows.
2. One phone alone on the idle server: a save, a fetch of the element and a bare ping, one at a
   time, with the SQL statements each runs, and the server time the whole room would need.
3. The project's bare live delivery (bench_live.py's measurement, N streams, on the same server).
4. Live sheets: N phones join through the real join URL on uvicorn, are seated at T tables, their
   tables are put in the negotiate phase with families chosen (set directly in the database: that
   is set-up), every phone opens its live stream (its table's topic + the phones' topic) and each
   person saves an element of the table's sheet every ~`interval` s through the phone's save URL.
   For each save: from just before the POST to the moment each OTHER phone at that table has the
   sim.sheet event, and to the moment it shows the change. casesim/phone.js shows a change from
   its event, which carries what the table's phones show (table.shown: text, status, who, when),
   with no request (`--fetch event`, the default: shown = the event's arrival; the DOM update
   itself is not timed); it fetches the element only when the event cannot say it all (two
   versions waiting, a very long text), and then only an element on or near the screen: the
   bench's phone looks at the element it last edited and fetches that one. Before, phones fetched
   the element after every event: `--fetch visible` (the element looked at, ignoring what the
   event says) and `--fetch all` (every element of the table on every change) measure those ways;
   --no-fetch leaves the fetches out.
   Also: events that reached a phone at another table (leaks, must be 0), missing events, errors,
   server memory and CPU.

Prepares its own SQLite database (var/bench-casesim.sqlite3: migrated afresh, or copied from a fresh
migration of the same migration files) or uses --database-url (PostgreSQL, emptied first).
Loopback only, bounded. Prints figures; asserts nothing about speed.
"""

import argparse
import asyncio
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_live  # noqa: E402
import httpx  # noqa: E402
from sse_client import LOOPBACK, SSEClient, close_all  # noqa: E402

from tests.live.servers import REDIS_BACKEND, Server, server_env, start_servers  # noqa: E402

DATABASE = ROOT / "var" / "bench-casesim.sqlite3"
CSRF = "c" * 32  # any well-formed token works when the cookie and the header agree
SECTORS = ["government", "business", "non-profit", "other"]
FAMILIES = ["who", "why", "what", "when", "how", "what-if"]
STATUSES = ["draft", "draft", "draft", "agreed", "disputed", "parked"]
WORDS = ["the city", "pays", "stipends", "in advance", "shared data", "every quarter", "the board", "decides",
         "by consensus", "air quality", "monitors", "transit", "freight routes", "review", "in two years"]
# The phone's URLs for one element of its table's sheet (views_phone.py, namespace workshops:casesim).
# (Their names changed once while they were written: the first name that exists is used.)
PHONE_URLS = {"save": ("sheet-save", "save"), "resolve": ("sheet-resolve", "resolve"),
              "entry": ("sheet-element", "entry")}
VERSION = re.compile(r'data-version="(\d+)"')
KEEP_ALIVE = 4  # seconds a phone reuses an idle connection (uvicorn closes one after 5 s)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=300, help="participants (phones), max 1000")
    parser.add_argument("--tables", type=int, default=40, help="tables")
    parser.add_argument("--seconds", type=float, default=60, help="how long everyone keeps editing")
    parser.add_argument("--interval", type=float, default=10, help="seconds between one person's saves")
    parser.add_argument("--repeat", type=int, default=3, help="seatings timed (fresh workshops)")
    parser.add_argument("--no-fetch", action="store_true", help="phones do not fetch the element after its event")
    parser.add_argument("--fetch", choices=["event", "visible", "all"], default="event",
                        help="event: a phone shows the change from its event, and fetches (the element it "
                             "looks at) only when the event carries no text (as phone.js); visible: it fetches "
                             "the element it looks at after every event; all: every element of its table")
    parser.add_argument("--no-live", action="store_true", help="skip bench_live's bare figure")
    parser.add_argument("--redis", action="store_true", help="two uvicorn processes on Redis")
    parser.add_argument("--redis-url", default=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    parser.add_argument("--database-url", default="", help="e.g. postgres://postgres@127.0.0.1:5432/bench (emptied!)")
    args, _unknown = parser.parse_known_args()  # bench/run.py passes the same arguments to every bench
    args.people = max(2, min(args.people, 1000))
    args.tables = max(1, min(args.tables, args.people // 2))
    args.seconds = max(1.0, min(args.seconds, 1800.0))
    args.interval = max(0.5, args.interval)
    return args


percentile = bench_live.percentile


def ms(values):
    """'p50 … p95 … max …' of seconds, in milliseconds."""
    if not values:
        return "n=0"
    return (f"p50 {1000 * percentile(values, .5):6.1f}  p95 {1000 * percentile(values, .95):6.1f}  "
            f"max {1000 * max(values):6.1f}  (n={len(values)})")


def cpu_seconds(servers):
    """CPU time the server processes have used (user + system), from /proc."""
    total = 0.0
    for server in servers:
        fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


# --- The database ------------------------------------------------------------------------------


def prepare_database(env):
    """A fresh, migrated database with the starter scorecard; then Django in this process."""
    url = env["DATABASE_URL"]
    started = time.monotonic()
    if url.startswith("sqlite"):
        DATABASE.parent.mkdir(exist_ok=True)  # a fresh clone has no var/ yet
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
        template = DATABASE.with_name(f"bench-casesim-migrated-{migrations_digest()}.sqlite3")
        if template.exists():  # migrating takes a minute on a busy machine: copy the last fresh one
            shutil.copyfile(template, DATABASE)
            how = "copied from a fresh migration of the same migrations"
        else:
            migrate(env)
            for old in DATABASE.parent.glob("bench-casesim-migrated-*.sqlite3"):
                old.unlink()
            shutil.copyfile(DATABASE, template)
            how = "migrated afresh"
    else:
        create_postgres_database(url)
        subprocess.run([sys.executable, "manage.py", "flush", "--no-input"], cwd=ROOT, env=env, check=False,
                       capture_output=True)
        migrate(env)
        how = "emptied and migrated"
    print(f"  database {how} in {time.monotonic() - started:.1f} s ({url.split('://')[0]})")
    os.environ.update(env)
    import django

    django.setup()
    from importlib import import_module

    from intersector.content import loaders

    # The starter content a site loads once (`manage.py setup`) that a simulation reads: the
    # scorecard and the case packs (each app registers its loader in its `content` module).
    for app in ("agreements", "casepacks"):
        import_module(f"intersector.{app}.content")
    for loader in loaders():
        if loader.name in ("agreements", "casepacks"):
            loader.load(ROOT / "content")


def migrate(env):
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)


def migrations_digest():
    """A digest of every migration file: a copied database is as fresh as a migrated one."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{version('django')} {version('wagtail')}".encode())
    for path in sorted((ROOT / "intersector").rglob("migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def create_postgres_database(url):
    """CREATE DATABASE when the named one does not exist yet (the server's own 'postgres' db)."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def new_workshop(title):
    from django.contrib.auth import get_user_model

    from intersector.workshops import services

    user = get_user_model().objects.create_user(f"bench-{uuid.uuid4().hex[:8]}")
    return services.create_workshop(user, title)


# --- 1. Seating ----------------------------------------------------------------------------------


def time_seating(args):
    """go_to_item on the simulation item of fresh starter workshops, beside the floor."""
    from django.db import transaction

    from intersector import casepacks
    from intersector.workshops import services
    from intersector.workshops.activities.casesim import state
    from intersector.workshops.activities.casesim.models import RoleSeat

    starts, packs, inserts, assigns = [], [], [], []
    for n in range(args.repeat):
        workshop = new_workshop(f"Seating bench {n}")
        people = [services.join(workshop, f"Person {i}", SECTORS[i % 4]) for i in range(args.people)]
        services.set_table_count(workshop, args.tables)
        item = workshop.items.get(kind="casesim")
        started = time.perf_counter()
        services.go_to_item(workshop, item)
        starts.append(time.perf_counter() - started)
        simulation = state.simulation_of(item)
        # What it does besides writing: reading the pack (the snapshot; cached once read)...
        started = time.perf_counter()
        state.pack_languages(state.chosen_pack(item))
        packs.append(time.perf_counter() - started)
        # ... and the floor: the pure seating call and the bare insert of the same seat rows.
        tables = list(workshop.tables.values_list("pk", flat=True))
        started = time.perf_counter()
        casepacks.assign_roles([(p.pk, p.sector) for p in people], tables, state.roles_of(simulation))
        assigns.append(time.perf_counter() - started)
        seats = list(RoleSeat.objects.filter(simulation=simulation))
        RoleSeat.objects.filter(simulation=simulation).delete()
        for seat in seats:
            seat.pk = None
        started = time.perf_counter()
        with transaction.atomic():
            RoleSeat.objects.bulk_create(seats)
        inserts.append(time.perf_counter() - started)
    return {"start": starts, "packs": packs, "insert": inserts, "assign": assigns}


def report_seating(result, args):
    def row(label, values):
        print(f"    {label:58s} median {1000 * statistics.median(values):7.1f} ms  "
              f"(min {1000 * min(values):.1f}, max {1000 * max(values):.1f})")

    print(f"\nSeating {args.people} people at {args.tables} tables ({args.repeat} fresh starter workshops):")
    row("go_to_item -> state.start (snapshot, seating, seats, runs)", result["start"])
    row("  of which at most: reading the pack (state.pack_languages)", result["packs"])
    row("floor: casepacks.assign_roles alone", result["assign"])
    row(f"floor: bulk insert of the {args.people} seat rows", result["insert"])
    ratio = statistics.median(result["start"]) / max(1e-9, statistics.median(result["insert"]))
    print(f"    start / bare insert: {ratio:.1f}x")


# --- 3. The live workshop ------------------------------------------------------------------------


async def join_by_phone(server, code, count):
    """`count` phones join through the real join form; returns their pass cookies (name=value)."""
    cookies = [None] * count
    errors = []
    gate = asyncio.Semaphore(20)
    async with httpx.AsyncClient(timeout=30, base_url=server.url) as http:
        async def join(index):
            async with gate:
                try:
                    response = await http.post(
                        f"/w/{code}/", data={"display_name": f"Phone {index}", "sector": SECTORS[index % 4]},
                        headers={"Cookie": f"csrftoken={CSRF}", "X-CSRFToken": CSRF})
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                    return
                name = f"convene-{code}"
                if response.status_code != 302 or name not in response.cookies:
                    errors.append(f"HTTP {response.status_code}: {response.text[:120]}")
                    return
                cookies[index] = f"{name}={response.cookies[name]}"

        await asyncio.gather(*(join(i) for i in range(count)))
    return [c for c in cookies if c], errors


def seat_the_room(workshop, cookies, args):
    """Seat the people who joined (timed), then set every table in the negotiate phase with its
    families chosen: set-up, written straight to the database. Returns one dict per phone."""
    from datetime import timedelta

    from django.utils import timezone

    from intersector.workshops import services
    from intersector.workshops.activities.casesim import state
    from intersector.workshops.activities.casesim.models import RoleSeat, TableRun

    services.set_table_count(workshop, args.tables)
    item = workshop.items.get(kind="casesim")
    started = time.perf_counter()
    services.go_to_item(workshop, item)
    seating_s = time.perf_counter() - started
    simulation = state.simulation_of(item)
    now = timezone.now()
    runs = list(TableRun.objects.filter(simulation=simulation).order_by("table__number"))
    for index, run in enumerate(runs):
        chosen = [FAMILIES[(index + k) % len(FAMILIES)] for k in range(3 + index % 3)]  # 3 to 5 families
        TableRun.objects.filter(pk=run.pk).update(phase="negotiate", phase_started_at=now, families=chosen,
                                                  phase_ends_at=now + timedelta(minutes=60), last_activity=now)
        run.families = chosen
    seats = {s.participant_id: s for s in RoleSeat.objects.filter(simulation=simulation)}
    elements = elements_by_family()
    families_of = {run.table_id: run.families for run in runs}
    phones = []
    for cookie in cookies:
        participant = services.participant_from_token(workshop, cookie.partition("=")[2])
        seat = seats.get(participant.pk)
        table = seat.table_id if seat else None
        phones.append({"cookie": f"{cookie}; csrftoken={CSRF}", "participant": participant.pk, "table": table,
                       "mode": seat.mode if seat else "", "elements": [
                           e for f in families_of.get(table, []) for e in elements[f]]})
    return phones, seating_s


def elements_by_family():
    from intersector.agreements.scorecard import Scorecard
    from intersector.agreements.services import current_scorecard

    card = Scorecard(current_scorecard().definition)
    return {family.key: [e.key for e in family.elements] for family in card.families}


def phone_urls(workshop):
    """{"save", "resolve", "entry"}: the phone's URLs for one element ({element} in them)."""
    from django.urls import NoReverseMatch, reverse

    urls = {}
    for name, url_names in PHONE_URLS.items():
        for url_name in url_names:
            try:
                url = reverse(f"workshops:casesim:{url_name}", args=[workshop.code, "ELEMENT"])
            except NoReverseMatch:
                continue
            urls[name] = url.replace("ELEMENT", "{element}")
            break
    missing = set(PHONE_URLS) - set(urls)
    if missing:
        raise SystemExit(f"The phone's sheet URLs are missing ({', '.join(sorted(missing))}): see views_phone.py.")
    return urls


class PhoneHTTP:
    """A phone's own small HTTP/1.1 client (loopback only, keep-alive, at most a few connections
    at once, as a browser has). httpx would cost this process more CPU per request than the
    server spends on it, and the phones' clock would run late."""

    def __init__(self, base_url, cookie):
        parts = urlsplit(base_url)
        if parts.hostname not in LOOPBACK:
            raise ValueError("The benchmark's phones only talk to this machine.")
        self.host, self.port = parts.hostname, parts.port
        self.cookie = cookie
        self.idle = []
        self.gate = asyncio.Semaphore(4)

    async def request(self, method, path, form=None, timeout=30):
        """(status, body text). Raises OSError, TimeoutError or ConnectionError."""
        body = urlencode(form).encode() if form is not None else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Cookie: {self.cookie}",
                "X-Convene: fetch"]
        if method == "POST":
            head += [f"X-CSRFToken: {CSRF}", "Content-Type: application/x-www-form-urlencoded",
                     f"Content-Length: {len(body)}"]
        message = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        async with self.gate, asyncio.timeout(timeout):
            kept = self.kept_connection()
            for connection in ([kept] if kept else []) + [None]:
                reader, writer = connection or await asyncio.open_connection(self.host, self.port)
                try:
                    writer.write(message)
                    status_line = await reader.readline()
                    if not status_line:
                        raise ConnectionError("the server closed the connection")
                    return await self._answer(reader, writer, status_line)
                except (OSError, ConnectionError, asyncio.IncompleteReadError):
                    writer.close()
                    if connection is None:
                        raise
                    # A kept connection the server closed meanwhile: once more on a new one.
        raise ConnectionError("no answer")

    def kept_connection(self):
        """An idle connection the server has not timed out yet (uvicorn keeps one 5 s), or None."""
        while self.idle:
            reader, writer, since = self.idle.pop()
            if time.monotonic() - since < KEEP_ALIVE:
                return reader, writer
            writer.close()
        return None

    async def _answer(self, reader, writer, status_line):
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding":
                chunked = "chunked" in value
            elif name == "connection":
                close = value == "close"
        if chunked:
            parts = []
            while size := int((await reader.readline()).split(b";")[0] or b"0", 16):
                parts.append((await reader.readexactly(size + 2))[:-2])
            await reader.readline()
            body = b"".join(parts)
        elif length is not None:
            body = await reader.readexactly(length)
        else:
            body, close = await reader.read(), True
        if close:
            writer.close()
        else:
            self.idle.append((reader, writer, time.monotonic()))
        return status, body.decode("utf-8", "replace")

    def close(self):
        for _reader, writer, _since in self.idle:
            writer.close()
        self.idle = []


class Phone(SSEClient):
    """One participant's stream and requests, with what the phone knows of its table's sheet."""

    def __init__(self, server_url, code, info):
        super().__init__(f"{server_url}/w/{code}/live", headers={"Cookie": info["cookie"]})
        self.http = PhoneHTTP(server_url, info["cookie"])
        self.info = info
        self.table = info["table"]
        self.versions = {}    # element -> newest version this phone has seen
        self.fetched = []     # (element, version in the answer, answered at, HTTP status)
        self.loading = {}     # element -> True while its fetch runs; "again" when an event came meanwhile
        self.looking = None   # the element on this phone's screen (the one it last edited)
        self.wanted = set()   # (element, version) this phone set out to fetch (it was on its screen)
        self.fetch_all = False
        self.from_event = False  # shows a change from its event when the event carries it (phone.js)
        self.shown = {}       # (element, version) -> when the phone showed it from its event


async def open_phone_streams(servers, code, phones):
    clients = [Phone(servers[i % len(servers)].url, code, info) for i, info in enumerate(phones)]
    gate = asyncio.Semaphore(50)

    async def connect(client):
        async with gate:
            try:
                await client.connect(30)
            except (OSError, ConnectionError, TimeoutError) as exc:
                client.error = f"{type(exc).__name__}: {exc}"

    await asyncio.gather(*(connect(c) for c in clients))
    connected = [c for c in clients if c.connected_at is not None]
    await asyncio.gather(*(c.wait_for(lambda ev: any(e.event == "ready" for e in ev), 30) for c in connected))
    return connected, [c.error for c in clients if c.connected_at is None]


def sheet_events(client, start=0):
    for event in client.events[start:]:
        if event.event == "sim.sheet":
            data = json.loads(event.data)
            yield event, data


def answered_version(text):
    found = VERSION.findall(text)
    return int(found[0]) if found else None


async def watch(client, fragment_url, stop):
    """As casesim/phone.js: a sim.sheet event of the table that carries what the phones show is shown
    at once (--fetch event), unless that element is being fetched; otherwise the phone fetches the
    element it looks at (never after its own save); one fetch per element at a time, and once more
    if an event came meanwhile."""
    seen = 0
    tasks = set()
    while not stop.is_set():
        await client.wait_for(lambda events: len(events) > seen, 0.5)
        new_from, seen = seen, len(client.events)
        for event, data in sheet_events(client, new_from):
            element = data.get("element")
            client.versions[element] = max(int(data.get("version", 0)), client.versions.get(element, 0))
            if data.get("table") != client.table or element not in client.info["elements"]:
                continue
            if client.from_event and "shown" in data and not client.loading.get(element):
                client.shown.setdefault((element, int(data.get("version", 0))), event.at)
                continue
            if not fragment_url:
                continue
            if not client.fetch_all and (element != client.looking or data.get("by") == client.info["participant"]):
                continue  # out of view (phone.js fetches it when it scrolls in), or this phone's own save
            client.wanted.add((element, int(data.get("version", 0))))
            if client.loading.get(element):
                client.loading[element] = "again"
                continue
            task = asyncio.create_task(fetch(client, fragment_url, element))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
    for task in tasks:  # the run is over: what is still loading is left unmeasured
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def fetch(client, fragment_url, element):
    again = True
    while again:
        client.loading[element] = True
        try:
            status, text = await client.http.request("GET", fragment_url.format(element=element))
            version = answered_version(text)
        except (OSError, ConnectionError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
            status, version = type(exc).__name__, None
        client.fetched.append((element, version, time.monotonic(), status))
        again = client.loading.get(element) == "again"
    client.loading[element] = False


async def post(client, path, form):
    """A phone's fetch POST; returns (status, version named in the answer, error text or None)."""
    try:
        status, text = await client.http.request("POST", path, form)
    except (OSError, ConnectionError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
        return type(exc).__name__, None, f"{type(exc).__name__}: {exc}"
    version = answered_version(text)
    # 409 with the element in the answer: saved as a second version (a conflict), not refused.
    ok = status == 200 or (status == 409 and version is not None)
    return status, version, None if ok else f"HTTP {status}: {text[:160]}"


async def edit(client, urls, args, edits, errors, rng):
    """One person: save an element of the table's sheet every ~interval s (jittered), over the
    version the phone last saw. A save that comes back as a conflict (both texts kept) is
    settled at once by the same person keeping their own text, as someone at the table would."""
    await asyncio.sleep(rng.uniform(0, args.interval))
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        element = rng.choice(client.info["elements"])
        client.looking = element
        base = client.versions.get(element, 0)
        t0 = time.monotonic()
        status, version, error = await post(client, urls["save"].format(element=element), {
            "text": " ".join(rng.sample(WORDS, 6)), "status": rng.choice(STATUSES), "base_version": base})
        record(client, edits, errors, "save", element, t0, status, version, error)
        if status == 409 and version is not None:
            t0 = time.monotonic()
            status, version, error = await post(client, urls["resolve"].format(element=element), {"keep": "other"})
            record(client, edits, errors, "resolve", element, t0, status, version, error)
        await asyncio.sleep(max(0.0, args.interval * rng.uniform(0.8, 1.2) - (time.monotonic() - t0)))


def record(client, edits, errors, kind, element, t0, status, version, error):
    if error:
        errors.append(error)
    if version is not None:
        client.versions[element] = max(version, client.versions.get(element, 0))
    edits.append({"phone": client, "table": client.table, "element": element, "t0": t0,
                  "answered": time.monotonic(), "status": status, "version": None if error else version,
                  "kind": kind})


async def loop_lag(stop, lags):
    """How late this process's event loop wakes up: arrival times are taken on this loop."""
    while not stop.is_set():
        before = time.monotonic()
        await asyncio.sleep(0.05)
        lags.append(time.monotonic() - before - 0.05)


async def edit_sheets(servers, workshop, phones, args):
    urls = await asyncio.to_thread(phone_urls, workshop)
    fragment_url = None if args.no_fetch else urls["entry"]
    rss_idle = [s.rss_mib() for s in servers]
    started = time.monotonic()
    clients, failures = await open_phone_streams(servers, workshop.code, phones)
    connect_s = time.monotonic() - started
    rss_connected = [s.rss_mib() for s in servers]
    await asyncio.sleep(1)
    edits, errors, lags = [], [], []
    stop = asyncio.Event()
    rng = random.Random(10)
    for client in clients:
        client.fetch_all = args.fetch == "all"
        client.from_event = args.fetch == "event"
        client.looking = client.info["elements"][client.info["participant"] % len(client.info["elements"])]
    watchers = [asyncio.create_task(watch(c, fragment_url, stop)) for c in clients]
    lag_task = asyncio.create_task(loop_lag(stop, lags))
    cpu_before, process_before = cpu_seconds(servers), time.process_time()
    editors = [c for c in clients if c.table is not None and c.info["mode"] != "observer" and c.info["elements"]]
    people = [asyncio.create_task(edit(c, urls, args, edits, errors, rng)) for c in editors]
    # Everyone stops starting saves after `seconds`; a save still waiting then gets 45 s more.
    _done, late = await asyncio.wait(people, timeout=args.seconds + args.interval + 45)
    for task in late:
        task.cancel()
    await asyncio.gather(*people, return_exceptions=True)
    edit_cpu = cpu_seconds(servers) - cpu_before
    # Let the last events and fragments arrive (bounded).
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not all_arrived(clients, edits, fragment_url):
        await asyncio.sleep(1)
    stop.set()
    await asyncio.gather(*watchers, lag_task)
    bench_cpu = time.process_time() - process_before
    rss_after = [s.rss_mib() for s in servers]
    result = tally(clients, edits, fragment_url)
    result.update(connected=len(clients), failures=failures, connect_s=connect_s, errors=errors,
                  stream_errors=[c.error for c in clients if c.error], edit_cpu=edit_cpu, bench_cpu=bench_cpu,
                  lags=lags, rss=list(zip(rss_idle, rss_connected, rss_after)),
                  fragment_url=fragment_url, editors=len(editors),
                  fetches=sum(len(c.fetched) for c in clients), cut_off=len(late))
    for client in clients:
        client.http.close()
    await close_all(clients)
    return result


def all_arrived(clients, edits, fragment_url):
    result = tally(clients, edits, fragment_url)
    return result["missing"] == 0 and (not fragment_url or result["fragments_missing"] == 0)


def tally(clients, edits, fragment_url):
    """Match each change to its event on the other phones of its table (by table, element,
    version), and to the first fetch of that element, by that phone, that shows that version."""
    arrivals = defaultdict(dict)   # (table, element, version) -> {client id: first arrival}
    leaks = 0
    for client in clients:
        for event, data in sheet_events(client):
            if data.get("table") != client.table:
                leaks += 1
                continue
            arrivals[(client.table, data.get("element"), int(data.get("version", 0)))].setdefault(id(client), event.at)
    at_table = defaultdict(list)
    for client in clients:
        at_table[client.table].append(client)
    shown = defaultdict(lambda: defaultdict(list))  # client id -> element -> [(version, answered at)]
    for client in clients:
        for element, version, when, status in client.fetched:
            if status == 200 and version is not None:
                shown[id(client)][element].append((version, when))
    event_lat, fragment_lat, shown_lat = [], [], []
    missing = fragments_missing = unmatched = from_event = 0
    saved = [e for e in edits if e["version"] is not None]
    for edit in saved:
        key = (edit["table"], edit["element"], edit["version"])
        if key not in arrivals:
            unmatched += 1
        for other in at_table[edit["table"]]:
            if other is edit["phone"]:
                continue
            at = arrivals.get(key, {}).get(id(other))
            if at is None:
                missing += 1
                continue
            event_lat.append(at - edit["t0"])
            # Shown: from the event itself, or when a fetch of that element brought this version.
            if (edit["element"], edit["version"]) in other.shown:
                from_event += 1
                shown_lat.append(other.shown[(edit["element"], edit["version"])] - edit["t0"])
            elif fragment_url and (other.fetch_all or (edit["element"], edit["version"]) in other.wanted):
                done = [when for version, when in shown[id(other)][edit["element"]]
                        if version >= edit["version"] and when >= at]
                if done:
                    fragment_lat.append(min(done) - edit["t0"])
                    shown_lat.append(min(done) - edit["t0"])
                else:
                    fragments_missing += 1
    failed_fetches = sum(1 for c in clients for f in c.fetched if f[3] != 200)
    return {"changes": len(edits), "saved": len(saved), "event": event_lat, "fragment": fragment_lat,
            "shown": shown_lat, "from_event": from_event,
            "missing": missing, "fragments_missing": fragments_missing, "fragment_errors": failed_fetches,
            "unmatched": unmatched, "leaks": leaks, "post": [e["answered"] - e["t0"] for e in saved],
            "statuses": Counter(f"{e['kind']} {e['status']}" for e in edits)}


def report_live(result, servers, args, seating_s, joined, join_errors):
    mode = "two uvicorn processes + Redis" if args.redis else "one uvicorn process, memory backend"
    print(f"\nLive sheets: {args.people} people at {args.tables} tables, each saving an element every "
          f"~{args.interval:g} s for {args.seconds:g} s, {mode}")
    print(f"  joined through the join URL: {joined}/{args.people} (errors {len(join_errors)}); "
          f"seating them (go_to_item): {1000 * seating_s:.0f} ms")
    print(f"  streams open and ready: {result['connected']} in {result['connect_s']:.1f} s; refused "
          f"{len(result['failures'])}; people saving: {result['editors']}")
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result["statuses"].items()))
    print(f"  changes posted: {result['changes']} ({statuses}; save 409 = typed over an older version, both "
          f"texts kept, then settled by a resolve)")
    print(f"  POST answered (ms): {ms(result['post'])}")
    print(f"  save -> sim.sheet event on each other phone at the table (ms): {ms(result['event'])}")
    how = {"event": "from the event when it carries the text, else a fetch of the element looked at",
           "visible": "a fetch of the element after each event, by phones looking at it",
           "all": "a fetch of every element of the table on every change"}[args.fetch]
    print(f"  save -> the change SHOWN on each other phone at the table (ms):  {ms(result['shown'])}")
    print(f"    shown {how}: {result['from_event']} from the event, {len(result['fragment'])} after a fetch")
    if result["fragment_url"]:
        print(f"    save -> event + that phone's fetch of the element (ms): {ms(result['fragment'])}")
        print(f"    element fetches {result['fetches']}; failed {result['fragment_errors']}; changes a phone set out "
              f"to fetch but never had {result['fragments_missing']}")
    else:
        print("  (--no-fetch: the phones do not fetch the element after its event)")
    print(f"  events missing {result['missing']}; events at a phone of ANOTHER table (leaks) {result['leaks']}; "
          f"saves not matched to an event {result['unmatched']}")
    refused = [e for e in result["errors"] if re.match(r"HTTP 4\d\d", e)]
    failed = [e for e in result["errors"] if e not in refused]
    print(f"  refused with a message (4xx): {len(refused)}; failed (5xx, no answer): {len(failed)}; stream errors "
          f"{len(result['stream_errors'])}; people whose last save was still unanswered 45 s after the end "
          f"(cut off) {result['cut_off']}")
    for problem in sorted(set(refused), key=refused.index)[:2] + (failed + result["stream_errors"]
                                                                   + result["failures"] + join_errors)[:3]:
        print(f"    e.g. {re.sub(r'<[^>]+>', '', problem)[:150]}")
    seconds = args.seconds + args.interval
    print(f"  server CPU while saving: {result['edit_cpu']:.1f} s over ~{seconds:.0f} s "
          f"({100 * result['edit_cpu'] / seconds:.0f} % of one core); this bench's own CPU "
          f"{result['bench_cpu']:.1f} s; its event loop woke late by p95 {1000 * percentile(result['lags'], .95):.0f} ms "
          f"(max {1000 * max(result['lags'], default=0):.0f} ms): arrival times include that")
    requests = result["changes"] + result["fetches"]
    if requests:
        per_request = result["edit_cpu"] / requests
        print(f"  server CPU per request (saves + fetches, streams' share included): {1000 * per_request:.1f} ms, so "
              f"one process with a whole core serves ~{1 / per_request:.0f} requests/s; phones asked "
              f"~{requests / seconds:.0f}/s over the run ({args.people / args.interval:.0f} saves/s planned)")
    for server, (idle, connected, after) in zip(servers, result["rss"]):
        print(f"  {server.name} memory (MiB): idle {idle:.0f}, streams open {connected:.0f}, after saving {after:.0f}")


async def one_phone(server, phone, urls, count=30):
    """One phone alone on the idle server, one request at a time: what each request costs."""
    element = phone["elements"][0]
    client = SimpleNamespace(info=phone, http=PhoneHTTP(server.url, phone["cookie"]))
    times = {"save": [], "fetch": [], "ping": []}
    version = 0
    for n in range(count):
        t0 = time.monotonic()
        _status, answered, _error = await post(client, urls["save"].format(element=element), {
            "text": f"one phone alone {n}", "status": "draft", "base_version": version})
        times["save"].append(time.monotonic() - t0)
        version = answered if answered is not None else version
        t0 = time.monotonic()
        await client.http.request("GET", urls["entry"].format(element=element))
        times["fetch"].append(time.monotonic() - t0)
        t0 = time.monotonic()
        await client.http.request("GET", "/probe/ping")
        times["ping"].append(time.monotonic() - t0)
    client.http.close()
    return times


def queries_per_request(workshop, phone, urls):
    """SQL statements the save and the element fetch run (in this process, Django's test client)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    name, _, value = phone["cookie"].split(";")[0].partition("=")
    http = Client(HTTP_HOST="127.0.0.1", HTTP_X_CONVENE="fetch")
    http.cookies[name] = value
    element = phone["elements"][-1]
    counts = {}
    with CaptureQueriesContext(connection) as save:
        http.post(urls["save"].format(element=element), {"text": "counted", "status": "draft", "base_version": 0})
    with CaptureQueriesContext(connection) as fetch:
        http.get(urls["entry"].format(element=element))
    counts["save"], counts["fetch"] = len(save), len(fetch)
    return counts


def phone_pass_micro(workshop, phone, urls, calls=2000, fetches=300):
    """Per-call µs of a phone's pass (services.workshop_and_participant, every phone request) and of
    the element fetch through Django's test client: the written-out statement, then the ORM's
    select_related query it replaced put back in its place, in this process, one after the other."""
    from django.test import Client

    from intersector.workshops import passes, services
    from intersector.workshops.models import Participant

    def the_orm_way(participant_id, workshop_id, code):
        return (Participant.objects.select_related("workshop__current_item", "table")
                .filter(pk=participant_id, workshop_id=workshop_id, workshop__code=code).first())

    name, _, token = phone["cookie"].split(";")[0].partition("=")
    http = Client(HTTP_HOST="127.0.0.1", HTTP_X_CONVENE="fetch")
    http.cookies[name] = token
    fetch_url = urls["entry"].format(element=phone["elements"][-1])
    written = passes._participant_with_workshop
    figures = {}
    for way, lookup in [("written-out statement", written), ("ORM select_related (before)", the_orm_way),
                        ("written-out statement, again", written)]:
        passes._participant_with_workshop = lookup
        try:
            assert services.workshop_and_participant(workshop.code, token)[1].pk == phone["participant"]
            started = time.perf_counter()
            for _ in range(calls):
                services.workshop_and_participant(workshop.code, token)
            lookup_us = 1e6 * (time.perf_counter() - started) / calls
            assert http.get(fetch_url).status_code == 200
            started = time.perf_counter()
            for _ in range(fetches):
                http.get(fetch_url)
            figures[way] = (lookup_us, 1e6 * (time.perf_counter() - started) / fetches)
        finally:
            passes._participant_with_workshop = written
    print(f"\nA phone's pass in this process ({calls} workshop_and_participant calls, {fetches} element "
          f"fetches through the test client, per call):")
    for way, (lookup_us, fetch_us) in figures.items():
        print(f"  {way:30s} pass {lookup_us:6.0f} µs   element fetch {fetch_us:6.0f} µs")
    (fast, fast_fetch), (slow, slow_fetch) = figures["written-out statement"], figures["ORM select_related (before)"]
    print(f"  ORM / written-out: pass {slow / fast:.1f}x, element fetch {slow_fetch / fast_fetch:.2f}x")


def report_one_phone(times, counts, args):
    people_per_table = args.people / args.tables
    saves = args.people / args.interval
    save, fetch = statistics.median(times["save"]), statistics.median(times["fetch"])
    print(f"\nOne phone alone on the idle server, one request at a time (n={len(times['save'])} each, median):")
    print(f"  save {1000 * save:.1f} ms ({counts['save']} SQL statements), element fetch {1000 * fetch:.1f} ms "
          f"({counts['fetch']} SQL statements), bare /probe/ping {1000 * statistics.median(times['ping']):.1f} ms")
    # --fetch all: every other phone at the table fetches; visible: about one looks at that element;
    # event: none (only after a change the event cannot carry: two versions waiting).
    fetchers = {"all": people_per_table, "visible": 1, "event": 0}[args.fetch]
    need = saves * save + saves * fetchers * fetch
    who = {"all": "every phone at the table fetching", "visible": "about one phone looking at it fetching",
           "event": "no phone fetching: the event carries it"}[args.fetch]
    print(f"  {args.people} people saving every ~{args.interval:g} s = {saves:.0f} saves/s, and "
          f"({who} the element after each change) ~{saves * fetchers:.0f} fetches/s: "
          f"~{need:.2f} s of server time per second at these speeds ({need:.0%} of one process"
          + (", which serves Django's views one at a time)" if need < 1 else ": MORE than one process can serve)"))


def bare_live(servers, args):
    """bench_live.py's measurement on the same server(s): one event to N open streams."""
    live_args = SimpleNamespace(clients=args.people, events=20, interval=0.1, redis=args.redis)
    result = asyncio.run(asyncio.wait_for(bench_live.measure(servers, live_args), 120))
    bench_live.report(result, servers, live_args)
    return [value for values in result["latencies"].values() for value in values]


def main():
    args = parse_args()
    prefix = f"bench-casesim:{uuid.uuid4().hex[:8]}:"
    database_url = args.database_url or f"sqlite:///{DATABASE}"
    settings = {"DATABASE_URL": database_url, "CONVENE_JOIN_LIMIT": 10 * args.people, "LIVE_BUFFER_SIZE": 2000}
    if args.redis:
        settings.update(REDIS_URL=args.redis_url, LIVE_BACKEND=REDIS_BACKEND, LIVE_REDIS_PREFIX=prefix)
    env = server_env(**settings)
    print(f"Case simulation bench: {args.people} people, {args.tables} tables; phones --fetch {args.fetch}"
          f"{' (no fetches)' if args.no_fetch else ''}; machine load (1, 5, 15 min) "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    prepare_database(env)
    report_seating(time_seating(args), args)
    workshop = new_workshop("Case simulation bench")
    servers = [Server("bench-casesim-a", env), Server("bench-casesim-b", env)] if args.redis \
        else [Server("bench-casesim", env)]
    start_servers(*servers)
    try:
        cookies, join_errors = asyncio.run(join_by_phone(servers[0], workshop.code, args.people))
        phones, seating_s = seat_the_room(workshop, cookies, args)
        urls = phone_urls(workshop)
        editor = next(p for p in phones if p["mode"] != "observer" and p["elements"])
        report_one_phone(asyncio.run(one_phone(servers[0], editor, urls)),
                         queries_per_request(workshop, editor, urls), args)
        phone_pass_micro(workshop, editor, urls)
        bare = [] if args.no_live else bare_live(servers, args)
        result = asyncio.run(asyncio.wait_for(edit_sheets(servers, workshop, phones, args),
                                              args.seconds + args.interval + 240))
        report_live(result, servers, args, seating_s, len(cookies), join_errors)
        if bare and result["event"]:
            print("  beside the bare live delivery above (bench_live's measurement, same server, same run):")
            for label, values in (("save -> event", result["event"]), ("save -> shown", result["shown"])):
                if values:
                    print(f"    {label}: p50 {1000 * percentile(values, .5):6.1f} ms  p95 "
                          f"{1000 * percentile(values, .95):6.1f} ms   vs bare p50 {1000 * percentile(bare, .5):6.1f} "
                          f"p95 {1000 * percentile(bare, .95):6.1f} ms   ratio p50 "
                          f"{percentile(values, .5) / percentile(bare, .5):.1f}x, p95 "
                          f"{percentile(values, .95) / percentile(bare, .95):.1f}x")
        print(f"  machine load (1, 5, 15 min) at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
              f"on {os.cpu_count()} cores")
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


if __name__ == "__main__":
    main()
