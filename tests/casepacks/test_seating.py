"""Seating: every table gets every sector and as many interest groups as its size allows.

Property-style: plain loops over every workshop size from 6 to 300 people (hypothesis is not
among the test dependencies), with people's sectors drawn from seeded random generators.
"""

import random
from collections import Counter

import pytest

from intersector.casepacks import MIRROR, OBSERVER, ROLE, SECTORS
from intersector.casepacks import assign_roles, play_order, seat_latecomer, take_out

PEOPLE_SECTORS = SECTORS + ["other"]


def crowd(n, seed, sectors=PEOPLE_SECTORS, start=0):
    rng = random.Random(seed)
    return [(f"p{start + i}", rng.choice(sectors)) for i in range(n)]


def table_counts(n):
    """Few tables, conference tables of 5-8, and more tables than the people can fill."""
    return sorted({1, 2, 3, n // 8 or 1, n // 6 or 1, n // 5 or 1, n // 3, n})


def role_map(roles):
    return {role.key: role for role in roles}


def check(seating, people, tables, roles, extra="mirror"):
    """Every rule the seating promises, for one seating."""
    by_key = role_map(roles)
    seats = [seat for row in seating.tables.values() for seat in row]
    assert sorted(s.person for s in seats) == sorted(p for p, _sector in people)   # all, once
    assert list(seating.tables) == list(tables)
    used = [t for t in tables if seating.tables[t]]
    sizes = [len(seating.tables[t]) for t in used]
    assert max(sizes) - min(sizes) <= 1
    assert min(sizes) >= 3 and len(used) == min(len(tables), len(people) // 3)
    cast = seating.cast
    assert len(cast) == min(min(sizes), len(roles))
    assert {by_key[k].sector for k in cast} == set(SECTORS)
    groups = {r.interest_group for r in roles}
    assert len({by_key[k].interest_group for k in cast}) == min(len(cast), len(groups))
    for table in used:
        row = seating.tables[table]
        assert all(s.table == table for s in row)
        holders = [s.role for s in row if s.mode == ROLE]
        assert sorted(holders) == sorted(cast)                       # the same cast everywhere
        mirrors = [s.role for s in row if s.mode == MIRROR]
        assert len(set(mirrors)) == len(mirrors) and set(mirrors) <= set(cast)
        observers = [s for s in row if s.mode == OBSERVER]
        assert all(s.role is None for s in observers)
        if extra == "mirror":
            assert len(mirrors) == min(len(row) - len(cast), len(cast))
        else:
            assert not mirrors and len(observers) == len(row) - len(cast)
        # As many people as possible play a role of their own sector.
        here = Counter(s.sector for s in row)
        wanted = Counter(by_key[k].sector for k in cast)
        own = sum(1 for s in row if s.mode == ROLE and by_key[s.role].sector == s.sector)
        assert own == sum(min(here[sector], wanted[sector]) for sector in wanted)


def test_every_size_from_6_to_300_people_at_every_sensible_number_of_tables(starter):
    for n in range(6, 301):
        people = crowd(n, seed=n)
        counts = table_counts(n) if n % 5 == 0 or n < 40 else [n // 6, n // 8 or 1]
        for count in counts:
            tables = [f"t{i}" for i in range(1, count + 1)]
            check(assign_roles(people, tables, starter.roles), people, tables, starter.roles)


def test_lopsided_rooms_still_give_every_table_every_sector(starter):
    for n in (6, 13, 40, 120, 300):
        for sectors in (["government"], ["business", "non-profit"], ["other"]):
            people = crowd(n, seed=7, sectors=sectors)
            tables = list(range(max(1, n // 7)))
            check(assign_roles(people, tables, starter.roles), people, tables, starter.roles)


def test_extra_people_can_observe_instead_of_mirroring(starter):
    for n in (7, 20, 61, 299):
        people = crowd(n, seed=n)
        tables = list(range(max(1, n // 7)))
        seating = assign_roles(people, tables, starter.roles, extra="observer")
        check(seating, people, tables, starter.roles, extra="observer")


def test_past_one_mirror_per_role_people_observe(starter):
    people = crowd(40, seed=3)
    seating = assign_roles(people, ["only"], starter.roles)
    modes = Counter(s.mode for s in seating.tables["only"])
    assert modes == {ROLE: 15, MIRROR: 15, OBSERVER: 10}


def test_people_can_be_given_another_sector_s_role(starter):
    by_key = role_map(starter.roles)
    for n in (6, 24, 90):
        people = crowd(n, seed=n, sectors=SECTORS)
        seating = assign_roles(people, list(range(n // 6)), starter.roles, prefer="other")
        holders = [s for row in seating.tables.values() for s in row if s.mode == ROLE]
        same = sum(1 for s in holders if by_key[s.role].sector == s.sector)
        assert same <= len(holders) // 6          # nearly everyone plays another sector
    with pytest.raises(ValueError):
        assign_roles(crowd(6, 1), [1], starter.roles, prefer="mine")


def test_the_same_room_gives_the_same_seating(starter):
    people = crowd(137, seed=11)
    tables = list(range(19))
    assert assign_roles(people, tables, starter.roles) == assign_roles(people, tables,
                                                                       starter.roles)


def test_few_people_use_fewer_tables_so_no_table_misses_a_sector(starter):
    seating = assign_roles(crowd(7, seed=1), ["a", "b", "c", "d"], starter.roles)
    assert [len(seating.tables[t]) for t in "abcd"] == [4, 3, 0, 0]
    assert len(seating.cast) == 3


def test_play_order_covers_sectors_first_then_interest_groups(starter):
    order = play_order(starter.roles)
    assert order[:5] == ["city-convener", "chamber", "clean-air-alliance",
                         "neighbourhood-council", "multicultural-alliance"]
    roles = [{"key": "a", "sector": "government", "interest_group": "g"},
             {"key": "b", "sector": "government", "interest_group": "x"},
             {"key": "c", "sector": "business", "interest_group": "g"},
             {"key": "d", "sector": "non-profit", "interest_group": "g"},
             {"key": "e", "sector": "non-profit", "interest_group": "y"}]
    # Three different groups are possible for the first three only with b and e.
    assert play_order(roles)[:3] == ["b", "c", "e"]


def test_latecomers_fill_the_emptiest_table_and_nobody_seated_moves(starter):
    for n, count in ((6, 1), (19, 3), (50, 7), (300, 40)):
        people = crowd(n, seed=n)
        tables = list(range(count))
        seating = assign_roles(people, tables, starter.roles)
        for newcomer in crowd(25, seed=99, start=n):
            in_use = [t for t in tables if seating.tables[t]]
            smallest = min(len(seating.tables[t]) for t in in_use)
            before = {s.person: s for row in seating.tables.values() for s in row}
            vacant = {t: seating.vacant(t) for t in in_use}
            seating = seat_latecomer(seating, newcomer, starter.roles)
            seat = seating.seat_of(newcomer[0])
            assert len(seating.tables[seat.table]) - 1 == smallest
            if vacant[seat.table]:
                assert seat.mode == ROLE and seat.role in vacant[seat.table]
            for person, old in before.items():
                assert seating.seat_of(person) == old
        assert seating.people() == n + 25


def test_a_reconnecting_person_keeps_their_seat(starter):
    people = crowd(30, seed=5)
    seating = assign_roles(people, list(range(4)), starter.roles)
    assert seat_latecomer(seating, people[7], starter.roles) == seating


def test_an_absent_person_is_taken_out_and_the_table_goes_on(starter):
    people = crowd(27, seed=8)
    seating = assign_roles(people, ["a", "b", "c", "d"], starter.roles)   # 7, 7, 7, 6
    mirror = next(s for s in seating.tables["a"] if s.mode == MIRROR)
    holder = next(s for s in seating.tables["a"] if s.mode == ROLE and s.role == mirror.role)
    seating = take_out(seating, holder.person)
    assert seating.seat_of(holder.person) is None
    assert seating.seat_of(mirror.person).mode == ROLE and not seating.vacant("a")
    # Without a mirror, the role waits for the next latecomer, who goes to the emptiest table.
    gone = next(s for s in seating.tables["d"] if s.mode == ROLE)
    seating = take_out(seating, gone.person)
    assert seating.vacant("d") == [gone.role]
    seating = seat_latecomer(seating, ("late", gone.sector), starter.roles)
    assert seating.seat_of("late") == type(gone)("late", gone.sector, "d", gone.role, ROLE)
    assert take_out(seating, "nobody") == seating


def test_an_empty_room_then_latecomers(starter):
    seating = assign_roles([], ["a", "b"], starter.roles)
    assert seating.people() == 0 and seating.cast == ()
    for person in crowd(4, seed=2):
        seating = seat_latecomer(seating, person, starter.roles)
    assert len(seating.tables["a"]) == 4
    assert all(s.mode == ROLE for s in seating.tables["a"])
