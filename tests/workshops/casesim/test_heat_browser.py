"""The projector's heat map (the report back's overview) fits the screen with no scrolling: 1, 7 and
40 tables at 1280x720 and 1920x1080, every table's row and the "All tables" footer in view (the room
reads it from the back; nobody scrolls a projector). Screenshots in var/screenshots/casesim-heat-*."""

import random

import pytest
import yaml

from intersector.agreements import services as agree_services
from intersector.workshops import services
from intersector.workshops.activities.casesim import state
from intersector.workshops.activities.casesim.models import SheetEntry, Simulation, TableRun
from tests.conftest import SCREENSHOTS, check_accessibility
from tests.workshops.casesim.test_show import ROOT
from tests.workshops.casesim.test_show_browser import FAMILY_CHOICES, server, sign_in  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]
SECTORS = ["government", "business", "non-profit"]


def report_of(facilitator, tables):
    """`tables` tables of three, each with families chosen and a sheet partly agreed."""
    data = yaml.safe_load((ROOT / "content" / "agreements" / "scorecard.yaml").read_text(encoding="utf-8"))
    version, _created = agree_services.import_scorecard(data, note="shipped")
    elements = {f.key: [e.key for e in f.elements] for f in version.card.families}
    workshop = services.create_workshop(facilitator, f"Heat map of {tables}", "starter")
    for n in range(3 * tables):
        services.join(workshop, f"Person {n + 1}", SECTORS[n % 3])
    services.set_table_count(workshop, tables)
    item = workshop.items.get(kind="casesim")
    services.go_to_item(workshop, item)
    simulation = state.simulation_of(item)
    chance = random.Random(tables)
    entries = []
    for index, run in enumerate(TableRun.objects.filter(simulation=simulation).order_by("table__number")):
        run.families = FAMILY_CHOICES[index % len(FAMILY_CHOICES)]
        run.phase = "done"
        run.save()
        for family in run.families:
            for element in elements[family]:
                roll = chance.random()
                status = "agreed" if roll < 0.55 else "disputed" if roll < 0.75 else "parked" if roll < 0.85 else "draft"
                entries.append(SheetEntry(run=run, family=family, element=element, text="Words.", status=status,
                                          version=1))
    SheetEntry.objects.bulk_create(entries)
    Simulation.objects.filter(item=item).update(stage="report", screen={"view": "overview"})
    return workshop


def overflow(page):
    """What lies outside the window: the page's scroll, and any heat map row or footer cut off."""
    return page.evaluate("""() => {
        const out = [];
        const doc = document.scrollingElement;
        if (doc.scrollHeight > innerHeight + 1) out.push('page scrolls down: ' + doc.scrollHeight + ' > ' + innerHeight);
        if (doc.scrollWidth > innerWidth + 1) out.push('page scrolls sideways: ' + doc.scrollWidth + ' > ' + innerWidth);
        for (const el of document.querySelectorAll('.show-heat tr, .show-heat-more, .show-key')) {
            if (el.closest('[hidden]')) continue;
            const box = el.getBoundingClientRect();
            if (box.bottom > innerHeight + 1 || box.right > innerWidth + 1)
                out.push(el.tagName + ' ' + el.textContent.trim().slice(0, 30) + ' ends at ' + Math.round(box.bottom));
        }
        const fit = document.querySelector('.show-heat-fit').getBoundingClientRect();
        for (const el of document.querySelectorAll('.show-heat-fit tr')) {
            const box = el.getBoundingClientRect();
            if (box.bottom > fit.bottom + 1 || box.right > fit.right + 1)
                out.push('a row runs out of the space under the heading: ' + el.textContent.trim().slice(0, 30));
        }
        for (const el of document.querySelectorAll('.show-heat th, .show-heat td')) {
            if (el.scrollWidth > el.clientWidth + 1) out.push('cut off: ' + el.textContent.trim().slice(0, 30));
        }
        for (const scroller of document.querySelectorAll('.show-scroll')) {
            if (scroller.scrollHeight > scroller.clientHeight + 1 || scroller.scrollWidth > scroller.clientWidth + 1)
                out.push('the heat map scrolls inside its box');
        }
        return out;
    }""")


def smallest_text(page):
    return page.evaluate("""() => Math.min(...[...document.querySelectorAll('.show-heat th, .show-heat td')]
        .map(el => parseFloat(getComputedStyle(el).fontSize)))""")


@pytest.mark.parametrize("tables", [1, 7, 40])
def test_the_heat_map_fits_the_projector_without_scrolling(server, new_page, django_user_model, tables):
    facilitator = django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")
    workshop = report_of(facilitator, tables)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 720), (1920, 1080)):
        page = new_page(width=width, height=height)
        sign_in(page, server)  # the projector is the facilitator's screen
        page.goto(f"{server.url}/w/{workshop.code}/screen")
        page.get_by_text("Agreement across the tables").first.wait_for()
        page.locator(".show-heat tfoot").wait_for()
        page.screenshot(path=str(SCREENSHOTS / f"casesim-heat-{tables}-{width}.png"))
        assert not overflow(page), overflow(page)
        shown = page.locator(".show-heat tbody tr").count()
        assert shown == tables  # every table on the one screen
        assert smallest_text(page) >= (11 if width == 1280 else 14)  # still readable from the room
        if tables == 7:
            check_accessibility(page)
