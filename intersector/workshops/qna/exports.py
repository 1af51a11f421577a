"""The questions of a workshop as CSV (intersector.spreadsheets makes the cells safe)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intersector.workshops import texts
from intersector.workshops.activities.base import Export


def header():
    return [_("activity"), _("question"), _("asked by"), _("status"), _("votes"), _("answered"),
            _("on the projector"), _("asked at")]


def rows_for(kind):
    def rows(workshop):
        from intersector.workshops.qna.models import Question

        questions = (Question.objects.filter(item__workshop=workshop, item__kind=kind)
                     .select_related("item", "participant").order_by("item__order", "-votes", "created", "pk"))
        titles = {pk: item.title for pk, item in texts.shown_items(workshop).items()}  # the reader's language
        for q in questions.iterator(chunk_size=500):
            yield [titles.get(q.item_id, q.item.title), q.text, _("anonymous") if q.anonymous else q.participant.display_name,
                   q.get_status_display(), q.votes, _("yes") if q.answered else _("no"),
                   _("yes") if q.pinned else "", q.created.isoformat(timespec="seconds")]

    return rows


def export_for(activity, label=None, filename=None):
    """questions.csv of one kind; a kind names its own when a workshop may hold two kinds with questions."""
    return Export("questions.csv", label or gettext_lazy("Download the questions (CSV)"), header,
                  rows_for(activity.kind), filename=filename or "workshop-{code}-questions.csv")
