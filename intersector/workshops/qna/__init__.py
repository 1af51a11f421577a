"""Questions and answers that any activity kind can switch on (not a kind of its own).

Phones ask questions (anonymously if they like) and vote for other people's, one vote each; the
facilitator approves or hides them, marks them answered and pins one to the projector. A kind
that offers it (the discussion kind does, when its item's config has `questions` on):

    from intersector.workshops import qna

    class Discussion(Activity):
        board_events = qna.board_events            # console and projector
        phone_events = qna.phone_events            # phones
        phone_styles = ("qna/phone.css",)
        console_styles = ("qna/console.css",)

        def participant_context(self, item, participant):
            return {**qna.phone_context(item, participant)}     # and facilitator/screen/results
        def urls(self):
            return qna.urls_for(self)                           # workshops:<kind>:qna_ask ...
        def exports(self):
            return [qna.export_for(self)]                       # questions.csv

and its templates include qna/phone.html, qna/console.html, qna/screen.html and qna/results.html
when `qna_on` is true in their context.

Live events carry ids only. Phones hear `qna.changed` (a question shown, hidden, answered or
pinned: their screen reloads) and `qna.votes` (sent at most once every few seconds per item,
whatever the number of votes: the phone reloads only its list, a few seconds later and spread
out), so 300 people voting do not make 300 phones reload 300 times.
"""

from intersector.workshops.qna.setup import (  # noqa: F401
    MODERATION_MODES,
    board_events,
    config_defaults,
    is_on,
    phone_events,
)


def phone_context(item, participant):
    from intersector.workshops.qna import screens

    return screens.phone_context(item, participant)


def mine_context(item, participant):
    """A person's own part of a shared phone screen: their list of questions (qna_list)."""
    from intersector.workshops.qna import screens

    return screens.mine_context(item, participant)


def console_context(item):
    from intersector.workshops.qna import screens

    return screens.console_context(item)


def screen_context(item):
    from intersector.workshops.qna import screens

    return screens.screen_context(item)


def results_context(item):
    from intersector.workshops.qna import screens

    return screens.results_context(item)


def urls_for(activity):
    from intersector.workshops.qna import views

    return views.urls_for(activity)


def export_for(activity, label=None, filename=None):
    from intersector.workshops.qna import exports

    return exports.export_for(activity, label, filename)
