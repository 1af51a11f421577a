"""Progress reports: one click builds a report from the collaborative's log, for one audience
(partners, funders or the public) in one form (a short update or a detailed report with figures),
shown as a page and written as PDF (WeasyPrint) and Word (python-docx) from the same blocks.

Two rules hold the reports together:

- **One audience filter.** `visible_to(audience, items)` is the only place that decides what a
  funder or the public may read: partners read everything; everyone else only items a convenor
  marked public (`visibility == "public"`); things with no such mark (people, worksheets, votes)
  are partner-only. Every section passes its items through `report.shown(...)`, and a section
  that is about partner-only things altogether says so (`partners_only=True`): the registry then
  never builds it for anyone else. tests/collaboratives/test_reports.py fails for a section that
  does neither.
- **A small registry of sections.** A section is a builder that returns a list of blocks
  (paragraphs, lists, tables, facts) or nothing; the page, the PDF and the Word file all draw the
  same blocks. Other parts of Collaborate add their sections with `@section(...)` (see
  report_sections.py), and they appear in every report in registry order.
"""

import io
import time
from dataclasses import dataclass, field
from typing import Callable

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intersector.collaboratives.models import Visibility
from intersector.refusals import Refused

PARTNERS, FUNDERS, PUBLIC = "partners", "funders", "public"
UPDATE, DETAILED = "update", "detailed"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

AUDIENCES = {
    PARTNERS: gettext_lazy("Partners"),
    FUNDERS: gettext_lazy("Funders"),
    PUBLIC: gettext_lazy("The public"),
}
FORMS = {
    UPDATE: gettext_lazy("Short update"),
    DETAILED: gettext_lazy("Detailed report with figures"),
}


# --- The one audience filter -----------------------------------------------------------------


def _public_by_nature():
    """The shape of a collaborative, which any report may show: its steps (name, status, dates)
    and which organisations take part (name, sector, interest group). Never people, never what
    partners wrote."""
    from intersector.collaboratives.models import Collaborative, InterestGroup, Partner, Step

    return (Collaborative, InterestGroup, Partner, Step)


def visible_to(audience, items):
    """What of `items` (a queryset or a list) this audience may read. Partners: all of it.
    Funders and the public: items marked public, and the collaborative's shape (_public_by_nature);
    anything else (people, worksheets, votes, a partner-only decision) is partner-only."""
    if audience == PARTNERS:
        return items
    if isinstance(items, QuerySet):
        if issubclass(items.model, _public_by_nature()):
            return items
        if any(f.name == "visibility" for f in items.model._meta.get_fields()):
            return items.filter(visibility=Visibility.PUBLIC)
        return items.none()
    public = _public_by_nature()
    return [item for item in items
            if isinstance(item, public) or getattr(item, "visibility", None) == Visibility.PUBLIC]


def set_visibility(item, visibility):
    """A convenor marks a decision or a health check partner-only or public (for reports)."""
    if visibility not in Visibility.values:
        raise Refused(_("Choose who may read it: partners only, or partners, funders and the public."), status=400)
    item.visibility = visibility
    item.save(update_fields=["visibility"])
    return item


# --- Blocks: what a section is made of ------------------------------------------------------


@dataclass
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass
class Items:
    items: list  # plain strings
    kind: str = "items"


@dataclass
class Facts:
    pairs: list  # [(label, value)]
    kind: str = "facts"


@dataclass
class Cell:
    text: str
    css: str = ""  # e.g. "band-strength": the page and the PDF colour it; Word writes the text
    label: str = ""  # its column's title (a phone shows each cell with it)


@dataclass
class Table:
    head: list
    rows: list  # rows of str or Cell
    caption: str = ""
    widths: tuple = ()  # each column's share of the width in %, where one needs more room
    kind: str = "table"

    def __post_init__(self):
        self.rows = [[Cell(c.text, c.css, str(title)) if isinstance(c, Cell) else Cell(str(c), "", str(title))
                      for c, title in zip(row, self.head)] for row in self.rows]


@dataclass
class Figure:
    """A drawing (safe SVG markup, with its own title and desc) and the same in words: the page
    and the PDF draw the SVG, the Word file writes the words."""
    svg: str
    description: str
    kind: str = "figure"


@dataclass
class Heading:
    text: str
    kind: str = "heading"


# --- The registry of sections ---------------------------------------------------------------


