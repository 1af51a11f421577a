"""Live events, their ids, and the rule that decides what a reconnecting screen gets.

An event id is `<epoch>-<seq>`. `seq` counts the events of one topic, without gaps; `epoch`
names one lifetime of that count (a server start for the memory backend, the life of a topic's
keys in Redis). A screen that comes back with an id from another epoch, or older than the
replay buffer, cannot be brought up to date event by event: it gets a `resync` event and rebuilds
the page from the database.
"""

import json
import re
from dataclasses import dataclass, field
from functools import cached_property

TOPIC_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:_.\-]{0,199}$")
EVENT_PATTERN = re.compile(r"^[a-z][a-z0-9_.\-]{0,63}$")
# Sent by the stream itself; a feature may not publish them.
RESERVED_EVENTS = {"ready", "resync", "message", "error", "open"}
MAX_DATA_BYTES = 4096
# An event that carries a screen rendered once for its whole audience (workshops/screens.py):
# a thousand phones then need not each fetch it. Still bounded: a screen, not a document.
MAX_SCREEN_BYTES = 64 * 1024
MAX_EVENT_ID_LENGTH = 100


def check_topic(topic):
    if not isinstance(topic, str) or not TOPIC_PATTERN.match(topic):
        raise ValueError(
            f"Live topic {topic!r} is not valid: use letters, digits and : _ . - "
            "(up to 200 characters), for example 'workshop:12'."
        )
    return topic


def check_event(event):
    if not isinstance(event, str) or not EVENT_PATTERN.match(event):
        raise ValueError(
            f"Live event name {event!r} is not valid: use lower-case letters, digits and _ . - "
            "starting with a letter, for example 'note.added'."
        )
    if event in RESERVED_EVENTS:
        raise ValueError(f"Live event name {event!r} is reserved for the stream itself.")
    return event


def frozen_data(data, max_bytes=MAX_DATA_BYTES):
    """A private, JSON-safe copy of `data`, so that later changes by the caller don't leak in."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TypeError("Live event data must be a dict of ids and small values.")
    text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    if len(text.encode()) > max_bytes:
        raise ValueError(
            f"Live event data is larger than {max_bytes} bytes: send ids and let the page "
            "fetch the rest."
        )
    return json.loads(text)


@dataclass(frozen=True)
class Event:
    topic: str
    epoch: str
    seq: int
    event: str
    data: dict = field(default_factory=dict)

    @property
    def id(self):
        return f"{self.epoch}-{self.seq}"

    def sse(self, id=None):
        """The event as a Server-Sent Events frame (json.dumps keeps it on one line). `id`: the
        stream's position to send instead of the event's own (a stream of several topics)."""
        return (self.frame if id is None else b"id: %s\n%s" % (id.encode(), self.tail)).decode()

    # A thousand screens get the same event: its bytes are made once, not once per screen
    # (cached_property writes the instance dict directly, which a frozen dataclass allows).
    @cached_property
    def tail(self):
        """The frame after its id line: `event:` and `data:`, as bytes."""
        data = json.dumps(self.data, separators=(",", ":"))
        return f"event: {self.event}\ndata: {data}\n\n".encode()

    @cached_property
    def frame(self):
        """The whole frame, with the event's own id, as bytes."""
        return b"id: %s\n%s" % (self.id.encode(), self.tail)

    def as_json(self, id=None):
        return {"id": id or self.id, "event": self.event, "data": self.data}


# A stream of several topics sends, as its event id, the ids of its topics joined by this (never
# found in an event id): "<id of topic 1>,<id of topic 2>".
POSITION_SEPARATOR = ","


def join_positions(ids):
    return POSITION_SEPARATOR.join(ids)


def split_positions(value, count):
    """The per-topic ids of a stream over `count` topics: [""] * count for a fresh page, None
    when `value` is not such a position (the screen then resyncs)."""
    if not value:
        return [""] * count
    parts = value.split(POSITION_SEPARATOR)
    return parts if len(parts) == count else None


def parse_event_id(value):
    """(epoch, seq) from an event id, or None when it isn't one of ours."""
    if not value or len(value) > MAX_EVENT_ID_LENGTH:
        return None
    epoch, sep, seq = value.rpartition("-")
    if not sep or not epoch or not seq.isdigit() or not seq.isascii():
        return None
    return epoch, int(seq)


@dataclass
class Replay:
    """What a (re)connecting screen gets: missed events, or a resync; and where it now stands."""

    topic: str
    epoch: str
    seq: int
    events: list
    resync: bool = False

    @property
    def last_event_id(self):
        return f"{self.epoch}-{self.seq}"

    def marker(self, name):
        """A stream-made event ('ready' or 'resync') at the current position."""
        return Event(self.topic, self.epoch, self.seq, name, {})


def plan_replay(topic, epoch, seq, buffered, last_event_id):
    """Decide what a screen that last saw `last_event_id` needs.

    `epoch` and `seq` are the topic's current ones; `buffered` the stored events, oldest first,
    with consecutive seq numbers. No id at all means a fresh page: nothing to replay.
    """
    if not last_event_id:
        return Replay(topic, epoch, seq, [])
    parsed = parse_event_id(last_event_id)
    resync = Replay(topic, epoch, seq, [], resync=True)
    if parsed is None or parsed[0] != epoch or parsed[1] > seq:
        return resync  # not ours, from a restarted server, or from a lost future
    seen = parsed[1]
    oldest = buffered[0].seq if buffered else seq + 1
    if seen < oldest - 1:
        return resync  # the events it missed have left the buffer
    return Replay(topic, epoch, seq, [event for event in buffered if event.seq > seen])
