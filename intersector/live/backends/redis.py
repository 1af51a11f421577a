"""Redis live backend: several uvicorn processes or hosts share events through Redis.

Per topic, Redis holds an epoch key, a sequence counter and a capped list of recent events (for
replay). Publishing runs one Lua script, which Redis executes atomically like MULTI/EXEC; a
script rather than MULTI because the stored and the published entry must both carry the number
that INCR returns, and MULTI cannot feed one command's result into the next.

Each process holds ONE pub/sub connection (pattern-subscribed to every topic's channel) and fans
events out in memory to its local subscriptions. Never one connection per screen: redis-py's
asyncio pool stops at 100 connections and raises instead of waiting. If Redis drops, the listener
reconnects and every subscription catches up from the stored list.
"""

import asyncio
import json
import logging
import secrets
import threading

import redis
import redis.asyncio as aioredis
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from intersector.live.backends.base import GAP, Backend, LiveUnavailable
from intersector.live.events import Event, check_topic, parse_event_id, plan_replay

logger = logging.getLogger("intersector.live")

DEFAULT_PREFIX = "intersector:live:"
DEFAULT_TTL = 7 * 24 * 3600  # a topic quiet for a week is forgotten (its screens resync)

# KEYS: epoch, seq, log. ARGV: new epoch, payload, buffer size, ttl, channel.
PUBLISH_SCRIPT = """
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  epoch = ARGV[1]
  redis.call('SET', KEYS[1], epoch)
  redis.call('DEL', KEYS[2], KEYS[3])
end
local seq = redis.call('INCR', KEYS[2])
local entry = epoch .. ' ' .. seq .. ' ' .. ARGV[2]
redis.call('RPUSH', KEYS[3], entry)
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[3]), -1)
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[4]) end
redis.call('PUBLISH', ARGV[5], entry)
return entry
"""

# KEYS: epoch, seq, log. ARGV: new epoch, ttl, the epoch and seq the reader last saw ('' and 0:
# none). Returns {epoch, seq, entries}: only the entries after the reader's seq in its epoch (a
# page reading its position needs none), since an event may carry a whole screen (a few KB) and
# 500 of them at every page load and poll would be megabytes. Fewer entries than asked for means
# the reader's events left the buffer: plan_replay sees the gap and resyncs.
READ_SCRIPT = """
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  epoch = ARGV[1]
  redis.call('SET', KEYS[1], epoch)
  redis.call('DEL', KEYS[2], KEYS[3])
end
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[2]) end
local seq = redis.call('GET', KEYS[2]) or '0'
local missed = tonumber(seq) - tonumber(ARGV[4])
if ARGV[3] ~= epoch or missed <= 0 then
  return {epoch, seq, {}}
end
return {epoch, seq, redis.call('LRANGE', KEYS[3], -missed, -1)}
"""


def _seen(last_event_id):
    """[epoch, seq] of the reader's last event for READ_SCRIPT (none: nothing to send back)."""
    parsed = parse_event_id(last_event_id)
    return [parsed[0], parsed[1]] if parsed else ["", 0]


def _new_epoch():
    return secrets.token_hex(4)


class _LoopState:
    """What the backend holds for one event loop: the shared listener and local subscriptions."""

    def __init__(self, loop):
        self.loop = loop
        self.ready = asyncio.Event()
        self.subscribers = {}  # topic -> set of Subscription
        self.listener = None
        self.client = None  # for replay reads from the loop


