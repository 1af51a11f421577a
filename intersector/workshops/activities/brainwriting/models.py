"""Brainwriting's notes, themes and votes. Their tables keep the names they had when these models
lived in the workshops app (db_table), so a site upgrades in place (migrations/0001_initial.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_NOTE_LENGTH = 280


class Theme(models.Model):
    item = models.ForeignKey("workshops.AgendaItem", on_delete=models.CASCADE, related_name="themes")
    label = models.CharField(_("label"), max_length=120)
    # A theme the facilitator has edited stays as it is when themes are made again.
    locked = models.BooleanField(_("keep when themes are made again"), default=False)
    order = models.PositiveIntegerField(default=0)
    # The notes that show the theme best (nearest its centre) when themes were made: listed first.
    typical = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "workshops_theme"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.label


class Note(models.Model):
    item = models.ForeignKey("workshops.AgendaItem", on_delete=models.CASCADE, related_name="notes")
    participant = models.ForeignKey("workshops.Participant", on_delete=models.CASCADE, related_name="notes")
    # Build-on mode: the sheet (named after the person who started it) this note was written on.
    sheet = models.ForeignKey("workshops.Participant", null=True, on_delete=models.SET_NULL, related_name="+")
    table = models.ForeignKey("workshops.Table", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    prompt = models.PositiveSmallIntegerField(_("prompt"))
    about = models.CharField(_("sector written about"), max_length=20)
    text = models.CharField(_("note"), max_length=MAX_NOTE_LENGTH)
    round = models.PositiveSmallIntegerField(_("round"))
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes")
    # The form's one-time key: a double tap or a retried request saves the note only once.
    key = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "workshops_note"
        ordering = ["created", "pk"]
        constraints = [models.UniqueConstraint(fields=["participant", "key"], name="note_saved_once")]
        indexes = [
            models.Index(fields=["item", "round"], name="workshops_n_item_id_a23f1f_idx"),
            # A phone in build-on mode reads the sheet it holds: without this, every refresh
            # read all the notes of earlier rounds (hundreds of phones at once, after a change).
            models.Index(fields=["sheet", "item", "round"], name="note_sheet_round"),
            # The projector counts a round's notes by sector, and a theme wall's by theme and
            # sector, about once a second while notes or votes arrive: from these, not the notes.
            models.Index(fields=["item", "about"], name="note_item_about"),
            models.Index(fields=["theme", "about"], name="note_theme_about"),
        ]

    def __str__(self):
        return self.text


class Vote(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey("workshops.Participant", on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "workshops_vote"
