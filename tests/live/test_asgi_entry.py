"""The site's ASGI entry point: streams on Django's ASGI handler, everything else on the WSGI pool."""

import httpx
import pytest

from intersector.asgi import is_stream

pytestmark = pytest.mark.live


@pytest.mark.parametrize("path, streams", [
    ("/w/ABC123/live", True),
    ("/convene/7/live", True),
    ("/agreements/2b6f0f8e-8a43-4a59-9d47-6c1d0f1b0c3e/live/", True),
    ("/w/ABC123/live/poll", False),
    ("/w/ABC123/", False),
    ("/", False),
    ("/no/such/page", False),
])
def test_only_live_stream_views_go_to_the_async_handler(path, streams):
    assert is_stream(path) is streams


@pytest.fixture
def site_server():
    """uvicorn on the test database (the probe server's database has no tables)."""
    from django.db import connection

    from tests.live.servers import Server, server_env
    from tests.workshops.phones import database_url

    server = Server("site", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


@pytest.mark.django_db(transaction=True)
def test_pages_static_files_and_forms_work_through_uvicorn(site_server):
    with httpx.Client(base_url=site_server.url, timeout=10) as http:
        home = http.get("/")
        assert home.status_code == 200 and "Content-Security-Policy" in home.headers
        css = http.get("/static/intersector/site.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
        sign_in = http.get("/accounts/sign-in/")
        refused = http.post("/accounts/sign-in/", data={"username": "nobody", "password": "wrong"})
        assert refused.status_code == 403  # no CSRF token: refused, not crashed
        answered = http.post(
            "/accounts/sign-in/", data={"username": "nobody", "password": "wrong"},
            headers={"X-CSRFToken": http.cookies["csrftoken"]},
        )
        assert sign_in.status_code == 200 and answered.status_code == 400
        assert "do not match" in answered.text
        missing = http.get("/no/such/page/")
        assert missing.status_code == 404 and "<html" in missing.text


# Pages run on Django's WSGI handler in pool threads (intersector/pages_in_threads.py): a small
# answer comes back whole in one hop, a large one is sent as it is made, a large upload is read
# as it arrives.

@pytest.mark.parametrize("size", [0, 3, 200_000, 2_000_007])  # the last one is read as it arrives
def test_a_request_body_reaches_the_view_whole(memory_server, size):
    import hashlib
    import os

    body = os.urandom(size)
    with httpx.Client(base_url=memory_server.url, timeout=20) as http:
        answer = http.post("/probe/body-digest", content=body, headers={"Content-Type": "application/octet-stream"})
    assert answer.status_code == 200
    assert answer.json() == {"size": size, "sha256": hashlib.sha256(body).hexdigest()}


@pytest.mark.parametrize("query", ["", "?streamed=1"])
@pytest.mark.parametrize("count", [1, 5_000, 150_000])  # 12 bytes each: up to 1.8 MB
def test_an_answer_of_any_size_arrives_whole_and_in_order(memory_server, count, query):
    with httpx.Client(base_url=memory_server.url, timeout=20) as http:
        answer = http.get(f"/probe/lines/{count}{query}")
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/plain"
    assert answer.content == b"".join(f"line {n:07d}\n".encode() for n in range(count))


def test_an_answer_that_breaks_midway_is_cut_short_and_the_server_goes_on(memory_server):
    with httpx.Client(base_url=memory_server.url, timeout=20) as http:
        with pytest.raises(httpx.HTTPError):  # the client sees the connection end early
            answer = http.get("/probe/breaks-while-streaming")
            assert len(answer.content) < 1024 * 1024 + 1  # never a whole answer
        assert http.get("/probe/ping").text == "ok"
