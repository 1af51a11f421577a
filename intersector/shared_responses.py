"""Answers that are the same for everyone allowed to ask, kept in this process and sent again
without going through Django.

Why: after a console change 1,000 phones ask for the same new screen within a second. Through
Django each request costs 1-5 ms of CPU (middleware, URL resolving, the view, the template), so
on a 2-core server the last phone waited 9-15 s. A view whose answer is the same for its whole
audience marks the response with `keep(response)`. Its URL must say everything the answer
depends on (a version, the language) and hold a capability only that audience knows, because
the ASGI entry point (intersector/asgi.py) then answers a GET of the same path from memory: the
status, headers and body Django sent (less Set-Cookie), without Django. While the first request
for a path registered with `register(pattern)` is in Django, the others for that path wait for
it, so each process renders such an answer once.

A kept answer never changes: a newer one has a newer URL. The store is per process, bounded
(least recently used answers go first), lost on restart (the next request renders again), and an
answer is kept for MAX_AGE_SECONDS at most: then the view, with its permission check, is asked
again.
"""

import asyncio
import re
import time
from collections import OrderedDict

KEEP_HEADER = "X-Keep-Shared"  # from the view to the entry point; never sent to the browser
SERVED_AT = "X-Served-At-Ms"  # when this copy was sent (a countdown sets its clock from it)
MAX_ENTRIES = 512
WAIT_SECONDS = 10  # at most this long behind the first request for a path
MAX_AGE_SECONDS = 600

_kept = OrderedDict()  # path -> (status, headers, body, monotonic time kept)
_rendering = {}  # path -> asyncio.Event, set when its first request has its answer
_patterns = []


def keep(response):
    """Mark a response as the same for everyone who may ask for its URL (see the module)."""
    response[KEEP_HEADER] = "1"
    return response


def register(pattern):
    """Paths matching `pattern` (a regex) are answered once per process while many wait."""
    _patterns.append(re.compile(pattern))


def _shared_path(scope):
    return scope.get("method") == "GET" and any(p.match(scope["path"]) for p in _patterns)


def forget_all():
    """Tests: start from an empty store."""
    _kept.clear()


async def serve(scope, receive, send, application):
    """Answer a page request from memory if its answer is kept, else through `application`."""
    if not _shared_path(scope):
        return await application(scope, receive, send)
    path = scope["path"]
    if path not in _kept and path in _rendering:
        try:
            await asyncio.wait_for(_rendering[path].wait(), WAIT_SECONDS)
        except TimeoutError:
            pass
    kept = _kept.get(path)
    if kept is not None and time.monotonic() - kept[3] < MAX_AGE_SECONDS:
        _kept.move_to_end(path)
        return await _replay(kept, send)
    first = path not in _rendering
    if first:
        _rendering[path] = asyncio.Event()
    try:
        await application(scope, receive, _recording(path, send))
    finally:
        if first:
            _rendering.pop(path).set()


async def _replay(kept, send):
    status, headers, body, _kept_at = kept
    now = str(int(time.time() * 1000)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": headers + [(SERVED_AT.lower().encode(), now)]})
    await send({"type": "http.response.body", "body": body})


def _recording(path, send):
    """`send`, which also keeps the answer if the view marked it with keep()."""
    keep_header, served_at = KEEP_HEADER.lower().encode(), SERVED_AT.lower().encode()
    state = {"headers": None, "body": []}

    async def recording_send(message):
        if message["type"] == "http.response.start":
            headers = [(bytes(k).lower(), bytes(v)) for k, v in message.get("headers", [])]
            marked = any(k == keep_header for k, _v in headers)
            headers = [(k, v) for k, v in headers if k != keep_header]
            message = {**message, "headers": headers}
            if marked and message["status"] == 200:
                state["status"] = message["status"]
                state["headers"] = [(k, v) for k, v in headers if k not in (b"set-cookie", served_at)]
        elif message["type"] == "http.response.body" and state["headers"] is not None:
            state["body"].append(message.get("body", b""))
            if not message.get("more_body", False):
                _store(path, (state["status"], state["headers"], b"".join(state["body"]), time.monotonic()))
        await send(message)

    return recording_send


def _store(path, answer):
    _kept[path] = answer
    _kept.move_to_end(path)
    while len(_kept) > MAX_ENTRIES:
        _kept.popitem(last=False)
