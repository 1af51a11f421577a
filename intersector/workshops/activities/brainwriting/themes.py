"""The themes wall: what a facilitator does to the themes (rename, keep, merge and undo, split,
a new theme from chosen notes, move notes) and what a re-run of automatic themes may replace.

Each action locks the activity's row first, so two facilitators, or a facilitator and a themes
job finishing, take turns; then it checks, saves, and announces themes.changed after the commit.
A theme the facilitator touched is kept (locked): a re-run of automatic themes leaves it and its
notes as they are. services.py re-exports these for callers that knew them there.
"""

from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from intersector.workshops.activities.brainwriting.models import Note, Theme, Vote
from intersector.workshops.models import AgendaItem, Participant
from intersector.workshops.services import Refused, announce

MAX_LABEL = 120
# More columns than a wall (or a phone's vote list) can sensibly hold: merge some first.
MAX_THEMES = 40


def _locked(item):
    """The activity's row, locked until the transaction ends, with the undo of the last merge or
    deletion forgotten: it undoes that only while nothing else has changed since."""
    locked = AgendaItem.objects.select_for_update().select_related("workshop").get(pk=item.pk)
    forgot = [locked.state.pop(undo, None) for undo in ("last_merge", "last_delete")]
    if any(undo is not None for undo in forgot):
        locked.save(update_fields=["state"])
    return locked


def _changed(item):
    announce(item.workshop, "themes.changed", item=item.pk, phones=True)


def find_theme(item, theme_id):
    theme = Theme.objects.filter(pk=theme_id, item=item).first() if str(theme_id).isdigit() else None
    if theme is None:
        raise Refused(_("That theme is not in this activity."), status=404)
    return theme


def _notes(item, note_ids, empty_message):
    """The notes of this activity named by note_ids: all of them, or a 404 for the first stranger."""
    note_ids = [n for n in note_ids if n not in (None, "")]
    if not note_ids:
        raise Refused(empty_message)
    if not all(str(n).isdigit() for n in note_ids):
        raise Refused(_("That note is not in this activity."), status=404)
    wanted = {int(n) for n in note_ids}
    notes = list(Note.objects.filter(item=item, pk__in=wanted))
    if len(notes) != len(wanted):
        raise Refused(_("That note is not in this activity."), status=404)
    return notes


def clean_label(label, default=None):
    label = " ".join((label or "").split())
    if not label and default is not None:
        return default
    if not label:
        raise Refused(_("Give the theme a name."))
    if len(label) > MAX_LABEL:
        raise Refused(_("Keep theme names under 120 characters."))
    return label


def _lock(*themes):
    Theme.objects.filter(pk__in=[t.pk for t in themes if t is not None]).update(locked=True)


# --- Names and keeping -----------------------------------------------------------------------------


def rename_theme(item, theme_id, label):
    label = clean_label(label)
    with transaction.atomic():
        item = _locked(item)
        theme = find_theme(item, theme_id)
        theme.label, theme.locked = label, True
        theme.save(update_fields=["label", "locked"])
        _changed(item)
    return theme


def set_locked(item, theme_id, locked):
    with transaction.atomic():
        item = _locked(item)
        theme = find_theme(item, theme_id)
        theme.locked = bool(locked)
        theme.save(update_fields=["locked"])
        _changed(item)
    return theme


# --- Merging, and undoing it ---------------------------------------------------------------------------


def merge_themes(item, theme_ids):
    """Merge the other themes into the first (a theme dropped on another goes into that one).
    The item remembers what each merged theme held, for "Undo"."""
    with transaction.atomic():
        item = _locked(item)
        themes = [find_theme(item, pk) for pk in dict.fromkeys(str(pk) for pk in theme_ids)]
        if len(themes) < 2:
            raise Refused(_("Pick two different themes to merge."))
        keep, others = themes[0], themes[1:]
        item.state["last_merge"] = {"into": keep.pk, "into_locked": keep.locked, "themes": [
            {"label": t.label, "order": t.order, "locked": t.locked,
             "notes": list(t.notes.values_list("pk", flat=True)),
             "votes": list(t.votes.values_list("pk", flat=True))} for t in others]}
        item.save(update_fields=["state"])
        Note.objects.filter(theme__in=others).update(theme=keep)
        Vote.objects.filter(theme__in=others).update(theme=keep)
        Theme.objects.filter(pk__in=[t.pk for t in others]).delete()
        keep.locked = True
        keep.save(update_fields=["locked"])
        _changed(item)
    return keep, others


