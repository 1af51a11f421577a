"""What the phone, the console, the projector and the results show of an item's questions."""

import json
import secrets

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import ngettext

from intersector.workshops.qna.models import MAX_QUESTION_LENGTH, Question, QuestionVote
from intersector.workshops.qna.setup import MODERATION_MODES, is_on, moderation

SHOWN = Question.Status.SHOWN
PENDING = Question.Status.PENDING
HIDDEN = Question.Status.HIDDEN
# A phone lists this many questions (the most voted first): enough to find one, light to reload.
PHONE_LIST = 40
CONSOLE_LIST = 100
SCREEN_TOP = 5
# A phone reloads its list up to LIST_SPREAD_MS at random after list_delays() (so 300 phones
# do not ask in the same second).
LIST_SPREAD_MS = 3000


def list_delays():
    """For each phone event, how long a phone waits before reloading its list: longer than the
    spell one such event stands for (services.tell_phones_once_per_spell), so the reload includes
    every change of that spell."""
    from django.conf import settings

    from intersector.workshops.qna.services import CHANGES_EVENT_SECONDS

    return {"qna.changed": int(CHANGES_EVENT_SECONDS * 1000) + 300,
            "qna.votes": int(settings.CONVENE_VOTES_EVENT_SECONDS * 1000) + 300}


def _names(kind):
    return f"workshops:{kind}"


def phone_urls(item):
    code, ns = item.workshop.code, _names(item.kind)
    return {"ask": reverse(f"{ns}:qna_ask", args=[code]), "vote": reverse(f"{ns}:qna_vote", args=[code]),
            "list": reverse(f"{ns}:qna_list", args=[code])}


def console_urls(item):
    args, ns = [item.workshop_id, item.pk], _names(item.kind)
    return {name: reverse(f"{ns}:qna_{name}", args=args) for name in ("moderate", "approve", "settings")}


def list_context(item, participant):
    """The phone's list: shown questions by votes (newest first among equals), which ones this
    person voted for, and their own questions still waiting."""
    shown = list(Question.objects.filter(item=item, status=SHOWN).select_related("participant")[:PHONE_LIST])
    voted = set(QuestionVote.objects.filter(participant=participant, question__item=item)
                .values_list("question_id", flat=True))
    total = len(shown) if len(shown) < PHONE_LIST else Question.objects.filter(item=item, status=SHOWN).count()
    return {
        # (question, voted by this person, "n votes"): words made once here, not per row in the template.
        "qna_questions": [(q, q.pk in voted, ngettext("%(n)s vote", "%(n)s votes", q.votes) % {"n": q.votes})
                          for q in shown],
        "qna_more": total - len(shown),
        "qna_waiting": list(Question.objects.filter(item=item, participant=participant, status=PENDING)),
        "qna_participant_id": participant.pk,
        "qna_urls": phone_urls(item),
    }


def phone_context(item, participant):
    """The phone's questions; with participant None, the room's shared screen (workshops/screens.py):
    no form key (the phone adds its own) and no list, which is each person's own part."""
    if not is_on(item):
        return {"qna_on": False}
    context = {"qna_on": True, "qna_moderated": moderation(item) == "approve", "qna_max_length": MAX_QUESTION_LENGTH,
               "qna_list_delays": json.dumps(list_delays()), "qna_list_spread": LIST_SPREAD_MS}
    if participant is None:
        return {**context, "qna_form_key": "", "qna_urls": phone_urls(item)}
    return {**context, "qna_form_key": secrets.token_urlsafe(16), **list_context(item, participant)}


def mine_context(item, participant):
    return {"qna_on": True, **list_context(item, participant)} if is_on(item) else {"qna_on": False}


def counts(item):
    return Question.objects.filter(item=item).aggregate(
        total=Count("pk"), pending=Count("pk", filter=Q(status=PENDING)), shown=Count("pk", filter=Q(status=SHOWN)),
        hidden=Count("pk", filter=Q(status=HIDDEN)), answered=Count("pk", filter=Q(answered_at__isnull=False)))


def console_context(item):
    """The facilitator's queue: waiting questions (newest first), then shown ones by votes."""
    context = {"qna_on": is_on(item), "qna_mode": moderation(item), "qna_modes": MODERATION_MODES,
               "qna_urls": console_urls(item)}
    if not context["qna_on"]:
        return context
    questions = Question.objects.filter(item=item).select_related("participant")
    context.update(
        qna_counts=counts(item),
        qna_pending=list(questions.filter(status=PENDING).order_by("-created", "-pk")[:CONSOLE_LIST]),
        qna_shown=list(questions.filter(status=SHOWN)[:CONSOLE_LIST]),
        qna_hidden=list(questions.filter(status=HIDDEN).order_by("-created", "-pk")[:CONSOLE_LIST]),
    )
    return context


def screen_context(item):
    """The projector: the pinned question in large type, then the most voted."""
    if not is_on(item):
        return {"qna_on": False}
    shown = Question.objects.filter(item=item, status=SHOWN).select_related("participant")
    pinned = next((q for q in shown.filter(pinned=True)[:1]), None)
    top = list(shown.filter(pinned=False)[:SCREEN_TOP])
    return {"qna_on": True, "qna_pinned": pinned, "qna_top": top, "qna_shown_count": shown.count()}


def results_context(item):
    """Shown questions by votes with their answered marks; hidden and unread ones only counted."""
    if not Question.objects.filter(item=item).exists() and not is_on(item):
        return {"qna_on": False}
    return {"qna_on": True, "qna_counts": counts(item),
            "qna_questions": list(Question.objects.filter(item=item, status=SHOWN).select_related("participant"))}
