"""Fixtures for the live seam: fresh backends, unique topics, and real uvicorn servers."""

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from intersector.live.backends.memory import MemoryBackend
from intersector.live.backends.redis import RedisBackend
from tests.live.servers import REDIS_BACKEND, Server, server_env, start_servers

BUFFER = 5


def run(coroutine, timeout=15):
    """Run a coroutine in a fresh event loop, never for longer than `timeout` seconds.

    The loop runs in its own thread: Playwright's sync API (browser tests in the same session)
    keeps an event loop running in the main thread, where asyncio.run() is refused.
    """

    async def bounded():
        async with asyncio.timeout(timeout):
            return await coroutine

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, bounded()).result(timeout + 5)


def delete_prefix(url, prefix):
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def topic():
    return f"test:{uuid.uuid4().hex[:10]}"


@pytest.fixture
def memory_backend():
    return MemoryBackend(buffer_size=BUFFER)


@pytest.fixture
def redis_backend(redis_url):
    prefix = f"test-live:{uuid.uuid4().hex[:10]}:"
    backend = RedisBackend(url=redis_url, prefix=prefix, buffer_size=BUFFER)
    yield backend
    backend.close()
    delete_prefix(redis_url, prefix)


@pytest.fixture(params=["memory", "redis"])
def backend(request):
    return request.getfixturevalue(f"{request.param}_backend")


# --- Real servers ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def memory_server():
    server = Server("memory", server_env(LIVE_KEEPALIVE_SECONDS=0.5)).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_servers(redis_url):
    prefix = f"test-live:{uuid.uuid4().hex[:10]}:"
    env = server_env(
        REDIS_URL=redis_url, LIVE_BACKEND=REDIS_BACKEND, LIVE_REDIS_PREFIX=prefix,
        LIVE_KEEPALIVE_SECONDS=0.5,
    )
    servers = start_servers(Server("redis-a", env), Server("redis-b", env))
    yield servers
    for server in servers:
        server.stop()
    delete_prefix(redis_url, prefix)


@pytest.fixture
def post_event():
    """Publish through a server's probe URL, as a participant's POST would."""
    client = httpx.Client(timeout=5)

    def post(server, topic, event="note.added", data=None):
        response = client.post(
            f"{server.url}/probe/{topic}/publish", json={"event": event, "data": data or {}}
        )
        assert response.status_code == 200, response.text
        return response

    yield post
    client.close()
