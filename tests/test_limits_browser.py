"""The pause pages in a real browser: plain words, the wait in minutes, readable on a phone."""

import uuid

import pytest

from tests.conftest import check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture(autouse=True)
def own_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": f"limits-browser-{uuid.uuid4()}"}
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("width, height", [(360, 740), (1280, 900)])
def test_signing_in_pauses_after_five_wrong_passwords(live_server, new_page, django_user_model, width, height):
    django_user_model.objects.create_user("lena", "lena@example.org", PASSWORD)
    page = new_page(width=width, height=height)
    for attempt in range(6):
        page.goto(live_server.url + "/accounts/sign-in/")
        page.get_by_label("User name or e-mail address").fill("lena")
        page.get_by_label("Password").fill(PASSWORD if attempt == 5 else f"guess {attempt}")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
    page.get_by_role("heading", name="Too many attempts to sign in").wait_for()
    assert "Please wait 15 minutes, then try again." in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"sign-in-paused-{width}")
    check_accessibility(page)


@pytest.mark.parametrize("width, height", [(360, 740), (1280, 900)])
def test_a_fourth_reset_link_in_an_hour_waits(live_server, new_page, width, height):
    page = new_page(width=width, height=height)
    for _ in range(4):
        page.goto(live_server.url + "/accounts/password-reset/")
        page.get_by_label("E-mail address of your account").fill("someone@example.org")
        page.get_by_role("button", name="Send me a link").click()
        page.wait_for_load_state()
    page.get_by_role("heading", name="Please wait before asking again").wait_for()
    assert "wait 60 minutes and ask again" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"reset-paused-{width}")
    check_accessibility(page)
