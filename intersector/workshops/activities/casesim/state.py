"""Reading a simulation, and starting one: the pack snapshot and the seating.

Everything confidential is read through `role_for` (a seat's own role) or `revealed_roles`;
pages must not pass Simulation.packs to a template.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from intersector import casepacks
from intersector.refusals import Refused
from intersector.workshops.activities.casesim.models import RoleSeat, Simulation, TableRun
from intersector.workshops.models import Participant, Table
from intersector.workshops.services import announce

DEFAULT_PACK = "sacramento"
PEOPLE_PER_TABLE = 7  # when the facilitator made no tables: about one role per sector and group
DONE = "done"         # a table's phase after the last one


# --- The pack --------------------------------------------------------------------------------


def item_pack_languages(item, key):
    """{language: CasePack} of the pack `key` for this item: the item's own uploaded pack
    (ownpack.py) when it has one with this key, else the library's (pack_languages)."""
    from intersector.workshops.activities.casesim import ownpack

    own = ownpack.own_packs(item) if ownpack.own_key(item) == key else {}
    return own or pack_languages(key)


def pack_languages(key):
    """{language: CasePack} of every language the pack `key` has (the pack library)."""
    try:
        from intersector.casepacks import library
    except ImportError:  # pragma: no cover - until the library lands: the files in content/
        library = None
    if library is not None and hasattr(library, "pack_languages"):
        return library.pack_languages(key)
    found = {}
    for path in sorted((settings.BASE_DIR / "content" / "simulations").glob("*.yaml")):
        pack = casepacks.load_file(path)
        if pack.key == key:
            found.setdefault(pack.language, pack)
    return found


def chosen_pack(item):
    return item.config.get("pack") or DEFAULT_PACK


def language_of(simulation, language=None):
    """The pack language closest to `language` (default: the request's), else the item's own."""
    language = (language or translation.get_language() or "").lower()
    packs = simulation.packs
    for candidate in (language, language.split("-")[0]):
        if candidate in packs:
            return candidate
    return simulation.pack_language


def pack_data(simulation, language=None):
    """The pack as plain data in one language. Holds every brief: never give it to a template."""
    return simulation.packs[language_of(simulation, language)]


def public_case(simulation, language=None):
    """What everyone may read: the title, summary and background, the interest groups, the
    phases, the roles' names and organisations (not their briefs)."""
    data = pack_data(simulation, language)
    return {
        "title": data["title"], "summary": data["summary"], "source": data["source"],
        "background": data["background"], "interest_groups": data["interest_groups"],
        "phases": data["phases"], "families": data["families"],
        "roles": {role["key"]: public_role(role) for role in data["roles"]},
    }


def public_role(role):
    return {"key": role["key"], "name": role["name"], "organisation": role["organisation"],
            "sector": role["sector"], "interest_group": role["interest_group"]}


def role_for(seat, language=None):
    """The whole role, brief included, for the person in `seat` (or their mirror). None for an
    observer. Callers check that the reader holds the seat (or is a facilitator)."""
    if not seat or not seat.role_key:
        return None
    return next((r for r in pack_data(seat.simulation, language)["roles"] if r["key"] == seat.role_key), None)


def revealed_roles(simulation, language=None):
    """Every role of the cast with its brief, once the facilitator has revealed them; else []."""
    if simulation.revealed_at is None:
        return []
    roles = {r["key"]: r for r in pack_data(simulation, language)["roles"]}
    return [roles[key] for key in simulation.cast if key in roles]


def phases(simulation, language=None):
    return pack_data(simulation, language)["phases"]


def phase_keys(simulation):
    return [phase["key"] for phase in simulation.packs[simulation.pack_language]["phases"]]


# --- Reading a running simulation ------------------------------------------------------------


def simulation_of(item):
    """The item's simulation, or None before it first starts."""
    if getattr(item, "_simulation", None) is None:
        item._simulation = Simulation.objects.filter(item=item).first()
    return item._simulation


SEEN_EVERY = 30  # seconds: how often a phone's requests refresh RoleSeat.last_seen


def seat_of(simulation, participant):
    """The seat of `participant`, asked for by their own phone: it also marks the phone as seen
    (the console's "connected"), writing at most once every SEEN_EVERY seconds."""
    seat = RoleSeat.objects.filter(simulation=simulation, participant=participant).select_related("table").first()
    if seat is not None:
        seat.simulation = simulation
        seen(seat)
    return seat


def seat_in_item(item, participant):
    """As seat_of, from the agenda item in the same statement, without reading the simulation (its
    pack snapshot holds every brief, ~130 KB of JSON): for a change of the sheet, which the room
    makes about 30 times a second and which needs none of it. None: no seat, or not started."""
    seat = RoleSeat.objects.filter(simulation__item_id=item.pk, participant=participant).first()
    if seat is not None:
        seen(seat)
    return seat


def seen(seat):
    now = timezone.now()
    if seat.last_seen is None or (now - seat.last_seen).total_seconds() >= SEEN_EVERY:
        RoleSeat.objects.filter(pk=seat.pk).update(last_seen=now)
        seat.last_seen = now


def run_of(simulation, table_id):
    if table_id is None:
        return None
    return TableRun.objects.filter(simulation=simulation, table_id=table_id).first()


def seconds_left(run, now=None):
    if run is not None and run.paused_left is not None:  # paused: the time left waits
        return run.paused_left
    if run is None or run.phase_ends_at is None:
        return 0
    now = now or timezone.now()
    return max(0, int((run.phase_ends_at - now).total_seconds() + 0.999))


