"""Django's WSGI handler on a pool of long-lived threads, under uvicorn: every page request that
is not a live stream (intersector/asgi.py says why pages go through WSGI).

Why not a2wsgi's WSGIMiddleware, which did this before: it hands every piece of a request across
between the event loop and the thread and waits for the other side each time (the response's
start, each body chunk, the end, and the request body read from the thread), three to five
round trips that cost about 0.5 ms of CPU per request on the 2-core machines: a third of a
phone's whole request (/healthz through uvicorn 1.1-1.4 ms before, 0.6-0.7 ms after; measured in
one run). Here a request costs one round trip: its body is read on the loop before the thread
starts (when it is small; a large upload is still read from the thread as it arrives, with
a2wsgi's Body), and the thread gives back the status, headers and whole body at once. A response
larger than STREAM_AFTER (a CSV export, a PDF) is sent in pieces of that size as the thread makes
them, each waiting for the client, so memory stays bounded.

Each request runs in a fresh copy of the loop's context, as under a2wsgi: Django keeps its cache
objects per context (intersector/redis_pool.py) and its database connections per thread.
"""

import asyncio
import contextvars
import io
from concurrent.futures import ThreadPoolExecutor

from a2wsgi.wsgi import Body, build_environ

READ_FIRST = 1024 * 1024  # request bodies up to this size are read before the view runs
STREAM_AFTER = 64 * 1024  # a response past this size is sent as it is made


class PagesInThreads:
    def __init__(self, wsgi_application, workers):
        self.wsgi_application = wsgi_application
        self.executor = ThreadPoolExecutor(thread_name_prefix="pages", max_workers=workers)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return
        loop = asyncio.get_running_loop()
        body = await read_body(scope, receive) if small_body(scope) else Body(loop, receive)
        environ = build_environ(scope, body)
        response = Response(loop, send)
        context = contextvars.copy_context()
        whole = await loop.run_in_executor(self.executor, context.run, response.make, self.wsgi_application, environ)
        if whole is not None:  # the usual case: nothing was sent from the thread
            start, content = whole
            await send(start)
            await send({"type": "http.response.body", "body": content})


def small_body(scope):
    """Whether the request says its body is at most READ_FIRST bytes (most requests: none)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return value.isdigit() and int(value) <= READ_FIRST
        if name == b"transfer-encoding":
            return False
    return True


async def read_body(scope, receive):
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client left: the view sees what came
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return io.BytesIO(b"".join(chunks))


class Response:
    """One request's answer, made in a pool thread: given back whole when it is small, else
    sent from the thread as it grows."""

    def __init__(self, loop, send):
        self.loop, self.send = loop, send
        self.start, self.buffer, self.started = None, [], False

    def start_response(self, status, headers, exc_info=None):
        if exc_info and self.started:
            raise exc_info[1].with_traceback(exc_info[2])
        self.start = {"type": "http.response.start", "status": int(status.split(" ", 1)[0]),
                      "headers": [(name.strip().lower().encode("latin1"), value.strip().encode("latin1"))
                                  for name, value in headers]}
        return self.buffer.append  # WSGI's write(): Django never calls it, but it must work

    def make(self, wsgi_application, environ):
        """Run the view; (start message, body) when the whole answer is small, else None once
        it has all been sent from here."""
        content = wsgi_application(environ, self.start_response)
        size = sum(map(len, self.buffer))
        try:
            for chunk in content:
                self.buffer.append(chunk)
                size += len(chunk)
                if size >= STREAM_AFTER:
                    self.flush(more=True)
                    size = 0
        finally:
            getattr(content, "close", lambda: None)()
        if not self.started:
            return self.start, b"".join(self.buffer)
        self.flush(more=False)
        return None

    def flush(self, more):
        if not self.started:
            self.started = True
            self.pass_on(self.start)
        self.pass_on({"type": "http.response.body", "body": b"".join(self.buffer), "more_body": more})
        self.buffer.clear()

    def pass_on(self, message):
        asyncio.run_coroutine_threadsafe(self.send(message), self.loop).result()
