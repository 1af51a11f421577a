import secrets

from django.utils.translation import gettext_lazy as _

from intersector.workshops.activities.base import Activity
from intersector.workshops.activities.brainwriting import services
from intersector.workshops.activities.brainwriting.models import MAX_NOTE_LENGTH, Note, Theme, Vote
from intersector.workshops.activities.brainwriting.starter import DEBRIEF_QUESTIONS, PROMPTS, SECTORS_ASKED
from intersector.workshops.texts import current, in_language, language_name

SHOWN_NOTES = 5


class Brainwriting(Activity):
    kind = "brainwriting"
    label = _("Brainwriting")
    help = _("Everyone writes short notes on prompts about each sector; then themes, a grid and votes.")
    # Notes reach only the boards; themes reach the phones too (their vote list follows them).
    board_events = ("note.added", "note.changed", "note.removed", "themes.changed", "votes.changed")
    phone_events = ("themes.changed",)
    translatable = ("prompts",)  # the sectors are the site's own words, in every language already
    phone_styles = ("brainwriting/phone.css",)
    console_styles = ("brainwriting/console.css",)

    def default_config(self):
        return {"prompts": in_language(PROMPTS, current()), "sectors": list(SECTORS_ASKED),
                "mode": "blind", "round_minutes": 5, "votes": 3}

    def copy_config(self, config):
        return {**self.default_config(), **config}

    def starter_items(self):
        return [(20, {"en": "Sector styles: brainwriting and debrief",
                      "es": "Estilos de los sectores: lluvia de ideas por escrito y puesta en común"}, 50,
                 {"prompts": PROMPTS})]

    def participant_context(self, item, participant):
        state = item.state
        round_number = state.get("round", 0)
        context = {
            "phase": state.get("phase", "writing"),
            "round": round_number,
            "round_open": services.round_is_open(item),
            "prompts": list(enumerate(services.prompts(item))),
            "sectors": [(s, services.sector_label(s)) for s in services.sectors(item)],
            "max_length": MAX_NOTE_LENGTH,
            "form_key": secrets.token_urlsafe(16),
            "mode": item.config.get("mode", "blind"),
        }
        mine = list(Note.objects.filter(item=item, participant=participant))
        this_round = [n for n in mine if n.round == round_number]
        # The latest few stay editable on the phone; a long list would slow every tap.
        context["my_notes"] = this_round[-SHOWN_NOTES:]
        context["my_earlier"] = len(this_round) - len(context["my_notes"])
        context["my_count"] = len(mine)
        last = mine[-1] if mine else None
        # A first note is most likely about the writer's own sector; later ones, as the last.
        context["last_prompt"], context["last_about"] = (last.prompt, last.about) if last else (0, participant.sector)
        if context["mode"] == "build-on" and round_number > 1:
            sheet = services.sheet_for(item, participant, round_number)
            context["sheet_notes"] = Note.objects.filter(item=item, sheet=sheet, round__lt=round_number)
        if context["phase"] in ("voting", "closed"):
            my_votes = {}
            for theme_id in Vote.objects.filter(theme__item=item, participant=participant).values_list("theme", flat=True):
                my_votes[theme_id] = my_votes.get(theme_id, 0) + 1
            context["themes"] = [(t, my_votes.get(t.pk, 0)) for t in Theme.objects.filter(item=item)]
            context["votes_left"] = services.votes_left(item, participant)
        return context

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
        phase = item.state.get("phase", "writing")
        context = {"board": services.board(item), "phase": phase, "round": item.state.get("round", 0)}
        if phase in ("voting", "closed") or Theme.objects.filter(item=item).exists():
            context["grid"] = services.grid(item)
        return context

    def results_context(self, item):
        return {
            "board": services.board(item),
            "grid": services.grid(item),
            "themes": Theme.objects.filter(item=item).prefetch_related("notes"),
            "unthemed": Note.objects.filter(item=item, theme__isnull=True),
            "questions": DEBRIEF_QUESTIONS,
            "prompts": services.prompts(item),
        }

    def urls(self):
        from intersector.workshops.activities.brainwriting import urls

        return urls.participant_urls, urls.facilitator_urls

    def exports(self):
        from intersector.workshops.activities.brainwriting.exports import NOTES

        return [NOTES]


activity = Brainwriting()
