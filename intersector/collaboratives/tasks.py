"""Background work for Collaborate (run by the task worker, progress on the job page)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from intersector.collaboratives import commitments
from intersector.jobs.services import job_task


@job_task
def email_overdue_commitments(progress):
    """Daily (settings.DAILY_JOBS): each overdue commitment's owner and convenors, e-mailed once."""
    progress.update(message=_("Looking for overdue commitments"))
    sent, failed = commitments.notify_overdue(progress=progress)
    summary = ngettext("%(n)s overdue commitment e-mailed.", "%(n)s overdue commitments e-mailed.", sent) % {"n": sent}
    if failed:
        summary += " " + ngettext("%(n)s e-mail could not be sent; it is tried again tomorrow.",
                                  "%(n)s e-mails could not be sent; they are tried again tomorrow.", failed) % {
            "n": failed}
    return {"summary": summary}


@job_task
def send_digests(progress):
    """Daily (settings.DAILY_JOBS): every person whose daily or weekly digest is due gets what
    changed since their last one (activity.py); each digest is claimed before it is sent, so a
    second run that day sends nobody anything twice."""
    from intersector.collaboratives import activity

    sent, failed = activity.send_due_digests(progress=progress)
    summary = _("Digests sent: %(sent)s.") % {"sent": sent}
    if failed:
        summary += " " + _("%(n)s could not be sent; the next run tries again.") % {"n": failed}
    return {"summary": summary}
