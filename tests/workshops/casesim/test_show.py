"""The report back: the projector's views, debrief prompts, results, CSVs and the draft sent to
Agree, through the real URLs; refusals too. The sheets are fabricated (SheetEntry rows), as the
phones' sheet is another module's."""

import csv
import io
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml
from django.test import Client

from intersector.agreements import services as agree_services
from intersector.agreements.models import Agreement, Comment, ElementText
from intersector.workshops import services
from intersector.workshops.activities.casesim import show, state
from intersector.workshops.activities.casesim.models import AgreeDraft, RoleSeat, SheetEntry, Simulation, TableRun

ROOT = Path(__file__).resolve().parents[3]
FORMULA = "=HYPERLINK(\"http://x.example\",\"x\")"


@pytest.fixture
def scorecard(db):
    data = yaml.safe_load((ROOT / "content" / "agreements" / "scorecard.yaml").read_text(encoding="utf-8"))
    version, _created = agree_services.import_scorecard(data, note="shipped")
    return version


def sheet(run, family, element, text, status="draft", conflict=""):
    return SheetEntry.objects.create(run=run, family=family, element=element, text=text, status=status,
                                     version=1, conflict_text=conflict)


@pytest.fixture
def drafted(started, scorecard):
    """Two tables' sheets. Table 1 chose who, why, how: two of four 'who' elements agreed, one
    'how' disputed (with an unresolved other version), one parked. Table 2 chose why, how, what-if."""
    simulation = state.simulation_of(started)
    one, two = TableRun.objects.filter(simulation=simulation).order_by("table__number")
    one.families = ["who", "why", "how"]
    two.families = ["why", "how", "what-if"]
    one.save()
    two.save()
    sheet(one, "who", "representatives", "Each partner names one person and one alternate.", "agreed")
    sheet(one, "who", "coordinator", "City staff coordinate, with a facilitator for hard meetings.", "agreed")
    sheet(one, "why", "vision", "Clean air and easy travel for everyone in the region.", "agreed")
    sheet(one, "how", "finances", "Pooled money sits in the city's books.", "disputed",
          conflict="Pooled money sits with a neutral fiscal agent.")
    sheet(one, "how", "governance", FORMULA, "parked")
    sheet(two, "why", "vision", "A region where breathing is easy.", "agreed")
    sheet(two, "how", "finances", "Co-signed accounts.", "disputed")
    sheet(two, "what-if", "conflict-resolution", "Mediation first.", "draft")
    return started


def report_stage(item, **screen):
    Simulation.objects.filter(item=item).update(stage=Simulation.Stage.REPORT, screen=screen)
    item._simulation = None


def projector(console, item):
    response = console.get(f"/w/{item.workshop.code}/screen")
    assert response.status_code == 200
    return response


def briefs(item):
    """The first words of every brief, must-get, can-give and red line of the pack (all languages)."""
    simulation = state.simulation_of(item)
    found = []
    for data in simulation.packs.values():
        for role in data["roles"]:
            found.append(role["brief"].strip().split("\n")[0][:50])
            for part in ("must_get", "can_give", "red_lines"):
                found += [entry["text"][:50] for entry in role.get(part) or []]
    return found


def assert_no_brief(item, text):
    leaked = [b for b in briefs(item) if b and b in text]
    assert not leaked, leaked


def screen_url(item):
    return f"/convene/{item.workshop_id}/items/{item.pk}/casesim/report/screen/"


def agree_url(item, table_id):
    return f"/convene/{item.workshop_id}/items/{item.pk}/casesim/report/tables/{table_id}/agree/"


# --- Debrief prompts (pure) ------------------------------------------------------------------------

FAMILIES = [("who", "Who?"), ("why", "Why?"), ("what", "What?"), ("when", "When?"), ("how", "How?"),
            ("what-if", "What if?")]


def summary(number, chosen, **counts):
    """counts: family_status=n, e.g. how_disputed=1."""
    table = {}
    for name, n in counts.items():
        family, status = name.rsplit("_", 1)
        table.setdefault(family.replace("whatif", "what-if"), {})[status] = n
    return show.TableSummary(number, tuple(chosen), table)


