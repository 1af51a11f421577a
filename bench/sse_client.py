"""A small asyncio Server-Sent Events client for benchmarks.

Opens many streams to one URL (loopback only), parses events as they arrive and records when
each arrived. Plain asyncio streams and HTTP/1.1 (chunked or not): light enough that a few
hundred connections cost the measuring process little.

    clients = await open_streams("http://127.0.0.1:8000/probe/t/stream", 200)
    ...
    await close_all(clients)
"""

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_STREAMS = 5000  # a benchmark, not a load generator for other people's servers


@dataclass
class Received:
    event: str
    id: str | None
    data: str
    at: float  # time.monotonic() when the blank line that ends the event arrived


class SSEParser:
    """Incremental text/event-stream parser: feed() bytes, get complete events back."""

    def __init__(self):
        self._buffer = b""
        self._fields = {}
        self.comments = 0
        self.retry = None

    def feed(self, chunk, now):
        self._buffer += chunk
        events = []
        while True:
            end = self._buffer.find(b"\n")
            if end < 0:
                return events
            line = self._buffer[:end].rstrip(b"\r").decode()
            self._buffer = self._buffer[end + 1:]
            if not line:
                if "data" in self._fields or "event" in self._fields:
                    events.append(
                        Received(
                            self._fields.get("event", "message"),
                            self._fields.get("id"),
                            self._fields.get("data", ""),
                            now,
                        )
                    )
                self._fields = {}
            elif line.startswith(":"):
                self.comments += 1
            else:
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "retry":
                    self.retry = int(value)
                else:
                    self._fields[name] = value


@dataclass
class SSEClient:
    url: str
    headers: dict = field(default_factory=dict)
    events: list = field(default_factory=list)
    error: str | None = None
    connected_at: float | None = None

    def __post_init__(self):
        parts = urlsplit(self.url)
        if parts.scheme != "http" or parts.hostname not in LOOPBACK:
            raise ValueError("The benchmark client only talks plain HTTP to this machine.")
        self.host, self.port = parts.hostname, parts.port or 80
        self.path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.parser = SSEParser()
        self._writer = None
        self._task = None
        self._arrived = asyncio.Event()

    async def connect(self, timeout=10):
        """Open the stream and read the response headers; then read events in the background."""
        async with asyncio.timeout(timeout):
            reader, self._writer = await asyncio.open_connection(self.host, self.port)
            lines = [
                f"GET {self.path} HTTP/1.1",
                f"Host: {self.host}:{self.port}",
                "Accept: text/event-stream",
                *(f"{name}: {value}" for name, value in self.headers.items()),
                "",
                "",
            ]
            self._writer.write("\r\n".join(lines).encode())
            status = await reader.readline()
            if b" 200 " not in status:
                raise ConnectionError(f"stream refused: {status.decode().strip()}")
            chunked = False
            while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = header.decode().partition(":")
                if name.lower() == "transfer-encoding" and "chunked" in value.lower():
                    chunked = True
        self.connected_at = time.monotonic()
        self._task = asyncio.create_task(self._read(reader, chunked))

    async def _read(self, reader, chunked):
        try:
            while True:
                if chunked:
                    size = int((await reader.readline()).split(b";")[0] or b"0", 16)
                    if size == 0:
                        return
                    chunk = (await reader.readexactly(size + 2))[:-2]
                else:
                    chunk = await reader.read(65536)
                    if not chunk:
                        return
                received = self.parser.feed(chunk, time.monotonic())
                if received:
                    self.events.extend(received)
                    self._arrived.set()
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            self.error = f"{type(exc).__name__}: {exc}"

    async def wait_for(self, predicate, timeout):
        """Wait until predicate(self.events) is true; False if `timeout` seconds pass first."""
        deadline = time.monotonic() + timeout
        while not predicate(self.events):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (self._task is not None and self._task.done()):
                return False
            self._arrived.clear()
            try:
                async with asyncio.timeout(remaining):
                    await self._arrived.wait()
            except TimeoutError:
                return False
        return True

    async def close(self):
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        if self._writer is not None:
            self._writer.close()
            try:
                async with asyncio.timeout(2):
                    await self._writer.wait_closed()
            except (OSError, TimeoutError):
                pass


async def open_streams(urls, count, *, timeout=30, parallel=50):
    """Open `count` streams spread over `urls` (round robin), at most `parallel` at a time.

    Returns (clients, failures): clients whose stream is open, and error texts for the rest.
    """
    if isinstance(urls, str):
        urls = [urls]
    if not 0 < count <= MAX_STREAMS:
        raise ValueError(f"count must be between 1 and {MAX_STREAMS}")
    clients = [SSEClient(urls[i % len(urls)]) for i in range(count)]
    gate = asyncio.Semaphore(parallel)

    async def connect(client):
        async with gate:
            try:
                await client.connect(timeout)
            except (OSError, ConnectionError, TimeoutError) as exc:
                client.error = f"{type(exc).__name__}: {exc}"

    await asyncio.gather(*(connect(client) for client in clients))
    failures = [client.error for client in clients if client.connected_at is None]
    return [client for client in clients if client.connected_at is not None], failures


async def close_all(clients):
    await asyncio.gather(*(client.close() for client in clients), return_exceptions=True)
