"""The phones: the public case, one's own brief, the table's families and sheet.

participant_context builds the phone's screen by the table's phase. The sheet's elements are
also served one at a time (`entry`, a cheap GET: casesim/phone.js shows a change from its
sim.sheet event, and fetches the element only when the event cannot say it all -- two versions
waiting, a very long text -- and never the whole screen)."""

import hashlib
from collections import OrderedDict
from functools import lru_cache

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from intersector.refusals import Refused, wants_fragment
from intersector.workshops.access import joined
from intersector.workshops.activities.actions import participant_action
from intersector.workshops.activities.casesim import state, table
from intersector.workshops.activities.casesim.activity import activity
from intersector.workshops.models import Participant
from intersector.workshops.activities.casesim.models import MAX_SHEET_TEXT, FamilyProposal, RoleSeat, SheetEntry, Simulation, TableRun

ENTRY_TEMPLATE = "casesim/phone_entry.html"


# --- The screen ---------------------------------------------------------------------------------
# What a phone shows is its table's screen (the same for everyone there who may act, and for its
# observers: rendered once per table and version, workshops/screens.py) and its own parts: the
# seat line, the confidential brief and the answer to the table's proposal. Those parts are only
# ever rendered for their holder, in their own page or their own /mine request; never in the
# table's screen or an event.


def participant_context(item, participant):
    """One person's whole screen (their page, their own request): the table's and their own parts."""
    simulation = state.simulation_of(item)
    if simulation is None:
        return {"simulation": None}
    seat = state.seat_of(simulation, participant) or state.seat_latecomer(simulation, participant)
    context = table_context(item, simulation, seat.table_id if seat else None, table.can_act(seat))
    context.update(own_context(simulation, seat, participant, context["run"], context.get("proposal"),
                               context.get("table_seats")))
    return context


def audience(item, participant):
    """The table screen this person shares: "t<table>-act-<roster>" (role holders and mirrors) or
    "t<table>-watch-<roster>" (observers); None (their own screen) when they have no seat at a table.

    <roster> changes whenever anyone joins, leaves or changes seat at the table. Why: the table's
    screen is kept by its address and answered from memory without asking Django
    (intersector/shared_responses.py); someone moved to another table still knows the old address,
    so the address their old table's screens are kept under from then on must be a new one."""
    simulation = state.simulation_of(item)
    if simulation is None:
        return None
    seat = state.seat_of(simulation, participant) or state.seat_latecomer(simulation, participant)
    if seat is None or seat.taken_out or seat.table_id is None or seat.table_id != participant.table_id:
        return None
    return f"t{seat.table_id}-{'act' if table.can_act(seat) else 'watch'}-{roster(simulation, seat.table_id)}"


def roster(simulation, table_id):
    """A short fingerprint of who sits at a table and how (see audience)."""
    rows = (RoleSeat.objects.filter(simulation=simulation, table_id=table_id).order_by("pk")
            .values_list("pk", "participant_id", "participant__table_id", "taken_out", "mode", "role_key"))
    return hashlib.blake2s(repr(list(rows)).encode(), digest_size=5).hexdigest()


def audience_context(item, name):
    """The screen of everyone in audience `name` (see audience), or None if it is not one."""
    simulation = state.simulation_of(item)
    table_id, mode, _roster = (name[1:].split("-") + ["", ""])[:3]
    if simulation is None or not name.startswith("t") or not table_id.isdigit() or mode not in ("act", "watch"):
        return None
    context = table_context(item, simulation, int(table_id), mode == "act")
    if context["run"] is None:
        return None
    context["audience_size"] = len(context.get("table_seats") or ())
    return context


def mine_context(item, participant):
    """This person's own parts of their table's screen, for its "mine" partial (w/<code>/mine)."""
    simulation = state.simulation_of(item)
    if simulation is None:
        return {"mine_for": ""}
    seat = state.seat_of(simulation, participant)
    run = state.run_of(simulation, seat.table_id if seat else None)
    proposal = table.open_proposal(run) if run is not None and run.phase == table.CHOOSE else None
    context = {"simulation": simulation, "run": run, "report": simulation.stage == Simulation.Stage.REPORT,
               "revealed": simulation.revealed_at is not None, "phase": run.phase if run else "", "proposal": proposal}
    context.update(own_context(simulation, seat, participant, run, proposal))
    context["mine_for"] = _mine_for(item, simulation, run, proposal)
    return context


