"""One simulated phone for bench/bench_soak.py: it joins by code through the real form, follows the
workshop as live.js does and sends notes as phone.js does, and records what happened and when.

- Following (live.js): one stream at `/w/<code>/live` (the page's position in `?last_event_id=`,
  the last id seen in a `Last-Event-ID` header on reconnect); when a stream ends or cannot open it
  tries again after the server's `retry:` delay; after 3 failures in a row with no event between
  them (or an answer other than 200) it polls `/w/<code>/live/poll` every 5 s, and tries the stream
  again every 12 polls (back on it at its first event). `resync` and `screen.changed` reload the screen (`/w/<code>/now`), one load at a time.
- Sending (phone.js and the person holding it): a note every ~`every` s with the key of the form
  on screen; a note whose answer does not come (connection refused or reset by a kill, a 5xx)
  is sent again with the SAME text and key after a growing pause until it is acknowledged (2xx),
  as the person does when the phone says "Not sent ... tap again" (phone.js keeps the key of an
  unacknowledged note even when the screen reloads meanwhile).

Loopback only: a phone refuses any other address.
"""

import asyncio
import json
import random
import re
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import httpx
from sse_client import SSEParser

CSRF = "s" * 32  # any well-formed token works when the cookie and the form agree
FORM_KEY = re.compile(r'name="key" value="([A-Za-z0-9_-]+)"')
LIVE_POSITION = re.compile(r'data-live-last-event-id="([^"]*)"')
PARTICIPANT = re.compile(r'data-participant="(\d+)"')
PROMPTS = re.compile(r'<select id="note-prompt".*?</select>', re.S)
ABOUT = re.compile(r'<select id="note-about".*?</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"')
TEXTS = ["slow approvals and sign-offs", "profit and speed", "close to communities", "public accountability",
         "capital and operational skill", "mission first, money tight", "risk averse culture", "data and money"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SECTORS = ["government", "business", "non-profit", "other"]
MAX_ERRORS = 3  # live.js: stream failures in a row before it polls
STREAM_AGAIN_POLLS = 12  # live.js: while polling, the stream is tried again every 12 polls
TRIAL_SECONDS = 10  # live.js: ... and given up if no event comes by then
POLL_SECONDS = 5  # live.js: data-live-poll-seconds default
STREAM_SILENCE = 60  # no byte for this long (keep-alives come every 15 s): the stream is dead


def now():
    return time.monotonic()


@dataclass
class Attempt:
    """One POST of a note: when it started, how long until an answer or a failure, and what."""
    started: float
    seconds: float
    outcome: str  # saved | already | refused NNN | 5xx NNN | failed <error>


@dataclass
class Note:
    key: str
    text: str
    first_sent: float
    acknowledged: float | None = None
    answer: str = ""
    attempts: list = field(default_factory=list)


class Phone:
    def __init__(self, index, base, code, http):
        self.index, self.base, self.code, self.http = index, base, code, http
        self.host, self.port = urlsplit(base).hostname, urlsplit(base).port
        if self.host not in LOOPBACK:
            raise ValueError("The soak's phones only talk to this machine.")
        self.cookie = f"csrftoken={CSRF}"
        self.participant = None
        self.form_key = ""
        self.prompts, self.sectors = ["0"], ["government"]
        self.last_id = ""  # live.js's lastId: the latest id an event or a poll brought
        self.retry = 3.0  # EventSource's reconnection time, until the server sends retry:
        self.errors = 0
        self.mode = "stream"
        self.went_polling = []  # times it gave up its stream for polling
        self.back_on_stream = []  # times a stream tried while polling worked again
        self.states = []  # (time, "live" | "polling" | "reconnecting" | "offline")
        self.ready = []  # times a stream said "ready" or a poll answered
        self.reloads = []  # (time, seconds, status) of each screen reload
        self.notes = []
        self.problems = []  # unexpected answers, as text
        self._loading = None
        self._again = False

    # --- Joining and the page ----------------------------------------------------------------

    def headers(self, **extra):
        return {"Cookie": self.cookie, **extra}

    async def join(self, deadline):
        """The join form, as a person fills it in; tries again (bounded) if the server is busy."""
        while True:
            try:
                response = await self.http.post(
                    f"{self.base}/w/{self.code}/",
                    data={"csrfmiddlewaretoken": CSRF, "display_name": f"Phone {self.index}",
                          "sector": SECTORS[self.index % 4]},
                    headers=self.headers())
                passes = [c for c in response.headers.get_list("set-cookie") if c.startswith(f"convene-{self.code}=")]
                if response.status_code == 302 and passes:
                    self.cookie += "; " + passes[0].split(";")[0]
                    return await self.load_page(deadline)
                self.problems.append(f"join: HTTP {response.status_code}")
            except httpx.HTTPError as exc:
                self.problems.append(f"join: {type(exc).__name__}")
            if now() > deadline:
                return False
            await asyncio.sleep(random.uniform(1, 3))

    async def load_page(self, deadline):
        while now() < deadline:
            try:
                page = await self.http.get(f"{self.base}/w/{self.code}/", headers=self.headers())
                if page.status_code == 200 and FORM_KEY.search(page.text):
                    self.read_screen(page.text)
                    self.last_id = LIVE_POSITION.search(page.text).group(1)
                    self.participant = int(PARTICIPANT.search(page.text).group(1))
                    self.stream_path = f"/w/{self.code}/live?last_event_id={quote(self.last_id)}"
                    return True
                self.problems.append(f"page: HTTP {page.status_code}")
            except httpx.HTTPError as exc:
                self.problems.append(f"page: {type(exc).__name__}")
            await asyncio.sleep(1)
        return False

    def read_screen(self, html):
        """What the phone shows after its page, a reload or a note's answer: the form's new key."""
        key = FORM_KEY.search(html)
        if key:
            self.form_key = key.group(1)
        for pattern, name in ((PROMPTS, "prompts"), (ABOUT, "sectors")):
            select = pattern.search(html)
            if select:
                setattr(self, name, OPTION.findall(select.group(0)) or getattr(self, name))

    # --- Following the workshop (live.js) ------------------------------------------------------

    def state(self, name):
        if not self.states or self.states[-1][1] != name:
            self.states.append((now(), name))

    async def follow(self):
        """Until cancelled: the stream; polling once it has failed too often, with the stream tried
        again every STREAM_AGAIN_POLLS polls (live.js)."""
        polls = 0
        while True:
            if self.mode == "stream":
                outcome = await self.stream_once()
                if outcome == "closed" or self.errors >= MAX_ERRORS:
                    self.mode = "polling"
                    self.went_polling.append(now())
                else:
                    await asyncio.sleep(self.retry)
                continue
            await self.poll_once()
            polls += 1
            if polls % STREAM_AGAIN_POLLS == 0 and await self.stream_once(trial=True) != "trial failed":
                continue  # the stream worked again, then ended: carry on as live.js does
            await asyncio.sleep(POLL_SECONDS)

    async def stream_once(self, trial=False):
        """One EventSource connection. Returns "ended" (EventSource reconnects), "closed" (it gives
        up) or, for a stream tried while polling, "trial failed" (no event within TRIAL_SECONDS)."""
        writer, heard = None, False
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), 10)
            lines = [f"GET {self.stream_path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                     "Accept: text/event-stream", "Cache-Control: no-cache", f"Cookie: {self.cookie}"]
            if self.last_id:
                lines.append(f"Last-Event-ID: {self.last_id}")
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
            status = await asyncio.wait_for(reader.readline(), 30)
            if not status:
                raise ConnectionError("closed before answering")
            if b" 200 " not in status:  # EventSource fails for good; live.js polls from now on
                self.problems.append(f"stream: {status.decode(errors='replace').strip()}")
                return "trial failed" if trial else "closed"
            chunked = False
            while (line := await asyncio.wait_for(reader.readline(), 30)) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode().partition(":")
                chunked |= name.lower() == "transfer-encoding" and "chunked" in value.lower()
            parser = SSEParser()
            while True:
                silence = TRIAL_SECONDS if trial and not heard else STREAM_SILENCE
                chunk = await asyncio.wait_for(read_chunk(reader, chunked), silence)
                if not chunk:
                    break
                for event in parser.feed(chunk, now()):
                    if not heard and trial:
                        self.mode = "stream"
                        self.back_on_stream.append(now())
                    heard = True
                    self.on_event(event.event, event.id)
                if parser.retry:
                    self.retry = parser.retry / 1000
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
            pass
        finally:
            if writer is not None:
                writer.close()
        if trial and not heard:
            return "trial failed"
        self.errors += 1
        self.state("reconnecting")
        return "ended"

    def on_event(self, name, event_id):
        self.errors = 0
        self.state("live" if self.mode == "stream" else "polling")
        if event_id:
            self.last_id = event_id
        if name == "ready":
            self.ready.append(now())
        if name in ("resync", "screen.changed"):
            self.reload()

    async def poll_once(self):
        try:
            response = await self.http.get(
                f"{self.base}/w/{self.code}/live/poll", params={"last_event_id": self.last_id},
                headers=self.headers(Accept="application/json"))
            if response.status_code != 200:
                raise ValueError(f"HTTP {response.status_code}")
            body = json.loads(response.text)
        except (httpx.HTTPError, ValueError) as exc:
            self.state("offline")
            if "HTTP 5" in str(exc):
                self.problems.append(f"poll: {exc}")
            return
        self.state("polling")
        self.ready.append(now())
        if body["resync"]:
            self.on_event("resync", body["last_event_id"])
        for event in body["events"]:
            self.on_event(event["event"], event["id"])
        self.last_id = body["last_event_id"] or self.last_id

    def reload(self):
        """phone.js's refresh(): one screen load at a time; a change meanwhile loads it once more."""
        if self._loading is not None and not self._loading.done():
            self._again = True
            return
        self._loading = asyncio.create_task(self._reload())

    async def _reload(self):
        while True:
            self._again = False
            started = now()
            try:
                response = await self.http.get(f"{self.base}/w/{self.code}/now",
                                               headers=self.headers(**{"X-Convene": "fetch"}))
                self.reloads.append((started, now() - started, response.status_code))
                if response.status_code == 200:
                    self.read_screen(response.text)
                else:
                    self.problems.append(f"screen: HTTP {response.status_code}")
            except httpx.HTTPError as exc:
                self.reloads.append((started, now() - started, type(exc).__name__))
            if not self._again:
                return

    # --- Writing notes (phone.js and the person) -------------------------------------------------

    async def write(self, start, stop, give_up, every):
        """A note every ~`every` s from `start` until `stop`; resends until `give_up` at the latest."""
        await asyncio.sleep(max(0.0, start + random.uniform(0, every) - now()))
        used = set()
        while now() < stop:
            next_at = now() + every * random.uniform(0.8, 1.2)
            if self.form_key in used:  # no new form came back: load the screen for one
                self.reload()
                await asyncio.sleep(1)
                continue
            used.add(self.form_key)
            note = Note(self.form_key, f"soak {self.index}-{len(self.notes) + 1}: {random.choice(TEXTS)}", now())
            self.notes.append(note)
            await self.send(note, give_up)
            await asyncio.sleep(max(0.0, next_at - now()))

    async def send(self, note, give_up):
        pause = 0.5
        prompt, about = random.choice(self.prompts), random.choice(self.sectors)
        while True:
            started = now()
            outcome = await self.post(note, prompt, about)
            note.attempts.append(Attempt(started, now() - started, outcome))
            if outcome in ("saved", "already"):
                note.acknowledged, note.answer = now(), outcome
                return
            if outcome.startswith("refused") and not outcome.endswith("429"):
                note.answer = outcome  # the server said no: the person reads why, nothing to resend
                return
            if now() + pause > give_up:
                note.answer = "gave up"
                return
            await asyncio.sleep(pause * random.uniform(0.8, 1.2))
            pause = min(pause * 2, 8)

    async def post(self, note, prompt, about):
        try:
            response = await self.http.post(
                f"{self.base}/w/{self.code}/brainwriting/notes/",
                data={"csrfmiddlewaretoken": CSRF, "key": note.key, "prompt": prompt, "about": about,
                      "text": note.text},
                headers=self.headers(**{"X-Convene": "fetch"}))
        except httpx.HTTPError as exc:
            return f"failed {type(exc).__name__}"
        if 200 <= response.status_code < 300:
            self.read_screen(response.text)
            return "already" if "Already saved." in response.text else "saved"
        if response.status_code >= 500:
            self.problems.append(f"note: HTTP {response.status_code}")
            return f"5xx {response.status_code}"
        self.problems.append(f"note: HTTP {response.status_code}: {response.text[:120]}")
        return f"refused {response.status_code}"


async def read_chunk(reader, chunked):
    """The next bytes of a response body, or b"" at its end (chunked or not)."""
    if not chunked:
        return await reader.read(65536)
    size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
    if size == 0:
        return b""
    return (await reader.readexactly(size + 2))[:-2]
