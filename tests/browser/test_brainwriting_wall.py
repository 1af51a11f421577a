"""The themes wall in Chromium, with 300 notes on a real uvicorn server: dragging cards and themes,
the same changes by keyboard alone, and a phone reading the notes behind each theme while it votes."""

import random

import pytest
from django.test import Client

from intersector.workshops import services
from intersector.workshops.access import cookie_name
from intersector.workshops.activities.brainwriting import services as bw
from intersector.workshops.activities.brainwriting.models import Note, Theme
from tests.conftest import ROOT, check_accessibility
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

SHOTS = ROOT.parent / "shots" / "themes_wall"
SECTORS = ["government", "business", "non-profit"]
TOPICS = ["approvals", "budgets", "data sharing", "trust", "speed", "reporting", "risk", "community links",
          "permits", "capital", "volunteers", "public land"]
WAYS = ["slow", "quick", "careful", "shared", "hidden", "tight", "open", "patient", "formal", "informal"]


@pytest.fixture
def facilitator(django_user_model):
    return django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")


@pytest.fixture
def server(django_db_blocker):
    from django.db import connection

    server = Server("themes-wall", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


def busy_workshop(facilitator, notes=300, themes=12):
    """A workshop whose brainwriting has `notes` notes from 30 people, grouped into `themes` themes."""
    workshop = services.create_workshop(facilitator, "Sector styles at scale")
    item = workshop.items.get(kind="brainwriting")
    services.go_to_item(workshop, item)
    people = [services.join(workshop, f"Person {n}", SECTORS[n % 3]) for n in range(30)]
    chance = random.Random(7)
    Note.objects.bulk_create([
        Note(item=item, participant=people[n % 30], prompt=n % 4, about=SECTORS[(n // 7) % 3], round=1,
             key=f"key-bulk-{n:05d}",
             text=f"{chance.choice(WAYS)} {TOPICS[n % themes]}: " + " ".join(chance.choices(WAYS + TOPICS, k=chance.randint(2, 12))))
        for n in range(notes)])
    groups = {}
    for note in Note.objects.filter(item=item).order_by("pk"):
        groups.setdefault(note.text.split(": ")[0].split(" ", 1)[1], []).append(note.pk)
    bw.apply_themes(item, sorted(groups.items()))
    return workshop, item


def signed_in(new_page, server, user, **options):
    client = Client()
    client.force_login(user)
    page = new_page(**options)
    page.set_default_timeout(20_000)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}])
    return page


def open_wall(new_page, server, facilitator, item):
    page = signed_in(new_page, server, facilitator, width=1280, height=800)
    page.goto(f"{server.url}/convene/{item.workshop_id}/items/{item.pk}/brainwriting/themes/")
    page.locator(".column[data-theme]").first.wait_for()
    return page


def column(page, label):
    return page.locator(".column[data-theme]").filter(has=page.locator(f"h3:text-is('{label}')"))


def drag(page, source, target):
    """Drag with the mouse, both ends on the screen as they are (nothing scrolls in between)."""
    page.locator(".wall").evaluate("wall => wall.scrollIntoView()")
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + min(start["height"] / 2, 10))
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 40, steps=8)
    page.mouse.up()


def wait_for_theme(item, label, present=True):
    import time

    for _ in range(100):
        if Theme.objects.filter(item=item, label=label).exists() == present:
            return
        time.sleep(0.1)
    raise AssertionError(f"theme {label!r} {'never came' if present else 'is still there'}")


def test_three_hundred_notes_fit_on_one_wall_and_move_by_drag_and_drop(server, new_page, facilitator):
    workshop, item = busy_workshop(facilitator)
    page = open_wall(new_page, server, facilitator, item)
    assert page.locator(".note-card").count() == 300
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "wall-300-notes-1280x800.png"))
    page.screenshot(path=str(SHOTS / "wall-300-notes-full-page.png"), full_page=True)
    page.locator(".wall-bar").evaluate("bar => bar.scrollIntoView()")
    page.screenshot(path=str(SHOTS / "wall-300-notes-1280x800-at-the-wall.png"))
    page.evaluate("window.scrollTo(0, 0)")
    # One screen tall, give or take the grid under it: the columns scroll, not the page.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2600, f"the page is {height} px tall"
    check_accessibility(page)

    # Two columns side by side on the screen (a drag does not scroll the wall under the pointer).
    budgets, capital = column(page, "budgets"), column(page, "capital")
    card = budgets.locator(".note-card").first
    note_id = int(card.get_attribute("data-note"))
    drag(page, card, capital.locator(".wall-cards"))
    page.get_by_role("status").filter(has_text="1 note moved to “capital”.").wait_for()
    capital.locator(f"#card-{note_id}").wait_for()
    assert Note.objects.get(pk=note_id).theme.label == "capital"
    assert Theme.objects.get(item=item, label="capital").locked

    # A theme's handle dropped on another theme merges it there, and Undo brings it back.
    count = page.locator(".column[data-theme]").count()
    links = column(page, "community links")
    links_notes = set(Theme.objects.get(item=item, label="community links").notes.values_list("pk", flat=True))
    drag(page, links.locator(".grip"), column(page, "approvals").locator(".wall-cards"))
    page.get_by_text("“community links” merged into “approvals”.").first.wait_for()
    assert page.locator(".column[data-theme]").count() == count - 1
    wait_for_theme(item, "community links", present=False)
    page.get_by_role("button", name="Undo merge").click()
    column(page, "community links").wait_for()
    assert set(Theme.objects.get(item=item, label="community links").notes.values_list("pk", flat=True)) == links_notes


