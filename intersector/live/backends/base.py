"""What every live backend provides, and the subscription that streams use.

A backend stores each topic's recent events (for replay) and hands new ones to subscriptions
in the event loop. The subscription puts them in order, drops duplicates, and fills any gap from
the stored events (or asks the screen to resync): so a backend may deliver an event twice, or
signal that it may have missed some, and the screen still sees each event once, in order.
"""

import asyncio
import logging

from django.conf import settings

from intersector.live.events import Event, check_topic

logger = logging.getLogger("intersector.live")

# Put in a subscription's queue when events may have been lost (queue overflow, Redis reconnect).
GAP = object()
# Put in a subscription's queue by the stream's own alarm (keep-alive, time limit): wake up.
WAKE = object()


class LiveUnavailable(Exception):
    """The live backend cannot be reached; the screen should reconnect later."""


class Backend:
    """Base class: subclasses implement publish, read, aread, _register and _unregister."""

    def __init__(self, buffer_size=None):
        self.buffer_size = int(buffer_size or settings.LIVE_BUFFER_SIZE)
        if self.buffer_size < 1:
            raise ValueError("LIVE_BUFFER_SIZE must be at least 1.")

    def publish(self, topic, event, data):
        """Store and deliver one event now (sync, any thread); return the Event."""
        raise NotImplementedError

    def read(self, topic, last_event_id):
        """A Replay for a screen that last saw `last_event_id` (sync)."""
        raise NotImplementedError

    async def aread(self, topic, last_event_id):
        """The same as read(), from the event loop."""
        raise NotImplementedError

    def _register(self, subscription):
        raise NotImplementedError

    def _unregister(self, subscription):
        raise NotImplementedError

    def subscriber_count(self, topic=None):
        raise NotImplementedError

    async def subscribe(self, topic, last_event_id=None):
        """Start receiving a topic's events in the running event loop.

        Registers first, then reads the stored events, so that nothing published in between is
        lost (duplicates are dropped by sequence number). `subscription.initial` holds the
        replayed events, or one resync marker.
        """
        check_topic(topic)
        subscription = Subscription(self, topic, asyncio.get_running_loop(), self.buffer_size)
        await self._aregister(subscription)
        try:
            replay = await self.aread(topic, last_event_id)
        except BaseException:
            subscription.close()
            raise
        subscription.start(replay)
        return subscription

    async def _aregister(self, subscription):
        self._register(subscription)

    async def aclose(self):
        """Release connections held for the running event loop (tests, shutdown)."""


def deliver_all(subscriptions, item):
    for subscription in subscriptions:
        subscription.deliver(item)


def deliver_threadsafe(subscriptions, item):
    """Hand `item` to subscriptions from any thread: ONE call into each event loop (usually the
    only one), not one per screen; the loop then delivers to all of them. Returns the
    subscriptions whose loop is gone (dead subscribers)."""
    by_loop = {}
    for subscription in subscriptions:
        by_loop.setdefault(subscription.loop, []).append(subscription)
    dead = []
    for loop, group in by_loop.items():
        try:
            loop.call_soon_threadsafe(deliver_all, group, item)
        except RuntimeError:
            dead.extend(group)
    return dead


class Subscription:
    """One screen's view of a topic: events in order, each once, gaps filled or resynced."""

    def __init__(self, backend, topic, loop, queue_size):
        self.backend = backend
        self.topic = topic
        self.loop = loop
        self.queue = asyncio.Queue(maxsize=queue_size)
        self.initial = []
        self.epoch = None
        self.seq = 0
        self.closed = False

    @property
    def last_event_id(self):
        return f"{self.epoch}-{self.seq}"

    def start(self, replay):
        self._move_to(replay)
        self.initial = [replay.marker("resync")] if replay.resync else list(replay.events)

    def _move_to(self, replay):
        self.epoch, self.seq = replay.epoch, replay.seq

    # --- Called by the backend, in the event loop thread -------------------------------------

    def deliver(self, item):
        """Queue an Event (or GAP). A full queue is emptied and replaced by a GAP: the screen
        then catches up from the stored events, so a slow screen costs bounded memory."""
        if self.closed:
            return
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(GAP)

    def wake(self):
        """Make take() return None: the stream's alarm rang (keep-alive, time limit)."""
        self.deliver(WAKE)

    # --- Called by the stream ----------------------------------------------------------------

    async def next(self, timeout):
        """The next events to send (a list), or None when `timeout` seconds pass quietly."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    events = await self._accept(await self.queue.get())
                    if events:
                        return events
        except TimeoutError:
            return None

    async def take(self):
        """The next events to send (a list, empty after a catch-up that found none), or None when
        woken (see wake()). No timer per call, unlike next(): a stream waits this way for every
        event of a thousand screens."""
        while True:
            item = await self.queue.get()
            if item is WAKE:
                return None
            events = self._accept_now(item)
            if events is None:
                return await self._catch_up()  # even if empty: the stream checks its alarm
            if events:
                return events

    async def _accept(self, item):
        if item is WAKE:
            return []
        events = self._accept_now(item)
        return await self._catch_up() if events is None else events

    def _accept_now(self, item):
        """The events `item` makes the screen send, or None when the stored events must be read
        (a gap): without an await, for the usual case of the next event in order."""
        if item is GAP:
            return None
        if item.epoch != self.epoch:
            # The topic's count started again (server restart, expired keys): the screen has
            # to rebuild from the database, which already includes this event.
            self.epoch, self.seq = item.epoch, item.seq
            return [Event(self.topic, item.epoch, item.seq, "resync", {})]
        if item.seq <= self.seq:
            return []  # already sent (replay and live delivery overlapped)
        if item.seq > self.seq + 1:
            return None  # some events didn't reach us: fetch them
        self.seq = item.seq
        return [item]

    async def _catch_up(self):
        try:
            replay = await self.backend.aread(self.topic, self.last_event_id)
        except Exception as exc:
            raise LiveUnavailable(f"Could not catch up on {self.topic}: {exc}") from exc
        self._move_to(replay)
        if replay.resync:
            return [replay.marker("resync")]
        return replay.events

    def close(self):
        if not self.closed:
            self.closed = True
            self.backend._unregister(self)
