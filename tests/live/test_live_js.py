"""live.js in Chromium: stream events become DOM events; a broken stream falls back to polling."""

import pytest

pytestmark = [pytest.mark.live, pytest.mark.browser]

RECORD_EVENTS = """
window.liveEvents = [];
for (const name of ["live:ready", "live:resync", "live:note.added"]) {
  document.addEventListener(name, (event) => window.liveEvents.push(
    {type: event.type, id: event.detail.id, data: event.detail.data}));
}
"""


def received(page, event_type, count=1):
    page.wait_for_function(
        "([type, count]) => window.liveEvents.filter((e) => e.type === type).length >= count",
        arg=[event_type, count],
        timeout=5_000,
    )
    return page.evaluate(
        "(type) => window.liveEvents.filter((e) => e.type === type)", event_type
    )


def open_probe_page(page, server, topic, query=""):
    page.add_init_script(RECORD_EVENTS)
    page.goto(f"{server.url}/probe/{topic}/page{query}")


def test_streamed_events_reach_the_page_as_dom_events(page, memory_server, post_event, topic):
    open_probe_page(page, memory_server, topic)
    received(page, "live:ready")
    post_event(memory_server, topic, data={"note": 1})
    post_event(memory_server, topic, data={"note": 2})
    notes = received(page, "live:note.added", 2)
    assert [event["data"] for event in notes] == [{"note": 1}, {"note": 2}]
    assert page.get_attribute("#live", "data-live-state") == "live"


def test_when_streams_are_blocked_the_page_polls_instead(page, memory_server, post_event, topic):
    open_probe_page(page, memory_server, topic, "?stream=broken")
    page.wait_for_function(
        "() => document.querySelector('#live').dataset.liveState === 'polling'", timeout=5_000
    )
    post_event(memory_server, topic, data={"note": 1})
    post_event(memory_server, topic, data={"note": 2})
    notes = received(page, "live:note.added", 2)
    assert [event["data"] for event in notes] == [{"note": 1}, {"note": 2}]


def test_a_page_with_a_stale_position_is_asked_to_reload_its_content(
    page, memory_server, post_event, topic
):
    post_event(memory_server, topic, data={"note": 1})
    open_probe_page(page, memory_server, topic, "?last_event_id=0ldserver.1-1")
    (resync,) = received(page, "live:resync")
    assert resync["id"].endswith("-1")


@pytest.fixture
def restarted_server():
    from tests.live.servers import Server, server_env

    server = Server("memory-restart", server_env(LIVE_KEEPALIVE_SECONDS=0.5, LIVE_RETRY_MILLISECONDS=200)).start()
    yield server
    server.stop()


def test_after_a_restart_the_page_polls_then_follows_its_stream_again(page, restarted_server, post_event, topic):
    """A restart fails the stream several times in a row, like a network that breaks streams;
    the page polls meanwhile, then goes back to its stream instead of polling for good."""
    server = restarted_server
    open_probe_page(page, server, topic)
    received(page, "live:ready")
    server.process.kill()  # SIGKILL, as a crash
    server.process.wait(timeout=5)
    page.wait_for_function("() => document.querySelector('#live').dataset.liveState === 'offline'", timeout=10_000)
    server.start()
    # Back on its stream: by a poll first ('polling'), or straight away when the stream, tried
    # again a couple of seconds after each failure, comes back before the next poll does.
    page.wait_for_function("() => document.querySelector('#live').dataset.liveState === 'live'", timeout=20_000)
    post_event(server, topic, data={"note": 7})
    notes = received(page, "live:note.added")
    assert notes[-1]["data"] == {"note": 7}
    assert page.evaluate("window.liveEvents.filter((e) => e.type === 'live:ready').length") >= 2
