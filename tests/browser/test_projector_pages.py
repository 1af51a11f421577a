"""The projector pages what is too long for one screen (many themes with their vote bars): pages
in turn every 10 seconds with "Page 2 of 3", a page the facilitator holds stays, nothing is cut
or scrolls at 1280x720 and 1920x1080, and with reduced motion the pages change without fading."""

import pytest

from intersector.workshops import services
from intersector.workshops.activities.brainwriting import services as bw
from intersector.workshops.activities.brainwriting.models import Note
from tests.browser.test_projector import facilitator, looks_right, open_projectors, server  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

SECTORS = ["government", "business", "non-profit"]


def many_themes(user, themes=30):
    workshop = services.create_workshop(user, "Sector styles in a big room")
    item = workshop.items.get(kind="brainwriting")
    services.go_to_item(workshop, item)
    item = bw.open_round(item)
    writer = services.join(workshop, "Writer", "government")
    Note.objects.bulk_create([Note(item=item, participant=writer, prompt=n % 4, about=SECTORS[n % 3], round=1,
                                   key=f"key-pages-{n:05d}", text=f"note number {n} about slow approvals")
                              for n in range(themes)])
    item = bw.close_round(item)
    notes = list(Note.objects.filter(item=item).order_by("pk").values_list("pk", flat=True))
    bw.apply_themes(item, [(f"Theme {n}: how long approvals and sign-offs take in every sector", [pk])
                           for n, pk in enumerate(notes)])
    bw.set_phase(item, "voting")
    return workshop


def page_of(page):
    return page.locator(".p-pager-at").inner_text()


def shown_themes(page):
    return page.locator(".bw-theme:visible h3").all_inner_texts()


def test_many_themes_page_in_turn_and_a_held_page_stays(server, new_page, facilitator):  # noqa: F811
    user, session = facilitator
    workshop = many_themes(user)
    projectors = open_projectors(server, new_page, workshop, session)
    for page in projectors:
        page.locator(".p-pager-at").wait_for()
        assert page_of(page).startswith("Page 1 of ")
        assert int(page_of(page).rsplit(" ", 1)[1]) >= 2
        first = shown_themes(page)
        assert first and first[0].startswith("Theme 0:")
        looks_right(page, "themes-paged")
    page = projectors[0]
    total = int(page_of(page).rsplit(" ", 1)[1])
    page.wait_for_function("document.querySelector('.p-pager-at').textContent.startsWith('Page 2 of')", timeout=15_000)
    second = shown_themes(page)
    assert second and not set(second) & set(first)
    looks_right(page, "themes-page-2")

    # Hold: the page stays past the next turn, and the button says how to go on.
    page.get_by_role("button", name="Hold this page").click()
    hold = page.get_by_role("button", name="Go on turning the pages")
    assert hold.get_attribute("aria-pressed") == "true"
    page.wait_for_timeout(11_000)
    assert page_of(page) == f"Page 2 of {total}" and shown_themes(page) == second
    hold.click()
    page.wait_for_function("!document.querySelector('.p-pager-at').textContent.startsWith('Page 2 of')", timeout=15_000)
    # The arrow keys turn the pages by hand.
    at = page_of(page)
    page.keyboard.press("ArrowLeft")
    assert page_of(page) != at


def test_with_reduced_motion_pages_change_without_fading(server, new_page, facilitator):  # noqa: F811
    user, session = facilitator
    workshop = many_themes(user)
    page = new_page(width=1280, height=720, reduced_motion="reduce")
    page.set_default_timeout(20_000)
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": server.url}])
    page.goto(f"{server.url}/w/{workshop.code}/screen")
    page.locator(".p-pager-at").wait_for()
    page.keyboard.press("ArrowRight")
    assert page_of(page).startswith("Page 2 of")
    assert page.locator("[data-pages]").evaluate("list => getComputedStyle(list).animationName") == "none"


def test_a_long_pinned_question_stays_and_the_top_questions_page_under_it(server, new_page, facilitator):  # noqa: F811
    from intersector.workshops.qna import services as qna

    user, session = facilitator
    workshop = services.create_workshop(user, "Questions in a big room")
    discussion = workshop.items.get(kind="discussion")
    services.go_to_item(workshop, discussion)
    discussion.refresh_from_db()
    long = ("Who pays for the years between the pilot and the time a city can take the service on, when budgets "
            "are set once a year, the foundations fund three years at most and the businesses want to see a return "
            "before they commit, and what happens to the people who depend on it meanwhile? ")
    asked = []
    for n in range(6):
        person = services.join(workshop, f"Asker {n}", SECTORS[n % 3])
        question, _new = qna.ask(discussion, person, f"{n}. {long}"[:300], key=f"question-pages-{n:03d}")
        asked.append(question)
    qna.approve_all(discussion)
    qna.pin(discussion, asked[0].pk)
    for page in open_projectors(server, new_page, workshop, session):
        page.locator(".p-pager-at").wait_for()
        assert page.locator(".qna-pinned-big").is_visible()
        assert page.locator(".qna-pinned-big").inner_text().startswith("0. Who pays")
        assert page_of(page).startswith("Page 1 of ")
        looks_right(page, "questions-paged")


def test_forty_tables_of_the_case_simulation_page_side_by_side(server, new_page, facilitator):  # noqa: F811
    user, session = facilitator
    workshop = services.create_workshop(user, "Partnering in a big room", "starter")
    for n in range(200):
        services.join(workshop, f"Person {n + 1}", SECTORS[n % 3])
    services.set_table_count(workshop, 40)
    services.go_to_item(workshop, workshop.items.get(kind="casesim"))
    for page in open_projectors(server, new_page, workshop, session):
        page.get_by_role("heading", name="How the tables are doing").wait_for()
        page.locator(".p-pager-at").wait_for()
        assert page_of(page).startswith("Page 1 of ")
        tables = page.locator(".show-phases > li:visible strong").all_inner_texts()
        assert tables[0] == "Table 1" and len(tables) < 40
        looks_right(page, "tables-paged")
        page.keyboard.press("ArrowRight")
        assert page.locator(".show-phases > li:visible strong").first.inner_text() == f"Table {len(tables) + 1}"
