"""The facilitator pauses and resumes a table's phase clock on the console, in a real browser under
uvicorn: the phone at that table says "Paused" at once (live) and its countdown stands still; on
resume it counts down again from the time it had left. Another table's phone keeps counting."""

import re

import pytest

from intersector.workshops import services
from intersector.workshops.activities.casesim.models import RoleSeat, TableRun
from tests.conftest import check_accessibility, screenshot
from tests.workshops.casesim.test_run_browser import room, server, sign_in  # noqa: F401  (fixture)
from tests.workshops.casesim.test_table_browser import phone

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


def seconds_shown(page):
    text = page.locator(".sim-timer .timer-value").inner_text()
    minutes, seconds = re.fullmatch(r"(\d+):(\d\d)", text.strip()).groups()
    return int(minutes) * 60 + int(seconds)


def test_a_paused_clock_stands_still_on_the_phone_and_resumes_from_its_time_left(server, new_page, django_user_model):
    facilitator = django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")
    workshop, item = room(facilitator, 6, 2, "Pause")
    services.go_to_item(workshop, item)
    first, second = TableRun.objects.filter(simulation__item=item).order_by("table__number")
    at = {run.pk: RoleSeat.objects.filter(simulation__item=item, table=run.table).first().participant
          for run in (first, second)}
    console = new_page(width=1366, height=900)
    sign_in(console, server)
    console.goto(f"{server.url}/convene/{workshop.pk}/")
    one, two = phone(new_page, server, workshop, at[first.pk]), phone(new_page, server, workshop, at[second.pk])
    for page in (one, two):
        page.locator(".sim-timer .timer-value").wait_for()

    console.get_by_role("button", name="Pause table 1's clock").click()
    one.locator(".sim-timer .sim-paused").get_by_text("Paused").wait_for()  # live, no reload
    console.get_by_role("button", name="Resume table 1's clock").wait_for()
    first.refresh_from_db()
    shown = seconds_shown(one)
    assert abs(shown - first.paused_left) <= 1
    one.wait_for_timeout(2500)
    assert seconds_shown(one) == shown  # the time left does not run down
    assert two.locator(".sim-paused").count() == 0
    before = seconds_shown(two)
    two.wait_for_timeout(1500)
    assert seconds_shown(two) < before  # the other table's clock still runs
    screenshot(one, "casesim-phone-paused")
    check_accessibility(one)
    screenshot(console, "casesim-console-paused")

    console.get_by_role("button", name="Resume table 1's clock").click()
    one.locator(".sim-timer .sim-paused").wait_for(state="detached")
    resumed = seconds_shown(one)
    assert shown - 2 <= resumed <= shown  # from the time it had left, not from the phase's start
    one.wait_for_timeout(2500)
    assert seconds_shown(one) < resumed

    console.get_by_role("button", name="Pause every clock").click()
    for page in (one, two):
        page.locator(".sim-timer .sim-paused").wait_for()
    console.get_by_role("button", name="Resume every paused clock").click()
    for page in (one, two):
        page.locator(".sim-timer .sim-paused").wait_for(state="detached")