def test_every_change_on_the_wall_can_be_made_by_keyboard(server, new_page, facilitator):
    workshop, item = busy_workshop(facilitator, notes=60, themes=4)
    page = open_wall(new_page, server, facilitator, item)
    plain = []  # a change sent as a plain form would reload the page under the keyboard
    page.on("request", lambda r: plain.append(r.post_data) if r.method == "POST" and "hx-request" not in r.headers else None)
    budgets = column(page, "budgets")

    # Space selects a card, the arrow key goes to the next one; the two become a new theme.
    first = budgets.locator(".pick").first
    first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.locator("#picked").inner_text() == "2 notes selected."
    picked = [int(v) for v in page.locator(".pick:checked").evaluate_all("boxes => boxes.map(b => b.value)")]
    page.get_by_label("Name of the new theme").focus()
    page.keyboard.type("Red tape")
    page.get_by_role("button", name="New theme from selected").focus()
    page.keyboard.press("Enter")
    column(page, "Red tape").wait_for()
    assert set(Theme.objects.get(item=item, label="Red tape").notes.values_list("pk", flat=True)) == set(picked)

    # Each card's own menu, named after its note: Enter opens it, arrows choose, Enter moves.
    card = column(page, "trust").locator(".note-card").first
    note = Note.objects.get(pk=card.get_attribute("data-note"))
    mover = page.get_by_role("button", name=f"Move “{note.text[:40]}")
    mover.focus()
    page.keyboard.press("Enter")
    menu = page.get_by_role("menu")
    assert menu.get_by_role("menuitem").first.evaluate("item => item === document.activeElement")
    names = menu.get_by_role("menuitem").all_inner_texts()
    assert "trust" not in names and names[-1] == "A new theme"
    for _ in range(names.index("approvals")):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="1 note moved to “approvals”.").wait_for()
    column(page, "approvals").locator(f"#card-{note.pk}").wait_for()
    note.refresh_from_db()
    assert note.theme.label == "approvals"
    # The keyboard stays on the note it moved, now in its new theme.
    page.wait_for_function(f"document.activeElement && document.activeElement.id === 'move-{note.pk}'")

    # Escape closes a menu without doing anything.
    page.keyboard.press("Enter")
    page.get_by_role("menu").wait_for()
    page.keyboard.press("Escape")
    assert page.get_by_role("menu").count() == 0

    # Merge by the theme's own menu; Undo is where the keyboard lands.
    page.get_by_role("button", name="Merge “Red tape” into…").focus()
    page.keyboard.press("Enter")
    names = page.get_by_role("menuitem").all_inner_texts()
    for _ in range(names.index("budgets")):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_text("“Red tape” merged into “budgets”.").first.wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'undo-merge'")
    page.keyboard.press("Enter")
    column(page, "Red tape").wait_for()

    # Rename in place: type the new name, Enter saves it. A live refresh (here: the undo's own
    # live event) may redraw the wall between "select all" and the first letter: the new box has
    # the focus and the selection, so the name typed replaces the old one, not lands before it.
    name = page.get_by_label("Name of the theme “Red tape”")
    name.focus()
    page.keyboard.press("Control+A")
    page.evaluate("""() => new Promise(done => {
        document.addEventListener("htmx:afterSwap", () => done(), {once: true});
        document.dispatchEvent(new CustomEvent("convene:board"));
    })""")
    page.keyboard.type("Sign-offs")
    page.keyboard.press("Enter")
    column(page, "Sign-offs").wait_for()
    assert Theme.objects.filter(item=item, label="Sign-offs", locked=True).exists()
    assert not plain, plain
    check_accessibility(page)


