from django.db import transaction
from django.urls import path

from intersector.refusals import Refused
from intersector.workshops.activities.actions import facilitator_action, participant_action
from intersector.workshops.models import AgendaItem
from intersector.workshops.services import announce, announce_to_table
from tests.workshops.tally.activity import activity


@participant_action(activity)
def tap(request, item, participant):
    if participant.table is None:
        raise Refused("Sit at a table first.", status=409)
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
        taps = locked.state.setdefault("taps", {})
        taps[str(participant.table_id)] = count = taps.get(str(participant.table_id), 0) + 1
        locked.save(update_fields=["state"])
        announce_to_table(participant.table, "tally.changed", boards=True, count=count)
    item.state = locked.state
    return "Counted."


@facilitator_action(activity)
def reset(request, item):
    with transaction.atomic():
        item.state["taps"] = {}
        item.save(update_fields=["state"])
        announce(item.workshop, "tally.changed", phones=True, item=item.pk)


participant_urls = [path("tap/", tap, name="tap")]
facilitator_urls = [path("reset/", reset, name="reset")]
