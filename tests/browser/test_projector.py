"""The projector in Chromium, live on uvicorn, at 1280x720 and 1920x1080 side by side: people join
(a QR code a third of the screen high or more, the code readable, counts by sector going up), a
talk with its countdown, a brainwriting round whose notes arrive as cards without their writers'
names, the vote with the theme wall and its bars, and the ending screen. On every screen nothing
scrolls, nothing is cut off, and axe finds no WCAG 2.1 AA problem.

Everything that changes goes through the server (phones post, the facilitator's buttons post),
so the projectors follow the live events the way a room's would. Screenshots of what the room
sees: var/screenshots/projector-<screen>-<width>.png."""

import re

import httpx
import pytest

from intersector.workshops import services
from intersector.workshops.activities.brainwriting import services as bw
from tests.conftest import SCREENSHOTS, check_accessibility
from tests.live.servers import Server, server_env
from tests.workshops.phones import Phone, database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

SIZES = ((1280, 720), (1920, 1080))
SECTORS = ["government", "business", "non-profit", "government", "business", "non-profit", "other"]
CSRF = "c" * 32
NOTES = ["Slow approval and many sign-offs", "Profit and quick decisions", "Close to the community and trusted",
         "Procedure and public accountability", "Speed and competition drive choices", "Mission first, money is tight",
         "They answer to elected officials and the press, so every change has to be explained in public before "
         "anyone can act on it, which takes months", "Data", "Permits!", "Long-term funding is rare"]


