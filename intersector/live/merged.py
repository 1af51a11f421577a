"""One stream over several topics: a phone follows its workshop's topic and its table's on one
connection, not two.

Each topic keeps its own subscription (order, duplicates, gaps and resyncs are handled there, as
for a single topic). What the screen sees as an event id is the position in every topic, joined:
"<id in topic 1>,<id in topic 2>" (events.join_positions). Sent back as Last-Event-ID, it
resumes each topic where it was. An id that does not fit these topics gets a resync.
"""

import asyncio

from intersector.live.backends.base import GAP, WAKE
from intersector.live.events import Event, join_positions, split_positions


class Stamped:
    """An event sent with the stream's position instead of its own id."""

    __slots__ = ("event", "id")

    def __init__(self, event, id):
        self.event = event
        self.id = id

    def sse(self):
        return self.event.sse(self.id)

    @property
    def frame(self):
        return b"id: %s\n%s" % (self.id.encode(), self.event.tail)

    def as_json(self):
        return self.event.as_json(self.id)


class MergedSubscription:
    """The Subscription interface (initial, last_event_id, next, close) over several topics.

    Each topic's Subscription keeps its own order, duplicates, gaps and resyncs, but hands what it
    receives to one queue here (a _Lane instead of its own queue): a stream waits on one queue,
    as for a single topic, so an event costs no more wake-ups than before."""

    def __init__(self, subscriptions, positions, queue_size):
        self.subscriptions = subscriptions
        self.positions = positions
        self.initial = []
        self.queue = asyncio.Queue(maxsize=max(queue_size, 1) * len(subscriptions))
        for index, subscription in enumerate(subscriptions):
            # No await here: nothing is delivered while the queues change hands.
            waiting, subscription.queue = subscription.queue, _Lane(self, index)
            while not waiting.empty():
                self.put(index, waiting.get_nowait())

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
        positions = [part or sub.last_event_id for part, sub in zip(parts, subscriptions)]
        merged = cls(subscriptions, positions, backend.buffer_size)
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

    def put(self, index, item):
        """A topic's event (or GAP) for the stream. A full queue is emptied and every topic
        catches up from its stored events instead: a slow screen costs bounded memory."""
        try:
            self.queue.put_nowait((index, item))
        except asyncio.QueueFull:
            while not self.queue.empty():
                self.queue.get_nowait()
            for lane in range(len(self.subscriptions)):
                self.queue.put_nowait((lane, GAP))

    def wake(self):
        """Make take() return None: the stream's alarm rang (keep-alive, time limit)."""
        try:
            self.queue.put_nowait((None, WAKE))
        except asyncio.QueueFull:
            self.put(0, GAP)  # makes room; the stream wakes up all the same

    async def take(self):
        """The next events of any topic (a list), or None when woken (see wake())."""
        while True:
            index, item = await self.queue.get()
            if item is WAKE:
                return None
            subscription = self.subscriptions[index]
            events = subscription._accept_now(item)
            if events is None:
                events = await subscription._catch_up()  # even if empty: the stream checks its alarm
                return [self._stamp(index, event) for event in events]
            if events:
                return [self._stamp(index, event) for event in events]

    async def next(self, timeout):
        """The next events of any topic (a list), or None when `timeout` seconds pass quietly."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    index, item = await self.queue.get()
                    if item is WAKE:
                        continue
                    events = await self.subscriptions[index]._accept(item)
                    if events:
                        return [self._stamp(index, event) for event in events]
        except TimeoutError:
            return None

    def close(self):
        for subscription in self.subscriptions:
            subscription.close()


class _Lane:
    """Stands in for one topic's queue: what its Subscription delivers goes to the merged queue."""

    __slots__ = ("merged", "index")

    def __init__(self, merged, index):
        self.merged = merged
        self.index = index

    def put_nowait(self, item):
        self.merged.put(self.index, item)  # never full: the merged queue makes room itself

    def empty(self):
        return True

    def get_nowait(self):
        raise asyncio.QueueEmpty


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
