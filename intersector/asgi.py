"""ASGI entry point: uvicorn serves pages and the Server-Sent Event streams.

Two ways into Django, picked per request:
- live streams (views marked with `intersector.live.views.streams`) go through Django's ASGI
  handler, because they wait on the event loop for minutes at a time;
- every other request goes through Django's WSGI handler on a small pool of long-lived threads.

Why: under Django's ASGI handler each request gets a thread of its own, a database connection of
its own (PostgreSQL: a new login every time) and several hops between the loop and threads. That
cost about 4 ms of CPU for a request whose own work is 0.3 ms, and capped a 2-core machine at a
few dozen notes a second. Pool threads keep their connections (CONN_MAX_AGE) and a request costs
one hop (intersector/pages_in_threads.py). Both handlers run the same URLs, middleware and views.

A page request whose answer a view kept for its whole audience (intersector/shared_responses.py:
the same screen for 1,000 phones) is answered from memory, without Django.
"""

import os
from functools import lru_cache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.urls import Resolver404, get_resolver  # noqa: E402

from intersector import shared_responses  # noqa: E402
from intersector.live.asgi import get_streams_application  # noqa: E402
from intersector.pages_in_threads import PagesInThreads  # noqa: E402

streams_application = get_streams_application()  # Django's ASGI handler, frames sent as they are
# One hop from the loop to a pool thread and back per request (intersector/pages_in_threads.py).
pages_application = PagesInThreads(get_wsgi_application(), workers=int(os.environ.get("WEB_THREADS", "8")))


@lru_cache(maxsize=8192)
def is_stream(path):
    """Whether the view at `path` streams live events (see intersector.live.views.streams)."""
    try:
        match = get_resolver().resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "streams_live_events", False)


async def application(scope, receive, send):
    if scope["type"] == "http" and is_stream(scope["path"]):
        return await streams_application(scope, receive, send)
    if scope["type"] == "lifespan":
        return await lifespan(receive, send)
    if scope["type"] == "http":
        return await shared_responses.serve(scope, receive, send, pages_application)
    return await pages_application(scope, receive, send)


async def lifespan(receive, send):
    """Nothing to start or stop: Django sets itself up on import."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
