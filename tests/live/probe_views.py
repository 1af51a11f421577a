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


@csrf_exempt
@require_POST
def body_digest(request):
    """The size and sha256 of the request's body as the view read it."""
    import hashlib

    return JsonResponse({"size": len(request.body), "sha256": hashlib.sha256(request.body).hexdigest()})


@require_safe
def numbered_lines(request, count):
    """`count` numbered lines: streamed (?streamed=1) or as one HttpResponse."""
    from django.http import StreamingHttpResponse

    lines = (f"line {n:07d}\n".encode() for n in range(count))
    if request.GET.get("streamed"):
        return StreamingHttpResponse(lines, content_type="text/plain")
    return HttpResponse(b"".join(lines), content_type="text/plain")


@require_safe
def breaks_while_streaming(request):
    """A streamed answer whose making fails after its first megabyte."""
    from django.http import StreamingHttpResponse

    def lines():
        yield b"x" * (1024 * 1024)
        raise RuntimeError("the export broke")

    return StreamingHttpResponse(lines(), content_type="text/plain")
