"""Commitments and results in a real browser: the convenor makes a commitment from a decision
that has its outcome; the partner's representative, on a 360-px phone, records progress on it;
the results page shows sub-results rolled up and an indicator's chart, on a desktop and a phone.
Every page is checked with axe."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intersector.collaboratives import commitments, decisions, results
from intersector.collaboratives.models import Commitment
from tests.browser.collaborate_steps import clean_air_compact, sign_in
from tests.conftest import check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def shot(page, name):
    return screenshot(page, name)


@pytest.fixture
def compact(django_user_model):
    c, users = clean_air_compact(django_user_model)
    chamber, rep = c.chamber, c.members.get(user=users["dana"])
    convenor = c.members.get(role="convenor")
    decision = decisions.open_decision(c, convenor, title="Share commute data", kind="consent",
                                       text="Employers share anonymised commute figures twice a year.",
                                       closes_at=timezone.now() + timedelta(days=2))
    decisions.cast_vote(decision, rep, choice="agree")
    decisions.close_decision(decision, convenor)
    decisions.write_outcome(decision, convenor, statement="Agreed: the first figures come in two months.",
                            review_on=None)
    late = commitments.make_commitment(c, convenor, what="Host the first corridor walk with residents",
                                       due=timezone.localdate(), partner=chamber)
    Commitment.objects.filter(pk=late.pk).update(due=timezone.localdate() - timedelta(days=4))
    top = results.add_result(c, title="Cleaner air along the pilot corridor", status="on-track", decision=decision)
    results.add_result(c, title="Bus lanes built", parent=top, progress=60, weight=2, status="on-track")
    trees = results.add_result(c, title="Tree buffers at schools", parent=top, status="at-risk")
    results.add_result(c, title="Trees planted", parent=trees, progress=45, status="on-track")
    results.add_result(c, title="Care plan for the trees", parent=trees, status="not-started")
    bus = results.add_indicator(c, title="Weekday bus riders on the corridor", unit="riders", baseline=5200,
                                target=8000, baseline_on=timezone.localdate() - timedelta(days=365),
                                target_on=timezone.localdate() + timedelta(days=540))
    for days, value in ((330, 5150), (240, 5300), (150, 5480), (60, 5900), (10, 6120)):
        results.add_actual(bus, convenor, on=timezone.localdate() - timedelta(days=days), value=value)
    c.decision = decision
    return c


def test_a_commitment_from_a_decision_progress_on_a_phone_and_the_results_chart(live_server, new_page, compact):
    desk = new_page()
    sign_in(desk, live_server.url, "carla", compact.decision.get_absolute_url())
    desk.get_by_role("link", name="Add a commitment from this decision").click()
    desk.get_by_label("What will be done").fill("Collect the first commute figures from member employers.")
    desk.get_by_label("Which partner commits (optional)").select_option(label="River City Chamber")
    desk.get_by_label("Which person holds it (optional)").select_option(label="Dana Ortiz (River City Chamber)")
    # (The date field offers no day before today; the server's refusal is tested in test_commitments.)
    desk.get_by_label("Due by").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    check_accessibility(desk)
    shot(desk, "commitment-new")
    desk.get_by_role("button", name="Save the commitment").click()
    desk.get_by_text("Saved the commitment.").wait_for()
    desk.get_by_role("link", name="Collect the first commute figures from member employers.").wait_for()
    shot(desk, "decision-with-commitment")

    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    page_url = f"/collaborate/{compact.slug}/commitments/"
    sign_in(phone, live_server.url, "dana", page_url)
    phone.get_by_text("Overdue: due by").first.wait_for()  # the walk is four days late
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(phone)
    shot(phone, "commitments-phone")
    card = phone.locator("li.commitment-card", has_text="Collect the first commute figures")
    card.get_by_text("Update this commitment").click()
    card.get_by_label("Status").select_option(label="Under way")
    card.get_by_label("Done so far (%)").fill("40")
    card.get_by_label("What happened (optional)").fill("Eleven employers have sent their figures.")
    card.get_by_role("button", name="Save the update").click()
    phone.get_by_text("Saved your update.").wait_for()
    card = phone.locator("li.commitment-card", has_text="Collect the first commute figures")
    card.get_by_text("40% done").first.wait_for()
    card.get_by_text("History (2 entries)").click()
    card.get_by_text("Eleven employers have sent their figures.").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(phone)
    shot(phone, "commitment-updated-phone")

    desk.goto(live_server.url + f"/collaborate/{compact.slug}/results/")
    # Bus lanes 60 (weight 2); tree buffers (blank: the mean of the given weights, 2) 22.5 from its own two.
    desk.get_by_text("41% done, from its 2 sub-results").wait_for()
    chart = desk.locator("svg[role=img]")
    assert chart.count() == 1 and "Weekday bus riders" in chart.locator("title").text_content()
    assert chart.locator("circle").count() == 5
    check_accessibility(desk)
    shot(desk, "results")
    phone.goto(live_server.url + f"/collaborate/{compact.slug}/results/")
    phone.get_by_text("The 5 figures as a table").click()
    phone.get_by_role("cell", name="6120").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(phone)
    shot(phone, "results-phone")
