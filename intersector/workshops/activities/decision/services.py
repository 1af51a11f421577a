"""The decision item's actions. The votes and the closing are Collaborate's own
(collaboratives.decisions); this module finds the item's decision, checks who may act on it from
the workshop, and tells the room's screens when something changed."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from intersector.collaboratives import access, decisions
from intersector.collaboratives.models import Decision, Member
from intersector.refusals import Refused
from intersector.workshops.services import announce

EVENT = "decision.voted"  # a vote was cast or the decision closed: the boards and phones refresh


def decision_of(item):
    """The item's decision (its collaborative read with it), closed first if its time has passed; None
    when none is chosen or it was deleted."""
    pk = (item.config or {}).get("decision")
    if not pk:
        return None
    decision = Decision.objects.select_related("collaborative", "chosen").filter(pk=pk).first()
    return decisions.close_if_due(decision) if decision is not None else None


def decisions_to_choose(user):
    """Open decisions of the collaboratives this person convenes: the ones they may put to a room."""
    convened = Member.objects.filter(user=user, role=Member.Role.CONVENOR).values_list("collaborative_id", flat=True)
    return (Decision.objects.filter(collaborative_id__in=list(convened), status=Decision.Status.OPEN)
            .select_related("collaborative").order_by("collaborative__name", "-opened_at"))


def _convenor(user, collaborative):
    member = access.member_of(user, collaborative)
    if not access.can(member, "manage"):
        raise Refused(_("Only a convenor of %(name)s can do that with its decisions. Ask them to run this item, or "
                        "use the decision log.") % {"name": collaborative.name}, status=403)
    return member


def choose(item, user, decision_pk):
    """The facilitator chooses which decision the item puts to the room: one of their own
    collaboratives' open decisions."""
    try:
        decision_pk = int(str(decision_pk))
    except (TypeError, ValueError):
        decision_pk = None
    decision = decisions_to_choose(user).filter(pk=decision_pk).first() if decision_pk else None
    if decision is None:
        raise Refused(_("Choose one of the open decisions of a collaborative you convene."), status=400)
    with transaction.atomic():
        item.config = {**(item.config or {}), "decision": decision.pk}
        item.save(update_fields=["config"])
        if item.workshop.current_item_id == item.pk:  # already running: put to the room now
            decisions.put_to_workshop(decision, item.workshop, _convenor(user, decision.collaborative))
        announce(item.workshop, EVENT, phones=True, item=item.pk)
    return decision


def put_to_room(item):
    """The item starts: the decision's history says it was put to this workshop."""
    decision = decision_of(item)
    if decision is not None and decision.status == Decision.Status.OPEN:
        convenor = Member.objects.filter(collaborative=decision.collaborative, role=Member.Role.CONVENOR,
                                         user__in=item.workshop.facilitators.values("user")).first()
        decisions.put_to_workshop(decision, item.workshop, convenor)


def voter(user, decision):
    """The person's member row if they may vote on this decision; Refused (403) saying why not."""
    member = access.member_of(user, decision.collaborative)
    if not access.can(member, "decide"):
        raise Refused(_("Only the representatives and alternates of %(name)s vote on its decisions. You can follow "
                        "the result on the workshop's screen.") % {"name": decision.collaborative.name}, status=403)
    return member


def vote(item, user, form):
    """A vote from a phone, signed in as a member of the decision's collaborative."""
    decision = decision_of(item)
    if decision is None:
        raise Refused(_("No decision is put to the room right now."), status=409)
    member = voter(user, decision)
    option = decision.options.filter(pk=_int(form.get("option"))).first()
    allocation = {k.removeprefix("option-"): v for k, v in form.items() if k.startswith("option-")}
    return decisions.cast_vote(decision, member, choice=form.get("choice"), option=option, reason=form.get("reason"),
                               allocation=allocation, workshop=item.workshop)  # the rooms hear of it: on_change


def close(item, user):
    decision = decision_of(item)
    if decision is None:
        raise Refused(_("Choose the decision first."), status=409)
    return decisions.close_decision(decision, _convenor(user, decision.collaborative), workshop=item.workshop)


def on_change(sender, decision, **kwargs):
    """A vote or the closing of a decision, wherever it came from (a phone in the room, the decision
    log, its closing time): every workshop showing it now refreshes its boards and phones."""
    from intersector.workshops.models import AgendaItem

    items = AgendaItem.objects.filter(kind="decision", config__decision=decision.pk,
                                      workshop__current_item=F("pk")).select_related("workshop")
    for item in items:
        announce(item.workshop, EVENT, phones=True, item=item.pk)


def _int(value):
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
