"""What the facilitator does to a running simulation: the phases' clock, extra time, pausing
and resuming a clock, moving tables on, the report back, revealing the briefs, seating changes; and the item's set-up before
it starts. Each service validates, saves in a transaction, then announces (ids only).

The workshop's own timer (the console's, the projector's) is left alone: it keeps counting the
whole agenda item, which the facilitator starts and pauses as for any item. The simulation's
clock is per table (TableRun.phase_ends_at): phones and the console's overview show it. Two clocks
that drove each other would fight as soon as one table got extra time, so neither drives the other.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector import casepacks
from intersector.refusals import Refused
from intersector.workshops.activities.casesim import state
from intersector.workshops.activities.casesim.models import RoleSeat, SheetEntry, Simulation, TableRun
from intersector.workshops.models import AgendaItem, Participant
from intersector.workshops.services import announce, announce_to_phones, announce_to_table

MAX_EXTRA_MINUTES = 30
MAX_PHASE_MINUTES = 120
PREFER = ("own", "other", "any")
EXTRA = ("mirror", "observer")


# --- Reading ---------------------------------------------------------------------------------


def _locked(item):
    """The item's simulation, locked for this transaction; 409 before it starts."""
    simulation = Simulation.objects.select_for_update().filter(item=item).first()
    if simulation is None:
        raise Refused(_("The simulation has not started yet: go to this agenda item first."), status=409)
    simulation.item = item
    return simulation


def _run(simulation, run_pk):
    try:
        run_pk = int(run_pk)
    except (TypeError, ValueError):
        raise Refused(_("Choose a table."), status=400) from None
    run = TableRun.objects.select_related("table").filter(simulation=simulation, pk=run_pk).first()
    if run is None:
        raise Refused(_("That table is not in this simulation."), status=404)
    return run


def _runs(simulation, run_pk=None):
    if run_pk not in (None, ""):
        return [_run(simulation, run_pk)]
    return list(simulation.runs.select_related("table"))


def keys_with_done(simulation):
    return [*state.phase_keys(simulation), state.DONE]


def room_phase(simulation, runs):
    """The phase of the table furthest behind: where "every table" stands."""
    keys = keys_with_done(simulation)
    return min((run.phase for run in runs), key=keys.index, default=keys[0])


def next_phase(simulation, key):
    keys = keys_with_done(simulation)
    index = keys.index(key) if key in keys else 0
    return keys[min(index + 1, len(keys) - 1)]


# --- The clock -------------------------------------------------------------------------------


def _enter(simulation, run, key, now):
    run.phase = key
    run.phase_started_at = now
    minutes = state.phase_minutes(simulation, key)
    run.phase_ends_at = now + timedelta(minutes=minutes) if key != state.DONE and minutes else None
    run.extra_seconds = 0
    run.paused_left = None  # a new phase starts its clock, paused or not before (pause it again)
    run.last_activity = now  # "no activity for 3 minutes" counts from the phase's start
    run.save(update_fields=["phase", "phase_started_at", "phase_ends_at", "extra_seconds", "paused_left",
                            "last_activity"])


def _announce_runs(simulation, runs, every):
    workshop = simulation.item.workshop
    if every:
        announce(workshop, "sim.phase", phones=True)
    else:
        for run in runs:
            announce_to_table(run.table, "sim.phase", boards=True, run=run.pk, phase=run.phase)


def move_all_on(item):
    """Every table to the phase after the one the furthest-behind table is in; tables already
    there or further keep their phase and clock. Returns the phase the room moved to."""
    with transaction.atomic():
        simulation = _locked(item)
        runs = _runs(simulation)
        current = room_phase(simulation, runs)
        if current == state.DONE:
            raise Refused(_("Every table has finished the last phase."), status=409)
        target = next_phase(simulation, current)
        keys = keys_with_done(simulation)
        now = timezone.now()
        for run in runs:
            if keys.index(run.phase) < keys.index(target):
                _enter(simulation, run, target, now)
        _announce_runs(simulation, runs, every=True)
    return target


def move_table_on(item, run_pk):
    with transaction.atomic():
        simulation = _locked(item)
        run = _run(simulation, run_pk)
        if run.phase == state.DONE:
            raise Refused(_("This table has finished the last phase."), status=409)
        _enter(simulation, run, next_phase(simulation, run.phase), timezone.now())
        _announce_runs(simulation, [run], every=False)
    return run


