"""A phone at 360 px takes its table's draft to Agree, in a real browser under uvicorn: the button
gives the link, and a person opening it signs in, comes back, and makes the agreement (axe-clean)."""

import pytest

from intersector.agreements.models import Agreement
from intersector.workshops.activities.casesim.models import RoleSeat, TableRun
from tests.conftest import check_accessibility, screenshot
from tests.workshops.casesim.test_show_browser import seven_tables  # the report back with 7 tables' sheets
from tests.workshops.casesim.test_table_browser import phone, server  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_a_phone_takes_its_tables_draft_to_agree(server, new_page, django_user_model):
    facilitator = django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")
    workshop, item = seven_tables(facilitator)
    run = TableRun.objects.filter(simulation__item=item).order_by("table__number").first()
    seat = RoleSeat.objects.filter(simulation__item=item, table=run.table).select_related("participant").first()
    page = phone(new_page, server, workshop, seat.participant)
    button = page.get_by_role("button", name="Take our draft to Agree")
    # Styled as the phone's other buttons, and as big a target for a thumb (it was a bare grey one).
    assert button.bounding_box()["height"] >= 44
    assert button.evaluate("b => getComputedStyle(b).borderRadius") == "6px"
    screenshot(page, "casesim-agree-phone-button-360")
    button.click()
    page.get_by_role("heading", name="Take our draft to Agree").wait_for()
    screenshot(page, "casesim-agree-phone-link-360")
    check_accessibility(page)
    link = page.get_by_label("The link, to copy and send to yourself").input_value()
    assert link.startswith(server.url + f"/w/{workshop.code}/casesim/agree/")

    django_user_model.objects.create_user("kim", "kim@example.org", "a-long-pass-phrase-45")
    page.goto(link)  # not signed in: the sign-in page, then back to the link
    page.get_by_label("User name or e-mail address").fill("kim")
    page.get_by_label("Password").fill("a-long-pass-phrase-45")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Create the agreement in Agree").wait_for()
    screenshot(page, "casesim-agree-phone-confirm-360")
    check_accessibility(page)
    page.get_by_role("button", name="Create the agreement in Agree").click()
    page.wait_for_url("**/agreements/**")
    agreement = Agreement.objects.get()
    assert agreement.created_by.username == "kim" and "Table 1" in agreement.name
    page.goto(link)  # once per person: back to the same agreement
    page.wait_for_url(f"**{agreement.get_absolute_url()}")
    assert Agreement.objects.count() == 1
