"""Questions and answers: each action validates, saves in a transaction, then announces ids only
(intersector.workshops.services.announce publishes after the commit)."""

import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector import limits
from intersector.refusals import Refused
from intersector.workshops.models import AgendaItem
from intersector.workshops.qna.models import MAX_QUESTION_LENGTH, Question, QuestionVote
from intersector.workshops.qna.setup import MODERATION_MODES, is_on, moderation
from intersector.workshops.services import announce, announce_to_phones

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Questions one phone may ask a minute (a person asks a few; a script asks hundreds).
QUESTIONS = limits.Limit("convene-questions", "CONVENE_QUESTION_LIMIT", 60)


# Phones hear of moderation at most once in this many seconds per item: approving 30 questions
# one by one must not make 300 phones reload 30 times.
CHANGES_EVENT_SECONDS = 2


def votes_event_seconds():
    """Phones hear of votes at most once in this many seconds per item (their list reloads later
    than that, so it includes every vote of the spell: see screens.list_delays)."""
    return settings.CONVENE_VOTES_EVENT_SECONDS


def tell_phones_once_per_spell(item, event, seconds):
    """The first change of a quiet spell tells the phones; the phones reload their list only after
    the spell (screens.list_delays), so that one reload shows every change made during it."""
    if cache.add(f"qna-phones:{event}:{item.pk}", 1, timeout=seconds):
        announce_to_phones(item.workshop, event, item=item.pk)


# --- Set-up ------------------------------------------------------------------------------------


def configure(item, questions, mode):
    """Switch questions on or off for an item, and choose how they are moderated."""
    if mode not in dict(MODERATION_MODES):
        raise Refused(_("Choose how questions are moderated."))
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().select_related("workshop").get(pk=item.pk)
        item.config.update(questions=bool(questions), moderation=mode)
        item.save(update_fields=["config"])
        announce(item.workshop, "screen.changed", item=item.pk, phones=item.workshop.current_item_id == item.pk)
    return item


def require_on(item):
    """Phones may ask and vote only while the item runs with questions switched on."""
    workshop = item.workshop
    if not is_on(item) or workshop.status != workshop.Status.LIVE or workshop.current_item_id != item.pk:
        raise Refused(_("Questions are not open right now."), status=409)


# --- Phones ------------------------------------------------------------------------------------


def clean_text(text):
    text = " ".join(CONTROL_CHARACTERS.sub("", text or "").split())
    if not text:
        raise Refused(_("The question is empty. Write your question first."))
    if len(text) > MAX_QUESTION_LENGTH:
        raise Refused(_("Questions are short: at most %(max)s characters (this one has %(n)s).")
                      % {"max": MAX_QUESTION_LENGTH, "n": len(text)})
    return text


def clean_key(key):
    key = (key or "").strip()
    if not key:
        return secrets.token_urlsafe(16)  # no key sent: nothing to recognise a retry by
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", key):
        raise Refused(_("This form is out of date. Reload the page and ask again."))
    return key


def check_rate(participant):
    wait = QUESTIONS.hit(participant.workshop_id, participant.pk)
    if wait:
        raise Refused(_("You are asking very fast. Wait a moment, then ask again."), status=429, retry_after=wait)


def ask(item, participant, text, anonymous=False, key=None):
    """Save a question once (a retry with the same key returns the first). (question, created)."""
    require_on(item)
    key = clean_key(key)
    existing = Question.objects.filter(participant=participant, key=key).first()
    if existing is not None:
        return existing, False
    text = clean_text(text)
    check_rate(participant)
    status = Question.Status.SHOWN if moderation(item) == "open" else Question.Status.PENDING
    try:
        with transaction.atomic():
            question = Question.objects.create(item=item, participant=participant, text=text,
                                               anonymous=bool(anonymous), status=status, key=key)
            announce(item.workshop, "qna.asked", item=item.pk, question=question.pk)
            if status == Question.Status.SHOWN:
                tell_phones_once_per_spell(item, "qna.changed", CHANGES_EVENT_SECONDS)
    except IntegrityError:
        return Question.objects.get(participant=participant, key=key), False
    return question, True


def _question(item, question_id, **filters):
    question = None
    if str(question_id).isdigit():
        question = Question.objects.filter(pk=question_id, item=item, **filters).first()
    if question is None:
        raise Refused(_("That question is not in this activity."), status=404)
    return question


