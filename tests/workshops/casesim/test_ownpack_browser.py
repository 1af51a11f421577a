"""A facilitator uploads their own case pack in a real browser (uvicorn: the console follows the
live stream): on the agenda page, then the console's set-up shows it; axe on both, 360 px too."""

import pytest

from intersector.workshops import services
from intersector.workshops.activities.casesim.models import ItemPack
from tests.conftest import check_accessibility, screenshot
from tests.live.servers import Server, server_env
from tests.workshops.casesim.test_ownpack import MARKER, licensed
from tests.workshops.casesim.test_run_browser import sign_in
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    from django.db import connection

    server = Server("casesim-ownpack", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


def test_upload_on_the_agenda_and_see_it_in_the_set_up(server, new_page, django_user_model, tmp_path):
    facilitator = django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42",
                                                        first_name="Fiona", last_name="Reyes")
    workshop = services.create_workshop(facilitator, "Licensed case day", "starter")
    item = workshop.items.get(kind="casesim")
    pack = tmp_path / "licensed-case.yaml"
    pack.write_text(licensed(), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("key: [unclosed\n", encoding="utf-8")

    page = new_page(width=1366, height=900)
    sign_in(page, server)
    page.goto(f"{server.url}/convene/{workshop.pk}/agenda/")
    page.get_by_label("Case pack file (.yaml)").set_input_files(str(broken))
    page.get_by_role("button", name="Upload pack").click()
    page.get_by_text("This file cannot be used").wait_for()
    screenshot(page, "casesim-ownpack-problems")
    check_accessibility(page)
    page.get_by_role("link", name="Back to the agenda").click()
    page.get_by_label("Case pack file (.yaml)").set_input_files(str(pack))
    page.get_by_role("button", name="Upload pack").click()
    page.get_by_text("Your own pack: Licensed harbour case (en)").wait_for()
    assert ItemPack.objects.filter(item=item).count() == 1
    assert MARKER not in page.content()

    workshop.current_item = item  # current, not started yet: the set-up shows
    workshop.save()
    page.goto(f"{server.url}/convene/{workshop.pk}/")
    page.get_by_text("Set-up: case pack").click()
    page.locator(".sim-ownpack-list li", has_text="Your own pack: Licensed harbour case (en)").wait_for()
    assert page.get_by_label("Case pack", exact=True).input_value() == "licensed-case"
    page.locator(".sim-setup").scroll_into_view_if_needed()
    screenshot(page, "casesim-ownpack-setup")
    check_accessibility(page)

    phone = new_page(width=360, height=800)
    sign_in(phone, server)
    phone.goto(f"{server.url}/convene/{workshop.pk}/")
    phone.get_by_text("Set-up: case pack").click()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "casesim-ownpack-setup-360")
    phone.get_by_role("button", name="Remove").click()
    phone.get_by_text("Set-up: case pack").wait_for()
    assert not ItemPack.objects.filter(item=item).exists()