def _mine_for(item, simulation, run, proposal):
    """Which table screen a person's parts belong to: its table, phase, proposal and stage."""
    return (f"{item.pk}:{run.table_id if run else 0}:{run.phase if run else ''}:{proposal.pk if proposal else 0}:"
            f"{simulation.stage}:{int(simulation.revealed_at is not None)}")


def table_context(item, simulation, table_id, can_act):
    """What everyone at `table_id` who may act (or, can_act False, who observes) sees: nobody's
    own seat, brief or answer (own_context)."""
    run = state.run_of(simulation, table_id)
    context = {"simulation": simulation, "run": run, "case": state.public_case(simulation), "can_act": can_act,
               "report": simulation.stage == Simulation.Stage.REPORT,
               "revealed_roles": state.revealed_roles(simulation), "proposal": None}
    if run is None:
        context["mine_for"] = _mine_for(item, simulation, run, None)
        return context
    seats = list(RoleSeat.objects.filter(simulation=simulation, table_id=run.table_id, taken_out=False)
                 .select_related("participant"))
    names = {s.participant_id: s.participant.display_name for s in seats}
    context.update({
        "table_seats": seats,
        "phase": run.phase, "phase_info": _phase_info(simulation, run.phase),
        "seconds_left": state.seconds_left(run), "ends_ms": _ms(run.phase_ends_at),
        "paused": run.paused_left is not None,
        "alone": sum(1 for s in seats if s.mode == RoleSeat.Mode.ROLE) <= 1,
        "chosen": _families(run.families),
    })
    if run.phase == table.CHOOSE:
        context.update(_choosing(simulation, run, seats, names))
    elif run.phase in (table.NEGOTIATE, table.PRESENT, state.DONE):
        context["sheet"] = _sheet(run, names, editable=run.phase == table.NEGOTIATE and can_act)
        context["sheet_statuses"] = SheetEntry.Status.choices  # the words phone.js shows a change in
    context["mine_for"] = _mine_for(item, simulation, run, context["proposal"])
    return context


def own_context(simulation, seat, participant, run, proposal, seats=None):
    """A person's own parts: their seat (role, who shares it), their brief, their answer to the
    table's proposal. Showing the brief is noted for the facilitator (table.brief_shown)."""
    role = state.role_for(seat)
    if role:
        table.brief_shown(seat)
    report = simulation.stage == Simulation.Stage.REPORT
    context = {"seat": seat, "role": role, "can_act": table.can_act(seat),
               "brief_open": not report and run is not None and run.phase == table.READ,
               "i_accepted": bool(proposal) and participant.pk in proposal.accepted_by,
               "i_proposed": bool(proposal) and proposal.proposed_by_id == participant.pk}
    if run is not None and seat is not None and seat.role_key:
        if seats is None:
            seats = list(RoleSeat.objects.filter(simulation=simulation, table_id=run.table_id, taken_out=False)
                         .select_related("participant"))
        context["sharing_with"] = [s.participant.display_name for s in seats
                                   if s.role_key == seat.role_key and s.participant_id != participant.pk]
        context["alone"] = sum(1 for s in seats if s.mode == RoleSeat.Mode.ROLE) <= 1
    return context


def _ms(moment):
    return int(moment.timestamp() * 1000) if moment else ""


def _phase_info(simulation, key):
    for number, phase in enumerate(state.phases(simulation), start=1):
        if phase["key"] == key:
            return {**phase, "number": number, "count": len(state.phases(simulation))}
    return None


def _families(keys):
    card = table.scorecard()
    return [card.family_by_key[key] for key in keys if key in card.family_by_key]


def _choosing(simulation, run, seats, names):
    card = table.scorecard()
    proposal = table.open_proposal(run)
    limits = state.pack_data(simulation)["families"]
    context = {"families": card.families, "family_min": limits["min"], "family_max": limits["max"],
               "proposal": proposal, "proposal_families": [], "accepted_names": []}
    if proposal:
        holders = [s for s in seats if s.mode == RoleSeat.Mode.ROLE]
        said_yes, count = table.voices(run, proposal, holders)
        context.update({
            "proposal_families": _families(proposal.families),
            "proposed_by": names.get(proposal.proposed_by_id, _("someone who left")),
            "accepted_names": [names[pk] for pk in proposal.accepted_by if pk in names],
            "said_yes": said_yes, "holders": count, "needed": count // 2 + 1,
        })
    return context


