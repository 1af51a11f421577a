"""The view helpers through real URLs (the probe URLconf), in the test process."""

import asyncio

import pytest
from django.test import AsyncClient

from intersector.live.backends import get_backend
from intersector.live.backends.redis import RedisBackend
from intersector.live.views import event_stream
from tests.live.conftest import run
from tests.live.servers import MEMORY_BACKEND, REDIS_BACKEND

pytestmark = pytest.mark.urls("tests.live.probe_urls")


@pytest.fixture
def memory(settings):
    settings.LIVE_BACKEND = MEMORY_BACKEND
    return get_backend()


def test_polling_returns_the_events_after_the_given_id(client, memory, topic):
    first = memory.publish(topic, "note.added", {"note": 1})
    memory.publish(topic, "note.added", {"note": 2})
    second = memory.publish(topic, "note.removed", {"note": 1})
    response = client.get(f"/probe/{topic}/poll", {"last_event_id": first.id})
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body == {
        "events": [
            {"id": f"{first.epoch}-2", "event": "note.added", "data": {"note": 2}},
            {"id": second.id, "event": "note.removed", "data": {"note": 1}},
        ],
        "last_event_id": second.id,
        "resync": False,
    }


def test_polling_without_an_id_gives_the_current_position(client, memory, topic):
    latest = memory.publish(topic, "note.added", {})
    body = client.get(f"/probe/{topic}/poll").json()
    assert body == {"events": [], "last_event_id": latest.id, "resync": False}


def test_polling_with_a_stale_id_asks_for_a_resync(client, memory, topic):
    latest = memory.publish(topic, "note.added", {})
    body = client.get(f"/probe/{topic}/poll", HTTP_LAST_EVENT_ID="0ldserver.1-1").json()
    assert body == {"events": [], "last_event_id": latest.id, "resync": True}


def test_polling_when_live_updates_are_down_says_so_plainly(client, settings, topic):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.LIVE_BACKEND = REDIS_BACKEND
    response = client.get(f"/probe/{topic}/poll")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "try again" in response.json()["error"]


def test_a_stream_response_has_the_headers_browsers_and_proxies_need(memory, topic):
    async def scenario():
        response = await AsyncClient().get(f"/probe/{topic}/stream")
        chunks = aiter(response.streaming_content)
        first = await asyncio.wait_for(anext(chunks), 5)
        await chunks.aclose()
        return response, first

    response, first = run(scenario())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Accel-Buffering"] == "no"
    assert "Content-Encoding" not in response
    assert first.startswith(b"retry: ")
    assert memory.subscriber_count(topic) == 0


def test_a_stream_replays_then_sends_new_events_and_keep_alives(memory, topic):
    earlier = [memory.publish(topic, "note.added", {"n": n}) for n in range(3)]

    async def scenario():
        stream = event_stream(topic, earlier[0].id, backend=memory, keepalive=0.1)
        chunks = [await asyncio.wait_for(anext(stream), 5) for _ in range(4)]
        memory.publish(topic, "note.added", {"n": 3})
        chunks.append(await asyncio.wait_for(anext(stream), 5))
        chunks.append(await asyncio.wait_for(anext(stream), 5))
        count_while_open = memory.subscriber_count(topic)
        await stream.aclose()  # what Django does when the client goes away
        return [chunk.decode() for chunk in chunks], count_while_open

    chunks, count_while_open = run(scenario())
    assert chunks[0] == "retry: 3000\n\n"
    assert chunks[1] == f'id: {earlier[1].id}\nevent: note.added\ndata: {{"n":1}}\n\n'
    assert chunks[2] == f'id: {earlier[2].id}\nevent: note.added\ndata: {{"n":2}}\n\n'
    assert chunks[3] == f"id: {earlier[2].id}\nevent: ready\ndata: {{}}\n\n"
    assert chunks[4] == f'id: {earlier[2].epoch}-4\nevent: note.added\ndata: {{"n":3}}\n\n'
    assert chunks[5] == ": keep-alive\n\n"
    assert count_while_open == 1
    assert memory.subscriber_count(topic) == 0


def test_a_stream_ends_after_its_time_limit_so_permissions_are_checked_again(memory, topic):
    async def scenario():
        return [chunk.decode() async for chunk in event_stream(topic, "", backend=memory, max_seconds=0.3)]

    chunks = run(scenario(), timeout=5)
    assert chunks[0].startswith("retry:") and "event: ready" in chunks[1]
    assert memory.subscriber_count(topic) == 0


def test_a_stream_whose_backend_is_down_tells_the_browser_to_retry(topic):
    backend = RedisBackend(url="redis://127.0.0.1:1/0", prefix="test-live:down:", buffer_size=5)
    backend.connect_timeout = 0.3

    async def scenario():
        chunks = [chunk.decode() async for chunk in event_stream(topic, "", backend=backend)]
        await backend.aclose()
        return chunks

    (chunk,) = run(scenario(), timeout=5)
    assert chunk.startswith("retry: 3000\n: live updates are unavailable")
