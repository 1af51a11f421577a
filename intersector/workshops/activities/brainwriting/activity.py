import secrets

from django.db import connection
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from intersector.workshops.activities.base import Activity
from intersector.workshops.activities.brainwriting import screen, services
from intersector.workshops.activities.brainwriting.models import MAX_NOTE_LENGTH, Note, Theme, Vote
from intersector.workshops.activities.brainwriting.themes import typical_first
from intersector.workshops.activities.brainwriting.starter import DEBRIEF_QUESTIONS, PROMPTS, SECTORS_ASKED
from intersector.workshops.texts import current, in_language, language_name

SHOWN_NOTES = 5
# A theme with this many notes or fewer shows them in the voting screen at once; a larger one
# loads them when the phone opens it (a few hundred notes on every phone, on every change, would
# slow every screen).
NOTES_INLINE = 8


def notes_behind_themes(item):
    """The themes a phone votes on, each with note_count, and its notes when it has few."""
    themes = list(Theme.objects.filter(item=item).annotate(note_count=Count("notes")))
    few = {t.pk: t for t in themes if 0 < t.note_count <= NOTES_INLINE}
    for theme in themes:
        theme.few_notes = [] if theme.pk in few else None
    for note in Note.objects.filter(theme__in=list(few)).only("text", "about", "theme_id"):
        few[note.theme_id].few_notes.append(note)
    for theme in few.values():
        theme.few_notes = typical_first(theme, theme.few_notes)
    return themes


def latest_notes(item, participant, count):
    """This person's latest `count` notes, newest first, as dicts with the addresses of their
    Change and Delete forms. One written-out statement and no reverse() per note: a room of
    1,000 posts 100 notes a second and each is answered with these (building the query and the
    addresses was most of that answer's time)."""
    notes_url = reverse("workshops:brainwriting:add_note", args=[item.workshop.code])  # .../notes/
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, text, about, prompt, round FROM {Note._meta.db_table} "
                       "WHERE item_id = %s AND participant_id = %s ORDER BY id DESC LIMIT %s",
                       [item.pk, participant.pk, count])
        rows = cursor.fetchall()
    return [shown_note(notes_url, *row) for row in rows]


def shown_note(notes_url, pk, text, about, prompt, round_number):
    """One of a person's notes as their phone lists it, with its Change and Delete addresses."""
    return {"pk": pk, "text": text, "about": about, "prompt": prompt, "round": round_number,
            "edit_url": f"{notes_url}{pk}/edit/", "delete_url": f"{notes_url}{pk}/delete/"}


def notes_this_round(item, participant, round_number):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Note._meta.db_table} "
                       "WHERE item_id = %s AND participant_id = %s AND round = %s",
                       [item.pk, participant.pk, round_number])
        return cursor.fetchone()[0]


