"""A person in the simulation when the facilitator removes them or merges two entries of one
person (intersector/workshops/people.py): seats follow the person, names on a table's work too."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from intersector.workshops.activities.casesim.models import FamilyProposal, RoleSeat, SheetEntry


def summary(participant):
    seats = RoleSeat.objects.filter(participant=participant).count()
    return [ngettext("%(n)s seat in a case simulation", "%(n)s seats in case simulations", seats) % {"n": seats}] \
        if seats else []


def held(participant):
    """Someone in play at a table of the simulation that is running: the table needs their role
    handed on first (take them out on the simulation's console)."""
    workshop = participant.workshop
    in_play = (workshop.status == workshop.Status.LIVE and workshop.current_item_id is not None
               and RoleSeat.objects.filter(participant=participant, taken_out=False,
                                           simulation__item_id=workshop.current_item_id).exists())
    if in_play:
        return _("%(name)s is in play in the case simulation: take them out there first (Seats, on its console), "
                 "so their role passes to someone else.") % {"name": participant.display_name}
    return None


def merge(source, target):
    """`target` keeps their own seat in a simulation where both had one, else takes `source`'s."""
    for seat in RoleSeat.objects.filter(participant=source):
        if RoleSeat.objects.filter(simulation_id=seat.simulation_id, participant=target).exists():
            seat.delete()
        else:
            RoleSeat.objects.filter(pk=seat.pk).update(participant=target)
    FamilyProposal.objects.filter(proposed_by=source).update(proposed_by=target)
    SheetEntry.objects.filter(updated_by=source).update(updated_by=target)
    SheetEntry.objects.filter(conflict_by=source).update(conflict_by=target)
    for proposal in FamilyProposal.objects.filter(run__simulation__item__workshop=source.workshop_id):
        if source.pk in proposal.accepted_by:
            proposal.accepted_by = list(dict.fromkeys(target.pk if pk == source.pk else pk for pk in proposal.accepted_by))
            proposal.save(update_fields=["accepted_by"])
