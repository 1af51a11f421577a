"""The report back in a browser: the projector's views with seven tables at 1280x720 and
1920x1080, and the results page (axe-clean, 360 px and desktop), with the Agree button fetched
by the page. Screenshots in var/screenshots/casesim-*.png."""

import random

import pytest
import yaml

from intersector.agreements import services as agree_services
from intersector.workshops import services
from intersector.workshops.activities.casesim import state
from intersector.workshops.activities.casesim.models import SheetEntry, Simulation, TableRun
from tests.conftest import SCREENSHOTS, check_accessibility, screenshot
from tests.live.servers import Server, server_env
from tests.workshops.casesim.test_show import ROOT, assert_no_brief
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

SECTORS = ["government", "business", "non-profit"]
FAMILY_CHOICES = [["who", "why", "how"], ["why", "how", "what-if"], ["who", "how", "what-if", "when"],
                  ["why", "what", "how"], ["who", "why", "how", "what-if"], ["how", "what-if", "why"],
                  ["who", "why", "how", "what", "what-if"]]
WORDS = {
    "representatives": "Each partner names one person and one alternate who can speak for it.",
    "coordinator": "City staff coordinate; a neutral facilitator chairs the hard meetings.",
    "authority": "Representatives say before each vote whether they can commit their organisation.",
    "partner-profiles": "A one-page profile of each partner, its mission and what it brings.",
    "vision": "A region where getting around is easy and the air is clean for everyone.",
    "shared-objectives": "Cut vehicle emissions and shorten commutes while the region grows.",
    "motivations": "Each partner says in a sentence why it joined.",
    "values-principles": "Openness, respect for every community and decisions based on evidence.",
    "partner-objectives": "Each partner lists two objectives of its own.",
    "decision-making": "Consensus first; if it fails, a two-thirds vote of organisations.",
    "governance": "A steering committee of fifteen, one seat per interest group at least.",
    "finances": "Pooled money sits in the city's books; quarterly statements go to every partner.",
    "information-sharing": "Shared data is aggregated; public-records law applies to what the city holds.",
    "communication-reporting": "Minutes within a week, in plain language, with interpreters on request.",
    "conflict-resolution": "Mediation by a neutral third party before anyone leaves.",
    "partner-exit": "A partner may leave with 60 days' notice.",
    "amendments": "Changes take effect after every partner's board has seen them.",
    "timeline": "Eighteen months to a draft strategy.",
    "milestones": "A first public report after six months.",
    "activities": "Six learning sessions, then negotiation in working groups.",
}