@pytest.fixture
def server():
    from django.db import connection

    server = Server("convene-projector", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


@pytest.fixture
def facilitator(django_user_model):
    from django.test import Client

    user = django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")
    client = Client()
    client.force_login(user)
    return user, client.cookies["sessionid"].value


def press(server, workshop, session, path, **data):
    """A facilitator's button on the console, posted to the server (its live events start there)."""
    response = httpx.post(f"{server.url}{path}", data=data, timeout=20,
                          headers={"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF})
    assert response.status_code == 302, response.text[:300]


def open_projectors(server, new_page, workshop, session):
    pages = []
    for width, height in SIZES:
        page = new_page(width=width, height=height)
        page.set_default_timeout(20_000)
        page.context.add_cookies([{"name": "sessionid", "value": session, "url": server.url}])
        page.goto(f"{server.url}/w/{workshop.code}/screen")
        page.wait_for_function("document.getElementById('live').dataset.liveState === 'live'")
        pages.append(page)
    return pages


def looks_right(page, name):
    """Nothing scrolls and no stage is cut off; axe-clean; a screenshot of what the room sees."""
    page.wait_for_timeout(700)  # bars grow, cards fade in (0.6 s)
    sizes = page.evaluate("""() => ({
        height: document.scrollingElement.scrollHeight, width: document.scrollingElement.scrollWidth,
        innerHeight, innerWidth,
        cut: [...document.querySelectorAll('[data-fit]')].filter(b => b.scrollHeight > b.clientHeight + 1).length,
        cards: [...document.querySelectorAll('[data-cards]')].flatMap(list => [...list.querySelectorAll('[data-card]')]
            .filter(card => !card.hidden && card.getBoundingClientRect().bottom > list.getBoundingClientRect().bottom + 1)
            .map(card => card.textContent))})""")
    assert sizes["height"] <= sizes["innerHeight"] and sizes["width"] <= sizes["innerWidth"], sizes
    assert sizes["cut"] == 0, f"a stage is cut off on {name}"
    assert sizes["cards"] == [], f"cards cut off on {name}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"projector-{name}-{page.viewport_size['width']}.png"))
    check_accessibility(page)


def height_share(page, selector):
    """How much of the screen's height the (first visible) element takes."""
    return page.locator(selector).first.evaluate("e => e.getBoundingClientRect().height / innerHeight")


def test_the_projector_through_a_workshop_at_both_sizes(server, new_page, facilitator):
    user, session = facilitator
    workshop = services.create_workshop(user, "Sector styles in practice")
    phones = [Phone(server.url, workshop.code).join(f"Zebulon{n} Quarrington", SECTORS[n % 7]) for n in range(13)]
    projectors = open_projectors(server, new_page, workshop, session)

    # Joining: the QR code a third of the height or more, the code large, people counted by sector.
    for page in projectors:
        page.get_by_role("heading", name="Sector styles in practice").wait_for()
        assert height_share(page, "img.p-qr") >= 1 / 3
        assert page.locator("img.p-qr").evaluate("img => img.complete && img.naturalWidth > 0")
        code = page.locator(".join-code", has_text=workshop.code)
        assert code.is_visible() and height_share(page, ".join-code") >= 0.08
    phones.append(Phone(server.url, workshop.code).join("Zebulon13 Quarrington", "other"))
    for page in projectors:
        page.get_by_text("14", exact=True).wait_for()  # the count follows the room, live
        assert page.locator(".p-welcome-text .p-sector-other .p-sector-n").inner_text() == "2"
        looks_right(page, "joining")

    # A talk: its title and countdown large, the join code still a third of the height.
    talk = workshop.items.order_by("order").first()
    press(server, workshop, session, f"/convene/{workshop.pk}/control/", action="go", item=talk.pk)
    press(server, workshop, session, f"/convene/{workshop.pk}/control/", action="start")
    for page in projectors:
        page.get_by_role("heading", name=talk.title).wait_for()
        page.locator(".timer:not(.timer-paused)").wait_for()
        assert height_share(page, ".timer-value") >= 0.12
        assert height_share(page, "img.p-qr") >= 1 / 3 and page.locator(".join-code").is_visible()
        looks_right(page, "talk")

    # A brainwriting round: notes arrive as cards, newest first, never with a name.
    item = workshop.items.get(kind="brainwriting")
    press(server, workshop, session, f"/convene/{workshop.pk}/control/", action="go", item=item.pk)
    press(server, workshop, session, f"/convene/{workshop.pk}/items/{item.pk}/brainwriting/round/", action="open")
    for page in projectors:
        page.get_by_text("Round 1: write your notes on your phone.").wait_for()
    for n in range(27):
        answer = phones[n % len(phones)].post_note(NOTES[n % len(NOTES)] + f" ({n})", SECTORS[n % 3], n % 4)
        assert answer.status_code == 200, answer.text[:300]
    for page in projectors:
        page.locator(".bw-card", has_text="(26)").wait_for()
        shown = page.locator(".bw-card:visible").count()
        assert 6 <= shown < 27
        assert page.locator(".bw-more").inner_text() == f"+{27 - shown} more"
        assert "Quarrington" not in page.content() and "Zebulon" not in page.content()
        assert page.locator(".bw-card").first.inner_text().endswith("(26)")
        looks_right(page, "round")
    phones[0].post_note("Arrives while the room watches", "business", 1)
    for page in projectors:
        newest = page.locator(".bw-card").first
        newest.filter(has_text="Arrives while the room watches").wait_for()
        assert "p-new" in newest.get_attribute("class")  # it fades in; cards already there do not
        assert "p-new" not in page.locator(".bw-card").nth(1).get_attribute("class")

    # The vote: the theme wall with a bar for each theme's votes.
    notes = list(item.notes.order_by("pk").values_list("pk", flat=True))
    bw.apply_themes(item, [("Pace of decisions", notes[0::3]), ("Money and incentives", notes[1::3]),
                           ("Trust in the community", notes[2::3])])
    press(server, workshop, session, f"/convene/{workshop.pk}/items/{item.pk}/brainwriting/round/", action="voting")
    themes = {theme.label: theme.pk for theme in item.themes.all()}
    for phone, label in zip(phones, ["Pace of decisions"] * 6 + ["Money and incentives"] * 3 + ["Trust in the community"]):
        answer = phone.http.post(f"/w/{workshop.code}/brainwriting/votes/", data={"theme": themes[label]},
                                 headers={"X-CSRFToken": phone.http.cookies.get("csrftoken", ""), "X-Convene": "fetch"})
        assert answer.status_code == 200, answer.text[:300]
    for page in projectors:
        page.get_by_text("Vote on your phone for the themes that matter most.").wait_for()
        page.locator(".bw-theme", has_text="Pace of decisions").get_by_text("6 votes").wait_for()
        page.locator(".bw-theme", has_text="Trust in the community").get_by_text("1 vote", exact=True).wait_for()
        page.wait_for_timeout(800)  # the bars grow into place
        widths = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.bw-theme')].map(t =>
            [t.querySelector('h3').textContent, t.querySelector('.p-bar-fill').getBoundingClientRect().width
                                                / t.querySelector('.p-bar').getBoundingClientRect().width]))""")
        assert widths["Pace of decisions"] == pytest.approx(1, abs=0.02)
        assert widths["Money and incentives"] == pytest.approx(0.5, abs=0.02)
        looks_right(page, "voting")

    # The end: thanks and what happens next; no code, no QR code, nothing about joining.
    press(server, workshop, session, f"/convene/{workshop.pk}/end/")
    for page in projectors:
        page.get_by_role("heading", name="Thank you for taking part").wait_for()
        page.get_by_role("heading", name="What happens next").wait_for()
        text = page.locator("body").inner_text()
        assert workshop.code not in text and not re.search(r"\bjoin", text, re.IGNORECASE)
        assert page.locator("img").count() == 0
        looks_right(page, "ended")
    for phone in phones:
        phone.close()
