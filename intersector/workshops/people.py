"""Who is who: someone joining again from another phone or browser ("Is this you?"), and the
facilitator removing a person or merging two entries of one person.

A second browser never gets a participant's pass by typing the same name and sector: it asks
(a Rejoin), and the participant's first phone or a facilitator says yes or no. Until then the
new browser waits on a page that looks again every few seconds.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector import tokens
from intersector.refusals import Refused
from intersector.workshops.activities import all_kinds
from intersector.workshops.passes import merged_into  # noqa: F401  (the join page asks people)
from intersector.workshops.models import MergedAway, Participant, Rejoin, Workshop
from intersector.workshops.services import announce, announce_to_phones

REJOIN_MINUTES = 30  # a question nobody answered by then is dropped
REJOIN = tokens.Kind("workshops.rejoin", max_age=timedelta(minutes=REJOIN_MINUTES))


def clean_name(name):
    return " ".join((name or "").split())


def same_person(workshop, name, sector):
    """Who joined this workshop with this name (any case, any spacing) and sector, first first.
    Compared in Python: SQLite's case-insensitive match knows only ASCII (Ángela, ángela)."""
    wanted = clean_name(name).casefold()
    if not wanted:
        return []
    return [person for person in workshop.participants.filter(sector=sector).only("pk", "display_name", "joined", "sector")
            if clean_name(person.display_name).casefold() == wanted]


# --- "Is this you?" -------------------------------------------------------------------------


def ask_to_rejoin(workshop, participant_id, name, sector):
    """The asking browser says it is this participant: a Rejoin that waits for a yes. The name
    and sector must still match (the ids in a form are not proof of anything)."""
    if workshop.status == Workshop.Status.ENDED:
        raise Refused(_("This workshop has ended."), status=410)
    person = next((p for p in same_person(workshop, name, sector) if str(p.pk) == str(participant_id)), None)
    if person is None:
        raise Refused(_("Nobody of that name and sector has joined this workshop. Join as a new person."), status=404)
    with transaction.atomic():
        # One question at a time per person: the newest replaces any still waiting.
        waiting(workshop).filter(participant=person).update(status=Rejoin.Status.REFUSED)
        rejoin = Rejoin.objects.create(participant=person)
        announce(workshop, "people.changed", participant=person.pk)  # the console's people panel
        announce_to_phones(workshop, "seat.changed", participant=person.pk)  # their first phone asks
    return rejoin


def token_for(rejoin):
    return REJOIN.make([rejoin.pk, rejoin.secret])


def rejoin_from_token(workshop, token):
    """The asking browser's question, or None (no token, another workshop's, too old, answered
    and collected)."""
    data = REJOIN.read(token)
    if not isinstance(data, list) or len(data) != 2:
        return None
    rejoin = (Rejoin.objects.select_related("participant")
              .filter(pk=data[0], participant__workshop=workshop, created__gte=_oldest()).first())
    if rejoin is None or not tokens.same_secret(rejoin.secret, data[1]):
        return None
    return rejoin


def _oldest():
    return timezone.now() - timedelta(minutes=REJOIN_MINUTES)


def waiting(workshop):
    """The questions nobody has answered yet, oldest first (the console lists them)."""
    return Rejoin.objects.filter(participant__workshop=workshop, status=Rejoin.Status.WAITING,
                                 created__gte=_oldest()).select_related("participant")


def answer_rejoin(workshop, rejoin_id, allow, by=None):
    """Yes or no, from a facilitator (by=None) or from the participant's own phone (by=them)."""
    if not str(rejoin_id).isdigit():
        raise Refused(_("That question has been answered already, or has expired."), status=409)
    with transaction.atomic():
        rejoin = waiting(workshop).select_for_update(of=("self",)).filter(pk=rejoin_id).first()
        if rejoin is None or (by is not None and rejoin.participant_id != by.pk):
            raise Refused(_("That question has been answered already, or has expired."), status=409)
        rejoin.status = Rejoin.Status.ALLOWED if allow else Rejoin.Status.REFUSED
        rejoin.save(update_fields=["status"])
        announce(workshop, "people.changed", participant=rejoin.participant_id)
        announce_to_phones(workshop, "seat.changed", participant=rejoin.participant_id)
    return rejoin


def collect(rejoin):
    """An allowed question gives its browser the participant (once: the question goes)."""
    if rejoin.status != Rejoin.Status.ALLOWED:
        return None
    with transaction.atomic():
        deleted, _rows = Rejoin.objects.filter(pk=rejoin.pk, status=Rejoin.Status.ALLOWED).delete()
    return rejoin.participant if deleted else None


# --- Removing and merging ---------------------------------------------------------------------


def person_of(workshop, participant_id):
    person = (workshop.participants.filter(pk=participant_id).select_related("table").first()
              if str(participant_id).isdigit() else None)
    if person is None:
        raise Refused(_("That person is not in this workshop."), status=404)
    return person


def summary(person):
    """What a person did, every kind's words together ("3 notes", "1 question")."""
    from intersector.workshops.qna import services as qna  # any kind may switch questions on

    return [line for kind in all_kinds() for line in kind.participant_summary(person)] + qna.participant_summary(person)


def _free(person):
    for kind in all_kinds():
        held = kind.participant_held(person)
        if held:
            raise Refused(held, status=409)


def remove_participant(workshop, participant_id):
    """A stray entry (a test, a joke name, a duplicate with nothing in it) goes, with what it wrote."""
    person = person_of(workshop, participant_id)
    _free(person)
    with transaction.atomic():
        Participant.objects.select_for_update().filter(pk=person.pk).first()
        announce_to_phones(workshop, "seat.changed", participant=person.pk)  # its phone goes to the join page
        person.delete()
        # New screens addresses for the room (screens.key_for): the removed person knew the old ones.
        Workshop.objects.filter(pk=workshop.pk).update(screens_generation=F("screens_generation") + 1)
        workshop.screens_generation += 1
        announce(workshop, "people.changed")
    return person


def merge_participants(workshop, source_id, target_id):
    """Two entries of one person: `target` keeps what both did; `source` goes."""
    source = person_of(workshop, source_id)
    target = person_of(workshop, target_id)
    if source.pk == target.pk:
        raise Refused(_("Pick another person to merge with."))
    _free(source)
    with transaction.atomic():
        list(Participant.objects.select_for_update().filter(pk__in=[source.pk, target.pk]))
        for kind in all_kinds():
            kind.merge_participant(source, target)
        from intersector.workshops.qna import services as qna

        qna.merge_participant(source, target)
        if target.table_id is None and source.table_id is not None:
            target.table_id = source.table_id
            target.save(update_fields=["table"])
            announce_to_phones(workshop, "seat.changed", participant=target.pk)
        # The merged-away entry's phone carries on as `target` (passes.merged_into): its pass,
        # and the passes of entries merged into `source` before, now lead to `target`.
        MergedAway.objects.filter(into=source).update(into=target)
        MergedAway.objects.update_or_create(workshop=workshop, old_participant=source.pk,
                                            defaults={"old_secret": source.secret, "into": target})
        announce_to_phones(workshop, "seat.changed", participant=source.pk)  # its phone reloads as target
        source.delete()
        announce(workshop, "people.changed")
    return target
