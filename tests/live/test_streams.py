"""End to end: real uvicorn processes, real HTTP streams, events published by POST."""

import time

import httpx
import pytest

from tests.live.sse import EventStream

pytestmark = pytest.mark.live


def stream(server, topic, last_event_id=None, query=""):
    return EventStream(f"{server.url}/probe/{topic}/stream{query}", last_event_id=last_event_id)


def numbers(events):
    return [event["data"]["n"] for event in events]


def test_a_screen_receives_published_events_in_order(memory_server, post_event, topic):
    with stream(memory_server, topic) as screen:
        assert screen.response.headers["content-type"] == "text/event-stream"
        assert screen.response.headers["cache-control"] == "no-cache"
        assert screen.response.headers["x-accel-buffering"] == "no"
        assert "content-encoding" not in screen.response.headers
        assert screen.until("ready") == []
        assert screen.retry == 3000
        for n in range(5):
            post_event(memory_server, topic, data={"n": n})
        events = screen.take(5)
    assert numbers(events) == [0, 1, 2, 3, 4]
    assert [e["event"] for e in events] == ["note.added"] * 5
    epoch = events[0]["id"].rsplit("-", 1)[0]
    assert [e["id"] for e in events] == [f"{epoch}-{n}" for n in range(1, 6)]


def test_a_screen_that_reconnects_gets_exactly_the_events_it_missed(
    memory_server, post_event, topic
):
    with stream(memory_server, topic) as screen:
        screen.until("ready")
        for n in range(2):
            post_event(memory_server, topic, data={"n": n})
        seen = screen.take(2)
    for n in range(2, 5):  # the phone was in a tunnel
        post_event(memory_server, topic, data={"n": n})
    with stream(memory_server, topic, last_event_id=seen[-1]["id"]) as screen:
        missed = screen.until("ready")
        post_event(memory_server, topic, data={"n": 5})
        after = screen.take(1)
    assert numbers(seen) == [0, 1]
    assert numbers(missed) == [2, 3, 4]
    assert numbers(after) == [5]


def test_the_first_connection_can_resume_from_a_position_in_the_page(
    memory_server, post_event, topic
):
    post_event(memory_server, topic, data={"n": 0})
    position = httpx.get(f"{memory_server.url}/probe/{topic}/poll", timeout=5).json()
    post_event(memory_server, topic, data={"n": 1})  # between page render and stream open
    query = f"?last_event_id={position['last_event_id']}"
    with stream(memory_server, topic, query=query) as screen:
        assert numbers(screen.until("ready")) == [1]


def test_a_screen_with_an_id_from_before_a_restart_is_told_to_resync(
    memory_server, post_event, topic
):
    post_event(memory_server, topic, data={"n": 0})
    with stream(memory_server, topic, last_event_id="0ldserver.1-1") as screen:
        before_ready = screen.until("ready")
        ready_id = screen.last["id"]
    assert [e["event"] for e in before_ready] == ["resync"]
    assert before_ready[0]["id"] == ready_id and ready_id.endswith("-1")


def test_a_quiet_stream_sends_keep_alive_comments(memory_server, topic):
    with stream(memory_server, topic) as screen:
        screen.until("ready")
        assert screen.wait_for_comment("keep-alive", timeout=3)


def test_a_closed_screen_leaves_no_subscriber_behind(memory_server, topic):
    count_url = f"{memory_server.url}/probe/{topic}/subscribers"
    with stream(memory_server, topic) as screen:
        screen.until("ready")
        assert httpx.get(count_url, timeout=5).json()["count"] == 1
    deadline = time.monotonic() + 5
    while httpx.get(count_url, timeout=5).json()["count"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert httpx.get(count_url, timeout=5).json()["count"] == 0


def test_polling_over_http_gets_the_same_events(memory_server, post_event, topic):
    poll_url = f"{memory_server.url}/probe/{topic}/poll"
    start = httpx.get(poll_url, timeout=5).json()
    post_event(memory_server, topic, data={"n": 0})
    post_event(memory_server, topic, data={"n": 1})
    body = httpx.get(poll_url, params={"last_event_id": start["last_event_id"]}, timeout=5).json()
    assert numbers(body["events"]) == [0, 1] and not body["resync"]
    assert body["last_event_id"] == body["events"][-1]["id"]


def test_an_event_posted_on_one_server_reaches_a_screen_on_another(
    redis_servers, post_event, topic
):
    server_a, server_b = redis_servers
    with stream(server_b, topic) as screen_b, stream(server_a, topic) as screen_a:
        screen_b.until("ready")
        screen_a.until("ready")
        for n in range(3):
            post_event(server_a if n % 2 == 0 else server_b, topic, data={"n": n})
        on_b = screen_b.take(3)
        on_a = screen_a.take(3)
    assert numbers(on_b) == [0, 1, 2]
    assert [e["id"] for e in on_a] == [e["id"] for e in on_b]
    # The phone moves to the other server (no sticky sessions) and gets what it missed.
    post_event(server_a, topic, data={"n": 3})
    with stream(server_a, topic, last_event_id=on_b[-1]["id"]) as screen:
        assert numbers(screen.until("ready")) == [3]
