"""Background work for Learn, run by the task worker with progress on the job page."""

from intersector.jobs.services import JobFailed, job_task
from intersector.library import services
from intersector.library.models import ResourceImport


@job_task(on_retry=services.import_follows_new_job)
def import_resources(progress, *, upload_id):
    upload = ResourceImport.objects.filter(pk=upload_id).first()
    if upload is None:
        raise JobFailed("The uploaded file is no longer there. Please upload it again.")
    try:
        return services.run_import(upload, progress)
    except services.ImportProblem as problem:
        raise JobFailed(str(problem)) from problem


@job_task
def build_toolkit_pdf(progress, *, language="en"):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from intersector.library import pdf

    progress.update(total=1, message=_("Making the PDF"))
    pdf.build(language)
    return {"summary": _("The toolkit PDF is ready."), "url": reverse("library:toolkit_pdf"),
            "link_text": _("Download the toolkit PDF")}


@job_task
def refresh_case_vectors(progress):
    """Store the vectors "cases like this one" compares, for every published case missing one."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from intersector.library import similar

    progress.update(message=_("Reading the cases"))
    stored = similar.store_missing_vectors(progress=progress)
    message = ngettext("%(n)s case is ready to compare.", "%(n)s cases are ready to compare.", stored) % {"n": stored}
    progress.update(message=message)
    return {"summary": message}


@job_task(on_retry=services.issue_follows_new_job)
def send_newsletter_issue(progress, *, issue_id):
    from intersector.library.models import NewsletterIssue

    issue = NewsletterIssue.objects.filter(pk=issue_id).first()
    if issue is None:
        raise JobFailed("This newsletter issue no longer exists.")
    return services.deliver_issue(issue, progress)