def phase_minutes(simulation, key):
    for phase in simulation.packs[simulation.pack_language]["phases"]:
        if phase["key"] == key:
            return phase["minutes"]
    return 0


def seating_of(simulation):
    """The seating as casepacks sees it, from the seats in the database."""
    tables = {table_id: [] for table_id in simulation.runs.values_list("table_id", flat=True)}
    for seat in simulation.seats.filter(taken_out=False).select_related("participant"):
        if seat.table_id in tables:
            tables[seat.table_id].append(casepacks.Seat(seat.participant_id, seat.participant.sector, seat.table_id,
                                                         seat.role_key or None, seat.mode))
    return casepacks.Seating({t: tuple(s) for t, s in tables.items()}, tuple(simulation.cast))


def roles_of(simulation):
    return simulation.packs[simulation.pack_language]["roles"]


# --- Starting --------------------------------------------------------------------------------


def start(item):
    """Take the pack's snapshot, seat everyone who has joined and start each table's first
    phase. Called in the transaction that makes the item current; a second start (the
    facilitator came back to the item) changes nothing."""
    existing = simulation_of(item)
    if existing is not None:
        return existing
    key = chosen_pack(item)
    packs = item_pack_languages(item, key)
    if not packs:
        raise Refused(_("The case pack “%(key)s” is not on this site. Choose another pack in the item's settings.")
                      % {"key": key}, status=409)
    language = item.config.get("language") or settings.LANGUAGE_CODE.split("-")[0]
    if language not in packs:
        language = sorted(packs)[0]
    data = {lang: casepacks.to_data(pack) for lang, pack in packs.items()}
    minutes = item.config.get("phase_minutes") or {}  # the facilitator's own lengths (phases.configure)
    for pack in data.values():
        for phase in pack["phases"]:
            phase["minutes"] = minutes.get(phase["key"], phase["minutes"])
    simulation = Simulation.objects.create(item=item, pack_key=key, pack_version=packs[language].version,
                                           pack_language=language, packs=data)
    item._simulation = simulation
    seat_everyone(simulation)
    return simulation


def _tables_for(workshop, people):
    tables = list(workshop.tables.all())
    if tables:
        return tables
    count = max(1, round(people / PEOPLE_PER_TABLE))
    return [Table.objects.create(workshop=workshop, number=n) for n in range(1, count + 1)]


def seat_everyone(simulation):
    """Deal everyone who has joined to tables and roles (casepacks.assign_roles)."""
    item = simulation.item
    workshop = item.workshop
    people = list(Participant.objects.filter(workshop=workshop).order_by("joined", "pk"))
    tables = _tables_for(workshop, len(people))
    roles = roles_of(simulation)
    options = {"prefer": item.config.get("prefer", "own"), "extra": item.config.get("extra", "mirror")}
    seating = casepacks.assign_roles([(p.pk, p.sector) for p in people], [t.pk for t in tables], roles, **options)
    simulation.cast = list(seating.cast)
    simulation.save(update_fields=["cast"])
    now = timezone.now()
    first = phase_keys(simulation)[0]
    ends = now + timedelta(minutes=phase_minutes(simulation, first))
    used = [t for t in tables if seating.tables.get(t.pk)] or tables[:1]
    TableRun.objects.bulk_create([TableRun(simulation=simulation, table=t, phase=first, phase_started_at=now,
                                           phase_ends_at=ends, last_activity=now) for t in used])
    table_of = {}
    seats = []
    for table_id, table_seats in seating.tables.items():
        for seat in table_seats:
            table_of[seat.person] = table_id
            seats.append(RoleSeat(simulation=simulation, participant_id=seat.person, table_id=table_id,
                                  role_key=seat.role or "", mode=seat.mode))
    RoleSeat.objects.bulk_create(seats)
    moved = [person for person in people if person.table_id != table_of.get(person.pk)]
    for person in moved:
        person.table_id = table_of.get(person.pk)
    # One statement per batch, not per person: 300 single UPDATEs took half a second on PostgreSQL.
    Participant.objects.bulk_update(moved, ["table"], batch_size=500)
    announce(workshop, "people.changed")
    announce(workshop, "seat.changed", phones=True)


def seat_latecomer(simulation, participant):
    """A person who joins after the start takes a seat at the emptiest table (a role nobody
    holds there, else a mirror, else an observer). Returns their RoleSeat."""
    with transaction.atomic():
        Simulation.objects.select_for_update().filter(pk=simulation.pk).first()
        seat = seat_of(simulation, participant)
        if seat is not None:
            return seat
        if not simulation.runs.exists():
            return None
        item = simulation.item
        options = {"prefer": item.config.get("prefer", "own"), "extra": item.config.get("extra", "mirror")}
        seating = casepacks.seat_latecomer(seating_of(simulation), (participant.pk, participant.sector),
                                           roles_of(simulation), **options)
        placed = seating.seat_of(participant.pk)
        seat = RoleSeat.objects.create(simulation=simulation, participant=participant, table_id=placed.table,
                                       role_key=placed.role or "", mode=placed.mode)
        if participant.table_id != placed.table:
            participant.table_id = placed.table
            participant.save(update_fields=["table"])
        announce(item.workshop, "people.changed", participant=participant.pk)
        announce(item.workshop, "sim.changed")
    seat.simulation = simulation
    return seat
