"""A phone's pass: the valid way is one written-out statement that gives the same objects as the ORM;
everything else still fails as before."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intersector.refusals import Refused
from intersector.workshops import services
from intersector.workshops.models import AgendaItem, Participant, Workshop

pytestmark = pytest.mark.django_db

STATE = {"phase": "négocier", "round": 2, "ratio": 0.5, "done": False, "none": None,
         "tables": [{"id": 1, "roles": ["a", "b"]}], "nested": {"deep": {"list": [1, "2", True]}}}


@pytest.fixture
def running(workshop):
    """A starter workshop with two tables, the case simulation running, a timer and JSON state."""
    people = [services.join(workshop, f"Person {n}", ["government", "business", "non-profit"][n % 3])
              for n in range(6)]
    services.set_table_count(workshop, 2)
    item = workshop.items.get(kind="casesim")
    services.go_to_item(workshop, item)
    AgendaItem.objects.filter(pk=item.pk).update(state={**AgendaItem.objects.get(pk=item.pk).state, **STATE})
    Workshop.objects.filter(pk=workshop.pk).update(timer_ends_at=timezone.now() + timedelta(minutes=5),
                                                   timer_remaining=300)
    return workshop, people


def the_orm_way(participant):
    return Participant.objects.select_related("workshop__current_item", "table").get(pk=participant.pk)


def assert_same(fast, slow):
    """The same model, the same field values (and types: JSON decoded, aware times), saved state."""
    assert type(fast) is type(slow)
    for field in type(slow)._meta.concrete_fields:
        mine, theirs = getattr(fast, field.attname), getattr(slow, field.attname)
        assert mine == theirs, field.name
        assert type(mine) is type(theirs), field.name
    assert (fast._state.adding, fast._state.db) == (slow._state.adding, slow._state.db)


def pass_of(participant):
    return participant.workshop.code, services.token_for(participant)


def one_query(code, token):
    with CaptureQueriesContext(connection) as queries:
        found = services.workshop_and_participant(code, token)
    assert len(queries) == 1, [query["sql"] for query in queries]
    return found


def test_a_valid_pass_is_one_query_with_the_objects_of_the_orm(running):
    workshop, people = running
    Participant.objects.filter(pk=people[0].pk).update(table=None)  # someone not at a table
    for person in people:
        found_workshop, found = one_query(*pass_of(person))
        slow = the_orm_way(person)
        assert found.pk == person.pk and found_workshop is found.workshop
        assert_same(found, slow)
        with CaptureQueriesContext(connection) as queries:  # everything already there
            assert_same(found.workshop, slow.workshop)
            assert_same(found.workshop.current_item, slow.workshop.current_item)
            assert (found.table is None) == (slow.table is None)
            if slow.table is not None:
                assert_same(found.table, slow.table)
            assert found.workshop.code_expired() is slow.workshop.code_expired()
            assert found.workshop.seconds_left() == slow.workshop.seconds_left()
        assert not queries
    item = found.workshop.current_item
    assert item.kind == "casesim" and isinstance(item.config, dict) and item.config
    assert {key: item.state[key] for key in STATE} == STATE
    assert found.workshop.timer_ends_at.tzinfo is not None
    assert people[0].pk == Participant.objects.filter(table=None).get().pk


def test_no_current_item_and_no_table(workshop):
    person = services.join(workshop, "Ana", "government")
    found_workshop, found = one_query(*pass_of(person))
    assert found_workshop.current_item is None and found.table is None
    assert_same(found, the_orm_way(person))
    assert_same(found_workshop, the_orm_way(person).workshop)


def test_the_code_as_typed_works_too(running):
    workshop, people = running
    code, token = pass_of(people[1])
    assert services.workshop_and_participant(f" {code.lower()} ", token)[1].pk == people[1].pk


def test_a_wrong_secret_gets_no_participant(running):
    workshop, people = running
    person = people[1]
    forged = services.PASS.make([person.workshop_id, person.pk, "x" * len(person.secret)])
    found_workshop, found = services.workshop_and_participant(workshop.code, forged)
    assert found is None and found_workshop.pk == workshop.pk
    assert services.workshop_and_participant(workshop.code, "not-a-pass") == (found_workshop, None)
    assert services.workshop_and_participant(workshop.code, None)[1] is None


def test_another_workshops_pass_gets_no_participant(running, facilitator):
    workshop, people = running
    other = services.create_workshop(facilitator, "Another", "starter")
    stranger = services.join(other, "Bo", "business")
    found_workshop, found = services.workshop_and_participant(workshop.code, services.token_for(stranger))
    assert found is None and found_workshop.pk == workshop.pk
    # ... nor with its ids put in this workshop's place
    moved = services.PASS.make([workshop.pk, stranger.pk, stranger.secret])
    assert services.workshop_and_participant(workshop.code, moved)[1] is None
    assert services.workshop_and_participant(other.code, moved)[1] is None


def test_an_expired_code_fails_even_with_a_valid_pass(running):
    workshop, people = running
    code, token = pass_of(people[1])
    services.end_workshop(workshop)
    assert services.workshop_and_participant(code, token)[1].pk == people[1].pk  # ended, code still valid
    Workshop.objects.filter(pk=workshop.pk).update(ended=timezone.now() - timedelta(days=3))
    with pytest.raises(Refused) as refused:
        services.workshop_and_participant(code, token)
    assert refused.value.status == 410


def test_an_unknown_code_fails(running):
    workshop, people = running
    with pytest.raises(Refused) as refused:
        services.workshop_and_participant("NOPE99", services.token_for(people[1]))
    assert refused.value.status == 404
