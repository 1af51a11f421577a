"""The screens a facilitator and a phone see when an agenda item's kind is gone from the site (a
removed plug-in), the new-workshop page that lists the kinds' starter agenda, and the results
page with each kind's downloads: readable at 360 px and on a desktop, and accessible."""

import pytest

from intersector.workshops import services
from intersector.workshops.models import AgendaItem, Workshop
from tests.conftest import check_accessibility, screenshot
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    from django.db import connection

    server = Server("convene-kinds-browser", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


def sign_in(page, server):
    page.goto(f"{server.url}/accounts/sign-in/")
    page.get_by_label("User name or e-mail address").fill("fiona")
    page.get_by_label("Password").fill("a-long-pass-phrase-42")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_a_removed_kind_is_shown_plainly_on_every_screen(server, new_page, django_user_model):
    django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")
    for width, name in ((1280, "desktop"), (360, "phone")):
        console = new_page(width=width, height=900)
        console.set_default_timeout(20_000)
        sign_in(console, server)
        console.goto(f"{server.url}/convene/new/")
        assert console.get_by_text("Sector styles: brainwriting and debrief").first.is_visible()
        screenshot(console, f"workshops-new-{name}")
        check_accessibility(console)
        console.get_by_label("Title").fill(f"Kinds {name}")
        console.get_by_role("button", name="Create workshop").click()
        console.get_by_role("heading", name=f"Kinds {name}").wait_for()
        workshop = Workshop.objects.get(title=f"Kinds {name}")
        # The case simulation's plug-in ran here once, and has been taken off the site since.
        gone = workshop.items.get(order=3)
        AgendaItem.objects.filter(pk=gone.pk).update(kind="roleplay", config={"pack": 1})
        Workshop.objects.filter(pk=workshop.pk).update(current_item=gone, status="live")

        console.goto(f"{server.url}/convene/{workshop.pk}/")
        console.get_by_text("This activity is not available on this site.").wait_for()
        screenshot(console, f"workshops-console-unavailable-{name}")
        check_accessibility(console)
        console.goto(f"{server.url}/convene/{workshop.pk}/agenda/")
        assert console.get_by_label("Kind").nth(3).input_value() == "roleplay"
        screenshot(console, f"workshops-agenda-unavailable-{name}")
        check_accessibility(console)
        console.goto(f"{server.url}/w/{workshop.code}/screen")
        console.get_by_text("This activity is not available on this site.").wait_for()
        screenshot(console, f"workshops-projector-unavailable-{name}")
        console.goto(f"{server.url}/convene/{workshop.pk}/results/")
        assert console.get_by_role("link", name="Download every note (CSV)").is_visible()
        screenshot(console, f"workshops-results-{name}")
        check_accessibility(console)

    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    phone.goto(f"{server.url}/w/{workshop.code}/")
    phone.get_by_label("Your name (as others will see it)").fill("Ana")
    phone.get_by_label("Government").check()
    phone.get_by_role("button", name="Join").click()
    phone.get_by_text("This activity is not available on this site.").wait_for()
    screenshot(phone, "workshops-phone-unavailable")
    check_accessibility(phone)

    # Going to it is refused with a message on the console; the next item runs.
    console = new_page(width=1280, height=900)
    sign_in(console, server)
    console.goto(f"{server.url}/convene/{workshop.pk}/")
    services.go_to_item(workshop, workshop.items.first())
    console.reload()
    console.get_by_role("button", name="Go to Partnering agreement case simulation").click()
    console.get_by_text("cannot be run").wait_for()
    screenshot(console, "workshops-console-refused-desktop")
