"""Brainwriting actions. Each validates, saves in a transaction, then announces ids only."""

import re
from collections import Counter

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector import limits
from intersector.accounts.models import Sector
from intersector.workshops.activities.brainwriting.models import MAX_NOTE_LENGTH, Note, Theme, Vote
from intersector.workshops import texts
from intersector.workshops.activities.brainwriting.themes import (  # noqa: F401  (callers knew them here)
    apply_themes, delete_theme, find_theme, merge_themes, move_note, move_notes, new_theme, rename_theme, set_locked, split_theme,
    undo_delete, undo_merge,
)
from intersector.workshops.models import AgendaItem
from intersector.workshops.services import Refused, announce, start_timer

MODES = ("blind", "build-on")
# Notes a participant may post per minute: far above fast writing, far below a script.
NOTE_LIMIT = settings.CONVENE_NOTE_LIMIT
# A round whose countdown ran out still takes notes for a few seconds (a tap in flight).
GRACE_SECONDS = 5
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def prompts(item):
    return item.config.get("prompts") or []


def sectors(item):
    return item.config.get("sectors") or []


def sector_label(value):
    return dict(Sector.choices).get(value, value)


# --- Set-up and rounds -----------------------------------------------------------------------


# A prompt with these in it is a page's template code that leaked into the set-up box, never
# words a facilitator meant phones to offer.
TEMPLATE_CODE = re.compile(r"\{\{|\}\}|\{%|%\}")
MAX_PROMPT_LENGTH = 120


def setup_form(item):
    """The set-up form's values as saved: saving it unchanged keeps every one exactly. The prompts
    in the workshop's other languages too (texts.py): [(language, its name, the prompts)]."""
    config = item.config
    return {"prompts": "\n".join(prompts(item)), "sectors": sectors(item), "mode": config.get("mode", "blind"),
            "round_minutes": config.get("round_minutes", 5), "votes": config.get("votes", 3),
            "prompts_in": [(code, texts.language_name(code), "\n".join((item.texts or {}).get(code, {}).get("prompts") or []))
                           for code in texts.other_languages(item.workshop)]}


def clean_prompts(prompt_lines, required=True):
    lines = [" ".join(line.split()) for line in (prompt_lines or "").splitlines()]
    lines = [line for line in lines if line]
    if not lines and required:
        raise Refused(_("Write at least one prompt, one per line."))
    if len(lines) > 12:
        raise Refused(_("At most 12 prompts, please."))
    for line in lines:
        if TEMPLATE_CODE.search(line):
            raise Refused(_("“%(prompt)s” looks like template code, not a prompt. Write each prompt in plain words, "
                            "one per line.") % {"prompt": line[:60]})
        if len(line) > MAX_PROMPT_LENGTH:
            raise Refused(_("Keep each prompt under %(n)s characters (“%(prompt)s…” is longer).")
                          % {"n": MAX_PROMPT_LENGTH, "prompt": line[:40]})
    return lines


def translated_prompts(item, lines, translations):
    """{language: prompts} in the workshop's other languages: as many as the workshop's own, in the
    same order (a note keeps the position of its prompt). None for a language left empty."""
    found = {}
    for language, text in (translations or {}).items():
        if language not in texts.other_languages(item.workshop):
            continue
        theirs = clean_prompts(text, required=False)
        if theirs and len(theirs) != len(lines):
            raise Refused(_("Give the prompts in %(language)s in the same order as the others, one per line: "
                            "%(n)s prompts, not %(given)s.") % {"language": texts.language_name(language),
                                                                "n": len(lines), "given": len(theirs)})
        found[language] = theirs or None
    return found


