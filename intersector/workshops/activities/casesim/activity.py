from django.utils.translation import gettext_lazy as _

from intersector.workshops import qna
from intersector.workshops.activities.base import Activity

# Live events (ids, never a brief's text):
#   sim.changed   boards: anything the facilitator's overview shows (seats, briefs opened, counts)
#   sim.phase     a table's phase or clock changed (table topic; all phones when every table moves)
#   sim.families  a table's family proposal changed (table topic)
#   sim.sheet     an element of a table's sheet changed (table topic; carries element and version, and
#                 for the table's phones only what they all show of it: table.shown)
#   sim.screen    what the projector shows in the report changed (boards and phones)
#   sim.reveal    the facilitator revealed every brief (all phones)
BOARD_EVENTS = ("sim.changed", "sim.phase", "sim.sheet", "sim.families", "sim.screen", "sim.reveal")
PHONE_EVENTS = ("sim.phase", "sim.families", "sim.sheet", "sim.screen", "sim.reveal")


class CaseSimulation(Activity):
    kind = "casesim"
    label = _("Case simulation")
    help = _("Tables negotiate a partnering agreement, each person playing a confidential role from a case pack; "
             "then the room compares the tables' agreements.")
    # The room's questions (intersector/workshops/qna) are open in the report back.
    board_events = BOARD_EVENTS + qna.board_events
    phone_events = PHONE_EVENTS + qna.phone_events
    phone_styles = ("casesim/phone.css", "casesim/screen.css", "qna/phone.css")
    phone_scripts = ("casesim/phone.js",)
    console_styles = ("casesim/console.css", "casesim/screen.css", "qna/console.css")
    screen_styles = ("qna/screen.css",)
    settings_template = "casesim/agenda_settings.html"  # "Use your own case pack" (ownpack.py)

    def default_config(self):
        return {"pack": "sacramento", "language": "", "prefer": "own", "extra": "mirror",
                **qna.config_defaults(on=True)}

    def copy_config(self, config):
        return {**self.default_config(), **config}  # an uploaded pack's rows follow in on_copy

    def on_copy(self, item, copy):
        from intersector.workshops.activities.casesim import ownpack

        ownpack.copy(item, copy)  # the facilitator's own pack, still for that workshop only

    def starter_items(self):
        return [(40, {"en": "Partnering agreement case simulation and report back",
                      "es": "Simulación de caso: el acuerdo de colaboración y la puesta en común"}, 80, {})]

    def on_start(self, item):
        from intersector.workshops.activities.casesim import state

        state.start(item)

    def seats_held(self, item):
        from intersector.workshops.activities.casesim import state

        if state.simulation_of(item) is None:
            return None
        return str(_("The case simulation seats people in their roles: move someone in the simulation's "
                     "table overview (their role moves with them), or go to another agenda item first."))

    # One screen per table (and one for its observers), rendered once for everyone there; each
    # person's seat line, brief and answer to a proposal are their own parts (views_phone.py).
    phone_audiences = True

    def participant_context(self, item, participant):
        from intersector.workshops.activities.casesim import views_phone

        return {**views_phone.participant_context(item, participant), **qna.phone_context(item, participant)}

    def phone_audience(self, item, participant):
        from intersector.workshops.activities.casesim import views_phone

        return views_phone.audience(item, participant)

    def phone_audience_context(self, item, audience):
        from intersector.workshops.activities.casesim import views_phone

        context = views_phone.audience_context(item, audience)
        return None if context is None else {**context, **qna.phone_context(item, None)}

    def mine_context(self, item, participant):
        from intersector.workshops.activities.casesim import views_phone

        context = views_phone.mine_context(item, participant)
        if context.get("report") and qna.is_on(item):
            context.update(qna.mine_context(item, participant))
        return context

    def facilitator_context(self, item):
        from intersector.workshops.activities.casesim import views_console

        return {**views_console.facilitator_context(item), **qna.console_context(item)}

    def screen_context(self, item):
        from intersector.workshops.activities.casesim import show

        return {**show.screen_context(item), **qna.screen_context(item)}

    def results_context(self, item):
        from intersector.workshops.activities.casesim import show

        return {**show.results_context(item), **qna.results_context(item)}

    def participant_summary(self, participant):
        from intersector.workshops.activities.casesim import people

        return people.summary(participant)

    def participant_held(self, participant):
        from intersector.workshops.activities.casesim import people

        return people.held(participant)

    def merge_participant(self, source, target):
        from intersector.workshops.activities.casesim import people

        people.merge(source, target)

    def urls(self):
        from intersector.workshops.activities.casesim import urls

        return urls.participant_urls, urls.facilitator_urls

    def exports(self):
        from intersector.workshops.activities.casesim import show

        return [*show.exports(), qna.export_for(self, _("Download the simulation's questions (CSV)"),
                                                 "workshop-{code}-simulation-questions.csv")]


activity = CaseSimulation()
