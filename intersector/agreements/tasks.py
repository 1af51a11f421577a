"""Background work for Agree: the review's proposals run as a job with progress."""

from django.utils.translation import gettext as _

from intersector.agreements import review as method
from intersector.agreements import services
from intersector.agreements.models import Review
from intersector.jobs.services import JobFailed, job_task


@job_task(on_retry=services.review_follows_new_job)
def propose_ratings(progress, *, review_id):
    review = Review.objects.filter(pk=review_id).select_related("scorecard").first()
    if review is None:
        raise JobFailed(_("The review was deleted before it could run."))
    card = review.scorecard.card_in("")  # matched in the scorecard's own words, whoever started the job
    clauses = list(review.clauses.all())
    progress.update(total=len(card.elements), done=0,
                    message=_("Reading %(n)s clauses") % {"n": len(clauses)}, force=True)
    try:
        proposals, info = method.propose(
            card, clauses, progress=lambda done: progress.update(
                done=done, message=_("Checked %(n)s elements") % {"n": done}))
    except Exception:
        Review.objects.filter(pk=review.pk).update(status=Review.Status.FAILED)
        raise
    services.store_proposals(review, proposals, method=f"{info.kind}: {info.name}")
    return {"summary": _("Proposals are ready for %(n)s elements. Confirm or change each one.")
            % {"n": len(proposals)}, "url": review.get_absolute_url(),
            "link_text": _("Go to the review")}
