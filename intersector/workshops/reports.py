"""After the workshop: each agenda item's results (its kind writes them) and the PDF report, a
background job. The kinds' CSV downloads are their exports (Activity.exports)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from intersector.jobs.services import JobFailed, job_task, start_job


def result_sections(workshop):
    """Each agenda item with the part of the results its kind writes (page and PDF alike)."""
    sections = []
    for item in workshop.items.all():
        item.workshop = workshop
        sections.append({"item": item, "html": item.activity.results_html(item)})
    return sections


@job_task
def make_report(progress, *, workshop_id):
    from weasyprint import HTML

    from intersector.workshops.models import Report, Workshop

    workshop = Workshop.objects.filter(pk=workshop_id).first()
    if workshop is None:
        raise JobFailed(_("This workshop no longer exists."))
    progress.update(total=2, done=0, message=_("Gathering the results"), force=True)
    html = render_to_string("workshops/report_pdf.html", {"workshop": workshop, "sections": result_sections(workshop)})
    progress.update(done=1, message=_("Making the PDF"))
    pdf = HTML(string=html).write_pdf()
    report = Report.objects.create(workshop=workshop, pdf=pdf)
    progress.update(done=2, message=_("Done"))
    return {"summary": _("The report is ready."),
            "url": reverse("workshops:report_pdf", args=[workshop.pk, report.pk]),
            "link_text": _("Download the PDF report")}


def start_report(workshop, user):
    return start_job(make_report, label=_("PDF report for “%(title)s”") % {"title": workshop.title},
                     owner=user, kind="workshops.report", workshop_id=workshop.pk)
