"""The facilitator's side: the per-table overview, the phases' clock, seats, revealing, set-up,
and the facilitator's own page with the guide and every brief (phases.py does the changes)."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from intersector import casepacks
from intersector.accounts.models import Sector
from intersector.refusals import Refused
from intersector.workshops.activities.actions import facilitator_action
from intersector.workshops.activities.casesim import ownpack, phases, state
from intersector.workshops.activities.casesim.activity import activity
from intersector.workshops.activities.casesim.models import RoleSeat, SheetEntry, Simulation

IDLE_SECONDS = 180       # a table with no action for 3 minutes is flagged
CONNECTED_SECONDS = 120  # a phone seen (state.seat_of) this recently counts as connected
STATUSES = ("agreed", "disputed", "parked")
SECTOR_LABELS = dict(Sector.choices)  # lazy: each renders in the reader's language


# --- The overview ----------------------------------------------------------------------------


def family_titles():
    """{family key: title} from the Agree scorecard in use (its own words), else the keys."""
    try:
        from intersector.agreements.services import current_scorecard

        version = current_scorecard()
    except Exception:  # pragma: no cover - Agree is part of the site; this only guards its absence
        version = None
    if version is None:
        return {}
    return {family.key: family.title for family in version.card.families}  # in the reader's language


def _counts(simulation):
    """{run id: {status: n}} in one query for every table."""
    counts = defaultdict(dict)
    rows = (SheetEntry.objects.filter(run__simulation=simulation, status__in=STATUSES)
            .values_list("run_id", "status").annotate(n=Count("pk")))
    for run_id, status, n in rows:
        counts[run_id][status] = n
    return counts


def _person(seat, roles, now):
    role = roles.get(seat.role_key) or {}
    seen = seat.last_seen
    return {
        "seat": seat, "name": seat.participant.display_name, "pk": seat.participant_id,
        "role": role.get("name", ""), "role_sector": role.get("sector", ""),
        "sector_label": SECTOR_LABELS.get(role.get("sector", ""), role.get("sector", "")),
        "mode": seat.mode, "opened": seat.opened_at is not None, "acknowledged": seat.acknowledged_at is not None,
        "connected": seen is not None and (now - seen).total_seconds() < CONNECTED_SECONDS,
        "seen_minutes": int((now - seen).total_seconds() // 60) if seen else None,
        "taken_out": seat.taken_out,
        "heard": _heard(seat, seen, now),
    }


def _heard(seat, seen, now):
    """What the marks say, for a screen reader: one sentence per person, made here rather than
    by a dozen template tags per person (300 people on the console)."""
    parts = []
    if seat.mode != RoleSeat.Mode.OBSERVER:
        parts.append(_("brief opened") if seat.opened_at else _("brief not opened"))
        parts.append(_("acknowledged") if seat.acknowledged_at else _("not acknowledged"))
    if seen is None:
        parts.append(_("never connected"))
    elif (now - seen).total_seconds() < CONNECTED_SECONDS:
        parts.append(_("connected"))
    else:
        minutes = int((now - seen).total_seconds() // 60)
        parts.append(ngettext("not connected, seen %(n)s min ago", "not connected, seen %(n)s min ago", minutes)
                     % {"n": minutes})
    return ", ".join(parts)


def overview(simulation, now=None):
    """Everything the console shows per table, in four queries whatever the number of tables."""
    now = now or timezone.now()
    data = state.pack_data(simulation)
    roles = {role["key"]: state.public_role(role) for role in data["roles"]}
    titles = {phase["key"]: phase["title"] for phase in data["phases"]}
    titles[state.DONE] = _("Finished")
    families = family_titles()
    runs = list(simulation.runs.select_related("table"))
    seats = defaultdict(list)
    unseated = []
    for seat in simulation.seats.select_related("participant").order_by("pk"):
        (seats[seat.table_id] if seat.table_id else unseated).append(_person(seat, roles, now))
    counts = _counts(simulation)
    rank = {key: i for i, key in enumerate(simulation.cast)}
    first_key = state.phase_keys(simulation)[0]
    tables = []
    for run in runs:
        people = sorted(seats.pop(run.table_id, []), key=lambda p: (p["taken_out"], p["mode"] == "observer",
                                                                      rank.get(p["seat"].role_key, 99),
                                                                      p["mode"] != "role"))
        playing = [p for p in people if not p["taken_out"]]
        left = state.seconds_left(run, now)
        ends = run.phase_ends_at
        tables.append({
            "run": run, "table": run.table, "phase": run.phase, "phase_title": titles.get(run.phase, run.phase),
            "seconds_left": left, "minutes_left": (left + 59) // 60,
            "over": ends is not None and now > ends, "over_minutes": int((now - ends).total_seconds() // 60)
            if ends is not None and now > ends else 0,
            "ends_ms": int(ends.timestamp() * 1000) if ends else "", "extra_minutes": run.extra_seconds // 60,
            "done": run.phase == state.DONE, "first": run.phase == first_key, "people": people,
            "paused": run.paused_left is not None, "clock": run.phase_ends_at is not None,
            "connected": sum(p["connected"] for p in playing), "playing": len(playing),
            "opened": sum(p["opened"] for p in playing if p["mode"] != "observer"),
            "acknowledged": sum(p["acknowledged"] for p in playing if p["mode"] != "observer"),
            "readers": sum(1 for p in playing if p["mode"] != "observer"),
            "families": [families.get(key, key) for key in run.families],
            "agreed": counts[run.pk].get("agreed", 0), "disputed": counts[run.pk].get("disputed", 0),
            "parked": counts[run.pk].get("parked", 0),
            "idle": run.phase != state.DONE and run.paused_left is None
            and (now - run.last_activity).total_seconds() >= IDLE_SECONDS,
            "alone": len(playing) == 1,
        })
    for rest in seats.values():  # seats at a table that is no longer in play
        unseated.extend(rest)
    room = phases.room_phase(simulation, runs) if runs else state.DONE
    target = phases.next_phase(simulation, room)
    return {
        "tables": tables, "unseated": unseated, "room_phase": titles.get(room, room),
        "room_done": room == state.DONE, "next_phase_title": titles.get(target, target),
        "first_phase": all(run.phase == first_key for run in runs),
        "cast": [roles[key] for key in simulation.cast if key in roles],
        "idle_count": sum(t["idle"] for t in tables), "over_count": sum(t["over"] for t in tables),
        "paused_count": sum(t["paused"] for t in tables), "running_count": sum(t["clock"] for t in tables),
        "people_count": sum(len(t["people"]) for t in tables) + len(unseated),
        "acknowledged_any": any(p["acknowledged"] for t in tables for p in t["people"]),
    }


def language_name(code):
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:  # a code Django does not know: the code itself
        return code


def setup_context(item):
    packs = phases.available_packs(item)
    key = state.chosen_pack(item)
    chosen = state.item_pack_languages(item, key)
    wanted = [item.config.get("language"), (translation.get_language() or "").split("-")[0],
              settings.LANGUAGE_CODE.split("-")[0]]
    pack = next((chosen[lang] for lang in wanted if lang in chosen), next(iter(chosen.values()), None))
    minutes = item.config.get("phase_minutes") or {}
    return {
        "packs": sorted(packs.values(), key=lambda p: p["title"]), "pack_key": key,
        "pack_problems": phases.pack_problems(key, item),
        "own_packs": ownpack.summary(item), "own_limit_kb": casepacks.MAX_FILE_BYTES // 1024,
        "languages": [(code, language_name(code)) for code in packs.get(key, {}).get("languages", [])],
        "phase_rows": [{"key": p.key, "title": p.title, "minutes": minutes.get(p.key, p.minutes)}
                       for p in (pack.phases if pack else [])],
    }


def facilitator_context(item):
    simulation = state.simulation_of(item)
    if simulation is None:
        return {"simulation": None, **setup_context(item)}
    return {"simulation": simulation, **overview(simulation)}


# --- Actions ---------------------------------------------------------------------------------


@facilitator_action(activity)
def clock(request, item):
    action = request.POST.get("action")
    run = request.POST.get("run") or None
    if action == "next":
        phases.move_all_on(item)
    elif action == "move-on" and run:
        phases.move_table_on(item, run)
    elif action == "back":
        phases.move_back(item, run)
    elif action == "add":
        phases.add_time(item, request.POST.get("minutes"), run)
    elif action == "pause":
        phases.pause(item, run)
    elif action == "resume":
        phases.resume(item, run)
    else:
        raise Refused(_("Unknown action."))


@facilitator_action(activity)
def stage(request, item):
    action = request.POST.get("action")
    if action == "report":
        phases.set_stage(item, Simulation.Stage.REPORT)
    elif action == "tables":
        phases.set_stage(item, Simulation.Stage.TABLES)
    elif action == "reveal":
        phases.reveal(item, request.POST.get("confirm") == "yes")
    else:
        raise Refused(_("Unknown action."))


@facilitator_action(activity)
def seats(request, item):
    action = request.POST.get("action")
    person = request.POST.get("participant")
    if action == "move":
        phases.move_person(item, person, request.POST.get("run"), request.POST.get("role"))
    elif action == "take-out":
        phases.take_out(item, person)
    elif action == "put-back":
        phases.put_back(item, person)
    elif action == "redeal":
        phases.redeal(item, request.POST.get("confirm") == "yes")
    else:
        raise Refused(_("Unknown action."))


@facilitator_action(activity)
def setup(request, item):
    phases.configure(item, request.POST)


@facilitator_action(activity)
def own_pack(request, item):
    """Upload this item's own case pack (a .yaml file), or remove it (ownpack.py). A file that
    cannot be used comes back on the set-up page with every problem listed (400; 413 too large)."""
    back = "agenda" if request.POST.get("back") == "agenda" else ""
    if request.POST.get("action") == "remove":
        ownpack.remove(item)
        return _back(item, back)
    try:
        ownpack.upload(item, request.FILES.get("file"), request.user)
    except casepacks.CasePackError as error:
        return render(request, "casesim/console_ownpack.html", {
            "workshop": item.workshop, "item": item, "problems": error.problems, "own_packs": ownpack.summary(item),
            "own_limit_kb": casepacks.MAX_FILE_BYTES // 1024, "kind_styles": activity.console_styles,
            "back": back,
        }, status=error.status)
    return _back(item, back)


def _back(item, back):
    """After an upload or removal: to the agenda page when it came from there, else the console."""
    if back == "agenda":
        return redirect(reverse("workshops:agenda", args=[item.workshop.pk]) + f"#item-{item.pk}")
    return None


@facilitator_action(activity, read_only=True)
def guide(request, item):
    """The pack's facilitator guide and every brief of the cast, for the facilitator's eyes."""
    simulation = state.simulation_of(item)
    if simulation is None:
        raise Refused(_("The guide and the briefs appear here once the simulation has started."), status=409)
    data = state.pack_data(simulation)
    roles = {role["key"]: role for role in data["roles"]}
    holders = defaultdict(list)
    for seat in (RoleSeat.objects.filter(simulation=simulation, taken_out=False).exclude(role_key="")
                 .select_related("participant", "table")):
        holders[seat.role_key].append(seat)
    cast = [{"role": roles[key], "holders": holders[key]} for key in simulation.cast if key in roles]
    others = [role for key, role in roles.items() if key not in simulation.cast]
    return render(request, "casesim/console_guide.html", {
        "workshop": item.workshop, "item": item, "simulation": simulation, "title": data["title"],
        "guide": data["facilitator_guide"], "cast": cast, "others": others,
        "kind_styles": activity.console_styles,
    })


urls = [
    path("clock/", clock, name="clock"),
    path("stage/", stage, name="stage"),
    path("seats/", seats, name="seats"),
    path("setup/", setup, name="setup"),
    path("setup/pack/", own_pack, name="own_pack"),
    path("guide/", guide, name="guide"),
]
