"""A small blocking Server-Sent Events reader for tests: every read has a deadline."""

import json
import time

import httpx


class EventStream:
    def __init__(self, url, last_event_id=None, timeout=5.0):
        headers = {"Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        # The read timeout bounds a silent server; the deadlines below bound a chatty one.
        self._client = httpx.Client(timeout=httpx.Timeout(timeout))
        self._context = self._client.stream("GET", url, headers=headers)
        self.response = self._context.__enter__()
        self._lines = self.response.iter_lines()
        self.comments = []
        self.retry = None
        self.last = None  # the event that until() stopped at

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._context.__exit__(None, None, None)
        self._client.close()

    def _items(self, timeout):
        """Yield ("comment", text) and ("event", {...}) until `timeout` seconds have passed."""
        deadline = time.monotonic() + timeout
        fields = {}
        for line in self._lines:
            if line.startswith(":"):
                self.comments.append(line[1:].strip())
                yield "comment", self.comments[-1]
            elif line == "":
                if "event" in fields or "data" in fields:
                    yield "event", {
                        "event": fields.get("event", "message"),
                        "id": fields.get("id"),
                        "data": json.loads(fields.get("data") or "null"),
                    }
                fields = {}
            else:
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "retry":
                    self.retry = int(value)
                else:
                    fields[name] = value
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing expected arrived within {timeout} s")
        raise EOFError("the server ended the stream")

    def next_event(self, timeout=5.0):
        """The next event as {"event", "id", "data"}; TimeoutError after `timeout` seconds."""
        for kind, item in self._items(timeout):
            if kind == "event":
                return item

    def until(self, name, timeout=5.0):
        """Read up to and including the first `name` event; return the events before it."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            event = self.next_event(max(deadline - time.monotonic(), 0.01))
            if event["event"] == name:
                self.last = event
                return seen
            seen.append(event)

    def take(self, count, timeout=5.0):
        """The next `count` events, skipping stream markers ('ready')."""
        deadline = time.monotonic() + timeout
        events = []
        while len(events) < count:
            event = self.next_event(max(deadline - time.monotonic(), 0.01))
            if event["event"] != "ready":
                events.append(event)
        return events

    def wait_for_comment(self, text, timeout=5.0):
        for kind, item in self._items(timeout):
            if kind == "comment" and item == text:
                return True
