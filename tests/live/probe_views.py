"""Test-only views that exercise the live seam the way a feature would (no permission checks:
these URLs exist only under tests.live.probe_settings)."""

import json

from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.templatetags.static import static
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from intersector.live import publish as live_publish
from intersector.live.backends import get_backend
from intersector.live.views import poll_response, stream_response, streams


@require_safe
def ping(request):
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def publish(request, topic):
    """Publish {"event": ..., "data": {...}} the way a service does: inside a transaction."""
    try:
        body = json.loads(request.body or b"{}")
        with transaction.atomic():
            live_publish(topic, body.get("event", "probe"), body.get("data"))
    except (ValueError, TypeError) as exc:
        return HttpResponseBadRequest(str(exc))
    return JsonResponse({"ok": True})


@streams
@require_safe
def stream(request, topic):
    return stream_response(request, topic)


@streams
@require_safe
def broken_stream(request, topic):
    """What a network that breaks SSE looks like to the browser."""
    return HttpResponse("Streams are blocked here", status=503, content_type="text/plain")


@require_safe
def poll(request, topic):
    return poll_response(request, topic)


@require_safe
def subscribers(request, topic):
    return JsonResponse({"count": get_backend().subscriber_count(topic)})


@require_safe
def page(request, topic):
    """A bare page that follows a topic with live.js (?stream=broken tests the poll fallback)."""
    stream_url = f"/probe/{topic}/stream"
    if request.GET.get("stream") == "broken":
        stream_url = f"/probe/{topic}/broken-stream"
    return HttpResponse(
        format_html(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Probe</title>'
            '<link rel="icon" href="data:,">'
            '<script src="{}" defer></script></head><body><main>'
            '<div id="live" data-live-stream="{}" data-live-poll="/probe/{}/poll" '
            'data-live-events="note.added" data-live-poll-seconds="0.3" '
            'data-live-last-event-id="{}"></div></main></body></html>',
            static("live/live.js"),
            stream_url,
            topic,
            request.GET.get("last_event_id", ""),
        )
    )
