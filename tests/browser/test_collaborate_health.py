"""The health check in a real browser: the convenor opens a wave, a member answers it on a 360-px
phone, the convenor closes it and reads the banded results split by sector. Axe on every page."""

import pytest

from tests.collaboratives.conftest import CONTENT
from tests.browser.collaborate_steps import PASSWORD, sign_in
from tests.conftest import check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def compact(django_user_model):
    from intersector.collaboratives import services
    from intersector.library.content import Run, load_toolkit

    load_toolkit(CONTENT, Run())
    users = {name: django_user_model.objects.create_user(name, f"{name}@example.org", PASSWORD)
             for name in ("carla", "dana", "eli", "fay", "gus", "hana", "ivo")}
    collaborative = services.create_collaborative(users["carla"], name="Clean Air Compact", purpose="Cleaner air")
    chamber = services.add_partner(collaborative, name="River City Chamber", sector="business")
    council = services.add_partner(collaborative, name="River City Council", sector="government")
    members = {}
    for name, partner, role in (("dana", chamber, "representative"), ("eli", chamber, "alternate"),
                                ("fay", chamber, "observer"), ("gus", council, "representative"),
                                ("hana", council, "alternate"), ("ivo", council, "observer")):
        member = services.add_person(collaborative, name=name.title(), email=f"{name}@example.org", role=role,
                                     partner=partner)
        member.user = users[name]
        member.save(update_fields=["user"])
        members[name] = member
    collaborative.people = members
    return collaborative


def test_a_member_answers_on_a_phone_and_the_convenor_reads_the_bands(live_server, new_page, compact):
    from intersector.collaboratives import health
    from intersector.collaboratives.models import HealthWave

    home = f"/collaborate/{compact.slug}/health/"
    desk = new_page()
    sign_in(desk, live_server.url, "carla", home)
    check_accessibility(desk)
    screenshot(desk, "collaborate-health-empty")
    desk.get_by_role("button", name="Open the first health check").click()
    desk.get_by_text("Health check 1 is open. Every partner and convenor can answer it now.").wait_for()
    check_accessibility(desk)

    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    sign_in(phone, live_server.url, "dana", home)
    phone.get_by_role("link", name="Answer the health check").click()
    first, second = health.factors()[0], health.factors()[1]
    phone.get_by_role("group", name=first.statement).get_by_label("5 · Strongly agree").check()
    phone.get_by_role("group", name=second.statement).get_by_label("2 · Disagree").check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(phone)
    screenshot(phone, "collaborate-health-answer-phone")
    phone.get_by_role("button", name="Send my answers").click()
    phone.get_by_text("Thank you: your answers are saved.").wait_for()
    phone.get_by_role("link", name="Change my answers").click()
    assert phone.get_by_role("group", name=first.statement).get_by_label("5 · Strongly agree").is_checked()
    phone.get_by_role("link", name="Health check", exact=True).click()

    # The rest answer (business 5, 4, 4 -> 4.3; government 3, 3, 2 -> 2.7).
    wave = HealthWave.objects.get()
    for name, value in (("eli", 4), ("fay", 4), ("gus", 3), ("hana", 3), ("ivo", 2)):
        health.answer(wave, compact.people[name], {first.key: value, second.key: 3})
    desk.reload()
    desk.get_by_text("6 people have answered so far.").wait_for()
    desk.get_by_role("button", name="Close it and show the results").click()
    desk.get_by_text("Health check 1 is closed. Its results are below.").wait_for()
    row = desk.get_by_role("row").filter(has_text=first.statement)
    assert row.get_by_text("4.3").is_visible() and row.get_by_text("2.7").is_visible()
    assert row.get_by_text("strength").is_visible() and row.get_by_text("needs attention").is_visible()
    check_accessibility(desk)
    screenshot(desk, "collaborate-health-results")

    phone.goto(live_server.url + f"/collaborate/{compact.slug}/health/1/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(phone)
    screenshot(phone, "collaborate-health-results-phone")
    phone.goto(live_server.url + home)
    check_accessibility(phone)
    screenshot(phone, "collaborate-health-phone")
