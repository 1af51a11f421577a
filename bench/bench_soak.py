"""Soak: N phones write notes for M minutes while the server is killed (SIGKILL) every K minutes.

    .venv/bin/python bench/bench_soak.py --phones 300 --minutes 20 --kill-every 5     # the full soak
    .venv/bin/python bench/bench_soak.py --phones 50 --minutes 3 --kill-every 1       # a short run
    ... --database-url postgres://postgres@127.0.0.1:5432/bench_soak                  # PostgreSQL (emptied!)

Starts the site as `make run` does (intersector/serve.py's uvicorn and db_worker commands, the
site's own settings, DEBUG off, static files collected) on a free loopback port, on a fresh SQLite
file (var/bench-soak.sqlite3) or the PostgreSQL database given. A facilitator opens a
brainwriting round; the phones join through the join form, follow the workshop as live.js does
and each sends a note every ~10 s as phone.js does (bench/soak_phone.py). Every K minutes the
server process gets SIGKILL and is started again at once, as a supervisor with Restart=always
would; the worker runs beside it throughout.

At the end it compares the notes the phones were told were saved with the notes in the database,
looks for duplicates, and prints POST latency outside and around the kills beside a /healthz
floor, how fast phones came back after each kill, and each server process's memory over time.
Exit status 1 if a saved note is missing, a note is stored that no phone was told about, a note is
stored twice, a note was never acknowledged, the server answered 5xx, or the last server process
grew more than 10 % between its first minute and the end. Not part of `make bench` (it is long).
"""

import argparse
import asyncio
import hashlib
import os
import resource
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
from soak_phone import Phone, now  # noqa: E402

from intersector.serve import server_command, worker_command  # noqa: E402
from tests.live.servers import HOST, free_port  # noqa: E402

DATABASE = ROOT / "var" / "bench-soak.sqlite3"
LOG = ROOT / "var" / "bench-soak-server.log"
KEPT_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ")
AFTER_KILL = 30  # seconds after the server answers again that still count as "around a kill"
JOIN_LIMIT = 300  # CONVENE_JOIN_LIMIT's default: joins a minute from one address


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=300, help="participants (1-1000)")
    parser.add_argument("--minutes", type=float, default=20, help="how long the phones write (0.5-60)")
    parser.add_argument("--kill-every", type=float, default=5, help="minutes between kills; 0: never kill")
    parser.add_argument("--every", type=float, default=10, help="seconds between one phone's notes")
    parser.add_argument("--drain", type=float, default=90, help="seconds a phone keeps resending after the end")
    parser.add_argument("--database-url", default="", help="e.g. postgres://postgres@127.0.0.1:5432/bench_soak (emptied!)")
    parser.add_argument("--full-setup", action="store_true", help="run `manage.py setup` (starter content too)")
    args, _unknown = parser.parse_known_args()
    args.phones = max(1, min(args.phones, 1000))
    args.minutes = max(0.5, min(args.minutes, 60))
    args.kill_every = 0 if args.kill_every <= 0 else max(0.25, args.kill_every)
    args.every = max(1.0, min(args.every, 600))
    args.drain = max(10.0, min(args.drain, 600))
    return args


# --- The site, as production runs it --------------------------------------------------------------


