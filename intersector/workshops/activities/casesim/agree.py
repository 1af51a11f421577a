"""A table's draft opened as a real agreement in Agree (intersector/agreements), in one click.

Decisions (CASESIM.md left them to this module):
- The agreement is made through Agree's services (create_agreement, save_element, add_comment),
  never by writing its models: its history, sign-offs and live events stay right.
- Partners are the organisations of the roles played at the table (the cast, in play order; two
  roles of one organisation make one partner), with their sectors; a partner's representative is
  the role's name and its alternate the people who played it. Nothing of a brief goes in.
- An agreement opens only for its partners' people (agreements/access.py). So the facilitator who
  clicks holds the first partner (the convener's organisation in the starter pack): they open it at
  once and send the other partners their invitations from Agree's overview.
- Each element the table wrote goes in as that element's text; its status at the table (agreed,
  disputed, parked, draft) and any other version not yet resolved go in as a comment on it.
- A second click by the same person goes to the agreement made before (AgreeDraft), not to a new
  copy: the agreement has a life of its own in Agree by then. Another facilitator gets their own.
- Phones have no accounts, so a phone at the table asks for a link instead ("Take our draft to
  Agree"): a signed, expiring link (intersector.tokens, kind LINK) that names the table's run and
  its secret, nothing else. Opened by a signed-in person it makes the agreement under their
  account exactly as above (once per person). A new TableRun.agree_secret withdraws every link.
"""

from datetime import timedelta


from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intersector import tokens
from intersector.refusals import Refused
from intersector.workshops.activities.casesim import state
from intersector.workshops.activities.casesim.models import AgreeDraft, RoleSeat, SheetEntry, TableRun

AGREE_SECTORS = {"government", "business", "non-profit"}  # Agree's other choice is "other"
FORM = "mou"  # a partnering agreement drafted at a workshop table reads as a memorandum of understanding
LINK_DAYS = 7  # long enough to take the draft home after the workshop, short enough not to linger
LINK = tokens.Kind("casesim.agree-from-phone", max_age=timedelta(days=LINK_DAYS))
BAD_LINK = gettext_lazy("This link does not work")


def open_in_agree(item, table_pk, user):
    """(agreement, created) for the table `table_pk` of the item's simulation, made by `user`."""
    simulation = state.simulation_of(item)
    if simulation is None:
        raise Refused(_("The simulation has not started yet."), status=409)
    run = simulation.runs.select_related("table").filter(table_id=table_pk).first()
    if run is None:
        raise Refused(_("That table is not in this simulation."), status=404)
    made = AgreeDraft.objects.filter(run=run, user=user).select_related("agreement").first()
    if made is not None:
        return made.agreement, False
    try:
        with transaction.atomic():
            agreement = _make(simulation, run, user)
            AgreeDraft.objects.create(run=run, user=user, agreement=agreement)
    except IntegrityError:  # the same person clicked twice at once: the first click's agreement
        made = AgreeDraft.objects.filter(run=run, user=user).select_related("agreement").first()
        if made is None:
            raise
        return made.agreement, False
    return agreement, True


def _make(simulation, run, user):
    from intersector.agreements import services

    version = services.current_scorecard()
    if version is None:
        raise Refused(_("The agreement scorecard has not been loaded on this site yet."), status=409)
    case = state.public_case(simulation)
    table = _("Table %(n)s") % {"n": run.table.number}
    name = f"{case['title']} – {table}"
    if len(name) > 200:
        name = f"{case['title'][:200 - len(table) - 4]}… – {table}"
    families = list(run.families) if 3 <= len(run.families) <= 5 else None
    try:
        agreement = services.create_agreement(
            name=name, purpose=(case["summary"] or case["title"])[:2000], form=FORM,
            partners=partners_for(simulation, run, case["roles"], user), created_by=user,
            focus_families=families, scorecard=version)
    except ValidationError as error:
        raise Refused(" ".join(error.messages), status=409) from error
    partner = agreement.partners.order_by("position", "pk").first()
    author = _("%(table)s (case simulation)") % {"table": table}
    card = version.card
    entries = [e for e in SheetEntry.objects.filter(run=run) if e.element in card.elements]
    for entry in sorted(entries, key=lambda e: card.elements[e.element].order):
        if entry.text.strip():
            services.save_element(agreement, partner, entry.element, text=entry.text, author=author)
        note = status_note(entry, table)
        if note:
            services.add_comment(agreement, partner, entry.element, author, note)
    return agreement