def _sheet(run, names, editable):
    entries = {entry.element: entry for entry in run.entries.all()}
    families = []
    for family in _families(run.families):
        rows = []
        for element in family.elements:
            entry = entries.get(element.key) or SheetEntry(run=run, family=family.key, element=element.key)
            rows.append({"element": element, "entry": _entry_context(entry, names, editable)})
        families.append({"family": family, "rows": rows})
    return families


STATUSES = [(SheetEntry.Status.AGREED, _lazy("Agreed")), (SheetEntry.Status.DISPUTED, _lazy("Disputed")),
            (SheetEntry.Status.PARKED, _lazy("Parked"))]


def _entry_context(entry, names, editable):
    return {"entry": entry, "editable": editable, "element_key": entry.element, "statuses": STATUSES,
            "max_length": MAX_SHEET_TEXT,
            "updated_by": names.get(entry.updated_by_id, "") if entry.updated_by_id else "",
            "conflict_by": names.get(entry.conflict_by_id, "") if entry.conflict_by_id else ""}


# --- Actions ------------------------------------------------------------------------------------


def _simulation(item):
    simulation = state.simulation_of(item)
    if simulation is None:
        raise Refused(_("The case simulation has not started yet."), status=409)
    return simulation



@participant_action(activity)
def read_brief(request, item, participant):
    table.acknowledge_brief(_simulation(item), participant)
    return _("Thank you. The facilitator can see that you have read your brief.")


@participant_action(activity)
def propose(request, item, participant):
    proposal, accepted = table.propose_families(_simulation(item), participant, request.POST.getlist("family"))
    if accepted and len(proposal.accepted_by) == 1:
        return _("You are the only one at this table with a role, so your choice is the table's. "
                 "Ask the facilitator to seat others with you.")
    if accepted:
        return _("Proposal accepted by the table.")
    return _("Proposal sent. The others at your table can now accept it.")


@participant_action(activity)
def accept(request, item, participant):
    _proposal, accepted = table.accept_proposal(_simulation(item), participant, request.POST.get("proposal"))
    return _("The table has accepted these families.") if accepted else _("You accepted this proposal.")


@participant_action(activity)
def withdraw(request, item, participant):
    proposal = table.withdraw(_simulation(item), participant, request.POST.get("proposal"))
    if proposal.status != FamilyProposal.Status.OPEN:
        return _("You withdrew your proposal.")
    return _("You took back your yes.")


@participant_action(activity)
def save(request, item, participant, element):
    text = request.POST.get("text")
    status = request.POST.get("status") or None
    entry, conflict = table.save_entry(item, participant, element, text, status,
                                       request.POST.get("base_version"))
    message = (_("Someone changed this while you were typing. Both versions are kept: choose one or write a merge.")
               if conflict else _("Saved."))
    return _entry_answer(request, item, participant, entry, message, status=409 if conflict else 200)


@participant_action(activity)
def resolve(request, item, participant, element):
    entry = table.resolve_conflict(item, participant, element, request.POST.get("keep"),
                                   request.POST.get("text"))
    return _entry_answer(request, item, participant, entry, _("Saved. The table now has one version."))


def _entry_answer(request, item, participant, entry, message, status=200):
    if not wants_fragment(request):
        return None if status == 200 else message  # the phone's page, with the message
    # The service let this person change the sheet just now: the element is editable for them.
    context = {**_entry_context(entry, _names(entry), True), "saved": message, "workshop": item.workshop,
               "saved_is_problem": status != 200}
    return render(request, ENTRY_TEMPLATE, context, status=status)


def _names(entry):
    if hasattr(entry, "_names"):
        return entry._names
    names = {}
    for person in (entry.updated_by, entry.conflict_by):
        if person is not None:
            names[person.pk] = person.display_name
    return names