def site_env(database_url, phones):
    env = {name: os.environ[name] for name in KEPT_VARIABLES if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="intersector.settings", INTERSECTOR_ENV_FILE=os.devnull,
        SECRET_KEY="soak-" + secrets.token_urlsafe(40), DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost", DEBUG="false", SECURE_COOKIES="false", LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    if phones > JOIN_LIMIT * 0.8:  # every phone joins from 127.0.0.1 within a minute
        env["CONVENE_JOIN_LIMIT"] = str(2 * phones)
    return env


def prepare_database(env, full_setup):
    """A fresh database and collected static files (DEBUG is off, as in production). A migrated
    SQLite file is kept (var/, keyed by the project's migrations) so that a run migrates only
    what changed since; static files are collected only when a source file is newer."""
    if full_setup:
        return run_manage(env, "setup")
    if env["DATABASE_URL"].startswith("sqlite"):
        DATABASE.parent.mkdir(exist_ok=True)  # a fresh clone has no var/ yet
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
        template = DATABASE.with_name(f"bench-soak-migrated-{migrations_fingerprint()}.sqlite3")
        if template.exists():
            shutil.copyfile(template, DATABASE)
        run_manage(env, "migrate", "--no-input")
        for old in DATABASE.parent.glob("bench-soak-migrated-*.sqlite3"):
            old.unlink()
        with sqlite3.connect(DATABASE) as source, sqlite3.connect(template) as copy:
            source.backup(copy)  # includes what is still in the write-ahead log
    else:
        run_manage(env, "flush", "--no-input")
        run_manage(env, "migrate", "--no-input")
    if static_is_stale(env):
        run_manage(env, "collectstatic", "--no-input")


def run_manage(env, *command):
    started = time.monotonic()
    subprocess.run([sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"  manage.py {command[0]}: {time.monotonic() - started:.0f} s")


def migrations_fingerprint():
    digest = hashlib.sha256()
    for path in sorted((ROOT / "intersector").rglob("migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def static_is_stale(env):
    """Whether any static source file is newer than the collected manifest."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    check = ("from django.contrib.staticfiles.finders import get_finders as g; import os; "
             "print(max(os.path.getmtime(s.path(p)) for f in g() for p, s in f.list([])))")
    newest = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {check}"], cwd=ROOT, env=env,
                            check=True, capture_output=True, text=True).stdout
    return float(newest) > manifest.stat().st_mtime


def open_a_round(minutes):
    """The facilitator's part (in this process): a workshop at its brainwriting, a round open
    for longer than the soak."""
    from django.contrib.auth import get_user_model

    from intersector.workshops import services
    from intersector.workshops.activities.brainwriting import services as brainwriting

    user = get_user_model().objects.create_user(f"soak-{uuid.uuid4().hex[:6]}")
    workshop = services.create_workshop(user, "Soak workshop")
    item = workshop.items.get(kind="brainwriting")
    services.go_to_item(workshop, item)
    brainwriting.open_round(item)
    services.start_timer(workshop, seconds=int(minutes * 60) + 1800)
    return workshop, item


class Life:
    """One server process: when it started, answered, died, and its memory over time."""

    def __init__(self, process):
        self.process, self.pid = process, process.pid
        self.started, self.ready, self.killed = now(), None, None
        self.died_by_itself = False
        self.rss = []  # (time, MiB)
        self.cpu = 0.0

    def sample(self):
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
            stat = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return
        rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        self.rss.append((now(), rss / 1024))
        self.cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


class Supervisor:
    """Keeps one server process running (restarted at once when it dies) and the worker beside it."""

    def __init__(self, env):
        self.env, self.port = env, free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.lives, self.worker = [], None
        LOG.parent.mkdir(exist_ok=True)
        LOG.write_bytes(b"")

    def _spawn(self, command):
        with open(LOG, "ab") as log:
            return subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def start(self):
        if self.worker is None:
            self.worker = self._spawn(worker_command())
        self.lives.append(Life(self._spawn(server_command(HOST, self.port))))
        return self.lives[-1]

    def kill(self):
        life = self.lives[-1]
        life.sample()
        life.process.send_signal(signal.SIGKILL)
        life.killed = now()
        life.process.wait(timeout=10)
        return self.start()

    def revive(self):
        """A server that died by itself (not killed here) is started again, and remembered."""
        life = self.lives[-1]
        if life.killed is None and life.process.poll() is not None:
            life.killed, life.died_by_itself = now(), True
            return self.start()
        return None

    def stop(self):
        for process in [life.process for life in self.lives] + [self.worker]:
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)


async def until_ready(http, supervisor, life, timeout=120):
    """Wait until this server life answers /healthz (what a load balancer would check)."""
    deadline = now() + timeout
    while now() < deadline and life.process.poll() is None:
        try:
            if (await http.get(f"{supervisor.url}/healthz", timeout=1)).status_code == 200:
                life.ready = now()
                return True
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.1)
    return False


# --- The soak --------------------------------------------------------------------------------------


async def soak(args, supervisor, code):
    limits = httpx.Limits(max_connections=2 * args.phones + 20, max_keepalive_connections=args.phones + 20)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        http.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # each phone sends its own
        if not await until_ready(http, supervisor, supervisor.lives[0]):
            raise SystemExit(f"The server did not start; see {LOG}")
        started = now()
        phones = [Phone(i, supervisor.url, code, http) for i in range(args.phones)]
        gate = asyncio.Semaphore(20)

        async def join(phone):
            async with gate:
                return await phone.join(started + 180)

        joined = [p for p, ok in zip(phones, await asyncio.gather(*(join(p) for p in phones))) if ok]
        print(f"  {len(joined)}/{len(phones)} phones joined through the form in {now() - started:.1f} s")
        followers = [asyncio.create_task(p.follow()) for p in joined]
        deadline = now() + 60
        while now() < deadline and not all(p.ready for p in joined):
            await asyncio.sleep(0.5)
        print(f"  {sum(1 for p in joined if p.ready)} streams open; writing for {args.minutes:g} min")

        start = now()
        stop, give_up = start + args.minutes * 60, start + args.minutes * 60 + args.drain
        step = args.kill_every * 60
        kill_times = [start + step * k for k in range(1, int(args.minutes * 60 / step) + 1)
                      if start + step * k < stop - 5] if step else []
        health = []

        async def killer():
            for at in kill_times:
                await asyncio.sleep(max(0.0, at - now()))
                life = supervisor.kill()
                print(f"  {clock(now() - start)} SIGKILL; server started again (pid {life.pid})", flush=True)
                await until_ready(http, supervisor, life)

        async def watch():
            """Each server process's memory every 5 s; /healthz every second (the floor)."""
            tick, waits = 0, []
            while True:
                if (life := supervisor.revive()) is not None:
                    print(f"  {clock(now() - start)} the server died by itself; started again (pid {life.pid})")
                    waits.append(asyncio.create_task(until_ready(http, supervisor, life)))
                if tick % 5 == 0:
                    supervisor.lives[-1].sample()
                t0 = now()
                try:
                    answer = (await http.get(f"{supervisor.url}/healthz", timeout=5)).status_code
                except httpx.HTTPError as exc:
                    answer = type(exc).__name__
                health.append((t0, now() - t0, answer))
                tick += 1
                await asyncio.sleep(max(0.0, 1 - (now() - t0)))

        background = [asyncio.create_task(killer()), asyncio.create_task(watch())]
        await asyncio.gather(*(p.write(start, stop, give_up, args.every) for p in joined))
        ended = now()
        supervisor.lives[-1].sample()
        for task in followers + background:
            task.cancel()
        await asyncio.gather(*followers, *background, return_exceptions=True)
    return {"phones": phones, "joined": joined, "start": start, "stop": stop, "ended": ended,
            "kills": kill_times, "health": health}


# --- Figures ---------------------------------------------------------------------------------------


def clock(seconds):
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def spread(values, unit=1000, digits=0):
    """p50 / p95 / max of seconds, in ms by default."""
    v = [x * unit for x in values]
    return (f"p50 {percentile(v, .5):.{digits}f}  p95 {percentile(v, .95):.{digits}f}  "
            f"max {max(v, default=float('nan')):.{digits}f}  (n={len(v)})")


def kill_windows(run, lives):
    """[(death, answering again, end of "around the kill")] for each server process that died."""
    windows = []
    for before, life in zip(lives, lives[1:]):
        ready = life.ready or run["ended"]
        windows.append((before.killed, ready, ready + AFTER_KILL))
    return windows


def around(start, seconds, windows):
    return any(start < end and start + seconds > kill for kill, _ready, end in windows)


def report_latency(run, windows):
    attempts = [a for p in run["joined"] for n in p.notes for a in n.attempts]
    answered = [a for a in attempts if not a.outcome.startswith("failed")]
    first_minute = min([run["start"] + 60] + [k for k, _r, _e in windows])
    floor = [a.seconds for a in answered if a.started < first_minute and not around(a.started, a.seconds, windows)]
    outside = [a.seconds for a in answered if not around(a.started, a.seconds, windows)]
    near = [a.seconds for a in answered if around(a.started, a.seconds, windows)]
    healthz = [s for t, s, answer in run["health"] if answer == 200 and not around(t, s, windows)]
    print("\n  POST of a note, answer time (ms), each POST that got an answer:")
    print(f"    first minute, before any kill: {spread(floor)}")
    print(f"    outside kills:                 {spread(outside)}")
    print(f"    around kills (kill -> {AFTER_KILL} s after answering again): {spread(near)}")
    print(f"    floor: GET /healthz outside kills (same client, same moments): {spread(healthz)}")
    if healthz and outside:
        print(f"    ratio POST / healthz at p50: {percentile(outside, .5) / percentile(healthz, .5):.1f}x")
    notes = [n for p in run["joined"] for n in p.notes if n.acknowledged]
    kept = [n.acknowledged - n.first_sent for n in notes if not around(n.first_sent, n.acknowledged - n.first_sent, windows)]
    hit = [n.acknowledged - n.first_sent for n in notes if around(n.first_sent, n.acknowledged - n.first_sent, windows)]
    print("  note written -> acknowledged, resends included (ms):")
    print(f"    outside kills: {spread(kept)}")
    print(f"    around kills:  {spread(hit)}")
    failures = Counter(a.outcome for a in attempts if a.outcome.startswith("failed"))
    print(f"  POSTs that got no answer (then sent again): {sum(failures.values())} "
          f"({', '.join(f'{k[7:]} {v}' for k, v in failures.most_common()) or 'none'})")


def report_kills(run, windows, lives):
    ends = [k for k, _r, _e in windows[1:]] + [run["ended"]]
    for n, ((kill, ready, _end), until, life) in enumerate(zip(windows, ends, lives), 1):
        how = "died by itself" if life.died_by_itself else "SIGKILL"
        back = [min(r for r in p.ready if r > kill) - kill for p in run["joined"] if any(kill < r < until for r in p.ready)]
        polling = sum(1 for p in run["joined"] if any(kill <= t < until for t in p.went_polling))
        streaming = sum(1 for p in run["joined"] if any(kill <= t < until for t in p.back_on_stream))
        reloads = []
        for p in run["joined"]:
            done = [s + d for s, d, status in p.reloads if s > kill and status == 200 and s < until]
            if done:
                reloads.append(min(done) - kill)
        print(f"  {n}. {how} at {clock(kill - run['start'])}: /healthz answered again after {ready - kill:.1f} s; "
              f"phones following again {len(back)}/{len(run['joined'])} after (s) {spread(back, 1, 1)}; "
              f"screen reloaded after (s) {spread(reloads, 1, 1)}; went over to polling: {polling}, "
              f"back on a stream before the next kill (or the end): {streaming}")
    streaming = sum(1 for p in run["joined"] if p.mode == "stream")
    print(f"  at the end: {streaming} phones on their stream, {len(run['joined']) - streaming} polling "
          f"(live.js polls after 3 failed reconnects and tries the stream again every 12 polls)")


def report_memory(run, lives):
    print("\n  Server processes (RSS MiB each minute from answering; CPU seconds):")
    for n, life in enumerate(lives, 1):
        base = life.ready or life.started
        marks, minute = [], 0
        for t, rss in life.rss:
            if t - base >= minute * 60:
                marks.append(f"{minute}m {rss:.0f}")
                minute = int((t - base) // 60) + 1
        end = "killed" if life.killed else "end"
        last = f"{end} {life.rss[-1][1]:.0f}" if life.rss else ""
        print(f"    {n}. pid {life.pid}, {clock(base - run['start']) if base > run['start'] else 'before'} -> "
              f"{clock((life.killed or run['ended']) - run['start'])}: {', '.join(marks)}; {last}; "
              f"max {max((r for _t, r in life.rss), default=float('nan')):.0f}; CPU {life.cpu:.0f} s")
    last = lives[-1]
    base = last.ready or last.started
    lived = (last.rss[-1][0] - base) if last.rss else 0
    mark = min(60, lived / 2)
    after = next((rss for t, rss in last.rss if t - base >= mark), float("nan"))
    end = last.rss[-1][1] if last.rss else float("nan")
    growth = (end / after - 1) * 100
    print(f"  last server process: {after:.0f} MiB after {mark:.0f} s, {end:.0f} MiB at the end "
          f"({lived:.0f} s): {growth:+.1f} %")
    return growth


def stored_notes(item):
    from intersector.workshops.activities.brainwriting.models import Note

    return list(Note.objects.filter(item=item).values_list("participant_id", "key", "text"))


def verdict(run, rows, growth):
    notes = [n for p in run["joined"] for n in p.notes]
    acknowledged = {(p.participant, n.key): n.text for p in run["joined"] for n in p.notes if n.acknowledged}
    stored = Counter((participant, key) for participant, key, _text in rows)
    texts = Counter((participant, text) for participant, _key, text in rows)
    stored_text = {(participant, key): text for participant, key, text in rows}
    lost = [k for k in acknowledged if k not in stored]
    unannounced = [k for k in stored if k not in acknowledged]
    changed = [k for k, text in acknowledged.items() if k in stored_text and stored_text[k] != text]
    twice_key = sum(c - 1 for c in stored.values() if c > 1)
    twice_text = sum(c - 1 for c in texts.values() if c > 1)
    answers = Counter(n.answer for n in notes)
    fives = sum(1 for p in run["joined"] for problem in p.problems if "HTTP 5" in problem)
    print("\n  Notes:")
    print(f"    written {len(notes)}; acknowledged {len(acknowledged)} ({answers['already']} of them answered "
          f"\"Already saved.\" to a resend); stored {len(rows)}")
    print(f"    lost (acknowledged, not stored): {len(lost)}; stored but never acknowledged: {len(unannounced)}; "
          f"text differs: {len(changed)}")
    print(f"    duplicates: same key {twice_key}, same participant and text {twice_text}")
    refused = {a: c for a, c in answers.items() if a.startswith("refused")}
    print(f"    never acknowledged (gave up after the drain): {answers['gave up']}; refused: {refused or 0}; "
          f"5xx answers: {fives}")
    problems = Counter(problem for p in run["phones"] for problem in p.problems)
    for problem, count in problems.most_common(5):
        print(f"      {count} x {problem}")
    failures = []
    if len(acknowledged) != len(rows) or lost or unannounced:
        failures.append(f"acknowledged {len(acknowledged)} != stored {len(rows)}")
    if twice_key or twice_text:
        failures.append("duplicates")
    if answers["gave up"] or fives or changed:
        failures.append("notes never acknowledged, 5xx answers or changed texts")
    if not growth <= 10:
        failures.append(f"memory grew {growth:+.1f} %")
    return failures


def main():
    args = parse_args()
    database_url = args.database_url or f"sqlite:///{DATABASE}"
    kills = f"SIGKILL every {args.kill_every:g} min" if args.kill_every else "no kill"
    where = "PostgreSQL" if database_url.startswith("postgres") else f"SQLite ({DATABASE.relative_to(ROOT)})"
    print(f"Soak: {args.phones} phones, a note each every ~{args.every:g} s for {args.minutes:g} min, {kills}, {where}")
    env = site_env(database_url, args.phones)
    if "CONVENE_JOIN_LIMIT" in env:
        print(f"  CONVENE_JOIN_LIMIT={env['CONVENE_JOIN_LIMIT']}: every phone joins from 127.0.0.1 within a minute")
    prepare_database(env, args.full_setup)
    os.environ.update(env)
    import django

    django.setup()
    workshop, item = open_a_round(args.minutes + args.drain / 60)
    supervisor = Supervisor(env)
    print(f"  server: {' '.join(server_command(HOST, supervisor.port)[1:])}; worker: {' '.join(worker_command()[1:])}")
    supervisor.start()
    try:
        budget = 300 + args.minutes * 60 + args.drain + 120
        run = asyncio.run(asyncio.wait_for(soak(args, supervisor, workshop.code), budget))
    finally:
        supervisor.stop()
    windows = kill_windows(run, supervisor.lives)
    report_latency(run, windows)
    print()
    report_kills(run, windows, supervisor.lives)
    growth = report_memory(run, supervisor.lives)
    failures = verdict(run, stored_notes(item), growth)
    if any(life.died_by_itself for life in supervisor.lives):
        failures.append("the server died by itself")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"\n  this client's CPU: {usage.ru_utime + usage.ru_stime:.0f} s over {clock(run['ended'] - run['start'])}; "
          f"server log: {LOG.relative_to(ROOT)} ({log_errors()} error lines)")
    print(f"\nRESULT: {'FAIL: ' + '; '.join(failures) if failures else 'PASS'}")
    sys.exit(1 if failures else 0)


def log_errors():
    text = LOG.read_text(errors="replace") if LOG.exists() else ""
    return sum(1 for line in text.splitlines() if "Traceback" in line or " ERROR" in line or line.startswith("ERROR"))


if __name__ == "__main__":
    main()
