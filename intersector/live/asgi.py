"""Django's ASGI handler for the views that stream live events (intersector/asgi.py routes them).

The same handler as Django's, but a stream's frames go straight from event_stream to the server:
Django's StreamingHttpResponse would pass each through two more generators (make_bytes, which
looks up the charset setting for every frame, and chunk_bytes). With a thousand screens that is a
thousand times per event, and the frames are bytes already.
"""

from contextlib import aclosing

from django.core.asgi import get_asgi_application
from django.core.handlers.asgi import ASGIHandler


class StreamsHandler(ASGIHandler):
    async def send_response(self, response, send):
        frames = getattr(response, "live_frames", None)
        if frames is None:
            return await super().send_response(response, send)
        await send({"type": "http.response.start", "status": response.status_code,
                    "headers": response_headers(response)})
        async with aclosing(frames):
            async for frame in frames:
                await send({"type": "http.response.body", "body": frame, "more_body": True})
        await send({"type": "http.response.body"})


def response_headers(response):
    """The response's headers and cookies as ASGI wants them (as Django's send_response does)."""
    headers = [(str(name).encode("ascii"), value.encode("latin1") if isinstance(value, str) else bytes(value))
               for name, value in response.items()]
    for cookie in response.cookies.values():
        headers.append((b"Set-Cookie", cookie.output(header="").encode("ascii").strip()))
    return headers


def get_streams_application():
    get_asgi_application()  # sets Django up, as for any ASGI entry point
    return StreamsHandler()
