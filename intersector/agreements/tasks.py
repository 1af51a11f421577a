"""Background work for Agree: a review's scanned pages are read (OCR) and its proposals made,
each as a job with progress."""

from django.utils.translation import gettext as _

from intersector.agreements import review as method
from intersector.agreements import services
from intersector.agreements.models import Review, ReviewScan
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


@job_task(on_retry=services.review_follows_new_job)
def read_scanned_pages(progress, *, review_id):
    """Tesseract (English and Spanish) on the pages of an uploaded PDF that have no usable text
    layer, a page at a time with progress; then the review's clauses and its proposals job."""
    from intersector.agreements import extract

    review = Review.objects.filter(pk=review_id).first()
    if review is None:
        raise JobFailed(_("The review was deleted before it could run."))
    scan = ReviewScan.objects.filter(review=review).first()
    if scan is None:
        raise JobFailed(_("The scanned file of this review is no longer kept. Upload the document again."))
    data = bytes(scan.pdf)
    reading = extract.read_pdf_pages(data)
    reading.scanned = [n for n in scan.pages if n < len(reading.pages)]
    total = len(reading.scanned)
    progress.update(total=total, done=0, force=True,
                    message=_("Reading %(n)s scanned pages with text recognition") % {"n": total})
    reading.pages = extract.ocr_pages(data, reading, progress=lambda done, total: progress.update(
        done=done, message=_("Read %(done)s of %(total)s scanned pages") % {"done": done, "total": total}))
    try:
        services.store_scanned_text(review, reading)
    except extract.DocumentError as refusal:
        raise JobFailed(refusal.message) from None
    return {"summary": _("The scanned pages were read. The proposals are being prepared."),
            "url": review.get_absolute_url(), "link_text": _("Go to the review")}
