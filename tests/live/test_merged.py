"""One stream over several topics (a phone follows its workshop and its table on one connection):
both topics' events arrive, the stream's id resumes each topic where it was, an id that does not
fit gets a resync, polling does the same, and closing leaves no subscriber behind."""

import asyncio

from intersector.live.events import split_positions
from intersector.live.merged import MergedSubscription, read_merged
from intersector.live.views import event_stream
from tests.live.conftest import BUFFER, run


async def collect(subscription, count, timeout=5):
    events = []
    async with asyncio.timeout(timeout):
        while len(events) < count:
            batch = await subscription.next(timeout=timeout)
            assert batch is not None, f"only {len(events)} of {count} events arrived"
            events.extend(batch)
    return events


def names(stamped):
    return [(item.event.topic, item.event.data["n"]) for item in stamped]


def test_events_of_both_topics_arrive_on_one_subscription_with_the_position_in_each(backend, topic):
    table = topic + ":table"

    async def scenario():
        merged = await MergedSubscription.start(backend, [topic, table])
        start = merged.last_event_id
        await asyncio.to_thread(backend.publish, topic, "screen.changed", {"n": 1})
        first = await collect(merged, 1)
        await asyncio.to_thread(backend.publish, table, "tally.changed", {"n": 2})
        second = await collect(merged, 1)
        quiet = await merged.next(timeout=0.2)
        counts = backend.subscriber_count(topic), backend.subscriber_count(table)
        merged.close()
        after = backend.subscriber_count(topic), backend.subscriber_count(table)
        await backend.aclose()
        return start, first + second, quiet, counts, after

    start, events, quiet, counts, after = run(scenario())
    assert names(events) == [(topic, 1), (table, 2)]
    workshop_id, table_id = split_positions(events[-1].id, 2)
    assert workshop_id == events[0].event.id and table_id == events[1].event.id
    assert split_positions(events[0].id, 2)[1] == split_positions(start, 2)[1]
    assert quiet is None and counts == (1, 1) and after == (0, 0)


def test_a_screen_that_comes_back_gets_what_it_missed_in_each_topic(backend, topic):
    table = topic + ":table"

    async def scenario():
        merged = await MergedSubscription.start(backend, [topic, table])
        await asyncio.to_thread(backend.publish, topic, "screen.changed", {"n": 1})
        seen = await collect(merged, 1)
        merged.close()
        # In a tunnel: one event in each topic.
        backend.publish(table, "tally.changed", {"n": 2})
        backend.publish(topic, "screen.changed", {"n": 3})
        again = await MergedSubscription.start(backend, [topic, table], seen[-1].id)
        missed = again.initial
        again.close()
        await backend.aclose()
        return missed, again.last_event_id

    missed, position = run(scenario())
    assert sorted(names(missed)) == [(topic, 3), (table, 2)]
    assert missed[-1].id == position


def test_an_id_that_does_not_fit_the_topics_gets_a_resync(backend, topic):
    backend.publish(topic, "screen.changed", {"n": 1})
    own_id = backend.read(topic, None).last_event_id

    async def scenario():
        results = []
        for stale in (own_id, "nonsense", f"{own_id},{own_id},{own_id}", f"{own_id},0ld.1-9"):
            merged = await MergedSubscription.start(backend, [topic, topic + ":table"], stale)
            results.append([item.event.event for item in merged.initial])
            merged.close()
        await backend.aclose()
        return results

    assert run(scenario()) == [["resync"]] * 4


def test_polling_two_topics_gets_the_same_events_and_resumes(backend, topic):
    table = topic + ":table"
    start = read_merged(backend, [topic, table], "")
    assert start.events == [] and not start.resync
    backend.publish(table, "tally.changed", {"n": 1})
    backend.publish(topic, "screen.changed", {"n": 2})
    replay = read_merged(backend, [topic, table], start.last_event_id)
    assert sorted(names(replay.events)) == [(topic, 2), (table, 1)] and not replay.resync
    assert read_merged(backend, [topic, table], replay.last_event_id).events == []
    assert read_merged(backend, [topic, table], "bad").resync


def test_a_stream_of_two_topics_sends_one_ready_and_the_joined_position(memory_backend, topic):
    memory = memory_backend
    table = topic + ":table"
    earlier = memory.publish(table, "tally.changed", {"n": 0})

    async def scenario():
        position = f"{memory.read(topic, None).last_event_id},{earlier.epoch}-0"
        stream = event_stream([topic, table], position, backend=memory, keepalive=0.1)
        chunks = [await asyncio.wait_for(anext(stream), 5) for _ in range(3)]
        memory.publish(topic, "screen.changed", {"n": 1})
        chunks.append(await asyncio.wait_for(anext(stream), 5))
        open_now = memory.subscriber_count(topic), memory.subscriber_count(table)
        await stream.aclose()
        return [chunk.decode() for chunk in chunks], open_now

    chunks, open_now = run(scenario())
    assert chunks[0] == "retry: 3000\n\n"
    assert "event: tally.changed" in chunks[1] and f",{earlier.id}\n" in chunks[1]
    assert "event: ready" in chunks[2]
    assert "event: screen.changed" in chunks[3] and chunks[3].startswith("id: ") and "," in chunks[3].split("\n")[0]
    assert open_now == (1, 1)
    assert (memory.subscriber_count(topic), memory.subscriber_count(table)) == (0, 0)


def test_a_screen_that_falls_far_behind_on_one_topic_resyncs_with_bounded_memory(backend, topic):
    table = topic + ":table"

    async def scenario():
        merged = await MergedSubscription.start(backend, [topic, table])
        for n in range(BUFFER * 6):  # nobody reads meanwhile
            await asyncio.to_thread(backend.publish, topic, "screen.changed", {"n": n})
        await asyncio.sleep(0.3)  # let the deliveries reach the event loop
        queued = merged.queue.qsize()
        first = await merged.next(timeout=5)
        backend.publish(table, "tally.changed", {"n": 99})
        after = await collect(merged, 1)
        merged.close()
        await backend.aclose()
        return queued, first, after

    queued, first, after = run(scenario())
    assert queued <= BUFFER * 2
    assert [item.event.event for item in first] == ["resync"]
    assert names(after) == [(table, 99)]
