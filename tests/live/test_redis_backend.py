"""The Redis backend against a real Redis: sharing between processes, one connection, recovery."""

import asyncio

import redis

from intersector.live.backends.redis import RedisBackend
from tests.live.conftest import BUFFER, run
from tests.live.test_backends import collect, publish_many


def listener_connections(url, name):
    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        return [c for c in client.client_list(_type="pubsub") if c.get("name") == name]
    finally:
        client.close()


def test_an_event_published_by_another_process_reaches_this_one(redis_backend, redis_url, topic):
    other_process = RedisBackend(url=redis_url, prefix=redis_backend.prefix, buffer_size=BUFFER)

    async def scenario():
        subscription = await redis_backend.subscribe(topic)
        await asyncio.to_thread(publish_many, other_process, topic, 3)
        events = await collect(subscription, 3)
        subscription.close()
        await redis_backend.aclose()
        return events

    try:
        events = run(scenario())
    finally:
        other_process.close()
    assert [e.data["n"] for e in events] == [0, 1, 2]


def test_many_subscribers_share_one_redis_connection(redis_backend, redis_url, topic):
    async def scenario():
        subscriptions = [await redis_backend.subscribe(f"{topic}-{i % 5}") for i in range(50)]
        connections = listener_connections(redis_url, redis_backend.listener_name)
        redis_backend.publish(f"{topic}-0", "note.added", {})
        received = [await collect(s, 1) for s in subscriptions[::5]]
        for subscription in subscriptions:
            subscription.close()
        await redis_backend.aclose()
        return connections, received

    connections, received = run(scenario())
    assert len(connections) == 1
    assert all(len(events) == 1 for events in received)


def test_subscribers_catch_up_after_the_redis_connection_drops(redis_backend, redis_url, topic):
    async def scenario():
        subscription = await redis_backend.subscribe(topic)
        redis_backend.publish(topic, "note.added", {"n": 0})
        events = await collect(subscription, 1)
        (connection,) = listener_connections(redis_url, redis_backend.listener_name)
        killer = redis.Redis.from_url(redis_url, socket_timeout=5)
        killer.client_kill_filter(_id=connection["id"])
        killer.close()
        # Published while the listener is away: they must come from the stored list.
        await asyncio.to_thread(publish_many, redis_backend, topic, 3, 1)
        events += await collect(subscription, 3, timeout=10)
        reconnected = listener_connections(redis_url, redis_backend.listener_name)
        subscription.close()
        await redis_backend.aclose()
        return events, connection, reconnected

    events, before, after = run(scenario())
    assert [e.data["n"] for e in events] == [0, 1, 2, 3]
    assert len(after) == 1 and after[0]["id"] != before["id"]


def test_a_topic_whose_keys_were_lost_asks_screens_to_resync(redis_backend, redis_url, topic):
    published = publish_many(redis_backend, topic, 2)
    client = redis.Redis.from_url(redis_url, socket_timeout=5)
    client.delete(*redis_backend._keys(topic))  # as if Redis restarted without persistence
    client.close()
    again = publish_many(redis_backend, topic, 1)[0]
    assert again.epoch != published[0].epoch and again.seq == 1
    assert redis_backend.read(topic, published[-1].id).resync


def test_topic_keys_expire_when_the_topic_goes_quiet(redis_backend, redis_url, topic):
    redis_backend.publish(topic, "note.added", {})
    client = redis.Redis.from_url(redis_url, socket_timeout=5)
    ttls = [client.ttl(key) for key in redis_backend._keys(topic)]
    client.close()
    assert all(0 < ttl <= redis_backend.ttl for ttl in ttls)


def test_a_read_brings_back_only_the_events_the_reader_missed(redis_backend, topic):
    """An event may carry a whole screen: a page reading its position (every page load, every
    poll) must not pull the whole buffer out of Redis, only what it missed."""
    screen = "x" * 3000
    events = [redis_backend.publish(topic, "screen.changed", {"n": n, "screen": screen}) for n in range(6)]
    parsed = []
    real_parse = redis_backend._parse
    redis_backend._parse = lambda topic, entry: parsed.append(entry) or real_parse(topic, entry)
    assert redis_backend.read(topic, None).events == [] and parsed == []  # a position: no entry read
    replay = redis_backend.read(topic, events[3].id)
    assert [e.data["n"] for e in replay.events] == [4, 5] and not replay.resync and len(parsed) == 2
    assert redis_backend.read(topic, events[-1].id).events == []
    assert redis_backend.read(topic, f"other-{events[3].seq}").resync
    more = [redis_backend.publish(topic, "screen.changed", {"n": n}) for n in range(6, 6 + BUFFER)]
    assert redis_backend.read(topic, events[0].id).resync  # what it missed has left the buffer
    assert [e.data["n"] for e in redis_backend.read(topic, more[-3].id).events] == [6 + BUFFER - 2, 6 + BUFFER - 1]
