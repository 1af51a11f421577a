"""The partner network survey in a real browser: the convenor opens a wave, two partners answer
(one on a 360-px phone), the convenor closes it and the map shows, drawn in the page, with its
table of ties. Axe on every page; screenshots under var/screenshots/ (and /work/wt/shots)."""

import pytest

from tests.browser.collaborate_steps import PASSWORD, sign_in
from tests.conftest import check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def compact(django_user_model):
    from intersector.collaboratives import services

    users = {name: django_user_model.objects.create_user(name, f"{name}@example.org", PASSWORD)
             for name in ("carla", "dana", "gus", "fay")}
    collaborative = services.create_collaborative(users["carla"], name="Clean Air Compact", purpose="Cleaner air")
    business = services.add_group(collaborative, "Business")
    public = services.add_group(collaborative, "Public bodies")
    chamber = services.add_partner(collaborative, name="River City Chamber", sector="business", group=business)
    council = services.add_partner(collaborative, name="River City Council", sector="government", group=public)
    services.add_partner(collaborative, name="Lung Health Alliance", sector="non-profit", group=public)
    services.add_partner(collaborative, name="Valley Transit Riders", sector="other", group=public)
    for name, partner, role in (("dana", chamber, "representative"), ("gus", council, "representative"),
                                ("fay", chamber, "observer")):
        member = services.add_person(collaborative, name=name.title(), email=f"{name}@example.org", role=role,
                                     partner=partner)
        member.user = users[name]
        member.save(update_fields=["user"])
    return collaborative


def shot(page, name):
    import shutil
    from pathlib import Path

    path = screenshot(page, name)
    target = Path("/work/wt/shots/network")
    if target.parent.exists():
        target.mkdir(exist_ok=True)
        shutil.copy(path, target / path.name)


