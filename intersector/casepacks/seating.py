"""Who plays which role at which table. Pure functions: same input, same seating.

Rules, in the order they win:
1. Every table used has at least three people, so it can hold a government, a business and
   a non-profit role; with few people fewer tables are used (the rest stay empty).
2. People are dealt to tables sector by sector, round-robin, so table sizes differ by at most
   one and each table gets a mix of the sectors people really work in.
3. Every table plays the same cast: the first k roles of the pack's play order, k being the
   smallest table's size (at most the number of roles). Tables' outcomes are compared side by
   side in the debrief, so they should have negotiated with the same parties. The play order
   puts first one role per sector with as many different interest groups as possible, then a
   role for each interest group not yet at the table, then the rest in the pack's order; so any
   k roles cover every sector (k >= 3) and as many interest groups as k allows.
4. Inside a table, as many people as possible get a role of their own sector (`prefer="own"`;
   `"other"` gives them another sector's role, `"any"` ignores sectors), earliest joiners first.
5. People beyond the cast (numbers rarely divide evenly) mirror a role, one per role (two
   people, one voice), or observe (`extra="observer"`, or once every role has a mirror).
Latecomers (`seat_latecomer`) take the emptiest table; there they fill a role nobody holds,
else mirror, else observe. `take_out` removes an absent person; their mirror, or else an
observer, takes the role so the table is not left waiting. A person already seated keeps
their seat and role.
"""

from collections import namedtuple
from dataclasses import dataclass
from itertools import product

ROLE, MIRROR, OBSERVER = "role", "mirror", "observer"
MIN_TABLE = 3
SECTOR_ORDER = ["government", "business", "non-profit"]
Facts = namedtuple("Facts", "key sector group index")


@dataclass(frozen=True)
class Seat:
    person: object
    sector: str
    table: object
    role: object      # role key; None for an observer
    mode: str         # ROLE, MIRROR or OBSERVER


@dataclass(frozen=True)
class Seating:
    tables: dict      # table id -> tuple of Seats in seat order (role holder, their mirror...)
    cast: tuple       # role keys every table plays, in play order

    def seat_of(self, person):
        for seats in self.tables.values():
            for seat in seats:
                if seat.person == person:
                    return seat
        return None

    def vacant(self, table):
        """Cast roles that nobody at `table` plays (nor mirrors)."""
        taken = {seat.role for seat in self.tables[table]}
        return [key for key in self.cast if key not in taken]

    def people(self):
        return sum(len(seats) for seats in self.tables.values())


def _facts(roles):
    def get(role, name):
        return role[name] if isinstance(role, dict) else getattr(role, name)
    return [Facts(get(r, "key"), get(r, "sector"), get(r, "interest_group"), i)
            for i, r in enumerate(roles)]


def play_order(roles):
    """Role keys in the order tables take them (see rule 3)."""
    facts = _facts(roles)
    sectors = [s for s in SECTOR_ORDER if any(f.sector == s for f in facts)]
    sectors += sorted({f.sector for f in facts} - set(sectors))
    options = [[f for f in facts if f.sector == sector] for sector in sectors]
    first = min(product(*options), key=lambda combo: (-len({f.group for f in combo}),
                                                      sorted(f.index for f in combo)))
    order = sorted(first, key=lambda f: f.index)
    groups = {f.group for f in order}
    for fact in facts:
        if fact.group not in groups:
            order.append(fact)
            groups.add(fact.group)
    chosen = {f.key for f in order}
    order += [f for f in facts if f.key not in chosen]
    return [f.key for f in order]


def _fits(prefer, person_sector, role_sector):
    if prefer == "own":
        return person_sector == role_sector
    if prefer == "other":
        return person_sector != role_sector
    return True


def _match(members, cast, sector_of, prefer):
    """Most people in a role that fits them (augmenting paths); role key -> member index."""
    holder = {}            # member index -> role key
    role_holder = {}       # role key -> member index

    def place(key, seen):
        for index, (_person, sector) in enumerate(members):
            if index in seen or not _fits(prefer, sector, sector_of[key]):
                continue
            seen.add(index)
            if index not in holder or place(holder[index], seen):
                holder[index] = key
                role_holder[key] = index
                return True
        return False

    for key in cast:
        place(key, set())
    free = iter(i for i in range(len(members)) if i not in holder)
    for key in cast:
        if key not in role_holder:
            index = next(free)
            holder[index] = key
            role_holder[key] = index
    return role_holder


