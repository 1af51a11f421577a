"""Discussion: tables or the room talk; phones show the questions and the timer, and, when the
item's set-up switches it on, people ask questions and vote for them (intersector/workshops/qna)."""
from django.utils.translation import gettext_lazy as _

from intersector.workshops import qna
from intersector.workshops.activities.base import SimpleActivity


class Discussion(SimpleActivity):
    kind = "discussion"
    label = _("Discussion")
    help = _("Tables or the room talk; phones show the questions and the timer, and can ask questions.")
    board_events = qna.board_events
    phone_events = qna.phone_events
    phone_styles = ("qna/phone.css",)
    console_styles = ("qna/console.css",)
    screen_styles = ("qna/screen.css",)
    settings_template = "qna/settings.html"  # questions on or off, on the agenda page
    # One screen for the whole room (workshops/screens.py): the text and the question form; each
    # person's list of questions (their votes, their questions waiting) is their own part
    # (data-mine="qna-list"), filled from their own request.
    phone_shared = True

    def template(self, view):
        return f"discussion/{view}.html"

    def default_config(self):
        return {"text": "", **qna.config_defaults()}

    def copy_config(self, config):
        return {**self.default_config(), **config}

    def starter_items(self):
        return [
            (60, {"en": "Questions and close", "es": "Preguntas y cierre"}, 15,
             {"text": {"en": "Ask your questions on your phone and vote for the ones you want answered.",
                       "es": "Escriba sus preguntas en el teléfono y vote por las que quiere que se respondan."},
              **qna.config_defaults(on=True)}),
        ]

    def participant_context(self, item, participant):
        return {**self._text(item), **qna.phone_context(item, participant), "mine_for": self.mine_for(item)}

    def mine_for(self, item):
        return f"{item.pk}:discussion:{int(qna.is_on(item))}"

    def mine_context(self, item, participant):
        return {"mine_for": self.mine_for(item), **qna.mine_context(item, participant)}

    def facilitator_context(self, item):
        return {**self._text(item), **qna.console_context(item)}

    def screen_context(self, item):
        return {**self._text(item), **qna.screen_context(item)}

    def results_context(self, item):
        return {**self._text(item), **qna.results_context(item)}

    def urls(self):
        return qna.urls_for(self)

    def exports(self):
        return [qna.export_for(self)]


activity = Discussion()