def move_back(item, run_pk=None):
    """One phase back (a click too many): one table, or every table not in the first phase."""
    with transaction.atomic():
        simulation = _locked(item)
        runs = _runs(simulation, run_pk)
        keys = keys_with_done(simulation)
        moved = [run for run in runs if keys.index(run.phase) > 0]
        if not moved:
            raise Refused(_("Already in the first phase."), status=409)
        now = timezone.now()
        for run in moved:
            _enter(simulation, run, keys[keys.index(run.phase) - 1], now)
        _announce_runs(simulation, moved, every=run_pk in (None, ""))
    return moved


def clean_minutes(minutes, low=1, high=MAX_EXTRA_MINUTES):
    try:
        minutes = int(str(minutes).strip())
    except (TypeError, ValueError):
        raise Refused(_("Type a whole number of minutes, for example 2."), status=400) from None
    if not low <= minutes <= high:
        raise Refused(_("Choose between %(low)s and %(high)s minutes.") % {"low": low, "high": high}, status=400)
    return minutes


def add_time(item, minutes, run_pk=None):
    """Give one table (or every table still working) N more minutes of its phase."""
    minutes = clean_minutes(minutes)
    with transaction.atomic():
        simulation = _locked(item)
        runs = [run for run in _runs(simulation, run_pk) if run.phase != state.DONE]
        if not runs:
            raise Refused(_("No table is in a phase that has a clock."), status=409)
        now = timezone.now()
        for run in runs:
            if run.paused_left is not None:  # paused: the time waits with the rest of the phase
                run.paused_left += minutes * 60
            else:
                run.phase_ends_at = max(run.phase_ends_at or now, now) + timedelta(minutes=minutes)
            run.extra_seconds += minutes * 60
            run.save(update_fields=["phase_ends_at", "paused_left", "extra_seconds"])
        _announce_runs(simulation, runs, every=run_pk in (None, ""))
    return runs


def pause(item, run_pk=None):
    """Stop the clock of one table (or of every table whose clock runs): the time left waits,
    phones show "Paused", and nobody is over time while it is stopped."""
    with transaction.atomic():
        simulation = _locked(item)
        runs = [run for run in _runs(simulation, run_pk) if run.phase_ends_at is not None]
        if not runs:
            raise Refused(_("No clock is running: it is paused already, or the phase has no time limit."),
                          status=409)
        now = timezone.now()
        for run in runs:
            run.paused_left = state.seconds_left(run, now)
            run.phase_ends_at = None
            run.save(update_fields=["paused_left", "phase_ends_at"])
        _announce_runs(simulation, runs, every=run_pk in (None, ""))
    return runs


def resume(item, run_pk=None):
    """Start a paused clock again from the time it had left."""
    with transaction.atomic():
        simulation = _locked(item)
        runs = [run for run in _runs(simulation, run_pk) if run.paused_left is not None]
        if not runs:
            raise Refused(_("No clock is paused."), status=409)
        now = timezone.now()
        for run in runs:
            run.phase_ends_at = now + timedelta(seconds=run.paused_left)
            run.paused_left = None
            run.last_activity = max(run.last_activity, now)  # a quiet pause is not a quiet table
            run.save(update_fields=["paused_left", "phase_ends_at", "last_activity"])
        _announce_runs(simulation, runs, every=run_pk in (None, ""))
    return runs


# --- The report back and the briefs ----------------------------------------------------------


def set_stage(item, stage):
    if stage not in Simulation.Stage.values:
        raise Refused(_("Unknown step."), status=400)
    with transaction.atomic():
        simulation = _locked(item)
        if simulation.stage != stage:
            simulation.stage = stage
            simulation.save(update_fields=["stage"])
            announce(item.workshop, "sim.phase", phones=True, stage=stage)
            announce(item.workshop, "sim.screen")
    return simulation


def reveal(item, confirmed):
    """Show every brief to everyone. Final: a brief read cannot be unread, so there is no hide."""
    if not confirmed:
        raise Refused(_("Tick the box to confirm: once revealed, the briefs stay visible to everyone."), status=400)
    with transaction.atomic():
        simulation = _locked(item)
        if simulation.revealed_at is None:
            simulation.revealed_at = timezone.now()
            simulation.save(update_fields=["revealed_at"])
            announce(item.workshop, "sim.reveal", phones=True)
    return simulation


# --- Seating changes -------------------------------------------------------------------------


def _seat(simulation, participant_pk):
    try:
        participant_pk = int(participant_pk)
    except (TypeError, ValueError):
        raise Refused(_("Choose a person."), status=400) from None
    seat = (RoleSeat.objects.select_for_update().select_related("participant")
            .filter(simulation=simulation, participant_id=participant_pk).first())
    if seat is None:
        raise Refused(_("That person has no seat in this simulation."), status=404)
    return seat