def _ordered(seats, cast):
    rank = {key: i for i, key in enumerate(cast)}
    modes = {ROLE: 0, MIRROR: 1, OBSERVER: 2}
    return tuple(sorted(seats, key=lambda s: (s.mode == OBSERVER, rank.get(s.role, len(rank)),
                                              modes[s.mode])))


def _cast_table(table, members, cast, sector_of, prefer, extra):
    role_holder = _match(members, cast, sector_of, prefer)
    seats = [Seat(members[i][0], members[i][1], table, key, ROLE) for key, i in role_holder.items()]
    mirrored = set()
    for index, (person, sector) in enumerate(members):
        if index in role_holder.values():
            continue
        key = None
        if extra == "mirror":
            open_roles = [k for k in cast if k not in mirrored]
            key = next((k for k in open_roles if _fits(prefer, sector, sector_of[k])),
                       open_roles[0] if open_roles else None)
        if key is None:
            seats.append(Seat(person, sector, table, None, OBSERVER))
        else:
            mirrored.add(key)
            seats.append(Seat(person, sector, table, key, MIRROR))
    return _ordered(seats, cast)


def _check(prefer, extra):
    if prefer not in ("own", "other", "any") or extra not in ("mirror", "observer"):
        raise ValueError("prefer: own, other or any; extra: mirror or observer")


def assign_roles(people, tables, roles, *, prefer="own", extra="mirror"):
    """Seat `people` ([(id, sector)] in join order) at `tables` ([id]) in `roles`."""
    _check(prefer, extra)
    people, tables = list(people), list(tables)
    if not tables:
        raise ValueError("at least one table is needed")
    sector_of = {f.key: f.sector for f in _facts(roles)}
    order = play_order(roles) if roles else []
    used = tables[:max(1, min(len(tables), len(people) // MIN_TABLE))]
    by_sector = {}
    for person in people:
        by_sector.setdefault(person[1], []).append(person)
    dealt = [p for s in sorted(by_sector, key=lambda s: -len(by_sector[s])) for p in by_sector[s]]
    joined = {person[0]: i for i, person in enumerate(people)}
    members = {table: [] for table in used}
    for index, person in enumerate(dealt):
        members[used[index % len(used)]].append(person)
    smallest = min((len(m) for m in members.values()), default=0)
    cast = tuple(order[:smallest])
    result = {table: () for table in tables}
    for table, group in members.items():
        group.sort(key=lambda person: joined[person[0]])
        result[table] = _cast_table(table, group, cast, sector_of, prefer, extra)
    return Seating(result, cast)


def seat_latecomer(seating, person, roles, *, prefer="own", extra="mirror"):
    """A new Seating with `person` ((id, sector)) at the emptiest table; seated people stay."""
    _check(prefer, extra)
    if seating.seat_of(person[0]) is not None:
        return seating
    cast = seating.cast or tuple(play_order(roles))
    seating = Seating(seating.tables, cast)
    order = list(seating.tables)
    in_use = [t for t in order if seating.tables[t]] or order[:1]
    table = min(in_use, key=lambda t: (len(seating.tables[t]), -len(seating.vacant(t)),
                                       order.index(t)))
    sector_of = {f.key: f.sector for f in _facts(roles)}
    seats = seating.tables[table]

    def pick(keys):
        return next((k for k in keys if _fits(prefer, person[1], sector_of.get(k))),
                    keys[0] if keys else None)

    key, mode = pick(seating.vacant(table)), ROLE
    if key is None and extra == "mirror":
        mirrored = {s.role for s in seats if s.mode == MIRROR}
        key, mode = pick([k for k in cast if k not in mirrored]), MIRROR
    if key is None:
        mode = OBSERVER
    seat = Seat(person[0], person[1], table, key, mode)
    return Seating({**seating.tables, table: _ordered(seats + (seat,), cast)}, cast)


def take_out(seating, person):
    """A new Seating without `person`; their mirror, else the first observer, takes the role."""
    seat = seating.seat_of(person)
    if seat is None:
        return seating
    rest = [s for s in seating.tables[seat.table] if s.person != person]
    if seat.mode == ROLE:
        heir = (next((s for s in rest if s.mode == MIRROR and s.role == seat.role), None)
                or next((s for s in rest if s.mode == OBSERVER), None))
        if heir is not None:
            rest[rest.index(heir)] = Seat(heir.person, heir.sector, heir.table, seat.role, ROLE)
    tables = {**seating.tables, seat.table: _ordered(tuple(rest), seating.cast)}
    return Seating(tables, seating.cast)
