"""Three phones at one table, 360 px wide, through every phase of the simulation: readable,
accessible (axe), and the sheet shared live -- the others' phones show an edit from its event
without fetching it (in their own language, as the server would render it), a resync after a missed
event shows the latest text, an edit made offline is sent when the phone is back, and typed over a
newer version it shows both texts until someone keeps one."""

import pytest
from django.db.models import F
from django.utils import translation

from intersector.workshops import services
from intersector.workshops.access import cookie_name
from intersector.workshops.activities.casesim import table
from intersector.workshops.activities.casesim.models import SheetEntry, Simulation, TableRun
from tests.conftest import check_accessibility, screenshot
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    from django.db import connection

    server = Server("casesim-table-browser", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


@pytest.fixture
def workshop(facilitator):
    return services.create_workshop(facilitator, "Simulation", "starter")


def phone(new_page, server, workshop, participant, locale="en-GB"):
    page = new_page(width=360, height=740, is_mobile=True, has_touch=True, locale=locale)
    page.context.add_cookies([{"name": cookie_name(workshop), "value": services.token_for(participant),
                               "domain": "127.0.0.1", "path": f"/w/{workshop.code}/"}])
    page.goto(f"{server.url}/w/{workshop.code}/")
    return page


def look(page, name):
    screenshot(page, f"casesim-table-{name}")
    check_accessibility(page)


def reload_all(pages, text):
    """Reload each phone and wait for `text` in the phone's own language (Cy's phone is in Spanish)."""
    for page in pages:
        page.reload()
        with translation.override(page.evaluate("document.documentElement.lang")):
            page.get_by_text(translation.gettext(text)).first.wait_for()


def sheet_fetches(pages):
    """{page: [URLs]}: the GETs each phone makes of a sheet element (casesim/phone.js's fetch)."""
    seen = {page: [] for page in pages}
    for page in pages:
        page.on("request", lambda request, page=page: seen[page].append(request.url)
                if request.method == "GET" and "/casesim/sheet/" in request.url else None)
    return seen


SAME_AS_SERVED = """async (key) => {
  // The element as this phone shows it now, beside the same element as the server renders it for
  // this phone: the same words (in the phone's language), version, text and pressed status.
  const shown = document.querySelector(`[data-sim-entry="${key}"]`);
  const answer = await fetch(shown.dataset.url, {credentials: "same-origin", headers: {"X-Convene": "fetch"}});
  const holder = document.createElement("div");
  holder.innerHTML = await answer.text();
  const served = holder.querySelector("[data-sim-entry]");
  const plain = (node) => [node.dataset.version, node.textContent.replace(/\\s+/g, " ").trim(),
    Array.from(node.querySelectorAll("textarea")).map((area) => area.value).join("|"),
    Array.from(node.querySelectorAll("[aria-pressed=true]")).map((button) => button.value).join("|")];
  return [plain(shown), plain(served)];
}"""


def shown_as_served(page, key):
    shown, served = page.evaluate(SAME_AS_SERVED, key)
    assert shown == served
    return shown


def test_three_phones_through_the_phases(server, new_page, workshop):
    people = [services.join(workshop, name, sector) for name, sector in
              (("Ana", "government"), ("Ben", "business"), ("Cy", "non-profit"))]
    services.set_table_count(workshop, 1)
    services.go_to_item(workshop, workshop.items.get(kind="casesim"))
    ana, ben = (phone(new_page, server, workshop, p) for p in people[:2])
    cy = phone(new_page, server, workshop, people[2], locale="es-ES")
    pages = [ana, ben, cy]

    # Read: the case and one's own brief.
    ana.get_by_role("button", name="I have read my brief").wait_for()
    look(ana, "1-read")
    ana.get_by_role("button", name="I have read my brief").click()
    ana.get_by_text("You said you have read your brief.").wait_for()
    screenshot(cy, "casesim-table-1-read-es")
    check_accessibility(cy)

    # Choose families: Ana proposes, Ben accepts (2 of 3 roles).
    TableRun.objects.update(phase="choose-families")
    reload_all(pages, "Propose these families")
    for key in ("who", "how", "what-if"):
        ana.locator(f"input[name=family][value={key}]").check()
    ana.get_by_role("button", name="Propose these families").click()
    ana.get_by_text("Ana proposes").wait_for()  # (the live refresh may have replaced "Proposal sent")
    ben.get_by_role("button", name="Accept these families").wait_for()  # live: sim.families
    look(ben, "2-choose")
    ben.get_by_role("button", name="Accept these families").click()
    ben.get_by_text("Your table chose:").wait_for()
    assert TableRun.objects.get().families == ["who", "how", "what-if"]

    # Negotiate: Ana writes; Ben's and Cy's phones show it without reloading, and without fetching
    # it: the event carries what the table's phones show.
    TableRun.objects.update(phase="negotiate")
    reload_all(pages, "Your table's agreement")
    fetches = sheet_fetches(pages)
    key = table.scorecard().family_by_key["who"].elements[0].key
    box = f"#text-{key}"
    ana.locator(box).fill("City staff coordinate the collaborative.")
    ana.locator(box).press("Tab")  # leaving the box saves it
    ana.locator(f"#entry-{key}").get_by_text("last changed by Ana").wait_for()
    for page in (ben, cy):
        page.wait_for_function(f"document.querySelector('{box}').value.includes('City staff coordinate')")
    ben.locator(f"#entry-{key}").get_by_text("last changed by Ana").wait_for()
    ben.locator(f"#entry-{key}").get_by_role("button", name="Agreed").click()
    ana.locator(f"#entry-{key} [aria-pressed=true]").get_by_text("Agreed").wait_for()
    cy.locator(f"#entry-{key} [aria-pressed=true][value=agreed]").wait_for()
    cy.locator(f"#entry-{key}").get_by_text("última modificación de Ben", exact=False).wait_for()
    assert fetches == {ana: [], ben: [], cy: []}
    # What the event put on screen is what the server renders (Cy's phone: in Spanish).
    assert shown_as_served(ana, key)[3] == "agreed"
    assert "City staff coordinate the collaborative." in shown_as_served(cy, key)[1]

    # Ben goes offline and types; Ana changes the text meanwhile.
    ben.context.set_offline(True)
    ben.locator(box).fill("An outside facilitator runs the meetings.")
    ben.get_by_role("button", name="Save text").first.click()
    ben.get_by_text("Not saved yet — will send when you are back online.").wait_for()
    ana.locator(box).fill("City staff coordinate; a facilitator helps at hard meetings.")
    ana.get_by_role("button", name="Save text").first.click()
    ana.locator(f"#entry-{key}").get_by_text("Saved.").wait_for()
    ben.context.set_offline(False)
    ben.get_by_text("Two versions of this text").wait_for()
    # Ben's own phone names his text as his (the fragment is the table's, the words are his).
    ben.locator(f"#entry-{key}").get_by_role("heading", name="Your version").wait_for()
    assert ben.locator(f"#entry-{key}").get_by_role("button", name="Keep your version").is_visible()
    entry = SheetEntry.objects.get(element=key)
    assert entry.text == "City staff coordinate; a facilitator helps at hard meetings."
    assert entry.conflict_text == "An outside facilitator runs the meetings."
    ana.get_by_text("Two versions of this text").wait_for()  # live on the other phone too
    look(ana, "3-negotiate-conflict")
    ana.get_by_role("button", name="Keep Ben's version").click()
    ana.locator(f"#entry-{key}").get_by_text("The table now has one version").wait_for()
    assert SheetEntry.objects.get(element=key).text == "An outside facilitator runs the meetings."
    ben.wait_for_function(f"document.querySelector('{box}') && "
                          f"document.querySelector('{box}').value.includes('outside facilitator')")
    look(ben, "3-negotiate")

    # Keyboard only: type, leave the box (saved), then Tab to a status and press Space.
    second = table.scorecard().family_by_key["who"].elements[1].key
    ben.locator(f"#text-{second}").focus()
    ben.keyboard.type("Each partner describes itself in one page.")
    ben.keyboard.press("Tab")  # to "Save text": leaving the box saved it
    ben.locator(f"#entry-{second}").get_by_text("last changed by Ben").wait_for()
    ben.keyboard.press("Tab")  # Agreed
    ben.keyboard.press("Tab")  # Disputed
    ben.keyboard.press("Space")
    ben.locator(f"#entry-{second} [aria-pressed=true]").get_by_text("Disputed").wait_for()
    assert SheetEntry.objects.get(element=second).status == "disputed"
    screenshot(cy, "casesim-table-3-negotiate-es")
    check_accessibility(cy)

    # An element far below Ana's screen changes there too, at once, from the event alone.
    far = ana.locator("[data-sim-entry]").last.get_attribute("data-sim-entry")
    ana.evaluate("window.scrollTo(0, 0)")
    fetches = sheet_fetches([ana])
    ben.locator(f"#text-{far}").fill("Reviewed every year by all partners.")
    ben.locator(f"#text-{far}").press("Tab")
    ben.locator(f"#entry-{far}").get_by_text("last changed by Ben").wait_for()
    ana.wait_for_function(f"document.querySelector('#text-{far}').value.includes('Reviewed every year')")
    ana.locator(f"#entry-{far}").get_by_text("last changed by Ben").wait_for()
    assert fetches[ana] == [] and ana.evaluate("window.scrollY") == 0

    # A change Ana's phone never heard of (a missed event, a server restart): the stream's resync
    # rebuilds her screen from the database, with the latest text.
    SheetEntry.objects.filter(element=far).update(text="Reviewed every second year.", version=F("version") + 1)
    ana.evaluate("document.dispatchEvent(new CustomEvent('live:resync', {detail: {data: {}}}))")
    ana.wait_for_function(f"document.querySelector('#text-{far}').value === 'Reviewed every second year.'")

    # Ana has unsaved text in an element that Ben changes: her box is kept, and she is told.
    fourth = table.scorecard().family_by_key["who"].elements[3].key
    ana.route("**/casesim/sheet/*/save/", lambda route: route.abort())
    ana.locator(f"#text-{fourth}").fill("Ana's words, not sent yet.")
    ben.locator(f"#text-{fourth}").fill("Ben's words.")
    ben.locator(f"#entry-{fourth}").get_by_role("button", name="Save text").click()
    ana.locator(f"#entry-{fourth}").get_by_text("Someone changed this: see their version.").wait_for()
    assert ana.locator(f"#text-{fourth}").input_value() == "Ana's words, not sent yet."
    ana.unroute("**/casesim/sheet/*/save/")
    ana.locator(f"#entry-{fourth}").get_by_role("button", name="Save text").click()
    ana.locator(f"#entry-{fourth}").get_by_text("Two versions of this text").wait_for()
    entry = SheetEntry.objects.get(element=fourth)
    assert (entry.text, entry.conflict_text) == ("Ben's words.", "Ana's words, not sent yet.")

    # A save that never reaches the server is kept on the phone and sent after a reload.
    third = table.scorecard().family_by_key["who"].elements[2].key
    ben.route("**/casesim/sheet/*/save/", lambda route: route.abort())
    ben.locator(f"#text-{third}").fill("Kept on the phone.")
    ben.locator(f"#entry-{third}").get_by_role("button", name="Save text").click()
    ben.get_by_text("Not saved yet — will send when you are back online.").wait_for()
    ben.unroute("**/casesim/sheet/*/save/")
    ben.reload()
    ben.locator(f"#entry-{third}").get_by_text("last changed by Ben").wait_for()
    assert SheetEntry.objects.get(element=third).text == "Kept on the phone."

    # One more that cannot be sent before the negotiating time ends: the phone says so, text kept.
    ben.route("**/casesim/sheet/*/save/", lambda route: route.abort())
    ben.locator(f"#text-{third}").fill("Too late for the sheet.")
    ben.locator(f"#entry-{third}").get_by_role("button", name="Save text").click()
    ben.get_by_text("Not saved yet — will send when you are back online.").wait_for()
    ben.unroute("**/casesim/sheet/*/save/")

    # Present: read-only.
    TableRun.objects.update(phase="present")
    reload_all(pages, "Your table's agreement")
    assert ana.locator(box).count() == 0
    ben.locator(f"#entry-{third} .sim-unsaved").get_by_text("Too late for the sheet.").wait_for()
    assert SheetEntry.objects.get(element=third).text == "Kept on the phone."
    look(ana, "4-present")
    look(ben, "4-present-unsaved")

    # Report: look at the screen.
    Simulation.objects.update(stage="report")
    reload_all(pages[:1], "Look at the screen")
    look(ana, "5-report")