def _hand_over(simulation, seat):
    """`seat` leaves its table: its mirror, else an observer there, takes its role
    (casepacks.take_out). Returns the seat that took the role, or None."""
    if seat.mode != RoleSeat.Mode.ROLE or seat.taken_out:
        return None
    after = casepacks.take_out(state.seating_of(simulation), seat.participant_id)
    for placed in after.tables.get(seat.table_id, ()):
        if placed.role == seat.role_key and placed.mode == casepacks.ROLE:
            heir = RoleSeat.objects.get(simulation=simulation, participant_id=placed.person)
            heir.role_key, heir.mode = seat.role_key, RoleSeat.Mode.ROLE
            heir.save(update_fields=["role_key", "mode"])
            return heir
    return None


def _seated_mode(simulation, table_id, role_key, leaving):
    """The mode a person gets in `role_key` at a table: the role if nobody plays it there, else
    its mirror."""
    if not role_key:
        return RoleSeat.Mode.OBSERVER
    held = (RoleSeat.objects.filter(simulation=simulation, table_id=table_id, role_key=role_key,
                                    mode=RoleSeat.Mode.ROLE, taken_out=False).exclude(pk=leaving).exists())
    return RoleSeat.Mode.MIRROR if held else RoleSeat.Mode.ROLE


def _announce_seats(simulation, *seats):
    workshop = simulation.item.workshop
    for seat in seats:
        if seat is not None:
            announce_to_phones(workshop, "seat.changed", participant=seat.participant_id)
            announce(workshop, "people.changed", participant=seat.participant_id)
    announce(workshop, "sim.changed")


def _in_play(simulation, table_id):
    return (RoleSeat.objects.filter(simulation=simulation, table_id=table_id, taken_out=False).count())


def move_person(item, participant_pk, run_pk, role_key):
    """Seat a person at another table and/or in another role ("" to observe). Whoever held
    their old role there (their mirror, else an observer) takes it over."""
    with transaction.atomic():
        simulation = _locked(item)
        seat = _seat(simulation, participant_pk)
        run = _run(simulation, run_pk)
        role_key = (role_key or "").strip()
        if role_key and role_key not in simulation.cast:
            raise Refused(_("That role is not played in this simulation."), status=400)
        if seat.taken_out:
            raise Refused(_("Put this person back first: they are taken out."), status=409)
        if seat.table_id == run.table_id and seat.role_key == role_key:
            raise Refused(_("This person already sits there in that role."), status=409)
        if seat.table_id != run.table_id and _in_play(simulation, seat.table_id) == 2:
            raise Refused(_("Their table would be left with one person, who cannot negotiate alone. "
                            "Move that person too, or move someone else there first."), status=409)
        heir = _hand_over(simulation, seat)
        if seat.role_key != role_key:  # a new brief to open and acknowledge
            seat.opened_at = seat.acknowledged_at = None
        seat.table_id = run.table_id
        seat.role_key = role_key
        seat.mode = _seated_mode(simulation, run.table_id, role_key, seat.pk)
        seat.save(update_fields=["table", "role_key", "mode", "opened_at", "acknowledged_at"])
        Participant.objects.filter(pk=seat.participant_id).update(table_id=run.table_id)
        _announce_seats(simulation, seat, heir)
    return seat


def take_out(item, participant_pk):
    """An absent person leaves the play; their mirror, else an observer, takes their role."""
    with transaction.atomic():
        simulation = _locked(item)
        seat = _seat(simulation, participant_pk)
        if seat.taken_out:
            raise Refused(_("This person is already taken out."), status=409)
        heir = _hand_over(simulation, seat)
        seat.taken_out = True
        seat.save(update_fields=["taken_out"])
        _announce_seats(simulation, seat, heir)
    return seat, heir


def put_back(item, participant_pk):
    """A person taken out comes back to their table: in their role if it is still free, else as
    its mirror (the person who took it over keeps it)."""
    with transaction.atomic():
        simulation = _locked(item)
        seat = _seat(simulation, participant_pk)
        if not seat.taken_out:
            raise Refused(_("This person is not taken out."), status=409)
        if not simulation.runs.filter(table_id=seat.table_id).exists():
            raise Refused(_("Their table is no longer in play: move them to another table."), status=409)
        seat.taken_out = False
        seat.mode = _seated_mode(simulation, seat.table_id, seat.role_key, seat.pk)
        seat.save(update_fields=["taken_out", "mode"])
        _announce_seats(simulation, seat)
    return seat


