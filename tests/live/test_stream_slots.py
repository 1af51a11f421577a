"""Stream views take turns with the database: 1,000 phones reconnecting at once (a restart, a
Wi-Fi drop) never open 1,000 database connections at once, and none is refused for it."""

import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import HttpResponse

from intersector.live import views as live_views
from intersector.live.views import streams

pytestmark = pytest.mark.django_db(transaction=True)


def asgi_request():
    scope = {"type": "http", "method": "GET", "path": "/w/ABC123/live", "headers": [], "query_string": b""}
    return ASGIRequest(scope, io.BytesIO())


def test_stream_views_use_the_database_a_few_at_a_time_then_close_their_connections(settings, monkeypatch):
    settings.LIVE_STREAM_DB_SLOTS = 2
    monkeypatch.setattr(live_views, "_stream_slots", None)  # made afresh from the setting
    lock, inside, most, closed = threading.Lock(), [0], [0], []

    @streams
    def stream(request):
        # A permission check: a real query on this thread's own connection.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.05)
        with lock:
            inside[0] -= 1
        return HttpResponse("stream")

    def reconnect(_n):
        answer = stream(asgi_request())
        closed.append(connection.connection is None)  # this thread's connection went with it
        return answer.status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(reconnect, range(30)))
    assert statuses == [200] * 30  # every phone got its stream: waited its turn, never refused
    assert most[0] <= 2 and all(closed)