class RedisBackend(Backend):
    def __init__(self, url=None, prefix=None, buffer_size=None, ttl=None):
        super().__init__(buffer_size)
        self.url = url or settings.REDIS_URL
        if not self.url:
            raise ImproperlyConfigured("The Redis live backend needs REDIS_URL.")
        self.prefix = prefix or getattr(settings, "LIVE_REDIS_PREFIX", DEFAULT_PREFIX)
        self.ttl = int(ttl or getattr(settings, "LIVE_REDIS_TTL_SECONDS", DEFAULT_TTL))
        self.channel_prefix = f"{self.prefix}ch:"
        self.listener_name = f"{self.prefix}listener".replace(" ", "_")
        self.connect_timeout = 5  # how long a new stream waits for the shared listener
        self._lock = threading.Lock()
        self._sync = None
        self._state = None

    # --- Keys ----------------------------------------------------------------------------------

    def _keys(self, topic):
        # The {topic} hash tag keeps a topic's keys in one slot on a Redis Cluster.
        base = f"{self.prefix}{{{topic}}}"
        return [f"{base}:epoch", f"{base}:seq", f"{base}:log"]

    def _parse(self, topic, entry):
        epoch, seq, payload = entry.split(" ", 2)
        message = json.loads(payload)
        return Event(topic, epoch, int(seq), message["e"], message["d"])

    def _replay(self, topic, result, last_event_id):
        epoch, seq, entries = result
        buffered = [self._parse(topic, entry) for entry in entries]
        return plan_replay(topic, epoch, int(seq), buffered, last_event_id)

    # --- Sync side: publish and polling reads (any thread) ---------------------------------------

    def _sync_client(self):
        with self._lock:
            if self._sync is None:
                pool = redis.BlockingConnectionPool.from_url(
                    self.url, max_connections=20, timeout=5, decode_responses=True,
                    socket_connect_timeout=2, socket_timeout=5,
                )
                client = redis.Redis(connection_pool=pool)
                self._sync = (
                    client,
                    client.register_script(PUBLISH_SCRIPT),
                    client.register_script(READ_SCRIPT),
                )
            return self._sync

    def publish(self, topic, event, data):
        check_topic(topic)
        _, publish_script, _ = self._sync_client()
        payload = json.dumps({"e": event, "d": data or {}}, separators=(",", ":"))
        entry = publish_script(
            keys=self._keys(topic),
            args=[_new_epoch(), payload, self.buffer_size, self.ttl, self.channel_prefix + topic],
        )
        return self._parse(topic, entry)

    def read(self, topic, last_event_id):
        check_topic(topic)
        _, _, read_script = self._sync_client()
        result = read_script(keys=self._keys(topic), args=[_new_epoch(), self.ttl, *_seen(last_event_id)])
        return self._replay(topic, result, last_event_id)

    # --- Async side: the shared listener and replay reads (event loop) ----------------------------

    def _loop_state(self):
        """This loop's state; a new loop (a test's asyncio.run) gets a fresh one."""
        loop = asyncio.get_running_loop()
        state = self._state
        if state is None or state.loop is not loop:
            state = self._state = _LoopState(loop)
            pool = aioredis.BlockingConnectionPool.from_url(
                self.url, max_connections=20, timeout=5, decode_responses=True,
                socket_connect_timeout=2, socket_timeout=5,
            )
            state.client = aioredis.Redis(connection_pool=pool)
            state.read_script = state.client.register_script(READ_SCRIPT)
            state.listener = loop.create_task(self._listen(state), name="live-redis-listener")
        return state

    async def aread(self, topic, last_event_id):
        check_topic(topic)
        state = self._loop_state()
        try:
            result = await state.read_script(keys=self._keys(topic), args=[_new_epoch(), self.ttl, *_seen(last_event_id)])
        except redis.RedisError as exc:
            raise LiveUnavailable(str(exc)) from exc
        return self._replay(topic, result, last_event_id)

    async def _aregister(self, subscription):
        state = self._loop_state()
        try:
            async with asyncio.timeout(self.connect_timeout):
                await state.ready.wait()
        except TimeoutError:
            raise LiveUnavailable(f"Redis at {self.url} did not answer for live updates.") from None
        self._register(subscription)

    def _register(self, subscription):
        state = self._loop_state()
        with self._lock:
            state.subscribers.setdefault(subscription.topic, set()).add(subscription)

    def _unregister(self, subscription):
        state = self._state
        if state is None:
            return
        with self._lock:
            subscribers = state.subscribers.get(subscription.topic)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del state.subscribers[subscription.topic]

    def subscriber_count(self, topic=None):
        state = self._state
        if state is None:
            return 0
        with self._lock:
            if topic is not None:
                return len(state.subscribers.get(topic, ()))
            return sum(len(subs) for subs in state.subscribers.values())

    def _fan_out(self, state, item, topic=None):
        with self._lock:
            if topic is None:
                targets = [sub for subs in state.subscribers.values() for sub in subs]
            else:
                targets = list(state.subscribers.get(topic, ()))
        for subscription in targets:
            subscription.deliver(item)

    async def _listen(self, state):
        """Hold the process's one pub/sub connection; reconnect with back-off if Redis drops."""
        delay = 0.1
        reconnecting = False
        while True:
            client = aioredis.Redis.from_url(
                self.url, decode_responses=True, client_name=self.listener_name,
                socket_connect_timeout=2, socket_keepalive=True, health_check_interval=15,
            )
            pubsub = client.pubsub()
            try:
                await pubsub.psubscribe(self.channel_prefix + "*")
                # Wait for Redis to confirm, so a subscriber's replay read comes after it.
                while True:
                    message = await pubsub.get_message(timeout=5)
                    if message and message["type"] == "psubscribe":
                        break
                state.ready.set()
                if reconnecting:
                    logger.warning("Live updates: reconnected to Redis")
                    self._fan_out(state, GAP)  # events published meanwhile come from the list
                    reconnecting = False
                delay = 0.1
                while True:
                    message = await pubsub.get_message(timeout=5)
                    if message and message["type"] == "pmessage":
                        topic = message["channel"][len(self.channel_prefix):]
                        try:
                            item = self._parse(topic, message["data"])
                        except (ValueError, KeyError):
                            logger.warning("Live updates: ignored a malformed message on %s", topic)
                            continue
                        self._fan_out(state, item, topic)
            except (redis.RedisError, OSError) as exc:
                state.ready.clear()
                if not reconnecting:
                    logger.warning("Live updates: lost Redis (%s); reconnecting", exc)
                reconnecting = True
            finally:
                await self._close_quietly(pubsub, client)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5)

    @staticmethod
    async def _close_quietly(pubsub, client):
        for closable in (pubsub, client):
            try:
                await closable.aclose()
            except (redis.RedisError, OSError, RuntimeError):
                pass

    async def aclose(self):
        state = self._state
        if state is None or state.loop is not asyncio.get_running_loop():
            return
        self._state = None
        state.listener.cancel()
        try:
            await state.listener
        except asyncio.CancelledError:
            pass
        await state.client.aclose(close_connection_pool=True)

    def close(self):
        """Release the sync connections (tests)."""
        with self._lock:
            if self._sync is not None:
                self._sync[0].close()
                self._sync[0].connection_pool.disconnect()
                self._sync = None