def redeal(item, confirmed):
    """Seat everyone again from scratch. Refused once a table has written on its sheet or agreed
    its families; needs a confirmation once someone has acknowledged a brief."""
    with transaction.atomic():
        simulation = _locked(item)
        if (SheetEntry.objects.filter(run__simulation=simulation).exists()
                or simulation.runs.exclude(families=[]).exists()):
            raise Refused(_("Tables have started their agreements: seating everyone again would lose that work. "
                            "Move people one by one instead."), status=409)
        if not confirmed and simulation.seats.filter(acknowledged_at__isnull=False).exists():
            raise Refused(_("Some people have read and acknowledged their brief. Tick the box to seat everyone "
                          "again anyway: they will get new roles."), status=400)
        people = list(simulation.seats.values_list("participant_id", flat=True))
        simulation.seats.all().delete()
        simulation.runs.all().delete()
        state.seat_everyone(simulation)
        announce(item.workshop, "sim.changed")
        announce(item.workshop, "sim.phase", phones=True)
    return len(people)


# --- Set-up before the start -----------------------------------------------------------------


def available_packs(item=None):
    """{key: {"title", "languages"}} of the packs this site has (intersector/casepacks/library
    when present, else the starter files), and the item's own uploaded pack (ownpack.py), for
    that item only, marked "own"."""
    try:
        from intersector.casepacks import library
        choices = [(c.key, c.language, c.title) for c in library.available_packs()]
    except (ImportError, AttributeError):
        choices = []
        for path in sorted((settings.BASE_DIR / "content" / "simulations").glob("*.yaml")):
            pack = casepacks.load_file(path)
            choices.append((pack.key, pack.language, pack.title))
    found = {}
    for key, language, title in choices:
        entry = found.setdefault(key, {"key": key, "title": title, "languages": []})
        if language == settings.LANGUAGE_CODE.split("-")[0]:
            entry["title"] = title
        if language not in entry["languages"]:
            entry["languages"].append(language)
    if item is not None:
        from intersector.workshops.activities.casesim import ownpack

        own = ownpack.own_packs(item)
        if own:
            first = own.get(settings.LANGUAGE_CODE.split("-")[0]) or next(iter(own.values()))
            found[first.key] = {"key": first.key, "title": first.title, "languages": sorted(own), "own": True}
    return found


def pack_problems(key, item=None):
    """Plain sentences about what the pack `key` lacks for a simulation (shown by the set-up)."""
    packs = state.item_pack_languages(item, key) if item is not None else state.pack_languages(key)
    if not packs:
        return [_("The case pack “%(key)s” is not on this site.") % {"key": key}]
    pack = next(iter(packs.values()))
    problems = []
    labels = {"government": _("government"), "business": _("business"), "non-profit": _("non-profit")}
    for sector in casepacks.SECTORS:
        if not any(role.sector == sector for role in pack.roles):
            problems.append(_("This pack has no role for the %(sector)s sector: people from it will play other "
                              "sectors' roles.") % {"sector": labels[sector]})
    return problems


def configure(item, data):
    """The set-up of the simulation item, before it starts: pack, language, seating and phase
    lengths. `data` is the form (a QueryDict or dict)."""
    if state.simulation_of(item) is not None:
        raise Refused(_("The simulation has started: its pack and seating rules no longer change. "
                        "Give tables more time with +2 min instead."), status=409)
    packs = available_packs(item)
    key = (data.get("pack") or "").strip()
    if key not in packs:
        raise Refused(_("Choose one of the case packs in the list."), status=400)
    language = (data.get("language") or "").strip()
    if language and language not in packs[key]["languages"]:
        raise Refused(_("This pack is not written in that language. Choose one of its languages."), status=400)
    prefer, extra = data.get("prefer"), data.get("extra")
    if prefer not in PREFER:
        raise Refused(_("Choose how roles match people's sectors."), status=400)
    if extra not in EXTRA:
        raise Refused(_("Choose what the people beyond the roles do: share a role or observe."), status=400)
    roles = next(iter(state.item_pack_languages(item, key).values())).roles
    if len(roles) < casepacks.seating.MIN_TABLE:
        raise Refused(_("This pack has fewer than three roles: a table needs at least three. Choose another pack."),
                      status=400)
    minutes = {}
    for phase in casepacks.PHASE_KEYS:
        value = data.get(f"minutes-{phase}")
        if value not in (None, ""):
            minutes[phase] = clean_minutes(value, 1, MAX_PHASE_MINUTES)
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().select_related("workshop").get(pk=item.pk)
        if Simulation.objects.filter(item=item).exists():
            raise Refused(_("The simulation has started: its pack and seating rules no longer change."), status=409)
        item.config.update(pack=key, language=language, prefer=prefer, extra=extra, phase_minutes=minutes,
                           own_pack=bool(packs[key].get("own")))
        item.save(update_fields=["config"])
        announce(item.workshop, "screen.changed", item=item.pk)
    return item
