"""After the workshop: every note as CSV rows, and the PDF report (a background job)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from intersector.jobs.services import JobFailed, job_task, start_job

def note_rows(workshop):
    """The header, then one row per note. Written by intersector.spreadsheets, which makes a note
    starting with "=" text rather than a formula."""
    from intersector.workshops.activities.brainwriting.models import Note
    from intersector.workshops.activities.brainwriting.services import sector_label

    yield [_("activity"), _("round"), _("prompt"), _("sector written about"), _("writer's sector"),
           _("table"), _("theme"), _("note"), _("written at")]
    notes = (Note.objects.filter(item__workshop=workshop)
             .select_related("item", "participant", "table", "theme").order_by("item__order", "round", "pk"))
    for note in notes:
        prompts = note.item.config.get("prompts") or []
        yield [
            note.item.title, note.round,
            prompts[note.prompt] if note.prompt < len(prompts) else note.prompt,
            sector_label(note.about), sector_label(note.participant.sector),
            note.table.number if note.table else "", note.theme.label if note.theme else "",
            note.text, note.created.isoformat(timespec="seconds"),
        ]


@job_task
def make_report(progress, *, workshop_id):
    from weasyprint import HTML

    from intersector.workshops.models import Report, Workshop

    workshop = Workshop.objects.filter(pk=workshop_id).first()
    if workshop is None:
        raise JobFailed(_("This workshop no longer exists."))
    progress.update(total=2, done=0, message=_("Gathering the results"), force=True)
    sections = [{"item": item, "template": item.activity.template("results"),
                 "context": item.activity.results_context(item)} for item in workshop.items.all()]
    html = render_to_string("workshops/report_pdf.html", {"workshop": workshop, "sections": sections})
    progress.update(done=1, message=_("Making the PDF"))
    pdf = HTML(string=html).write_pdf()
    report = Report.objects.create(workshop=workshop, pdf=pdf)
    progress.update(done=2, message=_("Done"))
    return {"summary": _("The report is ready."),
            "url": f"{workshop.get_absolute_url()}report/{report.pk}.pdf",
            "link_text": _("Download the PDF report")}


def start_report(workshop, user):
    return start_job(make_report, label=_("PDF report for “%(title)s”") % {"title": workshop.title},
                     owner=user, kind="workshops.report", workshop_id=workshop.pk)