def last_merge(item):
    """What "Undo" would bring back: (the labels, the theme they went into), or None. Read afresh:
    the caller's copy of the item is older than the action that just ran."""
    state = AgendaItem.objects.filter(pk=item.pk).values_list("state", flat=True).first() or {}
    last = state.get("last_merge")
    if not last:
        return None
    into = Theme.objects.filter(pk=last["into"], item=item).first()
    return ([t["label"] for t in last["themes"]], into) if into else None


def undo_merge(item):
    """Bring the merged themes back with the notes and votes they had that are still in the
    theme they went into. Only right after the merge: any other change forgets it."""
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().select_related("workshop").get(pk=item.pk)
        last = locked.state.pop("last_merge", None)
        into = Theme.objects.filter(pk=last["into"], item=locked).first() if last else None
        if into is None:
            raise Refused(_("There is no merge to undo: the themes have changed since."), status=409)
        restored = []
        for kept in last["themes"]:
            theme = Theme.objects.create(item=locked, label=kept["label"], order=kept["order"], locked=kept["locked"])
            Note.objects.filter(theme=into, pk__in=kept["notes"]).update(theme=theme)
            Vote.objects.filter(theme=into, pk__in=kept["votes"]).update(theme=theme)
            restored.append(theme)
        Theme.objects.filter(pk=into.pk).update(locked=last.get("into_locked", True))  # as it was before
        locked.save(update_fields=["state"])
        _changed(locked)
    return restored


# --- Deleting ----------------------------------------------------------------------------------------


def delete_theme(item, theme_id, confirmed=False):
    """A theme goes: its notes back to "not in a theme yet", its votes given back to the phones.
    One that holds notes goes only once the facilitator has confirmed (its notes stay, but the
    arrangement is gone); an empty one at once. Returns (the theme, how many notes it held)."""
    with transaction.atomic():
        item = _locked(item)
        theme = find_theme(item, theme_id)
        held = theme.notes.count()
        if held and not confirmed:
            raise Refused(_("“%(t)s” holds notes: confirm to delete it, and its notes go back to "
                            "“not in a theme yet”.") % {"t": theme.label}, status=409)
        # Kept for "Undo" (until the wall's next change): the theme, which notes it held, whose votes.
        item.state["last_delete"] = {
            "label": theme.label, "order": theme.order, "locked": theme.locked, "typical": theme.typical,
            "notes": list(theme.notes.values_list("pk", flat=True)),
            "votes": list(theme.votes.order_by("pk").values_list("participant_id", flat=True))}
        item.save(update_fields=["state"])
        Note.objects.filter(theme=theme).update(theme=None)
        theme.delete()  # its votes with it: themes.changed redraws the phones' votes left
        _changed(item)
    return theme, held


def last_delete(item):
    """The name of the theme "Undo" would bring back, or None. Read afresh, as last_merge."""
    state = AgendaItem.objects.filter(pk=item.pk).values_list("state", flat=True).first() or {}
    return (state.get("last_delete") or {}).get("label")


def undo_delete(item):
    """Bring the deleted theme back with its notes that are still not in a theme, and its votes
    (each person's, as far as they have votes left: they may have used the ones given back).
    Only right after the deletion: any other change on the wall forgets it."""
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().select_related("workshop").get(pk=item.pk)
        last = locked.state.pop("last_delete", None)
        if not last:
            raise Refused(_("There is no deleted theme to bring back: the themes have changed since."), status=409)
        theme = Theme.objects.create(item=locked, label=last["label"], order=last["order"], locked=last["locked"],
                                     typical=last.get("typical") or [])
        Note.objects.filter(item=locked, theme__isnull=True, pk__in=last["notes"]).update(theme=theme)
        allowed = locked.config.get("votes", 3)
        used = dict(Vote.objects.filter(theme__item=locked, participant_id__in=set(last["votes"])).order_by()
                    .values_list("participant").annotate(n=Count("pk")))
        present = set(Participant.objects.filter(workshop_id=locked.workshop_id, pk__in=set(last["votes"]))
                      .values_list("pk", flat=True))  # (someone removed meanwhile has no vote to get back)
        votes = []
        for person in last["votes"]:
            if person in present and used.get(person, 0) < allowed:
                used[person] = used.get(person, 0) + 1
                votes.append(Vote(theme=theme, participant_id=person))
        Vote.objects.bulk_create(votes)
        locked.save(update_fields=["state"])
        _changed(locked)
    return theme


