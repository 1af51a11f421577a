"""The progress report's sections for commitments, results and shared indicators (models_results.py).

Partners' reports show them all; reports for funders and the public only those a convenor marked
"Show in reports for funders and the public" (their `visibility`, read by report.shown).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intersector.collaboratives import report_sections
from intersector.collaboratives import results as measures
from intersector.collaboratives.report_sections import _day, count_text
from intersector.collaboratives.reports import DETAILED, Cell, Items, Paragraph, Table, section


@section("commitments", gettext_lazy("Commitments"), after="decisions")
def commitments(report):
    rows = list(report.shown(report.collaborative.commitments.select_related("partner__organisation", "owner")))
    if not rows:
        return [Paragraph(_("No commitments yet."))] if report.for_partners else None
    today = timezone.localdate()
    done = sum(1 for c in rows if c.status == c.Status.DONE)
    late = [c for c in rows if c.is_overdue(today)]
    blocks = [Paragraph(ngettext("%(n)s commitment: %(done)s done, %(late)s overdue.",
                                 "%(n)s commitments: %(done)s done, %(late)s overdue.", len(rows)) % {
        "n": count_text(len(rows)), "done": count_text(done), "late": count_text(len(late))})]
    if report.form != DETAILED:
        if late:
            blocks.append(Items([_("%(what)s (due %(day)s)") % {"what": c.what, "day": _day(c.due)}
                                 for c in late[:6]]))
        return blocks
    listed, most = rows, report_sections.LISTED
    if len(rows) > most:  # the ones still to do first (soonest due), then the latest done
        waiting = [c for c in rows if c.status != c.Status.DONE]
        listed = (waiting + sorted((c for c in rows if c.status == c.Status.DONE),
                                   key=lambda c: c.due, reverse=True))[:most]
    table = []
    for c in listed:
        who = ", ".join(str(x) for x in report.shown([x for x in (c.partner, c.owner) if x]))
        status = c.get_status_display() + (" · " + _("overdue") if c.is_overdue(today) else "")
        table.append([c.what, who, _day(c.due), Cell(status, "result-blocked" if c.is_overdue(today) else ""),
                      f"{c.progress} %"])
    blocks.append(Table([_("What"), _("Who"), _("By when"), _("Status"), _("Progress")], table,
                        widths=(40, 22, 12, 16, 10)))
    if len(rows) > len(listed):
        blocks.append(Paragraph(ngettext(
            "The table lists %(shown)s commitments, those still to do first; %(n)s more is on the workspace's "
            "commitments page.",
            "The table lists %(shown)s commitments, those still to do first; %(n)s more are on the workspace's "
            "commitments page.", len(rows) - len(listed)) % {"shown": len(listed),
                                                           "n": count_text(len(rows) - len(listed))}))
    return blocks


@section("results", gettext_lazy("Results"), after="commitments")
def results(report):
    rows = _depths_among(report.shown(measures.tree(report.collaborative)))
    if not rows:
        return [Paragraph(_("No results yet."))] if report.for_partners else None
    if report.form != DETAILED:
        return [Items([f"{r.title}: {r.rolled} % ({r.get_status_display()})" for r in rows if r.depth == 1])]
    return [Table([_("Result"), _("Status"), _("Progress")],
                  [["– " * (r.depth - 1) + r.title, r.get_status_display(), f"{r.rolled} %"] for r in rows],
                  widths=(60, 20, 20))]


def _depths_among(rows):
    """Each shown result's depth counted among the shown ones only: a sub-result marked public
    under a partner-only result stands as a main result, not indented under nothing."""
    shown = {r.pk: r for r in rows}
    for r in rows:
        parent, depth = shown.get(r.parent_id), 1
        while parent is not None:
            depth += 1
            parent = shown.get(parent.parent_id)
        r.depth = depth
    return rows


@section("indicators", gettext_lazy("Shared indicators"), after="results")
def indicators(report):
    rows = report.shown(measures.indicator_rows(report.collaborative))
    if not rows:
        return None
    lines, table = [], []
    for i in rows:
        latest = f"{measures.figure(i.latest.value)} {i.unit} ({_day(i.latest.on)})" if i.latest else "–"
        share = _("%(n)s %% of the way to the target") % {"n": i.share} if i.share is not None else ""
        lines.append(f"{i.title}: {latest}" + (f", {share}" if share else ""))
        table.append([i.title, f"{i.baseline_shown} {i.unit}", f"{i.target_shown} {i.unit}", latest, share])
    if report.form != DETAILED:
        return [Items(lines)]
    return [Table([_("Indicator"), _("Baseline"), _("Target"), _("Latest figure"), _("Towards the target")], table,
                  widths=(34, 15, 15, 21, 15))]
