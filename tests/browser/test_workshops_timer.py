"""The countdown on a phone follows the facilitator's pause and restart from the live event alone:
with 500 phones in the room, a timer change must not make every phone reload its screen."""

import httpx
import pytest

from intersector.workshops import services
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]
CSRF = "d" * 32


@pytest.fixture
def server():
    from django.db import connection

    server = Server("convene-timer", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


def console_button(server, workshop, cookie, action):
    response = httpx.post(
        f"{server.url}/convene/{workshop.pk}/control/", data={"action": action},
        headers={"Cookie": f"{cookie}; csrftoken={CSRF}", "X-CSRFToken": CSRF}, timeout=10)
    assert response.status_code in (200, 302), response.text[:300]


def test_a_phone_countdown_pauses_and_restarts_without_reloading_the_screen(server, new_page, django_user_model):
    from django.test import Client

    facilitator = django_user_model.objects.create_user("tim", "tim@example.org", "a-long-pass-phrase-42")
    workshop = services.create_workshop(facilitator, "Timer test")
    services.next_item(workshop)
    services.start_timer(workshop, seconds=600)
    board = Client()
    board.force_login(facilitator)
    cookie = f"sessionid={board.cookies['sessionid'].value}"

    phone = new_page(width=360, height=740)
    phone.goto(f"{server.url}/w/{workshop.code}/")
    phone.get_by_label("Your name (as others will see it)").fill("Ana")
    phone.get_by_label("Government").check()
    phone.get_by_role("button", name="Join").click()
    timer = phone.locator("[data-timer]")
    timer.wait_for()
    phone.wait_for_function("document.getElementById('live').dataset.liveState === 'live'")
    reloads = []
    phone.on("request", lambda request: reloads.append(request.url) if "/now" in request.url else None)

    console_button(server, workshop, cookie, "pause")
    phone.wait_for_function("document.querySelector('[data-timer]').classList.contains('timer-paused')")
    assert "(paused)" in timer.inner_text()
    frozen = timer.locator(".timer-value").inner_text()
    phone.wait_for_timeout(1500)
    assert timer.locator(".timer-value").inner_text() == frozen  # it no longer counts down

    console_button(server, workshop, cookie, "start")
    phone.wait_for_function("!document.querySelector('[data-timer]').classList.contains('timer-paused')")
    phone.wait_for_function("v => document.querySelector('[data-timer] .timer-value').textContent !== v", arg=frozen)
    assert "(paused)" not in timer.inner_text()
    assert reloads == []
