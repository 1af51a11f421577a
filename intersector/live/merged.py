"""One stream over several topics: a phone follows its workshop's topic and its table's on one
connection, not two.

Each topic keeps its own subscription (order, duplicates, gaps and resyncs are handled there, as
for a single topic). What the screen sees as an event id is the position in every topic, joined:
"<id in topic 1>,<id in topic 2>" (events.join_positions). Sent back as Last-Event-ID, it
resumes each topic where it was. An id that does not fit these topics gets a resync.
"""

import asyncio

from intersector.live.events import Event, join_positions, split_positions


class Stamped:
    """An event sent with the stream's position instead of its own id."""

    __slots__ = ("event", "id")

    def __init__(self, event, id):
        self.event = event
        self.id = id

    def sse(self):
        return self.event.sse(self.id)

    def as_json(self):
        return self.event.as_json(self.id)


class MergedSubscription:
    """The Subscription interface (initial, last_event_id, next, close) over several topics."""

    def __init__(self, subscriptions, positions):
        self.subscriptions = subscriptions
        self.positions = positions
        self.initial = []
        self._waiting = [None] * len(subscriptions)

    @classmethod
    async def start(cls, backend, topics, last_event_id=None):
        parts = split_positions(last_event_id, len(topics))
        fits = parts is not None
        parts = parts or [""] * len(topics)
        subscriptions = []
        try:
            for topic, part in zip(topics, parts):
                subscriptions.append(await backend.subscribe(topic, part))
        except BaseException:
            for subscription in subscriptions:
                subscription.close()
            raise
        # Each topic starts where the screen was in it (or, new to it, where it stands now).
        merged = cls(subscriptions, [part or sub.last_event_id for part, sub in zip(parts, subscriptions)])
        resyncs = [event for sub in subscriptions for event in sub.initial if event.event == "resync"]
        if fits and not resyncs:
            merged.initial = [merged._stamp(index, event)
                              for index, sub in enumerate(subscriptions) for event in sub.initial]
        else:
            merged.positions = [sub.last_event_id for sub in subscriptions]
            marker = resyncs[0] if resyncs else Event(topics[0], "", 0, "resync", {})
            merged.initial = [Stamped(marker, merged.last_event_id)]
        return merged

    @property
    def last_event_id(self):
        return join_positions(self.positions)

    def _stamp(self, index, event):
        self.positions[index] = event.id
        return Stamped(event, self.last_event_id)

    async def next(self, timeout):
        """The next events of any topic (a list), or None when `timeout` seconds pass quietly.
        Each topic's wait goes on across calls: a quiet spell cancels nothing."""
        loop = asyncio.get_running_loop()
        for index, subscription in enumerate(self.subscriptions):
            if self._waiting[index] is None:
                self._waiting[index] = loop.create_task(subscription.wait())
        done, _pending = await asyncio.wait([t for t in self._waiting], timeout=timeout,
                                            return_when=asyncio.FIRST_COMPLETED)
        if not done:
            return None
        events = []
        for index, task in enumerate(self._waiting):
            if task in done:
                self._waiting[index] = None
                events.extend(self._stamp(index, event) for event in task.result())
        return events

    def close(self):
        for task in self._waiting:
            if task is not None:
                task.cancel()
        self._waiting = [None] * len(self.subscriptions)
        for subscription in self.subscriptions:
            subscription.close()


class MergedReplay:
    """What a polling screen of several topics gets (the Replay interface of events.py)."""

    def __init__(self, events, last_event_id, resync):
        self.events = events
        self.last_event_id = last_event_id
        self.resync = resync


def read_merged(backend, topics, last_event_id):
    """The events of several topics that a polling screen missed since `last_event_id`."""
    parts = split_positions(last_event_id, len(topics))
    fits = parts is not None
    parts = parts or [""] * len(topics)
    replays = [backend.read(topic, part) for topic, part in zip(topics, parts)]
    end = join_positions([replay.last_event_id for replay in replays])
    if not fits or any(replay.resync for replay in replays):
        return MergedReplay([], end, True)
    positions = [part or replay.last_event_id for part, replay in zip(parts, replays)]
    events = []
    for index, replay in enumerate(replays):
        for event in replay.events:
            positions[index] = event.id
            events.append(Stamped(event, join_positions(positions)))
    return MergedReplay(events, end, False)
