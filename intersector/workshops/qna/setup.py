"""The item's set-up for questions (item.config) and the live events, importable anywhere
(no models here: a kind's activity module imports this while apps load)."""

from django.utils.translation import gettext_lazy as _

# Console and projector: a question asked, a moderation change, a vote (the console refreshes at
# most once a second however many arrive).
board_events = ("qna.asked", "qna.changed", "qna.voted")
# Phones: a moderation change (their screen reloads), vote counts (coalesced, their list reloads).
phone_events = ("qna.changed", "qna.votes")

MODERATION_MODES = (
    ("approve", _("Approve each question before everyone sees it")),
    ("open", _("Show questions at once (you can still hide one)")),
)


def config_defaults(on=False):
    return {"questions": bool(on), "moderation": "approve"}


def is_on(item):
    return bool(item.config.get("questions"))


def moderation(item):
    mode = item.config.get("moderation")
    return mode if mode in dict(MODERATION_MODES) else "approve"