def test_two_partners_answer_and_the_map_shows(live_server, new_page, compact):
    home = f"/collaborate/{compact.slug}/network/"
    desk = new_page()
    sign_in(desk, live_server.url, "carla", home)
    check_accessibility(desk)
    shot(desk, "collaborate-network-empty")
    desk.get_by_role("button", name="Open the first network survey").click()
    desk.get_by_text("Network survey 1 is open.").first.wait_for()
    check_accessibility(desk)

    # The chamber's representative answers on a phone.
    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    sign_in(phone, live_server.url, "dana", home)
    phone.get_by_role("link", name="Answer for my organisation").click()
    # Step 1: the partners only, one tick each; no questions yet.
    phone.get_by_role("heading", name="Step 1 of 2: Which partners do you work with?").wait_for()
    assert phone.get_by_role("radio").count() == 0
    phone.get_by_label("River City Council").check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(phone)
    shot(phone, "collaborate-network-answer-list-phone")
    phone.get_by_role("button", name="Next: how we see working with them").click()
    # Step 2: the questions about the ticked partner only.
    council = phone.get_by_role("group", name="Working with River City Council")
    council.get_by_role("group", name="How far can you count on this partner").get_by_label("4 · A great deal").check()
    council.get_by_role("group", name="How actively does this partner take part?").get_by_label("3 · Quite a lot").check()
    assert phone.get_by_role("group", name="Working with Lung Health Alliance").count() == 0
    # Back to the list to add a partner: the ratings given so far are kept.
    phone.get_by_role("button", name="Change the list of partners").click()
    assert phone.get_by_label("River City Council").is_checked()
    phone.get_by_label("Lung Health Alliance").check()
    phone.get_by_role("button", name="Next: how we see working with them").click()
    assert council.get_by_role("group", name="How far can you count on this partner").get_by_label(
        "4 · A great deal").is_checked()
    assert phone.get_by_role("group", name="Working with Lung Health Alliance").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(phone)
    shot(phone, "collaborate-network-answer-phone")
    phone.get_by_role("button", name="Send our answer").click()
    phone.get_by_text("Thank you: your organisation's answer is saved.").wait_for()
    # The saved answer opens on its ratings, with the way back to the list.
    phone.get_by_role("link", name="Change our answer").click()
    assert council.get_by_role("group", name="How actively does this partner take part?").get_by_label(
        "3 · Quite a lot").is_checked()
    phone.get_by_role("button", name="Change the list of partners").click()
    assert phone.get_by_label("River City Council").is_checked()
    assert phone.get_by_label("Lung Health Alliance").is_checked()

    # The council's representative answers at a desk: it works with the chamber and the riders.
    other = new_page()
    sign_in(other, live_server.url, "gus", home)
    other.get_by_role("link", name="Answer for my organisation").click()
    other.get_by_label("River City Chamber").check()
    other.get_by_label("Valley Transit Riders").check()
    check_accessibility(other)
    other.get_by_role("button", name="Next: how we see working with them").click()
    other.get_by_role("button", name="Send our answer").click()
    other.get_by_text("Thank you: your organisation's answer is saved.").wait_for()

    desk.reload()
    desk.get_by_text("2 of 4 partners have answered so far.").wait_for()
    desk.get_by_role("button", name="Close it and show the map").click()
    desk.get_by_text("Network survey 1 is closed. Its map is below.").wait_for()
    figure = desk.get_by_role("img", name="Network map of Network survey 1")
    assert figure.is_visible()
    assert desk.locator("svg.network-map g.node").count() == 4
    assert desk.locator("svg.network-map line").count() == 3  # chamber-council, chamber-lung, council-riders
    shot(desk, "collaborate-network-map")
    row = desk.locator("tr", has=desk.locator("th", has_text="River City Chamber"))
    assert row.get_by_text("Lung Health Alliance, River City Council").is_visible()
    # Node size by ties: the chamber (2 ties) is drawn larger than the riders (1).
    # A shape's size r, from its width: a circle is 2r wide, a square 1.75r, a triangle 2.3r, a diamond 2.5r.
    sizes = desk.evaluate("""() => Object.fromEntries([...document.querySelectorAll('svg.network-map g.node')].map(g => {
        const shape = g.querySelector('circle, rect, polygon');
        const wide = shape.tagName === 'circle' ? 2 : shape.tagName === 'rect' ? 1.75
            : shape.getAttribute('points').split(' ').length === 3 ? 2.3 : 2.5;
        return [g.querySelector('title').textContent.split(' (')[0].split('. ')[1], shape.getBBox().width / wide];
    }))""")
    assert sizes["River City Chamber"] > sizes["Valley Transit Riders"]
    check_accessibility(desk)
    shot(desk, "collaborate-network-map")
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Ties (CSV: source, target, trust, value)").click()
    assert download.value.suggested_filename == "clean-air-compact-network-1-edges.csv"

    # The chamber's observer reads the map on a phone: nothing wider than the screen.
    watcher = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    sign_in(watcher, live_server.url, "fay", f"/collaborate/{compact.slug}/network/1/")
    assert watcher.evaluate("document.documentElement.scrollWidth") <= 360
    assert watcher.get_by_role("img", name="Network map of Network survey 1").is_visible()
    # The map slides inside its frame, and the phone says so (the desk, where it fits, does not).
    assert watcher.get_by_text("The map is wider than your screen: slide it sideways").is_visible()
    assert not desk.get_by_text("The map is wider than your screen: slide it sideways").is_visible()
    assert watcher.get_by_role("link", name="Partners (CSV)").count() == 0
    check_accessibility(watcher)
    shot(watcher, "collaborate-network-map-phone")


def test_a_long_list_of_partners_narrows_as_one_types(live_server, new_page, compact):
    """With JavaScript (loaded from a static file, as the CSP wants) a box finds a partner in a
    long list; ticks hidden by the box are still sent."""
    from intersector.collaboratives import network, services

    for n in range(12):
        services.add_partner(compact, name=f"Hillside Partner {n + 1}", sector="other")
    network.open_wave(compact, compact.members.get(user__username="carla"))
    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    sign_in(phone, live_server.url, "dana", f"/collaborate/{compact.slug}/network/1/answer/")
    box = phone.get_by_label("Find a partner by name")
    phone.get_by_label("Hillside Partner 3").check()
    box.fill("council")
    phone.get_by_text("1 of 15 partners shown").wait_for()
    assert not phone.get_by_label("Hillside Partner 3").is_visible()
    phone.get_by_label("River City Council").check()
    box.press("Enter")  # narrows; does not send the list
    assert phone.get_by_role("radio").count() == 0
    check_accessibility(phone)
    shot(phone, "collaborate-network-answer-find-phone")
    phone.get_by_role("button", name="Next: how we see working with them").click()
    phone.get_by_role("group", name="Working with River City Council").wait_for()
    assert phone.get_by_role("group", name="Working with Hillside Partner 3").is_visible()