# --- Splitting and moving notes --------------------------------------------------------------------


def new_theme(item, note_ids, label=""):
    """A new theme from the chosen notes, wherever they are now (themes they left are kept as
    arranged by hand)."""
    label = clean_label(label, default=_("New theme"))
    with transaction.atomic():
        item = _locked(item)
        notes = _notes(item, note_ids, _("Select the notes for the new theme first."))
        return _new_theme(item, notes, label)


def split_theme(item, theme_id, note_ids, label=""):
    """A new theme from some of one theme's notes."""
    label = clean_label(label, default=_("New theme"))
    with transaction.atomic():
        item = _locked(item)
        theme = find_theme(item, theme_id)
        notes = _notes(item, note_ids, _("Tick the notes that should form the new theme."))
        if any(n.theme_id != theme.pk for n in notes):
            raise Refused(_("Those notes are not all in that theme."), status=404)
        if len(notes) == theme.notes.count():
            raise Refused(_("Leave at least one note in the old theme."))
        return _new_theme(item, notes, label)


def _new_theme(item, notes, label):
    themes = Theme.objects.filter(item=item)
    if themes.count() >= MAX_THEMES:
        raise Refused(_("There are %(n)s themes already: merge some first.") % {"n": MAX_THEMES}, status=409)
    order = (themes.aggregate(last=Max("order"))["last"] or 0) + 1
    new = Theme.objects.create(item=item, label=label, locked=True, order=order)
    _lock(*Theme.objects.filter(pk__in={n.theme_id for n in notes if n.theme_id}))
    Note.objects.filter(pk__in=[n.pk for n in notes]).update(theme=new)
    _changed(item)
    return new


def move_notes(item, note_ids, theme_id):
    """Move notes to a theme; that theme is then kept (someone arranged it by hand)."""
    with transaction.atomic():
        item = _locked(item)
        notes = _notes(item, note_ids, _("Select the notes to move first."))
        theme = find_theme(item, theme_id)
        Note.objects.filter(pk__in=[n.pk for n in notes]).update(theme=theme)
        _lock(theme)
        _changed(item)
    return theme, notes


def move_note(item, note_id, theme_id):
    theme, notes = move_notes(item, [note_id], theme_id)
    return notes[0]


# --- Automatic themes ---------------------------------------------------------------------------------


def apply_themes(item, groups):
    """Replace the unlocked themes with `groups` [(label, [note ids]) or (label, [note ids],
    [typical note ids])]; locked ones stay as they are, and so do the notes in them (only notes
    without a theme join the new groups)."""
    with transaction.atomic():
        item = _locked(item)
        Theme.objects.filter(item=item, locked=False).delete()
        start = (Theme.objects.filter(item=item).aggregate(last=Max("order"))["last"] or 0) + 1
        for order, (label, note_ids, *typical) in enumerate(groups, start=start):
            theme = Theme.objects.create(item=item, label=label[:MAX_LABEL], order=order,
                                         typical=[int(n) for n in (typical[0] if typical else [])])
            Note.objects.filter(item=item, pk__in=note_ids, theme__isnull=True).update(theme=theme)
        _changed(item)


def typical_first(theme, notes):
    """The theme's notes with its typical ones first (marked note.typical), then oldest first."""
    rank = {pk: i for i, pk in enumerate(theme.typical or [])}
    for note in notes:
        note.typical = note.pk in rank
    return sorted(notes, key=lambda note: rank.get(note.pk, len(rank)))


# --- Reading the wall ---------------------------------------------------------------------------------


def wall(item):
    """The columns of the wall: each theme with its notes (its typical ones first, then oldest
    first) and votes, then the notes in no theme yet. Two queries, whatever the number of notes."""
    themes = list(Theme.objects.filter(item=item).annotate(vote_count=Count("votes")))
    by_theme = {t.pk: [] for t in themes}
    unthemed = []
    for note in Note.objects.filter(item=item).only("pk", "text", "about", "theme_id", "created"):
        by_theme.get(note.theme_id, unthemed).append(note)
    for theme in themes:
        theme.cards = typical_first(theme, by_theme[theme.pk])
    return themes, unthemed
