"""Collaborate in a real browser: a convenor starts a collaborative, adds a group, a partner and a
person; the invited person makes an account from the e-mailed link and writes a worksheet. Every
page is checked with axe, and on a 360-px phone for the partner."""

import re

import pytest
from django.core import mail

from tests.collaboratives.conftest import CONTENT
from tests.browser.collaborate_steps import PASSWORD, sign_in
from tests.conftest import check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def convenor(django_user_model):
    from intersector.library.content import Run, load_toolkit

    load_toolkit(CONTENT, Run())
    return django_user_model.objects.create_user("carla", "carla@example.org", PASSWORD, first_name="Carla",
                                                 last_name="Reyes")


def test_a_convenor_sets_up_and_a_partner_joins_and_writes_a_worksheet(live_server, new_page, convenor):
    page = new_page()
    sign_in(page, live_server.url, "carla")
    check_accessibility(page)
    page.get_by_role("link", name="Start a collaborative").click()
    page.get_by_label("Name").fill("Clean Air Compact")
    page.get_by_label("The issue you work on").fill("Air quality and transport")
    page.get_by_label("Place").fill("River City")
    check_accessibility(page)
    page.get_by_role("button", name="Start the collaborative").click()
    page.get_by_role("heading", name="Partners and people").wait_for()

    page.get_by_label("Group's name").fill("Business")
    page.get_by_role("button", name="Add the group").click()
    page.get_by_text("Added the group Business.").wait_for()
    page.get_by_label("Organisation's name").fill("River City Chamber")
    page.get_by_label("Sector").select_option("business")
    page.get_by_label("Interest group", exact=True).select_option(label="Business")
    page.get_by_role("button", name="Add the partner").click()
    page.get_by_text("Added River City Chamber.").wait_for()
    page.get_by_label("Takes part for").select_option(label="River City Chamber")
    page.get_by_label("Name", exact=True).fill("Dana Ortiz")
    page.get_by_label("E-mail address").fill("dana@example.org")
    page.get_by_label("Representative").check()
    page.get_by_role("button", name="Add the person").click()
    page.get_by_text("Sent Dana Ortiz an invitation by e-mail.").wait_for()
    screenshot(page, "collaborate-partners")
    check_accessibility(page)

    page.get_by_role("link", name="The five steps").click()
    page.get_by_text("Change the Assess step").click()
    page.get_by_label("Status").first.select_option("under-way")
    page.get_by_role("button", name="Save the step").first.click()
    page.get_by_text("Saved the Assess step.").wait_for()
    screenshot(page, "collaborate-steps")
    check_accessibility(page)
    page.get_by_role("link", name="Overview").click()
    page.wait_for_url(re.compile(r"/collaborate/[^/]+/$"))
    screenshot(page, "collaborate-home")
    check_accessibility(page)

    link = re.search(r"https?://\S+(/collaborate/join/\S+/)", mail.outbox[-1].body).group(1)
    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    phone.goto(live_server.url + link)
    phone.get_by_text("invited as Representative for River City Chamber").wait_for()
    check_accessibility(phone)
    screenshot(phone, "collaborate-join-phone")
    phone.get_by_label("Password").fill("clean-air-for-all-27")
    phone.get_by_role("button", name="Create my account and join").click()
    phone.get_by_text("Welcome to Clean Air Compact.").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(phone)
    screenshot(phone, "collaborate-home-phone")
    phone.get_by_role("link", name="The five steps").click()
    # Wait for the new page: measuring during navigation finds no document.
    phone.get_by_role("heading", name="The five steps", level=2).wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("link", name="Engage potential partners").click()
    phone.wait_for_url(re.compile(r"/tools/[^/]+/$"))
    first = phone.locator("textarea").first
    first.fill("The chamber, the clinics and the transit agency")
    phone.get_by_role("button", name="Save a new version").click()
    phone.get_by_text("Saved as version 1.").wait_for()
    assert first.input_value() == "The chamber, the clinics and the transit agency"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "collaborate-worksheet-phone")
    check_accessibility(phone)
    phone.get_by_role("link", name="Partners and people").click()
    phone.get_by_role("heading", name="Partners and people", level=2).wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "collaborate-partners-phone")
    check_accessibility(phone)
