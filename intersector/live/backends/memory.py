"""In-process live backend: one server, no Redis (the default).

publish() runs in whatever thread the service runs in (Django's sync views run in a thread
pool under uvicorn); subscriptions live in the event loop. One lock guards the topics and the
subscriber sets, and events cross into the loop with call_soon_threadsafe, in publish order.
"""

import secrets
import threading
from collections import OrderedDict, deque

from django.conf import settings

from intersector.live.backends.base import Backend, deliver_threadsafe
from intersector.live.events import Event, check_topic, plan_replay


class _Topic:
    __slots__ = ("epoch", "seq", "buffer")

    def __init__(self, epoch, buffer_size):
        self.epoch = epoch
        self.seq = 0
        self.buffer = deque(maxlen=buffer_size)


class MemoryBackend(Backend):
    def __init__(self, buffer_size=None, max_topics=None):
        super().__init__(buffer_size)
        # A fresh token per process start: ids from before a restart are recognised as stale.
        self.token = secrets.token_hex(4)
        self.max_topics = int(max_topics or getattr(settings, "LIVE_MAX_TOPICS", 1000))
        self._lock = threading.Lock()
        self._topics = OrderedDict()  # least recently used first
        self._created = 0
        self._subscribers = {}  # topic -> set of Subscription

    def _topic(self, topic):
        """The topic's state, created on first use (caller holds the lock)."""
        state = self._topics.get(topic)
        if state is None:
            self._created += 1
            # A topic forgotten to save memory comes back with a new epoch, never reused ids.
            state = _Topic(f"{self.token}.{self._created}", self.buffer_size)
            self._topics[topic] = state
            self._forget_idle_topics()
        else:
            self._topics.move_to_end(topic)
        return state

    def _forget_idle_topics(self):
        excess = len(self._topics) - self.max_topics
        for name in list(self._topics)[:max(excess, 0)]:
            if not self._subscribers.get(name):
                del self._topics[name]

    def publish(self, topic, event, data):
        check_topic(topic)
        with self._lock:
            state = self._topic(topic)
            state.seq += 1
            item = Event(topic, state.epoch, state.seq, event, data or {})
            state.buffer.append(item)
            item.frame  # its bytes, made once here for every screen (not in the event loop)
            # Under the lock, so events enter each loop in the order they were published.
            dead = deliver_threadsafe(self._subscribers.get(topic, ()), item)
            for sub in dead:
                self._subscribers[topic].discard(sub)
        return item

    def read(self, topic, last_event_id):
        check_topic(topic)
        with self._lock:
            state = self._topic(topic)
            epoch, seq, buffered = state.epoch, state.seq, list(state.buffer)
        return plan_replay(topic, epoch, seq, buffered, last_event_id)

    async def aread(self, topic, last_event_id):
        return self.read(topic, last_event_id)  # only a short lock: fine in the event loop

    def _register(self, subscription):
        with self._lock:
            self._subscribers.setdefault(subscription.topic, set()).add(subscription)

    def _unregister(self, subscription):
        with self._lock:
            subscribers = self._subscribers.get(subscription.topic)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscribers[subscription.topic]

    def subscriber_count(self, topic=None):
        with self._lock:
            if topic is not None:
                return len(self._subscribers.get(topic, ()))
            return sum(len(subs) for subs in self._subscribers.values())
