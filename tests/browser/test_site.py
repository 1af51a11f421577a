"""The site layout in a real browser: readable on a phone and a desktop, accessible, signs in."""

import pytest

from tests.conftest import check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_on_a_phone_is_accessible_and_fits(live_server, phone_page):
    phone_page.goto(live_server.url + "/")
    assert phone_page.get_by_role("heading", level=1).is_visible()
    # Nothing wider than the 360-px screen: no sideways scrolling.
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360px phone"
    screenshot(phone_page, "home-phone")
    check_accessibility(phone_page)


def test_skip_link_takes_keyboard_users_to_the_content(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    screenshot(page, "home-skip-link")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#main'")
    assert page.evaluate("document.activeElement.id") == "main"


def test_sign_in_and_out(live_server, page, django_user_model):
    django_user_model.objects.create_user("maria", "maria@example.org", "a-long-pass-phrase-42")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("User name or e-mail address").wait_for()
    check_accessibility(page)
    page.get_by_label("User name or e-mail address").fill("maria@example.org")
    page.get_by_label("Password").fill("a-long-pass-phrase-42")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="Your account").is_visible()
    screenshot(page, "home-signed-in")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Sign in").is_visible()


def test_language_switcher_shows_the_site_in_spanish(live_server, page):
    page.goto(live_server.url + "/learn/")
    with page.expect_navigation():
        page.get_by_label("Language").select_option("es")
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.url.endswith("/learn/")
    assert page.get_by_role("link", name="Aprender").is_visible()
    screenshot(page, "learn-spanish")
    check_accessibility(page)


def test_friendly_404_page_is_accessible(live_server, page):
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="We could not find that page").is_visible()
    screenshot(page, "error-404")
    check_accessibility(page)