def test_prompts_name_the_most_disputed_family_the_unchosen_ones_and_the_parked_tables():
    tables = [summary(n, ["who", "why", "how"], how_disputed=1, why_agreed=2) for n in range(1, 6)]
    tables += [summary(6, ["who", "why", "how"], why_agreed=1), summary(7, ["why", "how", "what-if"], why_agreed=1,
                                                                          how_parked=2, whatif_parked=2)]
    prompts = show.debrief_prompts(tables, FAMILIES)
    assert "The family “How?” was disputed at 5 of 7 tables. What made it hard to agree?" in prompts
    assert "Every table agreed on all of “Why?” without a dispute. Why was it easier than the rest?" in prompts
    assert "No table chose the families “What?” and “When?”. Would your agreement hold up without them?" in prompts
    assert "Table 7 parked 4 elements. What did it leave for later, and why?" in prompts
    assert "Every table chose the family “How?”. What made it a must?" in prompts  # "Why?" is said above


def test_a_family_counts_as_agreed_everywhere_only_when_every_element_is_agreed():
    """Each table agreed one of the four "Who?" elements: that is no consensus to praise."""
    sizes = {key: 4 for key, _title in FAMILIES}
    partly = [show.TableSummary(n, ("who", "how"), {"who": {"agreed": 1}}, sizes) for n in (1, 2)]
    assert not any("agreed on all" in p for p in show.debrief_prompts(partly, FAMILIES))
    fully = [show.TableSummary(n, ("who", "how"), {"who": {"agreed": 4}}, sizes) for n in (1, 2)]
    assert "Every table agreed on all of “Who?” without a dispute. Why was it easier than the rest?" in \
        show.debrief_prompts(fully, FAMILIES)


def test_prompts_use_the_singular_and_say_nothing_before_any_table_chose():
    assert show.debrief_prompts([], FAMILIES) == []
    assert show.debrief_prompts([summary(1, [])], FAMILIES) == []
    one = show.debrief_prompts([summary(1, ["who", "why", "what", "when", "how"], how_disputed=1)], FAMILIES)
    assert "The family “How?” was disputed at 1 of 1 table. What made it hard to agree?" in one
    assert "No table chose the family “What if?”. Would your agreement hold up without it?" in one
    both = show.debrief_prompts([summary(1, ["who", "why", "how"], how_agreed=1),
                                 summary(2, ["who", "how", "when"], how_parked=3)], FAMILIES)
    assert "Every table chose the families “Who?” and “How?”. What made them a must?" in both
    assert "Table 2 parked 3 elements. What did it leave for later, and why?" in both


def test_prompts_are_translated(settings):
    from django.utils import translation

    with translation.override("es"):
        prompts = show.debrief_prompts([summary(1, ["who", "why", "how"], how_disputed=1)], FAMILIES)
    assert prompts and all(isinstance(p, str) for p in prompts)


# --- The projector ---------------------------------------------------------------------------------


def test_while_tables_work_the_projector_shows_phases_and_progress_only(drafted, console):
    html = projector(console, drafted).content.decode()
    assert "2 of 2 tables have chosen their families." in html
    assert "2 tables: Read the case and your role" in html
    assert "Table 1" in html and "step 1 of" in html
    assert "Pooled money" not in html  # the tables' wording waits for the report
    assert_no_brief(drafted, html)


def test_the_overview_shows_the_heat_map_with_numbers_in_each_cell(drafted, console):
    report_stage(drafted, view="overview")
    response = projector(console, drafted)
    html = response.content.decode()
    one, two = response.context["sim_room"]
    families = [c.family.key for c in one.cells]
    who, how = one.cells[families.index("who")], one.cells[families.index("how")]
    assert (who.agreed, who.total, who.percent) == (2, 4, 50)
    assert (how.disputed, how.parked, how.agreed, how.percent) == (1, 1, 0, 0)
    assert two.cells[families.index("who")].percent is None  # not chosen: "—", not 0 %
    assert "50%" in html and "2 of 4 agreed" in html and "1 disputed" in html and "1 parked" in html
    assert "not chosen" in html and "chosen by 2" in html and "disputed at 2" in html
    assert_no_brief(drafted, html)


@pytest.mark.parametrize("count, blocks, dense", [(1, 1, False), (7, 1, False), (8, 1, True), (12, 2, True),
                                                  (20, 2, True), (40, 3, True), (100, 4, True)])
