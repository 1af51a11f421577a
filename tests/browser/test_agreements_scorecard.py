"""The public scorecard on a phone: read it, rate a few elements, see the score and the gaps."""

from pathlib import Path

import pytest
import yaml

from intersector.agreements import services
from tests.conftest import check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_visitor_scores_an_agreement_on_a_phone_without_an_account(live_server, phone_page):
    services.import_scorecard(yaml.safe_load((ROOT / "content/agreements/scorecard.yaml").read_text()))
    page = phone_page
    page.goto(live_server.url + "/agree/")
    page.get_by_role("link", name="The scorecard").click()
    page.get_by_role("heading", name="What if?").wait_for()
    check_accessibility(page)
    page.locator("#element-vision").get_by_label("Fully in place", exact=True).check()
    page.locator("#element-governance").get_by_label("Not in place", exact=True).check()
    page.locator("#element-liability").get_by_label("Not relevant", exact=True).check()
    page.locator("#comment-governance").fill("We need a steering group.")
    page.get_by_role("button", name="Save and see my score").click()
    results = page.locator("#results")
    results.wait_for()
    text = results.inner_text()
    assert "Overall: 50%" in text
    assert text.index("Governance") < text.index("Gaps") + 2000
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(page)
    screenshot(page, "agree-scorecard-phone")