def status_note(entry, table):
    """The element's status at the table, in words, and the other version if one is left."""
    if not entry.text.strip() and not entry.conflict_text.strip() and entry.status == SheetEntry.Status.DRAFT:
        return ""
    notes = {
        SheetEntry.Status.AGREED: _("%(table)s agreed this text."),
        SheetEntry.Status.DISPUTED: _("%(table)s left this element disputed."),
        SheetEntry.Status.PARKED: _("%(table)s parked this element for later."),
        SheetEntry.Status.DRAFT: _("%(table)s left this text as a draft, not yet agreed."),
    }
    note = notes.get(entry.status, notes[SheetEntry.Status.DRAFT]) % {"table": table}
    if entry.conflict_text.strip():
        note += " " + _("Another version was written and not yet resolved: %(text)s") % {"text": entry.conflict_text.strip()}
    return note


def partners_for(simulation, run, roles, user):
    """Agree's partner rows: the organisations of the roles played at this table."""
    players = {}
    for seat in (RoleSeat.objects.filter(simulation=simulation, table_id=run.table_id, taken_out=False)
                 .exclude(role_key="").exclude(mode=RoleSeat.Mode.OBSERVER).select_related("participant")):
        players.setdefault(seat.role_key, []).append(seat.participant.display_name)
    keys = [key for key in simulation.cast if key in players and key in roles]
    if len(keys) < 2:  # a table of one: the whole cast, so the agreement still has its partners
        keys = [key for key in simulation.cast if key in roles]
    rows, by_name = [], {}
    for key in keys:
        role = roles[key]
        organisation = role["organisation"][:200]
        if organisation in by_name:
            row = by_name[organisation]
            row["representative"] = f"{row['representative']}, {role['name']}"[:200]
            row["alternate"] = ", ".join(filter(None, [row["alternate"], *players.get(key, [])]))[:200]
            continue
        row = {"name": organisation, "sector": role["sector"] if role["sector"] in AGREE_SECTORS else "other",
               "representative": role["name"][:200], "alternate": ", ".join(players.get(key, []))[:200]}
        by_name[organisation] = row
        rows.append(row)
    if rows:
        rows[0]["user"] = user
    return rows


# --- From a phone: a signed link for a signed-in person ---------------------------------------


def link_for_phone(simulation, participant):
    """(token, run) for the participant's own table: its seat there (any mode, not taken out)
    and a table that has chosen its families (else there is no draft yet)."""
    if simulation is None:
        raise Refused(_("The case simulation has not started yet."), status=409)
    seat = state.seat_of(simulation, participant)
    run = state.run_of(simulation, seat.table_id) if seat is not None and not seat.taken_out else None
    if run is None:
        raise Refused(_("You have no seat at a table, so there is no table's draft to take to Agree."), status=409)
    if not run.families:
        raise Refused(_("Your table has not chosen its question families yet: there is no draft to take to "
                        "Agree."), status=409)
    if not run.agree_secret:
        TableRun.objects.filter(pk=run.pk, agree_secret="").update(agree_secret=tokens.new_secret())
        run.agree_secret = TableRun.objects.values_list("agree_secret", flat=True).get(pk=run.pk)
    return LINK.make({"r": run.pk, "s": run.agree_secret}), run


def run_from_link(token, code):
    """The table's run a link is for, in the workshop of join code `code`. Refused: 404 for a link
    that is not one of ours (altered, cut short, withdrawn, another workshop's), 410 expired."""
    try:
        data = LINK.check(token)
    except tokens.Expired:
        raise Refused(_("This link has expired: links to take a table's draft to Agree work for %(n)s days. "
                        "Ask the workshop's facilitator to take the draft to Agree for you.") % {"n": LINK_DAYS},
                      status=410, title=_("This link has expired")) from None
    except tokens.BadToken:
        data = None
    run = None
    if isinstance(data, dict) and isinstance(data.get("r"), int):
        run = (TableRun.objects.select_related("table", "simulation__item__workshop")
               .filter(pk=data["r"], simulation__item__workshop__code=code).first())
    if run is None or not tokens.same_secret(run.agree_secret, data.get("s")):
        raise Refused(_("This link is incomplete or was changed. Ask someone at your table to send it again "
                        "from their phone."), status=404, title=BAD_LINK)
    return run


def made_by(run, user):
    """The agreement this person already made from the table's draft, or None."""
    found = AgreeDraft.objects.filter(run=run, user=user).select_related("agreement").first()
    return found.agreement if found else None
