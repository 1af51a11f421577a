"""Questions that phones ask during an agenda item, and the votes on them."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_QUESTION_LENGTH = 300


class Question(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the facilitator")
        SHOWN = "shown", _("shown")
        HIDDEN = "hidden", _("hidden")

    item = models.ForeignKey("workshops.AgendaItem", on_delete=models.CASCADE, related_name="questions")
    # Kept for anonymous questions too, but never shown to anyone else: it lets the asker see
    # their own questions and lets the site count how fast each phone asks.
    participant = models.ForeignKey("workshops.Participant", on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=MAX_QUESTION_LENGTH)
    anonymous = models.BooleanField(_("asked anonymously"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    pinned = models.BooleanField(_("on the projector"), default=False)
    # How many people vote for it: kept equal to its QuestionVote rows in the same transaction.
    votes = models.PositiveIntegerField(_("votes"), default=0)
    # The form's one-time key: a double tap or a retried request asks only once.
    key = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-votes", "-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["item"], condition=Q(pinned=True), name="qna_one_pinned_question_per_item"),
            models.UniqueConstraint(fields=["participant", "key"], name="qna_question_asked_once"),
        ]
        indexes = [models.Index(fields=["item", "status", "-votes"], name="qna_question_board")]

    def __str__(self):
        return self.text

    @property
    def answered(self):
        return self.answered_at is not None

    def asker(self):
        """The name others may see: none for an anonymous question."""
        return None if self.anonymous else self.participant.display_name


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="vote_rows")
    participant = models.ForeignKey("workshops.Participant", on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "participant"], name="qna_one_vote_per_person")]
