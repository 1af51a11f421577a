"""Helpers that a feature's view returns: an SSE stream, or the polling fallback.

They do NOT check permissions: the calling view must decide that the visitor may follow the
topic before it calls them (see README.md). Streams need an ASGI server (uvicorn).
"""

import asyncio
import functools
import logging
import threading

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import JsonResponse, StreamingHttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from intersector.live.backends import get_backend
from intersector.live.events import MAX_EVENT_ID_LENGTH, check_topic
from intersector.live.merged import MergedSubscription, Stamped, read_merged

logger = logging.getLogger("intersector.live")

KEEP_ALIVE = b": keep-alive\n\n"

def _setting(name, default):
    return getattr(settings, name, default)


_stream_slots = None
_stream_slots_lock = threading.Lock()


def stream_slots():
    """How many stream views of this process may use the database at once (LIVE_STREAM_DB_SLOTS)."""
    global _stream_slots
    with _stream_slots_lock:
        if _stream_slots is None:
            _stream_slots = threading.BoundedSemaphore(max(1, int(_setting("LIVE_STREAM_DB_SLOTS", 2))))
        return _stream_slots


def streams(view):
    """Mark a view that returns stream_response(): the site's ASGI entry point sends its URL
    through Django's ASGI handler, whose event loop holds the stream (intersector/asgi.py).
    Put it outermost, above the other decorators.

    Under ASGI each stream's view runs on a thread of its own, with a database connection of its
    own, closed as soon as it has answered: a stream waits for an hour and needs none, and 500
    open streams must not hold 500 connections. And at most LIVE_STREAM_DB_SLOTS of them check
    their permission at once; the others wait their turn (never refused): after a restart or a
    Wi-Fi drop 1,000 phones reconnect in the same second, and 1,000 connections at once would
    pass PostgreSQL's max_connections (100 by default) and fail most of them. A process then needs
    WEB_THREADS + LIVE_STREAM_DB_SLOTS connections (docs/deploy.md)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not isinstance(request, ASGIRequest):
            return view(request, *args, **kwargs)
        slots = stream_slots()
        # Waits rather than fails; a database that stalls for a minute lets the stream try anyway.
        held = slots.acquire(timeout=STREAM_SLOT_WAIT_SECONDS)
        try:
            return view(request, *args, **kwargs)
        finally:
            connections.close_all()
            if held:
                slots.release()

    wrapper.streams_live_events = True
    return wrapper


STREAM_SLOT_WAIT_SECONDS = 60


def last_event_id_from(request, topics=1):
    """The id a screen last saw: the Last-Event-ID header that EventSource sends on reconnect,
    else a `last_event_id` query parameter (first connection, polling)."""
    value = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id") or ""
    return value.strip()[:(MAX_EVENT_ID_LENGTH + 1) * topics]


def _topics(topic):
    """A topic, or a list of them for one stream over several (see merged.py)."""
    topics = [topic] if isinstance(topic, str) else list(topic)
    if not topics:
        raise ValueError("A live stream needs at least one topic.")
    for one in topics:
        check_topic(one)
    return topics


def stream_response(request, topic, ends_after=None):
    """A text/event-stream response: missed events (or a resync), then new ones as they come.
    `topic` may be a list: one stream then carries the events of all of them.

    `ends_after(event)`, if given, ends the stream right after an event it is true for: the
    browser reconnects (with Last-Event-ID) and the view works out the topics again, e.g. a
    phone moved to another table stops hearing its old table's sheet at once.

    Call it from your view AFTER checking that the visitor may follow `topic`, and mark the view
    with @streams.
    """
    topics = _topics(topic)
    stream = event_stream(topics if len(topics) > 1 else topics[0], last_event_id_from(request, len(topics)),
                          ends_after=ends_after)
    response = StreamingHttpResponse(stream, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    response.live_frames = stream  # sent as they are by intersector.live.asgi (bytes already)
    return response


async def event_stream(topic, last_event_id, *, backend=None, keepalive=None, retry_ms=None,
                       max_seconds=None, ends_after=None):
    """The SSE bytes of one screen's stream. Ends when the client goes (Django cancels it), when
    the backend fails (the browser reconnects and resumes), or after max_seconds, so that the
    browser reconnects and the view checks permissions again.

    A thousand screens hear each event: per screen it costs one wake-up and the event's bytes,
    made once for all (Event.frame); no timer is set per event (an Alarm per stream wakes it for
    keep-alives and the time limit)."""
    backend = backend or get_backend()
    keepalive = keepalive or _setting("LIVE_KEEPALIVE_SECONDS", 15)
    retry_ms = retry_ms or _setting("LIVE_RETRY_MILLISECONDS", 3000)
    max_seconds = max_seconds or _setting("LIVE_MAX_STREAM_SECONDS", 3600)
    try:
        if isinstance(topic, str):
            subscription = await backend.subscribe(topic, last_event_id)
        else:
            subscription = await MergedSubscription.start(backend, list(topic), last_event_id)
    except Exception:
        logger.warning("Live stream for %s could not start", topic, exc_info=True)
        yield f"retry: {retry_ms}\n: live updates are unavailable, try again soon\n\n".encode()
        return
    loop = asyncio.get_running_loop()
    alarm = Alarm(loop, subscription.wake)
    try:
        yield f"retry: {retry_ms}\n\n".encode()
        for event in subscription.initial:
            yield event.frame
        yield f"id: {subscription.last_event_id}\nevent: ready\ndata: {{}}\n\n".encode()
        deadline = loop.time() + max_seconds
        quiet_since = loop.time()
        alarm.ring_at(min(quiet_since + keepalive, deadline))
        while True:
            events = await subscription.take()
            if events:
                last = _last_to_send(events, ends_after)
                if last is not None:
                    # Come back at once (the next stream's first frame sets the usual retry again).
                    yield b"".join(event.frame for event in events[:last + 1]) + b"retry: 250\n\n"
                    break
                yield events[0].frame if len(events) == 1 else b"".join(event.frame for event in events)
                quiet_since = loop.time()
            if alarm.rang:
                now = loop.time()
                if now >= deadline:
                    break
                if now - quiet_since >= keepalive:
                    yield KEEP_ALIVE
                    quiet_since = now
                alarm.ring_at(min(quiet_since + keepalive, deadline))
    except Exception:
        # Typically Redis went away mid-catch-up: end the stream; EventSource reconnects with
        # Last-Event-ID and gets exactly what it missed.
        logger.warning("Live stream for %s stopped", topic, exc_info=True)
    finally:
        alarm.cancel()
        subscription.close()


def _last_to_send(events, ends_after):
    """The index of the first event the stream ends after, or None (most streams: no check)."""
    if ends_after is None:
        return None
    for index, event in enumerate(events):
        if ends_after(event.event if isinstance(event, Stamped) else event):
            return index
    return None


class Alarm:
    """One timer per stream, set again only when it rings (not at every event): it wakes the
    stream, which then sends a keep-alive if it has been quiet long enough, or ends at its
    time limit. `rang` stays true until the next ring_at, so a wake-up lost in a full queue
    (emptied for a catch-up) is still noticed at the next event."""

    __slots__ = ("loop", "wake", "handle", "rang")

    def __init__(self, loop, wake):
        self.loop, self.wake, self.handle, self.rang = loop, wake, None, False

    def ring_at(self, when):
        self.cancel()
        self.rang = False
        self.handle = self.loop.call_at(when, self._ring)

    def _ring(self):
        self.rang = True
        self.handle = None
        self.wake()

    def cancel(self):
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None


def poll_response(request, topic):
    """JSON for screens whose network breaks SSE: call it every few seconds with last_event_id.

    {"events": [{"id", "event", "data"}...], "last_event_id": "...", "resync": false}
    `topic` may be a list, as for stream_response. Call it from your view AFTER checking that
    the visitor may follow `topic`.
    """
    topics = _topics(topic)
    try:
        if len(topics) == 1:
            replay = get_backend().read(topics[0], last_event_id_from(request))
        else:
            replay = read_merged(get_backend(), topics, last_event_id_from(request, len(topics)))
    except Exception:
        logger.warning("Live poll for %s failed", topic, exc_info=True)
        response = JsonResponse(
            {"error": _("Live updates are unavailable just now. The page will try again.")},
            status=503,
        )
        response["Retry-After"] = "5"
    else:
        response = JsonResponse(
            {
                "events": [event.as_json() for event in replay.events],
                "last_event_id": replay.last_event_id,
                "resync": replay.resync,
            }
        )
    add_never_cache_headers(response)
    return response
