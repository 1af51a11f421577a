"""Both backends, at unit level: order, replay, resync, bounded memory, clean unsubscribe."""

import asyncio

import pytest

from intersector.live.backends.memory import MemoryBackend
from tests.live.conftest import BUFFER, run


async def collect(subscription, count, timeout=5):
    events = []
    async with asyncio.timeout(timeout):
        while len(events) < count:
            batch = await subscription.next(timeout=timeout)
            assert batch is not None, f"only {len(events)} of {count} events arrived"
            events.extend(batch)
    return events


def publish_many(backend, topic, count, start=0):
    return [backend.publish(topic, "note.added", {"n": n}) for n in range(start, start + count)]


def test_a_subscriber_receives_events_in_order_even_from_another_thread(backend, topic):
    async def scenario():
        subscription = await backend.subscribe(topic)
        # Services publish from Django's sync thread, not from the event loop.
        await asyncio.to_thread(publish_many, backend, topic, 4)
        events = await collect(subscription, 4)
        subscription.close()
        await backend.aclose()
        return events

    events = run(scenario())
    assert [e.data["n"] for e in events] == [0, 1, 2, 3]
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert len({e.epoch for e in events}) == 1
    assert events[0].id == f"{events[0].epoch}-1"


def test_subscribers_of_other_topics_receive_nothing(backend, topic):
    async def scenario():
        subscription = await backend.subscribe(topic)
        backend.publish(topic + "-other", "note.added", {})
        quiet = await subscription.next(timeout=0.3)
        subscription.close()
        await backend.aclose()
        return quiet

    assert run(scenario()) is None


def test_the_replay_buffer_keeps_only_the_latest_events(backend, topic):
    published = publish_many(backend, topic, BUFFER + 3)
    oldest_kept = published[3]
    replay = backend.read(topic, published[2].id)
    assert [e.seq for e in replay.events] == [e.seq for e in published[3:]]
    assert len(replay.events) == BUFFER and not replay.resync
    # One further back has left the buffer: that screen must rebuild from the database.
    assert backend.read(topic, published[1].id).resync
    assert replay.events[0] == oldest_kept


def test_a_reconnecting_screen_gets_exactly_the_events_after_its_last_one(backend, topic):
    published = publish_many(backend, topic, 4)

    async def scenario():
        subscription = await backend.subscribe(topic, last_event_id=published[1].id)
        backend.publish(topic, "note.added", {"n": 4})
        live = await collect(subscription, 1)
        subscription.close()
        await backend.aclose()
        return subscription.initial, live

    initial, live = run(scenario())
    assert [e.data["n"] for e in initial] == [2, 3]
    assert [e.data["n"] for e in live] == [4]


def test_an_up_to_date_screen_gets_nothing_replayed(backend, topic):
    published = publish_many(backend, topic, 3)
    replay = backend.read(topic, published[-1].id)
    assert replay.events == [] and not replay.resync
    assert replay.last_event_id == published[-1].id


def test_a_fresh_page_starts_at_the_latest_event(backend, topic):
    published = publish_many(backend, topic, 2)
    replay = backend.read(topic, None)
    assert replay.events == [] and not replay.resync
    assert replay.last_event_id == published[-1].id


@pytest.mark.parametrize("bad_id", ["nonsense", "abc-", "-3", "0123abcd-1", "x" * 300])
def test_an_unknown_or_foreign_event_id_asks_the_screen_to_resync(backend, topic, bad_id):
    publish_many(backend, topic, 2)
    replay = backend.read(topic, bad_id)
    assert replay.resync and replay.events == []


def test_an_id_from_the_future_asks_the_screen_to_resync(backend, topic):
    published = publish_many(backend, topic, 2)
    ahead = f"{published[0].epoch}-{published[-1].seq + 5}"
    assert backend.read(topic, ahead).resync


def test_the_subscription_starts_with_a_resync_for_a_stale_id(backend, topic):
    publish_many(backend, topic, 2)

    async def scenario():
        subscription = await backend.subscribe(topic, last_event_id="feedface.9-2")
        subscription.close()
        await backend.aclose()
        return subscription

    subscription = run(scenario())
    assert [e.event for e in subscription.initial] == ["resync"]
    assert subscription.initial[0].id == subscription.last_event_id


def test_a_restarted_memory_server_does_not_accept_old_ids(topic):
    before = MemoryBackend(buffer_size=BUFFER)
    last = publish_many(before, topic, 3)[-1]
    after_restart = MemoryBackend(buffer_size=BUFFER)
    publish_many(after_restart, topic, 3)
    assert after_restart.read(topic, last.id).resync


def test_a_screen_that_falls_too_far_behind_is_told_to_resync_with_bounded_memory(backend, topic):
    async def scenario():
        subscription = await backend.subscribe(topic)
        # The screen reads nothing while many events arrive.
        await asyncio.to_thread(publish_many, backend, topic, BUFFER * 3)
        await asyncio.sleep(0.3)
        queued = subscription.queue.qsize()
        events = await collect(subscription, 1)
        subscription.close()
        await backend.aclose()
        return queued, events

    queued, events = run(scenario())
    assert queued <= BUFFER
    assert [e.event for e in events] == ["resync"]
    assert events[0].seq == BUFFER * 3


def test_closing_a_subscription_removes_it(backend, topic):
    async def scenario():
        first = await backend.subscribe(topic)
        second = await backend.subscribe(topic)
        counts = [backend.subscriber_count(topic)]
        first.close()
        first.close()  # twice is harmless
        counts.append(backend.subscriber_count(topic))
        second.close()
        counts.append(backend.subscriber_count(topic))
        await backend.aclose()
        return counts

    assert run(scenario()) == [2, 1, 0]


def test_bad_topics_are_refused(backend):
    with pytest.raises(ValueError):
        backend.publish("has space", "note.added", {})
    with pytest.raises(ValueError):
        backend.read("", None)


def test_a_lost_delivery_is_filled_from_the_buffer_and_nothing_arrives_twice(backend, topic):
    async def scenario():
        subscription = await backend.subscribe(topic)
        first = backend.publish(topic, "note.added", {"n": 0})
        events = await collect(subscription, 1)
        backend._unregister(subscription)  # as if the next delivery were lost on the way
        backend.publish(topic, "note.added", {"n": 1})
        await asyncio.sleep(0.2)  # Redis delivers through the listener, a moment later
        backend._register(subscription)
        subscription.deliver(first)  # and an old one came again
        backend.publish(topic, "note.added", {"n": 2})
        events += await collect(subscription, 2)
        subscription.close()
        await backend.aclose()
        return events

    assert [e.data["n"] for e in run(scenario())] == [0, 1, 2]