@dataclass
class Section:
    key: str
    title: object  # a lazy translation
    build: Callable  # build(report) -> [blocks] or None (nothing to say)
    forms: tuple = (UPDATE, DETAILED)
    partners_only: bool = False  # about partner-only things: never built for funders or the public


SECTIONS = []


def section(key, title, *, forms=(UPDATE, DETAILED), partners_only=False, after=None):
    """Register a report section's builder (decorator). `after`: the key it follows."""
    def register(build):
        entry = Section(key, title, build, tuple(forms), partners_only)
        for i, existing in enumerate(SECTIONS):
            if existing.key == key:
                SECTIONS[i] = entry
                return build
        keys = [s.key for s in SECTIONS]
        SECTIONS.insert(keys.index(after) + 1 if after in keys else len(SECTIONS), entry)
        return build
    return register


def sections_for(audience, form):
    _load_sections()
    return [s for s in SECTIONS if form in s.forms and (audience == PARTNERS or not s.partners_only)]


def _load_sections():
    from intersector.collaboratives import report_sections  # noqa: F401  (registers the sections)


# --- A report --------------------------------------------------------------------------------


@dataclass
class Report:
    collaborative: object
    audience: str
    form: str
    made_at: object = field(default_factory=timezone.now)
    parts: list = field(default_factory=list)  # [(Section, [blocks])]
    seconds: float = 0.0
    filter_calls: int = 0  # how often the sections asked the audience filter (tests read it)

    def shown(self, items):
        """The audience filter, as every section calls it."""
        self.filter_calls += 1
        return visible_to(self.audience, items)

    @property
    def for_partners(self):
        return self.audience == PARTNERS

    @property
    def detailed(self):
        return self.form == DETAILED

    @property
    def audience_label(self):
        return AUDIENCES[self.audience]

    @property
    def form_label(self):
        return FORMS[self.form]

    @property
    def title(self):
        return _("%(name)s: progress report") % {"name": self.collaborative.name}

    @property
    def filename(self):
        day = timezone.localdate(self.made_at).isoformat()
        return f"{slugify(self.collaborative.name)[:50] or 'collaborative'}-{self.audience}-{self.form}-{day}"


def check_choice(audience, form):
    if audience not in AUDIENCES:
        raise Refused(_("Choose a report for partners, funders or the public."), status=404)
    if form not in FORMS:
        raise Refused(_("Choose a short update or a detailed report."), status=404)


def build(collaborative, audience, form):
    """The report's sections, each built from the log through the audience filter."""
    check_choice(audience, form)
    started = time.perf_counter()
    report = Report(collaborative, audience, form)
    for entry in sections_for(audience, form):
        blocks = entry.build(report)
        if blocks:
            report.parts.append((entry, blocks))
    report.seconds = time.perf_counter() - started
    return report


# --- Writing it out --------------------------------------------------------------------------


def html_body(report):
    return render_to_string("collaboratives/reports/_body.html", {"report": report})


def pdf(report):
    from weasyprint import HTML

    html = render_to_string("collaboratives/reports/document.html", {"report": report})
    return HTML(string=html, base_url=None).write_pdf()


def docx(report):
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(report.title, level=0)
    document.add_paragraph(_meta_line(report))
    if report.collaborative.demonstration:
        document.add_paragraph(_("This is a demonstration collaborative: its organisations and people are invented."))
    for entry, blocks in report.parts:
        document.add_heading(str(entry.title), level=1)
        for block in blocks:
            _docx_block(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_block(document, block):
    if block.kind == "paragraph":
        document.add_paragraph(block.text)
    elif block.kind == "heading":
        document.add_heading(block.text, level=2)
    elif block.kind == "figure":
        document.add_paragraph(block.description)
    elif block.kind == "items":
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif block.kind == "facts":
        for label, value in block.pairs:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(str(value))
    elif block.kind == "table":
        if block.caption:
            document.add_paragraph(block.caption)
        table = document.add_table(rows=1, cols=len(block.head))
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells, block.head):
            cell.text = str(title)
        for row in block.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row):
                cell.text = value.text


def _meta_line(report):
    return _("For: %(audience)s · %(form)s · made on %(day)s") % {
        "audience": report.audience_label, "form": report.form_label,
        "day": date_format(timezone.localtime(report.made_at), "DATE_FORMAT")}