def test_a_theme_is_deleted_by_keyboard_one_with_notes_after_a_confirmation_a_refresh_leaves_open(
        server, new_page, facilitator):
    workshop, item = busy_workshop(facilitator, notes=60, themes=4)
    empty = Theme.objects.create(item=item, label="Nothing here", order=99)
    trust = Theme.objects.get(item=item, label="trust")
    held = set(trust.notes.values_list("pk", flat=True))
    page = open_wall(new_page, server, facilitator, item)
    plain = []
    page.on("request", lambda r: plain.append(r.post_data) if r.method == "POST" and "hx-request" not in r.headers else None)

    # An empty theme: its Delete goes at once.
    page.get_by_role("button", name="Delete “Nothing here”").focus()
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="“Nothing here” deleted.").wait_for()
    wait_for_theme(item, "Nothing here", present=False)
    assert column(page, "Nothing here").count() == 0

    # A theme with notes asks first; a live refresh meanwhile leaves the question open.
    opener = page.locator(f"#delete-{trust.pk} > summary")
    opener.focus()
    page.keyboard.press("Enter")
    confirm = page.get_by_role("button", name="Yes, delete “trust”")
    confirm.wait_for()
    assert f"Its {len(held)} notes go back to “Notes not in a theme yet”." in page.locator(f"#delete-{trust.pk}").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "wall-delete-confirm-1280x800.png"))
    check_accessibility(page)
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "themes/panel" in r.url else None)
    page.evaluate("document.dispatchEvent(new CustomEvent('convene:board'))")  # what a live change does
    page.wait_for_timeout(800)
    assert page.locator(f"#delete-{trust.pk}").evaluate("d => d.open") and confirm.is_visible()
    # Escape closes it without deleting; the keyboard is back on "Delete …", and stays there when
    # the refresh held back meanwhile redraws the wall.
    page.keyboard.press("Tab")
    page.evaluate("document.querySelector('#themes .wall').dataset.before = 'refresh'")
    page.keyboard.press("Escape")
    assert not page.locator(f"#delete-{trust.pk}").evaluate("d => d.open")
    page.wait_for_function("!document.querySelector('#themes .wall').dataset.before")  # redrawn
    assert opener.evaluate("s => s === document.activeElement")
    page.keyboard.press("Enter")
    confirm.focus()
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text=f"“trust” deleted: its {len(held)} notes are back").wait_for()
    wait_for_theme(item, "trust", present=False)
    assert set(Note.objects.filter(item=item, theme=None).values_list("pk", flat=True)) == held
    for pk in list(held)[:3]:
        page.locator(f"#col-none #card-{pk}").wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.id.startsWith('merge-')")
    assert not plain, plain


def test_a_phone_reads_the_notes_behind_a_theme_while_it_votes(server, new_page, facilitator):
    workshop, item = busy_workshop(facilitator, notes=60, themes=4)
    few = list(Note.objects.filter(item=item, theme__label="trust").order_by("pk")[:3])
    bw.new_theme(item, [n.pk for n in few], "A few")
    bw.set_phase(item, "voting")
    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    phone.set_default_timeout(20_000)
    phone.goto(f"{server.url}/w/{workshop.code}")
    phone.get_by_label("Your name (as others will see it)").fill("Kim")
    phone.get_by_label("Government", exact=True).check()
    phone.get_by_role("button", name="Join").click()
    phone.get_by_role("heading", name="Vote for the themes that matter most").wait_for()

    # A big theme's notes load when it is opened (by keyboard here: Enter on its summary).
    budgets = Theme.objects.get(item=item, label="budgets")
    texts = list(budgets.notes.values_list("text", flat=True))
    behind = phone.locator(f"#behind-{budgets.pk}")
    assert behind.locator("li", has_text=texts[-1]).count() == 0
    behind.locator("summary").focus()
    phone.keyboard.press("Enter")
    behind.locator("li", has_text=texts[-1]).wait_for()
    assert behind.locator("li").count() == len(texts)
    # A small theme's notes are there at once.
    small = phone.locator(f"#behind-{Theme.objects.get(item=item, label='A few').pk}")
    small.locator("summary").click()
    assert small.locator("li", has_text=few[0].text).is_visible()

    # Voting redraws the screen; what was open stays open, with its notes.
    phone.get_by_role("button", name="Vote for budgets").click()
    phone.get_by_text("You have 2 votes left.").wait_for()
    assert behind.evaluate("d => d.open") and behind.locator("li", has_text=texts[-1]).is_visible()
    assert small.evaluate("d => d.open")
    for n in range(30):
        assert f"Person {n}" not in phone.content()
    SHOTS.mkdir(parents=True, exist_ok=True)
    behind.locator("summary").scroll_into_view_if_needed()
    phone.screenshot(path=str(SHOTS / "phone-voting-360.png"))
    phone.screenshot(path=str(SHOTS / "phone-voting-360-full.png"), full_page=True)
    check_accessibility(phone)