@pytest.fixture
def server():
    from django.db import connection

    server = Server("casesim-show-browser", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


def seven_tables(facilitator):
    """35 people at 7 tables, every table's sheet filled in, the report back started."""
    data = yaml.safe_load((ROOT / "content" / "agreements" / "scorecard.yaml").read_text(encoding="utf-8"))
    version, _created = agree_services.import_scorecard(data, note="shipped")
    families = {f.key: [e.key for e in f.elements] for f in version.card.families}
    workshop = services.create_workshop(facilitator, "Partnering workshop", "starter")
    for n in range(35):
        services.join(workshop, f"Person {n + 1}", SECTORS[n % 3])
    services.set_table_count(workshop, 7)
    item = workshop.items.get(kind="casesim")
    services.go_to_item(workshop, item)
    simulation = state.simulation_of(item)
    chance = random.Random(7)
    for index, run in enumerate(TableRun.objects.filter(simulation=simulation).order_by("table__number")):
        run.families = FAMILY_CHOICES[index]
        run.phase = "present"
        run.save()
        for family in run.families:
            for element in families[family]:
                roll = chance.random()
                if roll < 0.15:
                    continue
                status = "agreed" if roll < 0.6 else "disputed" if roll < 0.78 else "parked" if roll < 0.9 else "draft"
                if family == "how" and element == "finances" and index < 5:
                    status = "disputed"
                text = WORDS.get(element, f"Table {index + 1}'s wording for {element.replace('-', ' ')}.")
                SheetEntry.objects.create(run=run, family=family, element=element, text=text, status=status,
                                          version=1, conflict_text="Money is held by a neutral fiscal agent."
                                          if status == "disputed" and element == "finances" else "")
    return workshop, item


def shot(page, name):
    """What the room sees: the viewport only (screenshot() keeps the whole page too)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def sign_in(page, server):
    page.goto(f"{server.url}/accounts/sign-in/")
    page.get_by_label("User name or e-mail address").fill("fiona")
    page.get_by_label("Password").fill("a-long-pass-phrase-42")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_the_projector_and_results_of_seven_tables(server, new_page, django_user_model):
    facilitator = django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")
    workshop, item = seven_tables(facilitator)
    first = TableRun.objects.filter(simulation__item=item).order_by("table__number").first()

    for width, height in ((1280, 720), (1920, 1080)):
        page = new_page(width=width, height=height)
        sign_in(page, server)
        Simulation.objects.filter(item=item).update(stage="tables", screen={})
        page.goto(f"{server.url}/w/{workshop.code}/screen")
        page.get_by_text("7 of 7 tables have chosen their families.").wait_for()
        shot(page, f"casesim-projector-tables-{width}")
        Simulation.objects.filter(item=item).update(stage="report")
        views = [("overview", {"view": "overview"}, "Agreement across the tables"),
                 ("family", {"view": "family", "family": "how"}, "What each table wrote for “How?”"),
                 ("table", {"view": "table", "table": first.table_id}, "Table 1: its draft agreement"),
                 ("debrief", {"view": "debrief"}, "From your results")]
        for name, screen, heading in views:
            Simulation.objects.filter(item=item).update(screen=screen)
            page.goto(f"{server.url}/w/{workshop.code}/screen")
            page.get_by_text(heading).first.wait_for()
            shot(page, f"casesim-projector-{name}-{width}")
            screenshot(page, f"casesim-projector-{name}-{width}-full")
            check_accessibility(page)
            assert_no_brief(item, page.content())

    # The facilitator switches the projector from the console; the projector follows live.
    Simulation.objects.filter(item=item).update(screen={"view": "overview"})
    projector = new_page(width=1280, height=720)
    sign_in(projector, server)
    projector.goto(f"{server.url}/w/{workshop.code}/screen")
    projector.get_by_text("Agreement across the tables").first.wait_for()
    console = new_page(width=1280, height=900)
    sign_in(console, server)
    console.goto(f"{server.url}/convene/{workshop.pk}/")
    console.get_by_text("Report back: what the projector shows").wait_for()
    console.get_by_text("Report back: what the projector shows").scroll_into_view_if_needed()
    shot(console, "casesim-console-report-1280")
    check_accessibility(console)
    console.get_by_role("button", name="How?").click()
    console.locator('button[value="how"][aria-pressed="true"]').wait_for()
    projector.get_by_text("What each table wrote for “How?”").wait_for(timeout=15_000)
    console.get_by_role("button", name="Debrief questions").click()
    projector.get_by_text("From your results").wait_for(timeout=15_000)

    for width in (1280, 360):
        page = new_page(width=width, height=900)
        sign_in(page, server)
        page.goto(f"{server.url}/convene/{workshop.pk}/results/")
        page.get_by_role("button", name="Open Table 1's draft in Agree").wait_for()
        screenshot(page, f"casesim-results-{width}")
        wide = page.evaluate("""() => [...document.querySelectorAll('.show-results *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.show-scroll'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40))""")
        assert not wide, wide  # the simulation's part fits; its heat map scrolls (brainwriting's grid is wider: not ours)
        check_accessibility(page)
        assert_no_brief(item, page.content())

    page.get_by_role("button", name="Open Table 2's draft in Agree").click()
    page.wait_for_url("**/agreements/**")
    screenshot(page, "casesim-agree-made-360")
    page.goto(f"{server.url}/convene/{workshop.pk}/results/")
    page.get_by_text("This table's draft is in Agree:").wait_for()
