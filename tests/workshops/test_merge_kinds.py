"""Merging two entries of one person moves what each kind keeps per person (its merge hook):
the case simulation's seat, sheet edits and proposals."""

import pytest

from intersector.workshops import services
from intersector.workshops.activities.casesim import phases
from intersector.workshops.activities.casesim.models import FamilyProposal, RoleSeat, SheetEntry, TableRun

pytestmark = pytest.mark.django_db


def test_in_the_case_simulation_the_kept_seat_wins_and_the_other_entrys_edits_follow(workshop, console):
    people = [services.join(workshop, f"Person {n}", ["government", "business", "non-profit"][n % 3]) for n in range(8)]
    services.set_table_count(workshop, 2)
    item = workshop.items.get(kind="casesim")
    services.go_to_item(workshop, item)
    source, target = people[0], people[1]
    kept_seat = RoleSeat.objects.get(participant=target)
    phases.take_out(item, source.pk)
    run = TableRun.objects.filter(simulation__item=item).first()
    entry = SheetEntry.objects.create(run=run, family="who", element="parties", text="Both cities", updated_by=source,
                                      conflict_text="Only one", conflict_by=source)
    proposal = FamilyProposal.objects.create(run=run, proposed_by=source, families=["who"],
                                             accepted_by=[source.pk, target.pk, people[2].pk])

    response = console.post(f"/convene/{workshop.pk}/people/{source.pk}/", {"action": "merge", "into": target.pk})
    assert response.status_code == 302
    # The kept entry's seat (role, table, brief read) stays as it was; the other's seat goes.
    assert list(RoleSeat.objects.filter(participant=target).values_list("pk", "role_key")) == \
        [(kept_seat.pk, kept_seat.role_key)]
    assert not RoleSeat.objects.filter(participant_id=source.pk).exists()
    # What the merged-away entry wrote is now the kept person's, and they agreed once.
    entry.refresh_from_db()
    proposal.refresh_from_db()
    assert entry.updated_by_id == target.pk and entry.conflict_by_id == target.pk
    assert proposal.proposed_by_id == target.pk and proposal.accepted_by == [target.pk, people[2].pk]


def test_someone_without_a_seat_takes_the_merged_entrys_seat_and_its_brief(workshop, console):
    people = [services.join(workshop, f"Person {n}", ["government", "business", "non-profit"][n % 3]) for n in range(8)]
    services.set_table_count(workshop, 2)
    item = workshop.items.get(kind="casesim")
    services.go_to_item(workshop, item)
    late = services.join(workshop, "Person 0", "government", "City")  # joined again, after the seating
    RoleSeat.objects.filter(participant=late).delete()  # never seated
    seat = RoleSeat.objects.get(participant=people[0])
    phases.take_out(item, people[0].pk)
    response = console.post(f"/convene/{workshop.pk}/people/{people[0].pk}/", {"action": "merge", "into": late.pk})
    assert response.status_code == 302
    assert RoleSeat.objects.get(pk=seat.pk).participant_id == late.pk