class Brainwriting(Activity):
    kind = "brainwriting"
    label = _("Brainwriting")
    help = _("Everyone writes short notes on prompts about each sector; then themes, a grid and votes.")
    # Notes reach only the boards; themes reach the phones too (their vote list follows them).
    board_events = ("note.added", "note.changed", "note.removed", "themes.changed", "votes.changed")
    phone_events = ("themes.changed",)
    translatable = ("prompts",)  # the sectors are the site's own words, in every language already
    phone_styles = ("brainwriting/phone.css",)
    phone_scripts = ("brainwriting/phone.js",)
    console_styles = ("brainwriting/console.css",)
    screen_styles = ("brainwriting/screen.css",)

    def default_config(self):
        return {"prompts": in_language(PROMPTS, current()), "sectors": list(SECTORS_ASKED),
                "mode": "blind", "round_minutes": 5, "votes": 3}

    def copy_config(self, config):
        return {**self.default_config(), **config}

    def starter_items(self):
        return [(20, {"en": "Sector styles: brainwriting and debrief",
                      "es": "Estilos de los sectores: lluvia de ideas por escrito y puesta en común"}, 50,
                 {"prompts": PROMPTS})]

    # One screen for the whole room: prompts, sectors, themes. A person's own notes, count, sheet
    # and votes are its data-mine parts (participant.html's "mine" partial).
    phone_shared = True

    def participant_context(self, item, participant):
        state = item.state
        context = {
            "phase": state.get("phase", "writing"),
            "round": state.get("round", 0),
            "round_open": services.round_is_open(item),
            "prompts": list(enumerate(services.prompts(item))),
            "sectors": [(s, services.sector_label(s)) for s in services.sectors(item)],
            "max_length": MAX_NOTE_LENGTH,
            "mode": item.config.get("mode", "blind"),
        }
        context["mine_for"] = self.mine_for(item, context)
        themes = notes_behind_themes(item) if context["phase"] in ("voting", "closed") else []
        if participant is None:  # the shared screen: nobody's own parts, no form key
            context.update(last_prompt=0, last_about="", themes=[(theme, 0) for theme in themes])
            return context
        context["form_key"] = secrets.token_urlsafe(16)
        context.update(self.mine_context(item, participant, context))
        context["themes"] = [(theme, context.get("my_votes", {}).get(theme.pk, 0)) for theme in themes]
        return context

    def mine_for(self, item, context):
        """Which screen a person's parts belong to: the item, its step and its round."""
        return f"{item.pk}:{context['phase']}:{context['round']}:{int(context['round_open'])}"

    def mine_context(self, item, participant, shared=None):
        """A person's own parts of the screen: their notes (the latest few editable), count and
        last choices while writing, the sheet they build on, their votes while voting."""
        context = shared or {"phase": item.state.get("phase", "writing"), "round": item.state.get("round", 0),
                             "round_open": services.round_is_open(item), "max_length": MAX_NOTE_LENGTH}
        mine = {"mine_for": self.mine_for(item, context)}
        if shared is None:  # the "mine" partial alone: which parts to send, and their limits
            mine.update(context)
        round_number = context["round"]
        if context["phase"] in ("voting", "closed"):
            my_votes = {}
            for theme_id in Vote.objects.filter(theme__item=item, participant=participant).values_list("theme", flat=True):
                my_votes[theme_id] = my_votes.get(theme_id, 0) + 1
            mine["my_votes"] = my_votes
            if shared is None:  # the phone's own request: the themes it voted for, for their parts
                mine["voted"] = [(theme, my_votes[theme.pk]) for theme in Theme.objects.filter(pk__in=my_votes)]
            mine["votes_left"] = max(0, item.config.get("votes", 3) - sum(my_votes.values()))
            return mine
        # At most two statements however many notes the person wrote: the latest few (a round's
        # come after the earlier rounds' ones, so this round's latest are among them) and, only
        # when there are more, the counts. Every note a phone posts is answered with these.
        latest = latest_notes(item, participant, SHOWN_NOTES)
        if len(latest) < SHOWN_NOTES:  # all of them: nothing more to count
            counts = {"all": len(latest), "this_round": sum(1 for note in latest if note["round"] == round_number)}
        else:
            counts = Note.objects.filter(item=item, participant=participant).aggregate(
                all=Count("pk"), this_round=Count("pk", filter=Q(round=round_number)))
        # The latest few stay editable on the phone; a long list would slow every tap.
        mine["my_notes"] = [note for note in reversed(latest) if note["round"] == round_number]
        mine["my_earlier"] = counts["this_round"] - len(mine["my_notes"])
        mine["my_count"] = counts["all"]
        last = latest[0] if latest else None
        # A first note is most likely about the writer's own sector; later ones, as the last.
        mine["last_prompt"], mine["last_about"] = (last["prompt"], last["about"]) if last else (0, participant.sector)
        if item.config.get("mode") == "build-on" and round_number > 1:
            sheet = services.sheet_for(item, participant, round_number)
            mine["sheet_notes"] = Note.objects.filter(item=item, sheet=sheet, round__lt=round_number)
        return mine

    def note_added_context(self, item, participant, note):
        """The answer to a phone's own new note (X-Convene-Answer: note): that note and the line
        about the earlier ones, which phone.js adds to the notes it shows (the "note-added"
        partial), in one statement. At 100 notes a second, rendering the writer's latest five
        notes again with each was most of a note's server time."""
        context = {"phase": item.state.get("phase", "writing"), "round": item.state.get("round", 0),
                   "round_open": services.round_is_open(item)}
        count = notes_this_round(item, participant, context["round"])
        notes_url = reverse("workshops:brainwriting:add_note", args=[item.workshop.code])
        # A note of an earlier round (a resend after the round changed) is not among this round's:
        # without a note to add, phone.js asks for the person's own parts.
        mine = [shown_note(notes_url, note.pk, note.text, note.about, note.prompt, note.round)] if (
            note.round == context["round"]) else []
        return {"mine_for": self.mine_for(item, context), "max_length": MAX_NOTE_LENGTH, "phone_adds_token": True,
                "my_notes": mine, "my_earlier": count - min(count, SHOWN_NOTES), "round_notes": count,
                "shown_notes": SHOWN_NOTES}

    def facilitator_context(self, item):
        return {
            "board": services.board(item),
            "recent": Note.objects.filter(item=item).order_by("-pk")[:12],
            "theme_count": Theme.objects.filter(item=item).count(),
            "round": item.state.get("round", 0),
            "round_open": services.round_is_open(item),
            "phase": item.state.get("phase", "writing"),
            "setup": services.setup_form(item),
            "modes": [("blind", _("Blind: each person sees only their own notes")),
                      ("build-on", _("Build-on: sheets pass round the table each round (6-3-5)"))],
            "all_sectors": [(s, services.sector_label(s)) for s in ("government", "business", "non-profit", "other")],
            "own_language": language_name(item.workshop.language),
        }

    def screen_context(self, item):
        return screen.screen_context(item)

    def results_context(self, item):
        return {
            "board": services.board(item),
            "grid": services.grid(item),
            "themes": Theme.objects.filter(item=item).prefetch_related("notes"),
            "unthemed": Note.objects.filter(item=item, theme__isnull=True),
            "questions": DEBRIEF_QUESTIONS,
            "prompts": services.prompts(item),
        }

    def participant_summary(self, participant):
        notes = Note.objects.filter(participant=participant).count()
        votes = Vote.objects.filter(participant=participant).count()
        return ([ngettext("%(n)s note", "%(n)s notes", notes) % {"n": notes}] if notes else []) + (
            [ngettext("%(n)s vote on a theme", "%(n)s votes on themes", votes) % {"n": votes}] if votes else [])

    def merge_participant(self, source, target):
        services.merge_participant(source, target)

    def urls(self):
        from intersector.workshops.activities.brainwriting import urls

        return urls.participant_urls, urls.facilitator_urls

    def exports(self):
        from intersector.workshops.activities.brainwriting.exports import NOTES

        return [NOTES]


activity = Brainwriting()
