"""What a table does from its phones: read the brief, choose the question families, write the sheet.

Services validate, save in a transaction, then announce (after the commit) to the table's
topic, and to the boards too so the console's counts move. The boards get ids only; a change of
the sheet also tells the table's own phones what they will show (`shown`: the table's shared
text, its status, who changed it and when), so 300 phones need not each ask for it. Every
refusal is a Refused with plain words; nothing here returns a brief, or puts one in an event.

Decisions (CASESIM.md leaves them to this module):
- Who may act: a seated role holder or mirror at the table, not taken out. Observers read only.
- Acceptance: one voice per role. A mirror's yes speaks for the role it shares; a proposal is
  accepted when the roles that said yes are more than half of the table's role holders. At a
  table of one, the proposer's choice is the table's (and the phone says so).
- A proposal can be replaced by a newer one while the table is choosing, even after one was
  accepted; "withdraw" takes back one's yes, and the proposer's withdrawing closes the proposal.
- The sheet: `version` counts changes of the text (a status change does not make someone's
  typing stale). A save typed over an older version whose text differs keeps both texts (the
  saved one stays, the new one becomes conflict_text) and answers 409 with both. While two
  versions wait for a choice, a third person's save is refused (their text stays on their phone);
  the person whose version waits may rewrite it.
"""

import json
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from intersector.agreements import scorecard as sc
from intersector.live.events import MAX_DATA_BYTES
from intersector.refusals import Refused
from intersector.workshops.activities.casesim import state
from intersector.workshops.activities.casesim.models import (
    MAX_SHEET_TEXT, FamilyProposal, RoleSeat, SheetEntry, Simulation, TableRun,
)
from intersector.workshops.services import announce_to_table

READ, CHOOSE, NEGOTIATE, PRESENT = "read", "choose-families", "negotiate", "present"
STATUSES = {choice for choice, _label in SheetEntry.Status.choices}


# --- The scorecard (Agree's, never copied) ------------------------------------------------------


def scorecard():
    """Agree's current scorecard in the reader's language; the starter files through Agree's own
    reader when none is loaded yet (a fresh site). The version is read at most every
    SCORECARD_SECONDS per process, and its cards (one per language) are kept while its content
    stays the same."""
    from intersector.agreements.services import current_scorecard

    now = time.monotonic()
    if not _CURRENT or now - _CURRENT[0] >= SCORECARD_SECONDS:
        fresh = current_scorecard()
        kept = _CURRENT[1] if _CURRENT else None
        if fresh is not None and kept is not None and (kept.number, kept.definition) == (fresh.number, fresh.definition):
            fresh = kept  # the same content: keep the cards already made
        _CURRENT[:] = [now, fresh]
    version = _CURRENT[1]
    return version.card if version is not None else _starter_card((translation.get_language() or "").split("-")[0])


# Every save checks its element against the scorecard: the current version is looked up at most
# every few seconds per process (a curator's new version reaches the phones that much later).
SCORECARD_SECONDS = 30
_CURRENT = []


@lru_cache(maxsize=4)
def _starter_card(language):
    import yaml

    from intersector.agreements.content import translations

    path = Path(settings.BASE_DIR) / "content" / "agreements" / "scorecard.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["translations"] = translations(path)
    return sc.Scorecard(sc.validate(data), language=language)


def family_of_element(card, element):
    found = card.elements.get(element)
    return found.family if found else None


# --- Who is at the table ------------------------------------------------------------------------


def seated(simulation, participant):
    """The participant's seat at a table; refused plainly when they have none."""
    return _at_a_table(state.seat_of(simulation, participant))


def _at_a_table(seat):
    if seat is None or seat.table_id is None or seat.taken_out:
        raise Refused(_("You do not have a seat at a table in this simulation. Ask the facilitator."), status=403)
    return seat


def sheet_seat(item, participant):
    """The seat of someone changing the sheet (state.seat_in_item: one statement); refused plainly."""
    seat = state.seat_in_item(item, participant)
    if seat is None and not Simulation.objects.filter(item=item).exists():
        raise Refused(_("The case simulation has not started yet."), status=409)
    return _at_a_table(seat)


def seat_and_run(simulation, participant):
    """(seat, run) of a participant; refused plainly when they have no seat at a table."""
    seat = seated(simulation, participant)
    run = state.run_of(simulation, seat.table_id)
    if run is None:
        raise Refused(_("Your table is not playing this simulation. Ask the facilitator."), status=403)
    return seat, run