@require_safe
@never_cache
@joined
def entry(request, workshop, participant, element):
    """One element of the participant's own table's sheet (for the live sheet). Every phone at the
    table asks for it after each change, so: one query besides the pass's (the entry, its run,
    its authors' names and this person's seat at that table together), and the HTML rendered
    once per version for the whole table (rendered_entry). A seat at another table, or none,
    never reaches another table's entry."""
    found = next(iter(SheetEntry.objects.raw(entry_sql(), [participant.pk, workshop.current_item_id,
                                                             participant.table_id, element])), None)
    if found is None:
        return _empty_entry(request, workshop, participant, element)
    if found.seat_mode is None:
        raise Refused(_("You have no seat at this table."), status=404)
    editable = found.run_phase == table.NEGOTIATE and found.seat_mode in (RoleSeat.Mode.ROLE, RoleSeat.Mode.MIRROR)
    found._names = {found.updated_by_id: found.updated_by_name, found.conflict_by_id: found.conflict_by_name}
    return HttpResponse(rendered_entry(found, editable, workshop))


@lru_cache(maxsize=1)
def entry_sql():
    """The entry of one element of the participant's table, with its run's phase, its authors' names
    and the participant's seat at that table (None: not seated there). Written out because every
    phone at the table asks after every change: one statement, and none of the ORM's compiling."""
    entry, run, simulation = SheetEntry._meta.db_table, TableRun._meta.db_table, Simulation._meta.db_table
    seat, person = RoleSeat._meta.db_table, Participant._meta.db_table
    return (f"SELECT e.*, r.phase AS run_phase, s.mode AS seat_mode, ub.display_name AS updated_by_name, "
            f"cb.display_name AS conflict_by_name FROM {entry} e "
            f"JOIN {run} r ON r.id = e.run_id JOIN {simulation} sim ON sim.id = r.simulation_id "
            f"LEFT JOIN {seat} s ON s.simulation_id = r.simulation_id AND s.table_id = r.table_id "
            f"AND s.participant_id = %s AND NOT s.taken_out "
            f"LEFT JOIN {person} ub ON ub.id = e.updated_by_id LEFT JOIN {person} cb ON cb.id = e.conflict_by_id "
            f"WHERE sim.item_id = %s AND r.table_id = %s AND e.element = %s LIMIT 1")


def _empty_entry(request, workshop, participant, element):
    """An element nobody has written yet (rare: events follow saves)."""
    seat = (RoleSeat.objects.filter(simulation__item_id=workshop.current_item_id, participant=participant)
            .only("pk", "simulation_id", "table_id", "mode", "taken_out").first())
    if seat is None or seat.table_id is None:
        raise Refused(_("You have no seat at a table."), status=404)
    run = TableRun.objects.filter(simulation_id=seat.simulation_id, table_id=seat.table_id).first()
    if run is None:
        raise Refused(_("Your table is not playing this simulation."), status=404)
    try:
        known = table.element_of_run(run, element)
    except Refused:
        raise Refused(_("That element is not on your table's sheet."), status=404) from None
    found = SheetEntry(run=run, family=known.family, element=known.key)
    editable = run.phase == table.NEGOTIATE and table.can_act(seat)
    return HttpResponse(rendered_entry(found, editable, workshop))


_RENDERED = OrderedDict()  # (entry, version, status, change times, editable, language) -> HTML
_RENDERED_MAX = 4000


def rendered_entry(found, editable, workshop):
    """The element's HTML for every phone at its table (no CSRF token in it: phone.js adds the
    page's), rendered once per state of the entry and kept in this process."""
    key = (found.pk, found.version, found.status, found.updated_at, found.conflict_at, editable,
           translation.get_language(), workshop.code)
    html = _RENDERED.get(key) if found.pk else None
    if html is None:
        context = {**_entry_context(found, _names(found), editable), "workshop": workshop, "shared": True}
        html = render_to_string(ENTRY_TEMPLATE, context)
        if found.pk:
            _RENDERED[key] = html
            while len(_RENDERED) > _RENDERED_MAX:
                _RENDERED.popitem(last=False)
    return html


urls = [
    path("brief/read/", read_brief, name="read_brief"),
    path("families/propose/", propose, name="propose"),
    path("families/accept/", accept, name="accept"),
    path("families/withdraw/", withdraw, name="withdraw"),
    path("sheet/<str:element>/", entry, name="sheet-element"),
    path("sheet/<str:element>/save/", save, name="sheet-save"),
    path("sheet/<str:element>/resolve/", resolve, name="sheet-resolve"),
]
