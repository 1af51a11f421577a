"""After the workshop: each agenda item's results (its kind writes them) and the PDF report, a
background job. The kinds' CSV downloads are their exports (Activity.exports)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from intersector.jobs.services import JobFailed, job_task, start_job
from intersector.workshops import texts


def result_sections(workshop, language=None):
    """Each agenda item with the part of the results its kind writes (page and PDF alike), its
    title, prompts and texts in `language` (default: the reader's; texts.py falls back to the
    other language where one is not given)."""
    return [{"item": item, "html": item.activity.results_html(item)}
            for item in texts.shown_items(workshop, language).values()]


@job_task
def make_report(progress, *, workshop_id, language=None):
    from weasyprint import HTML

    from intersector.workshops.models import Report, Workshop

    workshop = Workshop.objects.filter(pk=workshop_id).first()
    if workshop is None:
        raise JobFailed(_("This workshop no longer exists."))
    progress.update(total=2, done=0, message=_("Gathering the results"), force=True)
    # In the language of whoever asked for it (a job from before languages: the workshop's own).
    language = texts.known_or_site(language or workshop.language)
    with translation.override(language):
        html = render_to_string("workshops/report_pdf.html", {
            "workshop": texts.shown_in(workshop, language), "sections": result_sections(workshop, language),
            "LANGUAGE_CODE": language})
    progress.update(done=1, message=_("Making the PDF"))
    pdf = HTML(string=html).write_pdf()
    report = Report.objects.create(workshop=workshop, pdf=pdf, language=language)
    progress.update(done=2, message=_("Done"))
    return {"summary": _("The report is ready."),
            "url": reverse("workshops:report_pdf", args=[workshop.pk, report.pk]),
            "link_text": _("Download the PDF report")}


def start_report(workshop, user):
    return start_job(make_report, label=_("PDF report for “%(title)s”") % {"title": workshop.title},
                     owner=user, kind="workshops.report", workshop_id=workshop.pk, language=texts.current())