def test_the_projectors_heat_map_splits_many_tables_into_blocks_side_by_side(count, blocks, dense):
    class Result:
        def __init__(self, number):
            self.number = number

    tables = [Result(n) for n in range(1, count + 1)]
    layout = show.heat_layout(tables, projector=True)
    assert (layout["count"], layout["dense"]) == (blocks, dense)
    assert [t for block in layout["blocks"] for t in block["tables"]] == tables  # each table once, in order
    assert [block["footer"] for block in layout["blocks"]] == [False] * (blocks - 1) + [True]
    assert layout["rows"] == max(len(block["tables"]) for block in layout["blocks"])
    assert f".show-heat-r{layout['rows']} " in (ROOT / "intersector/workshops/activities/casesim/static/casesim/"
                                                 "screen.css").read_text()
    # The results page (a page that scrolls) keeps one block with every count.
    assert show.heat_layout(tables)["count"] == 1 and not show.heat_layout(tables)["dense"]


def test_the_family_view_puts_each_tables_wording_side_by_side(drafted, console):
    report_stage(drafted, view="family", family="how")
    html = projector(console, drafted).content.decode()
    assert "What each table wrote for “How?”" in html
    assert "Pooled money sits in the city" in html and "Co-signed accounts." in html
    assert "Disputed" in html and "Parked" in html
    report_stage(drafted, view="family", family="who")
    html = projector(console, drafted).content.decode()
    assert "Did not choose this family:" in html and "Each partner names one person" in html


def test_the_table_view_shows_one_tables_whole_draft(drafted, console):
    run = TableRun.objects.filter(simulation__item=drafted).order_by("table__number").last()
    report_stage(drafted, view="table", table=run.table_id)
    html = projector(console, drafted).content.decode()
    assert "Table 2: its draft agreement" in html
    assert "A region where breathing is easy." in html and "Mediation first." in html
    assert "Pooled money" not in html


def test_the_debrief_shows_the_packs_questions_and_the_rooms_prompts(drafted, console):
    report_stage(drafted, view="debrief")
    html = projector(console, drafted).content.decode()
    assert "The family “How?” was disputed at 2 of 2 tables." in html
    assert "Which question families did your table choose, and why those?" in html
    assert_no_brief(drafted, html)


def test_the_facilitator_switches_the_projector_and_boards_hear_it(drafted, console, django_capture_on_commit_callbacks):
    report_stage(drafted)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = console.post(screen_url(drafted), {"view": "family", "family": "what-if"})
    assert response.status_code == 302
    assert Simulation.objects.get(item=drafted).screen == {"view": "family", "family": "what-if"}
    assert len(callbacks) == 1  # the boards (console, projector); phones show no part of the screen
    assert "What each table wrote for “What if?”" in projector(console, drafted).content.decode()
    run = TableRun.objects.filter(simulation__item=drafted).first()
    console.post(screen_url(drafted), {"view": "table", "table": run.table_id})
    assert Simulation.objects.get(item=drafted).screen == {"view": "table", "table": run.table_id}


@pytest.mark.parametrize("data", [{"view": "slides"}, {"view": "family", "family": "money"},
                                  {"view": "table", "table": "999999"}, {"view": "table", "table": "x"}])
def test_a_bad_choice_of_view_is_refused_plainly(drafted, console, data):
    report_stage(drafted)
    response = console.post(screen_url(drafted), data)
    assert response.status_code == 400
    assert Simulation.objects.get(item=drafted).screen == {}


def test_only_the_facilitators_switch_the_projector(drafted, people, phone_of, django_user_model):
    report_stage(drafted)
    assert phone_of(people[0]).post(screen_url(drafted), {"view": "debrief"}).status_code == 302  # to log in
    stranger = Client()
    stranger.force_login(django_user_model.objects.create_user("sam", "sam@example.org", "a-long-pass-phrase-43"))
    assert stranger.post(screen_url(drafted), {"view": "debrief"}).status_code == 404
    assert Simulation.objects.get(item=drafted).screen == {}


