"""Case packs in a real browser: staff edit a role in /cms/, see a problem listed, and import a
pack file on the staff page (screenshots in var/screenshots/)."""

import pytest

from intersector.casepacks.models import StoredPack
from tests.conftest import SCREENSHOTS, check_accessibility, screenshot
from tests.casepacks.conftest import STARTER, STARTER_ES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, client, user, live_server):
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def screenshot_path(name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def test_staff_edit_a_role_and_see_a_problem_in_plain_words(live_server, page, client, editor,
                                                            stored):
    signed_in(page, client, editor, live_server)
    page.goto(live_server.url + "/cms/snippets/casepacks/storedpack/")
    screenshot(page, "casepacks-cms-list")
    page.get_by_role("link", name=stored.title).first.click()
    page.get_by_role("tab", name="Roles").click()
    page.locator("input[name='role_rows-0-name']").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_path("casepacks-cms-role")))
    elements = page.locator("textarea[name='role_rows-0-elements']")
    elements.fill(elements.input_value() + ", decision-makin")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Did you mean 'decision-making'?").first.wait_for()
    screenshot(page, "casepacks-cms-problem")
    assert StoredPack.objects.get().version == 1
    page.get_by_role("tab", name="Roles").click()
    elements = page.locator("textarea[name='role_rows-0-elements']")
    elements.fill(elements.input_value().replace(", decision-makin", ""))
    page.locator("textarea[name='role_rows-1-brief']").fill("A short brief for the chamber.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/storedpack/")
    saved = StoredPack.objects.get()
    assert saved.version == 2
    # Only the brief changed: what the browser sent back (line breaks as CR LF) is the same pack.
    before, after = stored.data, saved.data
    assert after["roles"][1]["brief"] == "A short brief for the chamber."
    after["roles"][1]["brief"] = before["roles"][1]["brief"]
    assert {**after, "version": 1} == before


def test_the_edit_form_on_a_phone(live_server, phone_page, client, editor, stored):
    signed_in(phone_page, client, editor, live_server)
    phone_page.goto(live_server.url + f"/cms/snippets/casepacks/storedpack/edit/{stored.pk}/")
    phone_page.get_by_role("tab", name="Roles").click()
    phone_page.locator("textarea[name='role_rows-0-must_get']").scroll_into_view_if_needed()
    phone_page.screenshot(path=str(screenshot_path("casepacks-cms-role-phone")))


def test_staff_import_a_pack_file_on_a_phone_and_a_desktop(live_server, page, phone_page, client,
                                                           editor, stored, tmp_path):
    signed_in(page, client, editor, live_server)
    page.goto(live_server.url + "/case-packs/")
    check_accessibility(page)
    bad = tmp_path / "bad.yaml"
    bad.write_text(STARTER.read_text().replace("sector: business", "sector: government"))
    page.get_by_label("Case pack file (.yaml)").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    page.get_by_text("The pack was not imported").wait_for()
    screenshot(page, "casepacks-import-problems")
    check_accessibility(page)
    page.get_by_label("Case pack file (.yaml)").set_input_files(str(STARTER_ES))
    page.get_by_role("button", name="Import").click()
    page.get_by_text("is imported as version 1").wait_for()
    screenshot(page, "casepacks-imported")

    signed_in(phone_page, client, editor, live_server)
    phone_page.goto(live_server.url + "/case-packs/")
    fits(phone_page)
    screenshot(phone_page, "casepacks-import-phone")
    check_accessibility(phone_page)
