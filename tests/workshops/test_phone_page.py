"""The phone's page arrives in one round trip: its style and scripts are in the page, allowed by
their hashes in the Content-Security-Policy (never 'unsafe-inline'), and the page is gzipped."""

import base64
import gzip
import hashlib
import re

import pytest


def blocks(html, tag):
    return re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.S)


def sha256(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_inline_style_and_scripts_are_exactly_what_the_policy_allows(workshop, join_phone):
    _participant, phone = join_phone()
    response = phone.get(f"/w/{workshop.code}/")
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    styles, scripts = blocks(html, "style"), blocks(html, "script")
    assert len(styles) == 1 and len(scripts) == 1
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    style_src = re.search(r"style-src ([^;]*)", csp).group(1)
    assert sha256(scripts[0]) in script_src and sha256(styles[0]) in style_src
    assert "unsafe-inline" not in csp
    outside = re.sub(r"<(style|script)>.*?</\1>", "", html, flags=re.S)
    assert 'rel="stylesheet"' not in outside and "<script src" not in outside  # nothing else to fetch
    assert "EventSource" in scripts[0] and "data-keep-typing" in scripts[0]  # live.js and phone.js


def test_the_join_page_is_styled_inline_too_and_gzipped(workshop, client):
    response = client.get(f"/w/{workshop.code}/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert len(blocks(html, "style")) == 1 and sha256(blocks(html, "style")[0]) in response["Content-Security-Policy"]


@pytest.fixture
def site_server():
    from django.db import connection

    from tests.live.servers import Server, server_env
    from tests.workshops.phones import database_url

    server = Server("convene-csp", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


@pytest.mark.browser
@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_chromium_runs_the_inline_scripts_under_the_real_policy(browser, site_server, workshop):
    """Other browser tests bypass the CSP to inject axe-core; this one keeps it."""
    from intersector.workshops import services

    live_server = site_server
    services.next_item(workshop)
    services.start_timer(workshop, seconds=300)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    violations = []
    try:
        page = context.new_page()
        page.on("console", lambda message: violations.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.goto(f"{live_server.url}/w/{workshop.code}/")
        page.get_by_label("Your name (as others will see it)").fill("Ana")
        page.get_by_label("Government").check()
        page.get_by_role("button", name="Join").click()
        page.locator("[data-timer]").wait_for()
        # The scripts ran: the stream is live and the timer counts down. (Locator waits only:
        # wait_for_function evaluates strings, which this page's policy rightly forbids.)
        page.locator("#live[data-live-state='live']").wait_for(state="attached")
        first = page.locator(".timer-value").inner_text()
        page.locator(".timer-value").filter(has_not_text=first).wait_for()
        # The style applied: the note button is the full-width brand button, not a bare one.
        assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).display") == "flex"
    finally:
        context.close()
    assert violations == []