def test_the_console_shows_the_report_controls_once_the_report_back_starts(drafted, console):
    url = f"/convene/{drafted.workshop_id}/"
    assert "Report back: what the projector shows" not in console.get(url).content.decode()
    report_stage(drafted, view="debrief")
    html = console.get(url).content.decode()
    assert "Report back: what the projector shows" in html
    assert 'value="debrief" class="button" aria-pressed="true"' in html
    assert "Open Table 1&#x27;s draft in Agree" in html or "Open Table 1's draft in Agree" in html


# --- Results, PDF and CSVs -------------------------------------------------------------------------


def test_the_results_page_has_each_tables_families_draft_disputes_and_roles(drafted, console):
    html = console.get(f"/convene/{drafted.workshop_id}/results/").content.decode()
    assert "Agreement across the tables" in html
    assert "Pooled money sits in the city" in html and "Pooled money sits with a neutral fiscal agent." in html
    assert "Another version, not yet resolved:" in html
    assert "Metro Chamber of Commerce" in html or "City Manager" in html
    assert "Who played which role" in html and "Person 0" in html
    assert "Families chosen:" in html and "The family “How?” was disputed at 2 of 2 tables." in html
    assert "/agree/button/" in html  # the Agree button is fetched by the page, so the PDF has none
    assert_no_brief(drafted, html)