def vote(item, participant, question_id):
    """One vote per person and question: a second tap or a retry changes nothing."""
    require_on(item)
    question = _question(item, question_id, status=Question.Status.SHOWN)
    if question.participant_id == participant.pk:
        raise Refused(_("This is your own question: vote for other people's."), status=409)
    try:
        with transaction.atomic():
            QuestionVote.objects.create(question=question, participant=participant)
            Question.objects.filter(pk=question.pk).update(votes=F("votes") + 1)
            votes_event(item)
    except IntegrityError:
        return False  # already counted
    return True


def unvote(item, participant, question_id):
    require_on(item)
    question = _question(item, question_id)
    with transaction.atomic():
        deleted, _rows = QuestionVote.objects.filter(question=question, participant=participant).delete()
        if deleted:
            Question.objects.filter(pk=question.pk).update(votes=F("votes") - deleted)
            votes_event(item)
    return bool(deleted)


def votes_event(item):
    """The boards hear every vote (they refresh at most once a second). Phones hear at most one
    event per item every votes_event_seconds(): the first vote of a quiet spell sends it, and the
    phones reload their list only after that spell, so the votes during it are in the list."""
    announce(item.workshop, "qna.voted", item=item.pk)
    tell_phones_once_per_spell(item, "qna.votes", votes_event_seconds())


# --- Facilitator -------------------------------------------------------------------------------


def _changed(item, question_id=None):
    """The boards hear every change at once (the projector's pin); the phones once per spell."""
    announce(item.workshop, "qna.changed", item=item.pk, **({"question": question_id} if question_id else {}))
    tell_phones_once_per_spell(item, "qna.changed", CHANGES_EVENT_SECONDS)


def approve(item, question_ids):
    """Show the chosen questions (pending or hidden) to everyone. How many were shown."""
    ids = [int(pk) for pk in question_ids if str(pk).isdigit()]
    if not ids:
        raise Refused(_("Tick the questions to approve first."))
    with transaction.atomic():
        count = (Question.objects.filter(item=item, pk__in=ids)
                 .exclude(status=Question.Status.SHOWN).update(status=Question.Status.SHOWN))
        if count:
            _changed(item)
    return count


def approve_all(item):
    """Show every question still waiting (a flood of good questions)."""
    with transaction.atomic():
        count = Question.objects.filter(item=item, status=Question.Status.PENDING).update(status=Question.Status.SHOWN)
        if count:
            _changed(item)
    return count


def hide(item, question_id):
    question = _question(item, question_id)
    with transaction.atomic():
        Question.objects.filter(pk=question.pk).update(status=Question.Status.HIDDEN, pinned=False)
        _changed(item, question.pk)


def mark_answered(item, question_id, answered=True):
    question = _question(item, question_id)
    with transaction.atomic():
        Question.objects.filter(pk=question.pk).update(answered_at=timezone.now() if answered else None)
        _changed(item, question.pk)


def pin(item, question_id):
    """Put one question on the projector (only one per item: the last one pinned). Pinning a
    waiting question shows it too."""
    question = _question(item, question_id)
    with transaction.atomic():
        AgendaItem.objects.select_for_update().filter(pk=item.pk).first()  # one pin at a time
        Question.objects.filter(item=item, pinned=True).exclude(pk=question.pk).update(pinned=False)
        Question.objects.filter(pk=question.pk).update(pinned=True, status=Question.Status.SHOWN)
        _changed(item, question.pk)


def unpin(item, question_id):
    question = _question(item, question_id)
    with transaction.atomic():
        Question.objects.filter(pk=question.pk).update(pinned=False)
        _changed(item, question.pk)


# --- One person who joined twice (the facilitator merges them) ----------------------------------


def merge_participant(source, target):
    """`target` gets `source`'s questions and votes; still one vote per question, and none for
    one's own question (the counts follow)."""
    keys = Question.objects.filter(participant=target).values_list("key", flat=True)
    Question.objects.filter(participant=source, key__in=list(keys)).delete()
    Question.objects.filter(participant=source).update(participant=target)
    void = (QuestionVote.objects.filter(participant__in=[source, target], question__participant=target)
            | QuestionVote.objects.filter(participant=source,
                                          question__in=QuestionVote.objects.filter(participant=target).values("question")))
    for vote in void.distinct():
        Question.objects.filter(pk=vote.question_id).update(votes=F("votes") - 1)
        vote.delete()
    QuestionVote.objects.filter(participant=source).update(participant=target)


def participant_summary(participant):
    from django.utils.translation import ngettext

    asked = Question.objects.filter(participant=participant).count()
    return [ngettext("%(n)s question", "%(n)s questions", asked) % {"n": asked}] if asked else []
