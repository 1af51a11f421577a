"""Live updates under load: how long a published event takes to reach every screen.

    .venv/bin/python bench/bench_live.py --clients 200            # one uvicorn, memory backend
    .venv/bin/python bench/bench_live.py --clients 200 --redis    # two uvicorn processes + Redis

Starts uvicorn with the test probe settings on 127.0.0.1, opens the streams, then POSTs events
one at a time. Latency is from just before a POST is sent to the moment each screen has the
event. It prints figures (p50/p95/max latency, missing events, errors, server memory); it
asserts nothing about speed.

Beside it, the same run measures the floor: the same uvicorn serving a bare ASGI app that fans
each event out in memory (bench/bare_fanout.py: no Django, no replay, no ids), with the same
clients, and prints the project's p95 as a multiple of it (--no-floor skips it; --rounds N
alternates the two N times, for a machine whose load moves).
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
from sse_client import close_all, open_streams  # noqa: E402

from tests.live.servers import HOST, REDIS_BACKEND, Server, server_env, start_servers  # noqa: E402


class BareServer(Server):
    """uvicorn serving bench/bare_fanout.py: the floor, with the same server options as the project."""

    def launch(self):
        import subprocess

        self.log_path.parent.mkdir(exist_ok=True)
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "bare_fanout:app", "--app-dir", str(ROOT / "bench"),
             "--host", HOST, "--port", str(self.port), "--no-proxy-headers",
             "--no-access-log", "--log-level", "warning", "--timeout-graceful-shutdown", "1"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        return self


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200, help="screens to connect (max 5000)")
    parser.add_argument("--events", type=int, default=20, help="events to publish")
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between events")
    parser.add_argument("--redis", action="store_true", help="two uvicorn processes on Redis")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
        help="Redis for --redis (keys use a unique prefix and are deleted afterwards)",
    )
    parser.add_argument("--timeout", type=float, default=120, help="give up after this many s")
    parser.add_argument("--no-floor", action="store_true", help="skip the bare fan-out floor")
    parser.add_argument("--rounds", type=int, default=1, help="measure project and floor N times each")
    return parser.parse_args()


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(servers, args):
    topic = f"bench:{uuid.uuid4().hex[:8]}"
    urls = [f"{server.url}/probe/{topic}/stream" for server in servers]
    rss_idle = [server.rss_mib() for server in servers]

    started = time.monotonic()
    clients, failures = await open_streams(urls, args.clients, timeout=30)
    ready = await asyncio.gather(
        *(c.wait_for(lambda events: any(e.event == "ready" for e in events), 30) for c in clients)
    )
    connect_seconds = time.monotonic() - started
    rss_connected = [server.rss_mib() for server in servers]

    sent = {}
    post_errors = []
    async with httpx.AsyncClient(timeout=10) as poster:
        publish_url = f"{servers[0].url}/probe/{topic}/publish"
        for n in range(args.events):
            body = {"event": "note.added", "data": {"n": n}}
            sent[n] = time.monotonic()
            try:
                response = await poster.post(publish_url, json=body)
                if response.status_code != 200:
                    post_errors.append(f"HTTP {response.status_code}")
            except httpx.HTTPError as exc:
                post_errors.append(f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(args.interval)

    def complete(events):
        return sum(e.event == "note.added" for e in events) >= args.events

    await asyncio.gather(*(c.wait_for(complete, 10) for c in clients))
    rss_after = [server.rss_mib() for server in servers]

    latencies = {server.url: [] for server in servers}
    missing = out_of_order = 0
    for client in clients:
        numbers = []
        for event in client.events:
            if event.event == "note.added":
                n = json.loads(event.data)["n"]
                numbers.append(n)
                latencies[client.url.split("/probe/")[0]].append(event.at - sent[n])
        missing += args.events - len(set(numbers))
        out_of_order += numbers != sorted(numbers)
    stream_errors = [c.error for c in clients if c.error]
    await close_all(clients)
    return {
        "topic": topic,
        "connected": len(clients),
        "ready": sum(ready),
        "connect_seconds": connect_seconds,
        "connect_failures": failures,
        "post_errors": post_errors,
        "stream_errors": stream_errors,
        "missing": missing,
        "out_of_order": out_of_order,
        "latencies": latencies,
        "rss": list(zip(rss_idle, rss_connected, rss_after)),
    }


def report(result, servers, args, label=None):
    mode = label or ("2 uvicorn processes + Redis" if args.redis else "1 uvicorn process, memory backend")
    print(f"\nLive updates: {args.clients} screens, {args.events} events, {mode}")
    print(
        f"  streams open and ready: {result['ready']}/{args.clients} "
        f"in {result['connect_seconds']:.2f} s"
    )
    every = [value for values in result["latencies"].values() for value in values]
    rows = [("all screens", every)]
    if len(servers) > 1:
        names = ["screens on A (publishing server)", "screens on B (via Redis)"]
        rows += [(name, result["latencies"][s.url]) for name, s in zip(names, servers)]
    print("  delivery latency, POST sent -> event on screen (ms):")
    for name, values in rows:
        print(
            f"    {name:34s} n={len(values):6d}  p50 {1000 * percentile(values, .5):7.1f}"
            f"  p95 {1000 * percentile(values, .95):7.1f}  max {1000 * max(values or [0]):7.1f}"
            + (f"  mean {1000 * statistics.fmean(values):7.1f}" if values else "")
        )
    print(
        f"  errors: connect {len(result['connect_failures'])}, publish "
        f"{len(result['post_errors'])}, stream {len(result['stream_errors'])}; "
        f"events missing {result['missing']}, screens out of order {result['out_of_order']}"
    )
    problems = result["connect_failures"] + result["post_errors"] + result["stream_errors"]
    for problem in problems[:5]:
        print(f"    e.g. {problem}")
    for server, (idle, connected, after) in zip(servers, result["rss"]):
        print(
            f"  server {server.name} RSS: {idle:.0f} MiB idle, {connected:.0f} MiB with streams "
            f"open, {after:.0f} MiB after the events"
        )


def p95(result):
    return percentile([value for values in result["latencies"].values() for value in values], .95)


def main():
    args = parse_args()
    if args.redis:
        import redis

        prefix = f"bench-live:{uuid.uuid4().hex[:8]}:"
        env = server_env(
            REDIS_URL=args.redis_url, LIVE_BACKEND=REDIS_BACKEND, LIVE_REDIS_PREFIX=prefix
        )
        servers = [Server("bench-a", env), Server("bench-b", env)]
    else:
        servers = [Server("bench", server_env())]
    floor = [] if args.no_floor else [BareServer("bench-floor", server_env())]
    start_servers(*servers, *floor)
    try:
        for _round in range(max(1, args.rounds)):
            result = asyncio.run(asyncio.wait_for(measure(servers, args), args.timeout))
            report(result, servers, args)
            if floor:
                bare = asyncio.run(asyncio.wait_for(measure(floor, args), args.timeout))
                report(bare, floor, args, label="floor: bare ASGI app, in-memory fan-out (bare_fanout.py)")
                print(f"\n  project p95 {1000 * p95(result):.1f} ms vs floor p95 {1000 * p95(bare):.1f} ms: "
                      f"{p95(result) / p95(bare):.2f}x the floor ({args.clients} streams, same run)")
    finally:
        for server in servers + floor:
            server.stop()
        if args.redis:
            client = redis.Redis.from_url(args.redis_url, socket_timeout=5)
            keys = list(client.scan_iter(match=f"{prefix}*"))
            if keys:
                client.delete(*keys)
            client.close()


if __name__ == "__main__":
    main()