def locked_run_of(simulation_id, seat):
    """The seat's table run, locked until the end of the transaction (one table's changes in turn)."""
    run = (TableRun.objects.select_for_update(of=("self",)).select_related("table")
           .filter(simulation_id=simulation_id, table_id=seat.table_id).first())
    if run is None:
        raise Refused(_("Your table is not playing this simulation. Ask the facilitator."), status=403)
    return run


def can_act(seat):
    return seat is not None and not seat.taken_out and seat.mode in (RoleSeat.Mode.ROLE, RoleSeat.Mode.MIRROR)


def check_can_act(seat):
    if not can_act(seat):
        raise Refused(_("Observers can read everything the table does but cannot change it."), status=403)


def role_holders(run):
    """Seats of the table's role holders (mode role, not taken out)."""
    return list(RoleSeat.objects.filter(simulation_id=run.simulation_id, table_id=run.table_id,
                                        mode=RoleSeat.Mode.ROLE, taken_out=False))


def check_phase(run, phase, message):
    if run.phase != phase:
        raise Refused(message, status=409)


def touch(run, now=None):
    run.last_activity = now or timezone.now()
    TableRun.objects.filter(pk=run.pk).update(last_activity=run.last_activity)


def locked_run(run):
    return TableRun.objects.select_for_update().select_related("table").get(pk=run.pk)


# --- The brief ----------------------------------------------------------------------------------


def brief_shown(seat):
    """The phone shows the brief: remember when it first did (the console counts them)."""
    if seat is None or not seat.role_key or seat.opened_at is not None:
        return
    seat.opened_at = timezone.now()
    updated = RoleSeat.objects.filter(pk=seat.pk, opened_at__isnull=True).update(opened_at=seat.opened_at)
    if updated:
        from intersector.workshops.services import announce

        announce(seat.simulation.item.workshop, "sim.changed", seat=seat.pk)


def acknowledge_brief(simulation, participant):
    seat = state.seat_of(simulation, participant)
    if seat is None or not seat.role_key:
        raise Refused(_("You have no role brief to read: you observe this table."), status=409)
    now = timezone.now()
    with transaction.atomic():
        fields = {"acknowledged_at": seat.acknowledged_at or now}
        if seat.opened_at is None:
            fields["opened_at"] = now
        RoleSeat.objects.filter(pk=seat.pk).update(**fields)
        run = state.run_of(simulation, seat.table_id)
        if run is not None:
            touch(run, now)
        from intersector.workshops.services import announce

        announce(simulation.item.workshop, "sim.changed", seat=seat.pk)
    return seat


# --- Choosing the families ----------------------------------------------------------------------


def clean_families(simulation, chosen):
    card = scorecard()
    known = [family.key for family in card.families]
    titles = {family.key: family.title for family in card.families}
    chosen = [str(key).strip() for key in (chosen or []) if str(key).strip()]
    for key in chosen:
        if key not in known:
            raise Refused(_("“%(family)s” is not one of the six question families.") % {"family": key[:40]})
    twice = sorted({key for key in chosen if chosen.count(key) > 1}, key=known.index)
    if twice:
        raise Refused(_("You chose %(family)s twice. Choose each family once.") % {"family": titles[twice[0]]})
    limits = state.pack_data(simulation)["families"]
    low, high = limits["min"], limits["max"]
    if not low <= len(chosen) <= high:
        raise Refused(_("Choose between %(min)s and %(max)s families (you chose %(n)s).")
                      % {"min": low, "max": high, "n": len(chosen)})
    return sorted(chosen, key=known.index)


def open_proposal(run):
    return run.proposals.filter(status=FamilyProposal.Status.OPEN).first()


def voices(run, proposal, holders=None):
    """(roles that said yes, role holders at the table): one voice per role."""
    holders = role_holders(run) if holders is None else holders
    yes = set(RoleSeat.objects.filter(simulation_id=run.simulation_id, table_id=run.table_id,
                                      participant_id__in=proposal.accepted_by, taken_out=False,
                                      mode__in=[RoleSeat.Mode.ROLE, RoleSeat.Mode.MIRROR])
              .values_list("role_key", flat=True))
    return len(yes & {seat.role_key for seat in holders}), len(holders)


def _settle(run, proposal):
    """Accept the proposal when more than half of the role holders' roles said yes."""
    said_yes, holders = voices(run, proposal)
    if holders and said_yes * 2 > holders:
        proposal.status = FamilyProposal.Status.ACCEPTED
        run.families = list(proposal.families)
        run.save(update_fields=["families"])
    proposal.save()
    return proposal.status == FamilyProposal.Status.ACCEPTED


