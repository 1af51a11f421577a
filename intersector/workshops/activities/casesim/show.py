"""The report: the projector, debrief prompts from the room's results, results and exports.

Nothing here reads a brief: roles appear by name and organisation only (state.public_case), and
the pack's debrief questions are meant for the whole room.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intersector.agreements import scorecard as sc
from intersector.refusals import Refused
from intersector.workshops import texts
from intersector.workshops.activities.actions import facilitator_action
from intersector.workshops.activities.base import Export
from intersector.workshops.activities.casesim import state
from intersector.workshops.activities.casesim.activity import activity
from intersector.workshops.activities.casesim.debrief import (  # noqa: F401  (tests and templates use show.*)
    MANY_PARKED, SHOWN_PARKED, TableSummary, debrief_prompts, listing, summaries,
)
from intersector.workshops.activities.casesim.models import AgreeDraft, RoleSeat, SheetEntry, Simulation
from intersector.workshops.services import announce

VIEWS = ("overview", "family", "table", "debrief")
STATUS_MARKS = {"agreed": "✓", "disputed": "✗", "parked": "‖", "draft": "✎", "": "–"}


# --- The scorecard's families and elements (Agree's current scorecard, never a copy) ----------


@dataclass
class Family:
    key: str
    title: str
    elements: list = field(default_factory=list)  # [(element key, element title)]


def scorecard_families():
    """The six families with their elements, from the scorecard Agree uses now."""
    from intersector.agreements.services import current_scorecard

    version = current_scorecard()
    if version is None:  # a site that has not loaded its content yet: the keys still tell
        return [Family(key, key.replace("-", " ").capitalize() + "?") for key in sc.FAMILY_KEYS]
    return [Family(f.key, f.title, [(e.key, e.title) for e in f.elements]) for f in version.card.families]


# --- The room's results ----------------------------------------------------------------------


@dataclass
class Cell:
    """One table x one family: how many of the family's elements the table agreed, disputed..."""

    family: Family
    chosen: bool
    counts: Counter

    @property
    def total(self):
        return len(self.family.elements) or sum(self.counts.values())

    @property
    def agreed(self):
        return self.counts["agreed"]

    @property
    def disputed(self):
        return self.counts["disputed"]

    @property
    def parked(self):
        return self.counts["parked"]

    @property
    def percent(self):
        """The share of the family's elements agreed, or None when the table did not choose it."""
        if not self.chosen and not self.counts:
            return None
        return round(100 * self.agreed / self.total) if self.total else 0

    @property
    def level(self):
        """0-4 for the heat map's shade (the number is always written too)."""
        return None if self.percent is None else min(4, (self.percent + 24) // 25)


@dataclass
class Row:
    """One element as a table left it."""

    key: str
    title: str
    entry: SheetEntry | None

    @property
    def status(self):
        return self.entry.status if self.entry else ""

    @property
    def status_label(self):
        return status_label(self.status)

    @property
    def mark(self):
        return STATUS_MARKS.get(self.status, "")

    @property
    def text(self):
        return self.entry.text if self.entry else ""

    @property
    def conflict(self):
        return self.entry.conflict_text if self.entry else ""


@dataclass
class TableResult:
    run: object
    number: int
    families: list          # the keys the table chose, in its order
    entries: dict           # element key -> SheetEntry
    cells: list             # one Cell per scorecard family, in the scorecard's order

    @property
    def table_id(self):
        return self.run.table_id

    @property
    def parked(self):
        return sum(cell.parked for cell in self.cells)

    @property
    def conflicts(self):
        return [entry for entry in self.entries.values() if entry.conflict_text]

    def rows(self, family):
        known = [Row(key, title, self.entries.get(key)) for key, title in family.elements]
        keys = {key for key, _title in family.elements}
        # Elements the scorecard no longer has (it changed after the simulation): kept, by key.
        extra = [Row(e.element, e.element, e) for e in self.entries.values() if e.family == family.key and e.element not in keys]
        return known + extra

    def drafted(self):
        """[(family, rows)] of the families the table chose, then any other it wrote in."""
        written = {e.family for e in self.entries.values() if e.text or e.status != "draft"}
        families = [c.family for c in self.cells if c.chosen] + [c.family for c in self.cells
                                                                  if not c.chosen and c.family.key in written]
        return [(family, self.rows(family)) for family in families]


def status_label(status):
    return dict(SheetEntry.Status.choices).get(status, _("Not written"))


def room(simulation, families=None):
    """Every table's results: chosen families, entries and per-family counts (three queries)."""
    families = families or scorecard_families()
    runs = list(simulation.runs.select_related("table"))
    entries = {}
    for entry in SheetEntry.objects.filter(run__simulation=simulation).order_by("pk"):
        entries.setdefault(entry.run_id, {})[entry.element] = entry
    tables = []
    for run in runs:
        mine = entries.get(run.pk, {})
        cells = []
        for family in families:
            counts = Counter(e.status for e in mine.values() if e.family == family.key)
            cells.append(Cell(family, family.key in run.families, counts))
        tables.append(TableResult(run, run.table.number, list(run.families), mine, cells))
    return tables


def family_summary(tables, families):
    """Per family: how many tables chose it, and at how many something was agreed / disputed."""
    summary = []
    for index, family in enumerate(families):
        cells = [table.cells[index] for table in tables]
        summary.append({"family": family, "chosen": sum(c.chosen for c in cells),
                        "agreed": sum(1 for c in cells if c.agreed), "disputed": sum(1 for c in cells if c.disputed),
                        "parked": sum(1 for c in cells if c.parked)})
    return summary


# --- The heat map's layout -----------------------------------------------------------------------

# Nobody scrolls a projector: its heat map (heat.html, screen.css) fits the screen whatever the
# number of tables. Up to FULL_UPTO tables each cell shows its counts under the percentage; past that
# ("dense") the percentage and the disputed count only (the counts stay for screen readers), and the
# tables are split into blocks side by side, as many as make the text largest on a 16:9 screen.
# The sizes are screen.css's, in em: a block's width, a row's height, header and footer together.
FULL_UPTO = 7
MAX_BLOCKS = 4
SCREEN_RATIO = 2.5  # width / height of the room the map has under the heading on a 16:9 projector
FULL = {"width": 45.5, "row": 4.1, "extra": 4.4}
DENSE = {"width": 31.6, "row": 2.1, "extra": 5.4}


def heat_text_size(count, blocks, size):
    """The text size (relative) that fits `count` tables in `blocks` blocks of the given sizes."""
    rows = -(-count // blocks)
    return min(SCREEN_RATIO / (blocks * size["width"] + blocks - 1), 1 / (rows * size["row"] + size["extra"]))


def heat_layout(tables, projector=False):
    """{"blocks": [{"tables", "first", "last", "footer"}], "dense", "rows", "count"}: rows is the
    tallest block's number of tables; on the results page (not projector) one block, in full."""
    count = len(tables)
    dense = projector and count > FULL_UPTO
    blocks = 1
    if dense:
        blocks = max(range(1, MAX_BLOCKS + 1), key=lambda k: (heat_text_size(count, k, DENSE), -k))
    size = -(-count // blocks) if count else 0
    parts = [tables[i:i + size] for i in range(0, count, size)] if count else [[]]
    found = [{"tables": part, "first": part[0].number if part else "", "last": part[-1].number if part else "",
              "footer": index == len(parts) - 1} for index, part in enumerate(parts)]
    return {"blocks": found, "dense": dense, "rows": max(size, 1), "count": len(found)}


# --- Debrief prompts: plain sentences from the room's results (pure) --------------------------


def debrief_questions(simulation):
    """The pack's debrief questions (for the whole room; nothing confidential)."""
    return [q["question"] for q in state.pack_data(simulation).get("debrief") or []]


# --- The projector -----------------------------------------------------------------------------


def screen_choice(simulation, tables, families):
    """What the facilitator chose to show, checked against what exists now."""
    screen = simulation.screen or {}
    view = screen.get("view") if screen.get("view") in VIEWS else "overview"
    family = next((f for f in families if f.key == screen.get("family")), None)
    table = next((t for t in tables if t.table_id == screen.get("table")), None)
    if (view == "family" and family is None) or (view == "table" and table is None):
        view = "overview"
    return view, family, table


def progress(simulation, runs):
    """While tables work: each table's phase, and the room's progress in plain sentences."""
    titles = {p["key"]: p["title"] for p in state.phases(simulation)}
    order = list(titles)
    total = len(runs)
    chosen = sum(1 for run in runs if run.families)
    lines = [ngettext("%(count)d of %(total)d table has chosen its families.",
                      "%(count)d of %(total)d tables have chosen their families.", total)
             % {"count": chosen, "total": total}]
    phases = Counter(run.phase for run in runs)
    for key in [*order, state.DONE]:
        if phases[key]:
            title = titles.get(key, _("Finished"))
            lines.append(ngettext("%(count)d table: %(phase)s", "%(count)d tables: %(phase)s", phases[key])
                         % {"count": phases[key], "phase": title})
    per_table = [{"number": run.table.number, "phase": titles.get(run.phase, _("Finished")),
                  "step": order.index(run.phase) + 1 if run.phase in order else len(order),
                  "steps": len(order), "families": len(run.families), "paused": run.paused_left is not None}
                 for run in runs]
    return lines, per_table


def screen_context(item):
    simulation = state.simulation_of(item)
    if simulation is None:
        return {"simulation": None}
    if simulation.stage == Simulation.Stage.TABLES:
        runs = list(simulation.runs.select_related("table"))
        lines, per_table = progress(simulation, runs)
        return {"simulation": simulation, "sim_view": "tables", "sim_progress": lines, "sim_tables": per_table}
    families = scorecard_families()
    tables = room(simulation, families)
    view, family, table = screen_choice(simulation, tables, families)
    context = {"simulation": simulation, "sim_view": view, "sim_families": families, "sim_room": tables,
               "sim_case": state.public_case(simulation)["title"]}
    if view == "overview":
        context["sim_summary"] = family_summary(tables, families)
        context["sim_heat"] = heat_layout(tables, projector=True)
    elif view == "family":
        index = families.index(family)
        context["sim_family"] = family
        context["sim_columns"] = [(t, t.cells[index], [row for row in t.rows(family) if row.entry])
                                  for t in tables if t.cells[index].chosen or t.cells[index].counts]
        context["sim_not_chosen"] = [t.number for t in tables if not (t.cells[index].chosen or t.cells[index].counts)]
    elif view == "table":
        context["sim_table"] = table
    else:
        context["sim_prompts"] = debrief_prompts(summaries(tables), [(f.key, f.title) for f in families])
        context["sim_questions"] = debrief_questions(simulation)
    # Q&A (intersector/workshops/qna) joins here when the item has it on: the lead merges
    # qna.screen_context(item) into this context; screen.html includes qna/screen.html on `qna_on`.
    return context


def set_screen(item, view, family="", table=""):
    """The facilitator chooses what the projector shows in the report."""
    simulation = state.simulation_of(item)
    if simulation is None:
        raise Refused(_("The simulation has not started yet."), status=409)
    if view not in VIEWS:
        raise Refused(_("Choose what the projector shows: the overview, a family, a table or the debrief."))
    screen = {"view": view}
    if view == "family":
        if family not in sc.FAMILY_KEYS:
            raise Refused(_("Choose one of the six question families."))
        screen["family"] = family
    if view == "table":
        try:
            table_id = int(table)
        except (TypeError, ValueError):
            table_id = None
        if table_id is None or not simulation.runs.filter(table_id=table_id).exists():
            raise Refused(_("That table is not in this simulation."))
        screen["table"] = table_id
    with transaction.atomic():
        Simulation.objects.filter(pk=simulation.pk).update(screen=screen)
        simulation.screen = screen
        # The boards only: in the report phones say "follow on the big screen" whatever it shows, so
        # 300 phones need not fetch their screen again on each click (they would, as they listen).
        announce(item.workshop, "sim.screen", simulation=simulation.pk)
    return screen


# --- The console's report controls (console_report.html, through templatetags/casesim_show) ----


def report_controls(item, user):
    simulation = state.simulation_of(item)
    if simulation is None:
        return {"simulation": None}
    families = scorecard_families()
    runs = list(simulation.runs.select_related("table"))
    screen = simulation.screen or {}
    view = screen.get("view") if screen.get("view") in VIEWS else "overview"
    made = {}
    if user is not None and user.is_authenticated:
        made = {d.run_id: d.agreement for d in AgreeDraft.objects.filter(run__simulation=simulation, user=user)
                .select_related("agreement")}
    return {"simulation": simulation, "view": view,
            "families": [{"key": f.key, "title": f.title, "on": view == "family" and screen.get("family") == f.key}
                         for f in families],
            "tables": [{"number": run.table.number, "table_id": run.table_id, "agreement": made.get(run.pk),
                        "on": view == "table" and screen.get("table") == run.table_id} for run in runs]}


# --- Results (the results page and the PDF report) -------------------------------------------


def seats_by_table(simulation):
    """{table id: [(role name, organisation, person, sector, mode label, taken out)]}: names only."""
    roles = state.public_case(simulation)["roles"]
    seats = {}
    for seat in RoleSeat.objects.filter(simulation=simulation).select_related("participant").order_by("table_id", "pk"):
        role = roles.get(seat.role_key) or {}
        seats.setdefault(seat.table_id, []).append({
            "role": role.get("name", ""), "organisation": role.get("organisation", ""),
            "person": seat.participant.display_name, "sector": seat.participant.sector,
            "mode": seat.get_mode_display(), "taken_out": seat.taken_out})
    return seats


def results_context(item):
    simulation = state.simulation_of(item)
    if simulation is None:
        return {"simulation": None}
    families = scorecard_families()
    tables = room(simulation, families)
    seats = seats_by_table(simulation)
    return {
        "simulation": simulation, "sim_case": state.public_case(simulation)["title"],
        "sim_families": families, "sim_heat": heat_layout(tables),
        "sim_results": [{"table": t, "drafted": t.drafted(), "seats": seats.get(t.table_id, []),
                         "chosen": [c.family for c in t.cells if c.chosen]} for t in tables],
        "sim_prompts": debrief_prompts(summaries(tables), [(f.key, f.title) for f in families]),
        "sim_questions": debrief_questions(simulation),
        # Q&A: the lead merges qna.results_context(item) here; results.html includes qna/results.html on `qna_on`.
    }


# --- Exports (CSV, formula-safe through intersector.spreadsheets) -----------------------------


def simulations_of(workshop):
    return Simulation.objects.filter(item__workshop=workshop).select_related("item").order_by("item__order", "pk")


def drafts_header():
    return [_("activity"), _("table"), _("family"), _("element key"), _("element"), _("status"), _("text"),
            _("other version not yet resolved")]


def item_titles(workshop):
    """Each item's title in the reader's language (workshops/texts.py)."""
    return {pk: item.title for pk, item in texts.shown_items(workshop).items()}


def drafts_rows(workshop):
    families = scorecard_families()
    titles = item_titles(workshop)
    for simulation in simulations_of(workshop):
        for table in room(simulation, families):
            for family, rows in table.drafted():
                for row in rows:
                    yield [titles.get(simulation.item_id, simulation.item.title), table.number, family.title, row.key, row.title,
                           row.status_label, row.text, row.conflict]


def seats_header():
    return [_("activity"), _("table"), _("person"), _("sector"), _("role"), _("organisation"), _("mode")]


def seats_rows(workshop):
    from intersector.workshops.templatetags.convene import sector_name

    titles = item_titles(workshop)
    for simulation in simulations_of(workshop):
        numbers = dict(simulation.runs.values_list("table_id", "table__number"))
        for table_id, seats in seats_by_table(simulation).items():
            for seat in seats:
                mode = seat["mode"] + (" (" + _("taken out") + ")" if seat["taken_out"] else "")
                yield [titles.get(simulation.item_id, simulation.item.title), numbers.get(table_id, ""), seat["person"], sector_name(seat["sector"]),
                       seat["role"], seat["organisation"], mode]


DRAFTS = Export("drafts.csv", gettext_lazy("Download the tables' drafts (CSV)"), drafts_header, drafts_rows,
                filename="workshop-{code}-drafts.csv")
SEATS = Export("seats.csv", gettext_lazy("Download who played which role (CSV)"), seats_header, seats_rows,
               filename="workshop-{code}-roles.csv")


def exports():
    return [DRAFTS, SEATS]


# --- Views (facilitators only; thin) ------------------------------------------------------------


@facilitator_action(activity)
def screen_view(request, item):
    set_screen(item, request.POST.get("view", ""), request.POST.get("family", ""), request.POST.get("table", ""))
    return None  # the console's "now" panel (htmx), else the console


@facilitator_action(activity)
def open_in_agree(request, item, table_pk):
    from intersector.workshops.activities.casesim import agree

    agreement, _created = agree.open_in_agree(item, table_pk, request.user)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = agreement.get_absolute_url()
        return response
    return redirect(agreement)


@facilitator_action(activity, read_only=True)
def agree_button(request, item, table_pk):
    """The results page's "Open in Agree" button, fetched by the page (the PDF shows nothing)."""
    simulation = state.simulation_of(item)
    run = simulation and simulation.runs.filter(table_id=table_pk).select_related("table").first()
    if run is None:
        raise Refused(_("That table is not in this simulation."), status=404)
    made = AgreeDraft.objects.filter(run=run, user=request.user).select_related("agreement").first()
    return render(request, "casesim/agree_button.html", {
        "workshop": item.workshop, "item": item, "run": run, "agreement": made.agreement if made else None})


urls = [
    path("report/screen/", screen_view, name="show_screen"),
    path("report/tables/<int:table_pk>/agree/", open_in_agree, name="show_agree"),
    path("report/tables/<int:table_pk>/agree/button/", agree_button, name="show_agree_button"),
]