def configure(item, prompt_lines, chosen_sectors, mode, round_minutes, votes, translations=None):
    """`translations`: {language: the prompts in that language, one per line} (texts.py)."""
    lines = clean_prompts(prompt_lines)
    theirs = translated_prompts(item, lines, translations)
    chosen = [s for s in Sector.values if s in (chosen_sectors or [])]
    if not chosen:
        raise Refused(_("Pick at least one sector to ask about."))
    if mode not in MODES:
        raise Refused(_("Pick blind or build-on."))
    try:
        round_minutes, votes = int(round_minutes), int(votes)
    except (TypeError, ValueError):
        raise Refused(_("Round length and votes must be whole numbers.")) from None
    if not 1 <= round_minutes <= 60:
        raise Refused(_("A round lasts between 1 and 60 minutes."))
    if not 1 <= votes <= 10:
        raise Refused(_("Each person gets between 1 and 10 votes."))
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if Note.objects.filter(item=item).exists() and (lines != prompts(item) or chosen != sectors(item)):
            raise Refused(_("Notes have been written already: prompts and sectors can no longer change."))
        item.config.update(prompts=lines, sectors=chosen, mode=mode, round_minutes=round_minutes, votes=votes)
        for language, prompts_there in theirs.items():
            texts.set_translation(item, language, "prompts", prompts_there)
        item.save(update_fields=["config", "texts"])
        announce(item.workshop, "screen.changed", item=item.pk, phones=True)
    return item


def _locked_item(item):
    return AgendaItem.objects.select_for_update().select_related("workshop").get(pk=item.pk)


def open_round(item):
    with transaction.atomic():
        item = _locked_item(item)
        if item.workshop.current_item_id != item.pk:
            raise Refused(_("Start this agenda item before opening a round."))
        item.state.update(round=item.state.get("round", 0) + 1, round_open=True, phase="writing")
        item.save(update_fields=["state"])
        start_timer(item.workshop, seconds=item.config.get("round_minutes", 5) * 60)
        announce(item.workshop, "screen.changed", item=item.pk, phones=True)
    return item


def close_round(item):
    with transaction.atomic():
        item = _locked_item(item)
        item.state["round_open"] = False
        item.save(update_fields=["state"])
        announce(item.workshop, "screen.changed", item=item.pk, phones=True)
    return item


def set_phase(item, phase):
    if phase not in ("writing", "voting", "closed"):
        raise Refused(_("Unknown step."))
    with transaction.atomic():
        item = _locked_item(item)
        item.state.update(phase=phase, round_open=False)
        item.save(update_fields=["state"])
        announce(item.workshop, "screen.changed", item=item.pk, phones=True)
    return item


def round_is_open(item, now=None):
    workshop = item.workshop
    if workshop.current_item_id != item.pk or not item.state.get("round_open"):
        return False
    if workshop.timer_ends_at is not None:
        now = now or timezone.now()
        return now <= workshop.timer_ends_at + timezone.timedelta(seconds=GRACE_SECONDS)
    return True


# --- Notes -----------------------------------------------------------------------------------


# A fixed one-minute window that opens with the first note (NOTE_LIMIT read at each note).
NOTES = limits.Limit("convene-notes", lambda: NOTE_LIMIT, 60)


def check_rate(participant):
    """Refuse a participant who posts faster than NOTE_LIMIT notes a minute."""
    wait = NOTES.hit(participant.workshop_id, participant.pk)
    if wait:
        raise Refused(_("You are posting very fast. Wait a moment, then try again."), status=429, retry_after=wait)


def clean_text(text):
    text = CONTROL_CHARACTERS.sub("", text or "").strip()
    if not text:
        raise Refused(_("The note is empty. Write a few words first."))
    if len(text) > MAX_NOTE_LENGTH:
        raise Refused(_("Notes are short: at most %(max)s characters (this one has %(n)s).")
                      % {"max": MAX_NOTE_LENGTH, "n": len(text)})
    return text


def clean_choice(item, prompt, about):
    try:
        prompt = int(prompt)
    except (TypeError, ValueError):
        prompt = -1
    if not 0 <= prompt < len(prompts(item)):
        raise Refused(_("Pick one of the prompts."))
    if about not in sectors(item):
        raise Refused(_("Pick the sector your note is about."))
    return prompt, about