def _announce_families(run, proposal):
    announce_to_table(run.table, "sim.families", boards=True, run=run.pk, proposal=proposal.pk)


@contextmanager
def _choosing(simulation, participant):
    """The person's table, locked while it is choosing families (anyone else is refused); the
    table's activity is noted after the change."""
    seat, run = seat_and_run(simulation, participant)
    check_can_act(seat)
    with transaction.atomic():
        run = locked_run(run)
        check_phase(run, CHOOSE, _("Your table is not choosing families now."))
        yield run
        touch(run)


def propose_families(simulation, participant, families):
    with _choosing(simulation, participant) as run:
        chosen = clean_families(simulation, families)
        run.proposals.filter(status=FamilyProposal.Status.OPEN).update(status=FamilyProposal.Status.REPLACED)
        proposal = FamilyProposal(run=run, proposed_by=participant, families=chosen, accepted_by=[participant.pk])
        accepted = _settle(run, proposal)
        _announce_families(run, proposal)
    return proposal, accepted


def accept_proposal(simulation, participant, proposal_id):
    with _choosing(simulation, participant) as run:
        proposal = _proposal_of(run, proposal_id)
        if proposal.status != FamilyProposal.Status.OPEN:
            raise Refused(_("That proposal is no longer open: a newer one replaced it, or the table already "
                            "accepted it."), status=409)
        if participant.pk in proposal.accepted_by:
            raise Refused(_("You have already accepted this proposal."), status=409)
        proposal.accepted_by = [*proposal.accepted_by, participant.pk]
        accepted = _settle(run, proposal)
        _announce_families(run, proposal)
    return proposal, accepted


def withdraw(simulation, participant, proposal_id):
    """Take back one's yes; the proposer's withdrawing closes the proposal."""
    with _choosing(simulation, participant) as run:
        proposal = _proposal_of(run, proposal_id)
        if proposal.status != FamilyProposal.Status.OPEN or participant.pk not in proposal.accepted_by:
            raise Refused(_("There is nothing of yours to take back on that proposal."), status=409)
        if proposal.proposed_by_id == participant.pk:
            proposal.status = FamilyProposal.Status.REPLACED
        proposal.accepted_by = [pk for pk in proposal.accepted_by if pk != participant.pk]
        proposal.save()
        _announce_families(run, proposal)
    return proposal


def _proposal_of(run, proposal_id):
    try:
        proposal_id = int(proposal_id)
    except (TypeError, ValueError):
        raise Refused(_("We could not find that proposal."), status=404) from None
    proposal = run.proposals.filter(pk=proposal_id).first()
    if proposal is None:
        raise Refused(_("We could not find that proposal at your table."), status=404)
    return proposal


# --- The sheet ----------------------------------------------------------------------------------


def clean_text(text):
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_SHEET_TEXT:
        raise Refused(_("Please keep one element's text under %(max)s characters (this one has %(n)s). "
                        "Your text is still in the box.") % {"max": f"{MAX_SHEET_TEXT:,}", "n": f"{len(text):,}"})
    return text


def clean_version(value):
    try:
        version = int(value)
    except (TypeError, ValueError):
        raise Refused(_("Your phone did not say which version of the text you changed. Reload the page; "
                        "copy your text first.")) from None
    if version < 0:
        raise Refused(_("Your phone did not say which version of the text you changed. Reload the page; "
                        "copy your text first."))
    return version


def element_of_run(run, element):
    """The scorecard element, if it belongs to a family the table chose."""
    card = scorecard()
    found = card.elements.get(element or "")
    if found is None:
        raise Refused(_("That is not an element of the scorecard."), status=404)
    if found.family not in run.families:
        raise Refused(_("That element is not in the families your table chose."), status=409)
    return found


def check_negotiating(run):
    if run.phase != NEGOTIATE:
        if run.phase in (READ, CHOOSE):
            message = _("The table has not started negotiating yet. Your text was not saved.")
        else:
            message = _("Negotiating time is over: the sheet is read-only now. Your text was not saved; "
                        "it is still on your screen.")
        raise Refused(message, status=409)


def locked_entry(seat, element_key):
    """(run, entry or None) of one element of the seat's table, both locked until the end of the
    transaction: one statement when the table has written on that element before (most saves),
    else the run alone (locked_run_of). The element is checked afterwards (element_of_run)."""
    entry = (SheetEntry.objects.select_for_update(of=("self", "run")).select_related("run__table")
             .filter(run__simulation_id=seat.simulation_id, run__table_id=seat.table_id, element=element_key)
             .first())
    if entry is not None:
        return entry.run, entry
    return locked_run_of(seat.simulation_id, seat), None


