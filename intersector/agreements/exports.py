"""Documents: the agreement as PDF (WeasyPrint) and Word (python-docx); the scorecard as PDF."""

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from intersector.agreements import queries
from intersector.agreements import scorecard as sc

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def filename(agreement):
    return slugify(agreement.name)[:60] or "agreement"


def document_sections(agreement):
    """The agreement's text by family, in scorecard order; empty elements are left out."""
    texts = queries.texts_of(agreement)
    sections = []
    for family in agreement.scorecard.card.families:
        items = [(e, texts[e.key]) for e in family.elements if texts.get(e.key, "").strip()]
        if items:
            sections.append((family, items))
    return sections


def signature_line(partner):
    """How and when a partner signed on the platform, for the documents' signature table."""
    if not partner.has_signed:
        return ""
    line = _("Signed on the platform, %(date)s") % {
        "date": date_format(timezone.localtime(partner.signed_at), "DATETIME_FORMAT")}
    record = partner.signoff
    if record is not None:
        line += ". " + _("Identified by: %(how)s") % {"how": record.get_how_display()}
        if record.user is not None:
            line += " (" + _("account “%(account)s”") % {"account": record.user.get_username()} + ")"
    return line


def _pdf(html):
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf()


def agreement_pdf(agreement):
    html = render_to_string("agreements/document.html", {
        "agreement": agreement, "partners": queries.with_signoffs(agreement, list(agreement.partners.all())),
        "sections": document_sections(agreement), "today": timezone.localdate()})
    return _pdf(html)


def scorecard_pdf(agreement, viewer):
    rows, partners = queries.comparison(agreement, viewer)
    result, _ratings = queries.score_for(agreement, viewer)
    return _pdf(render_to_string("agreements/scorecard_document.html", {
        "agreement": agreement, "rows": rows, "partners": partners, "viewer": viewer,
        "result": result, "chart": sc.bars_svg(result), "today": timezone.localdate()}))


def agreement_docx(agreement):
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(agreement.name, level=0)
    document.add_paragraph(agreement.get_form_display())
    document.add_heading(_("Purpose"), level=1)
    document.add_paragraph(agreement.purpose)
    document.add_heading(_("Partners"), level=1)
    partners = queries.with_signoffs(agreement, list(agreement.partners.all()))
    for partner in partners:
        line = f"{partner.name} ({partner.get_sector_display()}) – {_('Representative')}: {partner.representative}"
        if partner.alternate:
            line += f"; {_('Alternate')}: {partner.alternate}"
        document.add_paragraph(line, style="List Bullet")
    number = 0
    for family, items in document_sections(agreement):
        number += 1
        document.add_heading(f"{number}. {family.title}", level=1)
        for index, (element, text) in enumerate(items, start=1):
            document.add_heading(f"{number}.{index} {element.title}", level=2)
            for paragraph in text.split("\n"):
                if paragraph.strip():
                    document.add_paragraph(paragraph.strip())
    document.add_heading(_("Signatures"), level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, [_("Partner"), _("Name and role"), _("Signature and date")]):
        cell.text = title
    for partner in partners:
        cells = table.add_row().cells
        cells[0].text = partner.name
        cells[1].text = partner.signed_by if partner.has_signed else partner.representative
        cells[2].text = signature_line(partner)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
