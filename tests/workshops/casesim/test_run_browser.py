"""The facilitator's console during a case simulation, in a real browser under uvicorn (the console
follows the workshop's live stream): the set-up before the start, the overview with 2 tables and
with 40 (300 people), its buttons, and axe on each."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intersector.workshops import services
from intersector.workshops.activities.casesim.models import RoleSeat, SheetEntry, TableRun
from tests.conftest import check_accessibility, screenshot
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]
SECTORS = ["government", "business", "non-profit"]


@pytest.fixture
def server():
    from django.db import connection

    server = Server("casesim-console", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


def sign_in(page, server):
    page.goto(f"{server.url}/accounts/sign-in/")
    page.get_by_label("User name or e-mail address").fill("fiona")
    page.get_by_label("Password").fill("a-long-pass-phrase-42")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def room(facilitator, people, tables, title):
    workshop = services.create_workshop(facilitator, title, "starter")
    for n in range(people):
        services.join(workshop, f"Person {n + 1:03}", SECTORS[n % 3])
    services.set_table_count(workshop, tables)
    return workshop, workshop.items.get(kind="casesim")


def some_work(item):
    """A table that has chosen families and agreed things, one quiet and over time, briefs read."""
    runs = list(TableRun.objects.filter(simulation__item=item).order_by("table__number"))
    now = timezone.now()
    TableRun.objects.filter(pk=runs[0].pk).update(families=["who", "why", "how"])
    for n, status in enumerate(["agreed", "agreed", "disputed", "parked"]):
        SheetEntry.objects.create(run=runs[0], family="who", element=f"e{n}", status=status)
    TableRun.objects.filter(pk=runs[-1].pk).update(last_activity=now - timedelta(minutes=4),
                                                   phase_ends_at=now - timedelta(minutes=2))
    seats = RoleSeat.objects.filter(simulation__item=item).order_by("pk")
    RoleSeat.objects.filter(pk__in=[s.pk for s in seats[::2]]).update(opened_at=now, acknowledged_at=now)
    RoleSeat.objects.filter(pk__in=[s.pk for s in seats[::3]]).update(last_seen=now)


def test_the_console_runs_two_tables(server, new_page, django_user_model):
    facilitator = django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")
    workshop, item = room(facilitator, 9, 2, "Two tables")
    console = new_page(width=1366, height=900)
    sign_in(console, server)
    workshop.current_item = item  # current, not started yet: the set-up shows
    workshop.save()
    console.goto(f"{server.url}/convene/{workshop.pk}/")
    console.get_by_text("Set-up: case pack").click()
    screenshot(console, "casesim-console-setup")
    check_accessibility(console)

    services.go_to_item(workshop, workshop.items.exclude(kind="casesim").first())
    services.go_to_item(workshop, item)
    some_work(item)
    console.goto(f"{server.url}/convene/{workshop.pk}/")
    console.get_by_role("button", name="Every table to: Choose the question families").wait_for()
    screenshot(console, "casesim-console-2-tables")
    check_accessibility(console)

    first = TableRun.objects.filter(simulation__item=item).order_by("table__number").first()
    before = first.phase_ends_at
    console.get_by_role("button", name="+2 min for table 1").click()
    console.get_by_text("(+2)").wait_for()
    first.refresh_from_db()
    assert first.phase_ends_at - before == timedelta(minutes=2)
    console.get_by_role("button", name="Move table 1 on").click()
    console.get_by_role("cell", name="Choose the question families").first.wait_for()
    console.get_by_role("button", name="Back table 1 one phase").click()  # a click on the wrong table
    console.get_by_role("button", name="Back table 1 one phase").wait_for(state="detached")
    console.get_by_role("button", name="Move table 1 on").click()
    console.get_by_role("button", name="Back table 1 one phase").wait_for()
    console.get_by_role("button", name="Every table to: Choose the question families").click()
    console.get_by_role("button", name="Every table to: Negotiate the agreement").click()
    console.get_by_role("button", name="Every table to: Prepare what you will present").wait_for()
    assert set(TableRun.objects.filter(simulation__item=item).values_list("phase", flat=True)) == {"negotiate"}
    console.get_by_role("button", name="Start the report back").click()
    console.get_by_role("button", name="Back to the tables").wait_for()

    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    sign_in(phone, server)
    phone.goto(f"{server.url}/convene/{workshop.pk}/")
    screenshot(phone, "casesim-console-2-tables-360")
    wide = phone.evaluate("""() => [...document.querySelectorAll('#now *')]
        .filter(e => !e.closest('.table-scroll') && e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert not wide, wide  # only the overview's table scrolls sideways at 360 px

    guide = new_page(width=1280, height=900)
    sign_in(guide, server)
    guide.goto(f"{server.url}/convene/{workshop.pk}/items/{item.pk}/casesim/guide/")
    guide.get_by_role("heading", name="The briefs every table plays").wait_for()
    screenshot(guide, "casesim-guide")
    check_accessibility(guide)


def test_the_console_shows_forty_tables(server, new_page, django_user_model):
    facilitator = django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")
    workshop, item = room(facilitator, 300, 40, "Forty tables")
    services.go_to_item(workshop, item)
    some_work(item)
    console = new_page(width=1366, height=900)
    console.set_default_timeout(40_000)  # 300 people: the core's people panel alone takes seconds on a busy machine
    sign_in(console, server)
    console.goto(f"{server.url}/convene/{workshop.pk}/")
    console.get_by_role("row", name="40").first.wait_for()
    assert console.locator(".sim-tables tbody tr").count() == 40
    screenshot(console, "casesim-console-40-tables")
    check_accessibility(console)