def save_entry(item, participant, element, text, status, base_version):
    """Save the table's text and/or status of one element. `text` None (or empty with a status)
    changes only the status. Returns (entry, conflict): conflict True when the text was typed
    over an older version and both texts are now kept."""
    seat = sheet_seat(item, participant)
    check_can_act(seat)
    if status is not None and status not in STATUSES:
        raise Refused(_("Choose Agreed, Disputed or Parked."))
    text = None if text is None else clean_text(text)
    if not text:
        text = None
        if status is None:
            raise Refused(_("The text is empty. Write what the table agrees, or mark the element Parked."))
    base = clean_version(base_version) if text is not None else None
    with transaction.atomic():
        run, entry = locked_entry(seat, element)
        check_negotiating(run)
        element = element_of_run(run, element)
        entry = entry or SheetEntry(run=run, family=element.family, element=element.key)
        now = timezone.now()
        conflict = False
        mine_waiting = entry.conflict_by_id == participant.pk
        if text is not None and text != entry.text and not (mine_waiting and text == entry.conflict_text):
            if base > entry.version:
                raise Refused(_("Your phone names a version of this text that does not exist. Reload the page; "
                                "copy your text first."))
            if entry.conflict_by_id and entry.conflict_by_id != participant.pk:
                raise Refused(_("Two versions of this text are waiting for the table to choose. Choose one (or "
                                "write a merge) first; your text is still in the box, not saved."), status=409)
            if mine_waiting or base < entry.version:
                conflict = True  # the saved text keeps its author; this one waits beside it
                entry.conflict_text, entry.conflict_by, entry.conflict_at = text, participant, now
            else:
                entry.text = text
                entry.updated_by, entry.updated_at = participant, now
            entry.version += 1
        if status is not None and status != entry.status:
            entry.status = status
            entry.updated_by, entry.updated_at = participant, now
        entry.save()
        touch(run, now)
        announce_sheet(run, entry, participant)
    return entry, conflict


def resolve_conflict(item, participant, element, keep, text=None):
    """Someone at the table chooses: keep the saved text ("current"), the other ("other"), or a
    merged text ("merged")."""
    seat = sheet_seat(item, participant)
    check_can_act(seat)
    if keep not in ("current", "other", "merged"):
        raise Refused(_("Choose which version to keep, or write a merge."))
    merged = clean_text(text) if keep == "merged" else None
    if keep == "merged" and not merged:
        raise Refused(_("The merged text is empty. Write it, or keep one of the two versions."))
    with transaction.atomic():
        run, entry = locked_entry(seat, element)
        check_negotiating(run)
        element_of_run(run, element)
        if entry is None or not entry.conflict_by_id:
            raise Refused(_("Someone at your table has already chosen. Look at the text now on your screen."),
                          status=409)
        if keep == "other":
            entry.text = entry.conflict_text
        elif keep == "merged":
            entry.text = merged
        entry.conflict_text, entry.conflict_by, entry.conflict_at = "", None, None
        entry.version += 1
        entry.updated_by, entry.updated_at = participant, timezone.now()
        entry.save()
        touch(run, entry.updated_at)
        announce_sheet(run, entry, participant)
    return entry


def announce_sheet(run, entry, participant):
    announce_to_table(run.table, "sim.sheet", boards=True, for_table=shown(entry), run=run.pk,
                      element=entry.element, version=entry.version, by=participant.pk)


# What an event may carry besides the ids: well under the live layer's limit for one event.
SHOWN_MAX_BYTES = MAX_DATA_BYTES - 512


def shown(entry):
    """{"shown": what every phone at the table now shows of the element} for its sim.sheet event:
    the table's text, its status, who changed it last and at what time (as phone_entry.html writes
    it). The phones put it on screen in their own language (casesim/phone.js) without asking for
    the element. Nothing while two versions wait for the table's choice (the phones fetch that
    element: it shows both texts and whose is whose), nor for a text too long for an event."""
    if entry.conflict_by_id:
        return {}
    person = entry.updated_by if entry.updated_by_id else None
    data = {"text": entry.text, "status": entry.status, "by_name": person.display_name if person else "",
            "at": dateformat.time_format(timezone.localtime(entry.updated_at), "H:i")}
    if len(json.dumps(data, separators=(",", ":"))) > SHOWN_MAX_BYTES:
        return {}
    return {"shown": data}
