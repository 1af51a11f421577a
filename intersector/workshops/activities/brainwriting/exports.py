"""Brainwriting's download: every note, one row each (intersector.spreadsheets makes cells safe)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intersector.workshops import texts
from intersector.workshops.activities.base import Export


def note_header():
    return [_("activity"), _("round"), _("prompt"), _("sector written about"), _("writer's sector"),
            _("table"), _("theme"), _("note"), _("written at")]


def note_rows(workshop):
    from intersector.workshops.activities.brainwriting.models import Note
    from intersector.workshops.activities.brainwriting.services import sector_label

    notes = (Note.objects.filter(item__workshop=workshop)
             .select_related("item", "participant", "table", "theme").order_by("item__order", "round", "pk"))
    shown = texts.shown_items(workshop)  # titles and prompts in the reader's language
    for note in notes.iterator(chunk_size=500):
        item = shown.get(note.item_id, note.item)
        prompts = item.config.get("prompts") or []
        yield [
            item.title, note.round,
            prompts[note.prompt] if note.prompt < len(prompts) else note.prompt,
            sector_label(note.about), sector_label(note.participant.sector),
            note.table.number if note.table else "", note.theme.label if note.theme else "",
            note.text, note.created.isoformat(timespec="seconds"),
        ]


NOTES = Export("notes.csv", gettext_lazy("Download every note (CSV)"), note_header, note_rows,
               filename="workshop-{code}-notes.csv")