def clean_key(key):
    key = (key or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", key):
        raise Refused(_("This form is out of date. Reload the page and write the note again."))
    return key


def sheet_for(item, participant, round_number):
    """Build-on mode: whose sheet this person holds in this round (sheets pass one seat on each
    round). Blind mode, or without a table: their own."""
    if item.config.get("mode") != "build-on" or participant.table_id is None or round_number <= 1:
        return participant  # in the first round everyone writes on their own sheet: no seats to read
    # Read once per request: saving a note and showing the screen after it both need them.
    seated = participant.table.seats()
    if participant not in seated:
        return participant
    position = seated.index(participant)
    return seated[(position - (round_number - 1)) % len(seated)]


def add_note(item, participant, prompt, about, text, key):
    """Save a note once (the form key makes a second submission return the first note)."""
    key = clean_key(key)
    if not round_is_open(item):
        # A second tap that arrives after the round closed still finds its saved note.
        existing = Note.objects.filter(participant=participant, key=key).first()
        if existing is not None:
            return existing, False
        raise Refused(_("This round has closed, so the note was not saved. Wait for the next round."), status=409)
    text = clean_text(text)
    prompt, about = clean_choice(item, prompt, about)
    check_rate(participant)
    round_number = item.state.get("round", 1)
    try:
        with transaction.atomic():
            note = Note.objects.create(
                item=item, participant=participant, table_id=participant.table_id, prompt=prompt,
                about=about, text=text, round=round_number, key=key,
                sheet=sheet_for(item, participant, round_number),
            )
            note_event(item, "note.added", note)
    except IntegrityError:
        # The same key again (a double tap, a resend after a lost answer): the first one saved it.
        return Note.objects.get(participant=participant, key=key), False
    return note, True


def note_event(item, event, note):
    """Only the boards (console, projector) hear of notes. No phone shows another person's note
    while a round is open: in blind mode nobody does, and in build-on mode a note goes on the
    sheet its writer holds this round, which reaches the next person only when the round
    changes (and that change reaches every phone as screen.changed). So 500 phones are not
    woken up 50 times a second for nothing.

    The event says where the note counts on the board (its prompt's number and the sector it is
    about), so a board can move its counts at once and fetch the board less often
    (intersector/live/README.md, "Events the boards hear"); never its text or its writer."""
    announce(item.workshop, event, item=item.pk, note=note.pk, table=note.table_id or 0,
             prompt=note.prompt, about=note.about)


def own_note(item, participant, note_id):
    note = Note.objects.filter(pk=note_id, item=item, participant=participant).first() if str(note_id).isdigit() else None
    if note is None:
        raise Refused(_("That note is not one of yours."), status=404)
    if not round_is_open(item) or note.round != item.state.get("round"):
        raise Refused(_("The round has closed: notes can no longer be changed."), status=409)
    return note


def edit_note(item, participant, note_id, text):
    note = own_note(item, participant, note_id)
    text = clean_text(text)
    with transaction.atomic():
        note.text = text
        note.save(update_fields=["text"])
        note_event(item, "note.changed", note)
    return note


def delete_note(item, participant, note_id):
    note = own_note(item, participant, note_id)
    with transaction.atomic():
        gone = Note(pk=note.pk, table_id=note.table_id, prompt=note.prompt, about=note.about)
        note.delete()
        note_event(item, "note.removed", gone)


# --- The board ---------------------------------------------------------------------------------


def board(item):
    """Counts of notes by prompt and sector written about, for the console and the projector."""
    # Counted by the database: the console and projector ask at every note of a busy room.
    counts = {(prompt, about): n for prompt, about, n in Note.objects.filter(item=item).order_by()
              .values("prompt", "about").annotate(n=Count("pk")).values_list("prompt", "about", "n")}
    columns = sectors(item)
    rows = [
        {"prompt": text, "cells": [counts.get((index, s), 0) for s in columns],
         "total": sum(counts.get((index, s), 0) for s in columns)}
        for index, text in enumerate(prompts(item))
    ]
    totals = [sum(row["cells"][i] for row in rows) for i in range(len(columns))]
    return {"columns": [sector_label(s) for s in columns], "rows": rows, "totals": totals,
            "count": sum(totals)}


# --- Themes ------------------------------------------------------------------------------------


def grid(item):
    """Theme x sector written about: how many notes, and whether a theme crosses sectors; the
    themes with most votes first (the room debriefs from the top)."""
    columns = sectors(item)
    counts = Counter(Note.objects.filter(item=item, theme__isnull=False).values_list("theme", "about"))
    votes = dict(Theme.objects.filter(item=item).annotate(n=Count("votes")).values_list("pk", "n"))
    rows = []
    for theme in Theme.objects.filter(item=item):
        cells = [counts.get((theme.pk, s), 0) for s in columns]
        rows.append({"theme": theme, "cells": cells, "votes": votes.get(theme.pk, 0),
                     "crosses": sum(1 for c in cells if c) > 1})
    rows.sort(key=lambda row: -row["votes"])  # stable: equal votes keep the wall's order
    return {"columns": [sector_label(s) for s in columns], "rows": rows}


# --- Votes -------------------------------------------------------------------------------------


def votes_left(item, participant):
    used = Vote.objects.filter(theme__item=item, participant=participant).count()
    return max(0, item.config.get("votes", 3) - used)


def vote(item, participant, theme_id):
    theme = find_theme(item, theme_id)
    if item.state.get("phase") != "voting" or item.workshop.current_item_id != item.pk:
        raise Refused(_("Voting is not open right now."), status=409)
    with transaction.atomic():
        # Lock the participant row so two quick taps cannot both take the last vote.
        type(participant).objects.select_for_update().get(pk=participant.pk)
        if votes_left(item, participant) <= 0:
            raise Refused(_("You have used all your votes. Take one back to move it."), status=409)
        Vote.objects.create(theme=theme, participant=participant)
        announce(item.workshop, "votes.changed", item=item.pk)


def unvote(item, participant, theme_id):
    theme = find_theme(item, theme_id)
    if item.state.get("phase") != "voting" or item.workshop.current_item_id != item.pk:
        raise Refused(_("Voting is not open right now."), status=409)
    with transaction.atomic():
        vote = Vote.objects.filter(theme=theme, participant=participant).first()
        if vote is None:
            raise Refused(_("You have no vote on that theme."), status=409)
        vote.delete()
        announce(item.workshop, "votes.changed", item=item.pk)


THEME_COUNTS = range(2, 16)


def clean_theme_count(value):
    """How many themes the facilitator asked for: None for "let the platform choose"."""
    if value in (None, ""):
        return None
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = 0
    if count not in THEME_COUNTS:
        raise Refused(_("Choose between %(low)s and %(high)s themes, or let the platform choose.")
                      % {"low": THEME_COUNTS[0], "high": THEME_COUNTS[-1]})
    return count


def themes_follow_new_job(old_job, new_job):
    """"Try again" on a themes job: the themes page follows the new one, unless the facilitator
    has asked for themes again meanwhile."""
    item = AgendaItem.objects.filter(pk=new_job.arguments.get("item_id")).first()
    if item is not None and item.state.get("themes_job") == str(old_job.pk):
        remember_job(item, new_job, item.state.get("theme_count"))


def remember_job(item, job, count=None):
    """The themes page shows the progress of the latest run and keeps the count asked for."""
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        item.state["themes_job"] = str(job.pk)
        item.state["theme_count"] = count
        item.save(update_fields=["state"])


# --- One person who joined twice (the facilitator merges them) ----------------------------------


def merge_participant(source, target):
    """`target` gets `source`'s notes, sheets and votes. A note sent from both (one form key) is
    kept once; votes beyond an item's allowance go, the latest first."""
    keys = Note.objects.filter(participant=target).values_list("key", flat=True)
    Note.objects.filter(participant=source, key__in=list(keys)).delete()
    Note.objects.filter(participant=source).update(participant=target)
    Note.objects.filter(sheet=source).update(sheet=target)
    if not Vote.objects.filter(participant=source).update(participant=target):
        return
    for item in AgendaItem.objects.filter(themes__votes__participant=target).distinct():
        votes = list(Vote.objects.filter(participant=target, theme__item=item).order_by("created", "pk"))
        extra = [vote.pk for vote in votes[item.config.get("votes", 3):]]
        if extra:
            Vote.objects.filter(pk__in=extra).delete()
            announce(target.workshop, "votes.changed", item=item.pk)