@pytest.mark.django_db(transaction=True)
def test_the_pdf_report_holds_the_simulation_and_no_brief(drafted, console, run_worker):
    assert console.post(f"/convene/{drafted.workshop_id}/report/").status_code == 302
    run_worker()
    report = drafted.workshop.reports.get()
    pdf = console.get(f"/convene/{drafted.workshop_id}/report/{report.pk}.pdf")
    assert pdf.status_code == 200
    (ROOT / "var" / "screenshots").mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "screenshots" / "casesim-report.pdf").write_bytes(pdf.content)  # to look at
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf.content)
        file.flush()
        text = subprocess.run(["pdftotext", "-layout", file.name, "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "Agreement across the tables" in flat and "Co-signed accounts." in flat
    assert "Open Table" not in flat
    assert_no_brief(drafted, flat)


def read_csv(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_drafts_csv_has_every_element_written_and_is_formula_safe(drafted, console):
    response = console.get(f"/convene/{drafted.workshop_id}/exports/casesim/drafts.csv")
    assert response.status_code == 200
    rows = read_csv(response)
    assert rows[0][1:] == ["table", "family", "element key", "element", "status", "text",
                           "other version not yet resolved"]
    finances = [r for r in rows if r[3] == "finances" and r[1] == "1"][0]
    assert finances[5:] == ["Disputed", "Pooled money sits in the city's books.",
                            "Pooled money sits with a neutral fiscal agent."]
    governance = [r for r in rows if r[3] == "governance" and r[1] == "1"][0]
    assert governance[6] == "'" + FORMULA and governance[5] == "Parked"
    assert_no_brief(drafted, response.content.decode() if not response.streaming else str(rows))


def test_the_seats_csv_names_roles_and_organisations_never_briefs(drafted, console, people):
    response = console.get(f"/convene/{drafted.workshop_id}/exports/casesim/seats.csv")
    rows = read_csv(response)
    assert rows[0][1:] == ["table", "person", "sector", "role", "organisation", "mode"]
    assert len(rows) == 1 + len(people)
    assert {r[2] for r in rows[1:]} == {p.display_name for p in people}
    assert all(r[4] and r[5] for r in rows[1:])
    assert_no_brief(drafted, str(rows))


def test_exports_are_for_the_facilitators_only(drafted, people, phone_of, django_user_model):
    url = f"/convene/{drafted.workshop_id}/exports/casesim/drafts.csv"
    assert phone_of(people[0]).get(url).status_code == 302
    stranger = Client()
    stranger.force_login(django_user_model.objects.create_user("sam", "sam@example.org", "a-long-pass-phrase-43"))
    assert stranger.get(url).status_code == 404


# --- The draft sent to Agree -----------------------------------------------------------------------


def test_a_tables_draft_opens_as_an_agreement_with_its_partners_and_texts(drafted, console, facilitator):
    simulation = state.simulation_of(drafted)
    run = TableRun.objects.filter(simulation=simulation).order_by("table__number").first()
    response = console.post(agree_url(drafted, run.table_id))
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    assert "Table 1" in agreement.name and agreement.created_by == facilitator
    assert agreement.focus_families == ["who", "why", "how"]
    roles = state.public_case(simulation)["roles"]
    played = RoleSeat.objects.filter(simulation=simulation, table_id=run.table_id).values_list("role_key", flat=True)
    expected = list(dict.fromkeys(roles[k]["organisation"] for k in simulation.cast if k in set(played)))
    partners = list(agreement.partners.order_by("position"))
    assert [p.name for p in partners] == expected
    assert [p.sector for p in partners] == [roles[k]["sector"] for k in simulation.cast if k in set(played)]
    assert partners[0].user == facilitator
    texts = dict(ElementText.objects.filter(agreement=agreement).values_list("element", "text"))
    assert texts["finances"] == "Pooled money sits in the city's books."
    assert texts["representatives"] == "Each partner names one person and one alternate."
    notes = " ".join(Comment.objects.filter(agreement=agreement).values_list("body", flat=True))
    assert "Table 1 left this element disputed." in notes and "neutral fiscal agent" in notes
    assert "Table 1 parked this element for later." in notes
    assert console.get(agreement.get_absolute_url()).status_code == 200
    page = console.get(agreement.get_absolute_url() + "write/")
    assert page.status_code == 200 and "Pooled money" in page.content.decode()
    assert_no_brief(drafted, page.content.decode())
    # Clicking again goes to the same agreement; the console and results page link to it.
    again = console.post(agree_url(drafted, run.table_id))
    assert again["Location"] == agreement.get_absolute_url() and Agreement.objects.count() == 1
    button = console.get(agree_url(drafted, run.table_id) + "button/").content.decode()
    assert agreement.get_absolute_url() in button


def test_htmx_gets_a_redirect_header(drafted, console):
    run = TableRun.objects.filter(simulation__item=drafted).first()
    response = console.post(agree_url(drafted, run.table_id), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == Agreement.objects.get().get_absolute_url()


def test_the_agree_export_is_refused_to_phones_strangers_and_other_tables(drafted, people, phone_of,
                                                                          django_user_model, console):
    run = TableRun.objects.filter(simulation__item=drafted).first()
    assert phone_of(people[0]).post(agree_url(drafted, run.table_id)).status_code == 302  # to log in
    stranger = Client()
    stranger.force_login(django_user_model.objects.create_user("sam", "sam@example.org", "a-long-pass-phrase-43"))
    assert stranger.post(agree_url(drafted, run.table_id)).status_code == 404
    assert console.get(agree_url(drafted, run.table_id)).status_code == 405
    other = services.create_workshop(django_user_model.objects.get(username="sam"), "Other", "starter")
    services.set_table_count(other, 1)
    assert console.post(agree_url(drafted, other.tables.get().pk)).status_code == 404
    assert not Agreement.objects.exists() and not AgreeDraft.objects.exists()


def test_agree_says_so_when_the_scorecard_is_not_loaded(started, console):
    run = TableRun.objects.filter(simulation__item=started).first()
    response = console.post(agree_url(started, run.table_id))
    assert response.status_code == 409 and "scorecard has not been loaded" in response.content.decode()
    assert not Agreement.objects.exists()


def test_before_the_start_the_results_and_projector_say_so_plainly(workshop, simulation_item, console):
    assert "This simulation was not run." in console.get(f"/convene/{workshop.pk}/results/").content.decode()
    services.go_to_item(workshop, workshop.items.first())
    assert console.get(f"/w/{workshop.code}/screen").status_code == 200


def test_the_rooms_questions_join_the_projector_in_the_report_a_pinned_one_on_top(drafted, console, people):
    from intersector.workshops.qna import services as qna

    html = projector(console, drafted).content.decode()
    assert "Ask your questions on your phone" not in html  # tables at work: no questions yet
    report_stage(drafted, view="overview")
    html = projector(console, drafted).content.decode()
    assert html.index("Agreement across the tables") < html.index("Ask your questions on your phone")
    question = qna.ask(drafted, people[0], "Who pays for the buses on Sundays?")
    question = question[0] if isinstance(question, tuple) else question
    qna.approve(drafted, [question.pk])
    qna.pin(drafted, question.pk)
    html = projector(console, drafted).content.decode()
    assert html.index("Who pays for the buses on Sundays?") < html.index("Agreement across the tables")
