"""Live updates: services publish small events after a commit; pages stream them (SSE).

    from intersector.live import publish
    publish(f"workshop:{workshop.pk}", "note.added", {"note": note.pk})

See intersector/live/README.md.
"""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger("intersector.live")


def publish(topic, event, data=None, *, max_bytes=None):
    """Send `event` to everyone streaming `topic`, once the current transaction commits.

    Outside a transaction it is sent at once; if the transaction rolls back it is never sent.
    `data` is a small JSON dict of ids, never secrets: screens fetch what they may see through
    their own permission-checked requests. Bad names or data raise at once (a programming
    mistake); a backend that is down is logged and skipped, because what was saved stays saved
    and pages can always be rebuilt from the database.

    `max_bytes`: only for an event that carries a screen rendered once for everyone following
    the topic (at most events.MAX_SCREEN_BYTES; README "Screens in the event").
    """
    from intersector.live.events import MAX_DATA_BYTES, MAX_SCREEN_BYTES, check_event, check_topic, frozen_data

    check_topic(topic)
    check_event(event)
    limit = MAX_DATA_BYTES if max_bytes is None else min(max_bytes, MAX_SCREEN_BYTES)
    transaction.on_commit(partial(_send, topic, event, frozen_data(data, limit)))


def _send(topic, event, data):
    from intersector.live.backends import get_backend

    try:
        get_backend().publish(topic, event, data)
    except Exception:
        logger.warning("Live event %s on %s was not sent", event, topic, exc_info=True)


def current_event_id(topic):
    """The id of the topic's latest event: render it into a page (data-live-last-event-id)
    BEFORE reading the page's data, so the stream replays anything that happens in between.
    For a stream over several topics, pass the same list as to stream_response."""
    from intersector.live.backends import get_backend
    from intersector.live.events import join_positions

    topics = [topic] if isinstance(topic, str) else list(topic)
    try:
        backend = get_backend()
        return join_positions([backend.read(one, None).last_event_id for one in topics])
    except Exception:
        # The page still renders; its stream then starts from "now" instead.
        logger.warning("Live position of %s is unavailable", topic, exc_info=True)
        return ""
