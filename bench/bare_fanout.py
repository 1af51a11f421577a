"""The floor for bench_live.py: a bare ASGI app that fans events out in memory, nothing else.

    uvicorn bare_fanout:app   (bench_live.py starts it on 127.0.0.1 beside the project's server)

No Django, no replay buffer, no ids to check, no permission: GET /probe/<topic>/stream opens a
stream (`retry:`, `ready`, then each event); POST /probe/<topic>/publish with {"event", "data"}
writes one SSE frame to every open stream of the topic. The same uvicorn, the same loop and the
same clients as the project's figure, so the ratio between the two is what the live layer costs.
"""

import asyncio
import json

streams = {}  # topic -> set of asyncio.Queue
counter = 0


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    parts = scope["path"].strip("/").split("/")
    if parts == ["probe", "ping"]:
        return await answer(send, 200, b"ok")
    if len(parts) == 3 and parts[0] == "probe" and parts[2] == "stream":
        return await stream(parts[1], receive, send)
    if len(parts) == 3 and parts[0] == "probe" and parts[2] == "publish":
        return await publish(parts[1], receive, send)
    return await answer(send, 404, b"not found")


async def answer(send, status, body):
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def publish(topic, receive, send):
    global counter
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    event = json.loads(body or b"{}")
    counter += 1
    frame = (f"id: {counter}\nevent: {event.get('event', 'probe')}\n"
             f"data: {json.dumps(event.get('data') or {}, separators=(',', ':'))}\n\n").encode()
    for queue in streams.get(topic, ()):
        queue.put_nowait(frame)
    await answer(send, 200, b'{"ok":true}')


async def stream(topic, receive, send):
    queue = asyncio.Queue()
    streams.setdefault(topic, set()).add(queue)

    async def watch():  # http.disconnect when the client goes: end the stream
        while (await receive())["type"] != "http.disconnect":
            pass
        queue.put_nowait(None)

    watcher = asyncio.ensure_future(watch())
    try:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]})
        await send({"type": "http.response.body", "body": b"retry: 3000\n\nevent: ready\ndata: {}\n\n",
                    "more_body": True})
        while (frame := await queue.get()) is not None:
            await send({"type": "http.response.body", "body": frame, "more_body": True})
    finally:
        watcher.cancel()
        streams[topic].discard(queue)
