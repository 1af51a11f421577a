"""The progress report's sections (reports.py keeps the registry and the audience filter).

Each builder takes the report and returns blocks, or None when it has nothing to say to this
audience. Every item a section shows comes through `report.shown(...)`; a section about
partner-only things altogether is registered with partners_only=True. To add a section (for
commitments, results, indicators, the network map...), write a builder here or in your own
module with `@reports.section("key", _("Title"), after="decisions")` and import that module at
the bottom of this one.
"""

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intersector.collaboratives import health
from intersector.collaboratives.models import Decision, Member, WorksheetVersion
from intersector.collaboratives.reports import DETAILED, PUBLIC, Cell, Facts, Heading, Items, Paragraph, Table, section

UPDATE_DECISIONS = 6  # a short update names this many of the latest decisions
# A report is a summary, not a dump: a detailed report's long lists (partners, the network's
# partners, commitments, open proposals) name at most this many, then say how many more there are and
# where to read them. At 480 partners and 2,000 decisions the whole lists made a 700 KB PDF that
# took over a minute; the demonstration (48 partners, 12 decisions) stays complete.
LISTED = 50
# Decisions are the widest rows (what was decided, in words): the detailed report lists the 25
# most recent, after how many came to each outcome (50 rows took WeasyPrint over a second).
LISTED_DECISIONS = 25


def _day(value):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return date_format(value, "j M Y")


def count_text(n):
    """A count as the reader's language writes it: 1,952 (English), 1.952 (Spanish)."""
    return number_format(n, force_grouping=True)


# --- At a glance -----------------------------------------------------------------------------


@section("overview", gettext_lazy("At a glance"))
def overview(report):
    collaborative = report.shown([report.collaborative])[0]
    partners = report.shown(collaborative.partners.all())
    steps = list(report.shown(collaborative.steps.all()))
    decisions = report.shown(collaborative.decisions.filter(status=Decision.Status.CLOSED))
    blocks = []
    if collaborative.purpose:
        blocks.append(Paragraph(collaborative.purpose))
    facts = []
    if collaborative.issue:
        facts.append((_("Issue"), collaborative.issue))
    if collaborative.place:
        facts.append((_("Place"), collaborative.place))
    taking_part = partners.count()
    facts.append((_("Partners"), ngettext("%(n)s organisation", "%(n)s organisations", taking_part)
                  % {"n": count_text(taking_part)}))
    current = next((s for s in steps if s.status == s.Status.UNDER_WAY), None)
    done = sum(1 for s in steps if s.status == s.Status.DONE)
    facts.append((_("Steps"), _("%(done)s of %(total)s done") % {"done": done, "total": len(steps)}
                  + (("; " + _("now: %(step)s") % {"step": current.get_key_display()}) if current else "")))
    facts.append((_("Decisions made"), count_text(decisions.count())))
    blocks.append(Facts(facts))
    return blocks


# --- The five steps --------------------------------------------------------------------------


@section("steps", gettext_lazy("The five steps"))
def steps(report):
    rows = list(report.shown(report.collaborative.steps.select_related("owner")))
    if not report.detailed:
        return [Items([f"{s.get_key_display()}: {s.get_status_display()}" for s in rows])]
    head = [_("Step"), _("Status"), _("Dates")]
    leads = report.for_partners  # a step's lead is a person: shown through the filter below
    if leads:
        head.append(_("Led by"))
    table = []
    for step in rows:
        dates = " – ".join(d for d in (_day(step.starts), _day(step.ends)) if d)
        row = [step.get_key_display(), Cell(step.get_status_display(), f"status-{step.status}"), dates]
        if leads:
            row.append(", ".join(m.name for m in report.shown([step.owner] if step.owner else [])))
        table.append(row)
    return [Table(head, table)]


# --- Decisions -------------------------------------------------------------------------------


def _outcome(decision):
    text = decision.get_result_display()
    if decision.chosen_id and decision.chosen:
        text = f"{text}: {decision.chosen.label}"
    return text


@section("decisions", gettext_lazy("Decisions"))
def decisions(report):
    from intersector.collaboratives import decisions as log

    shown = report.shown(report.collaborative.decisions.all())
    # An open decision past its closing time closes as it is looked at, as on the decisions page.
    open_ = [log.close_if_due(d) for d in shown.filter(status=Decision.Status.OPEN).order_by("closes_at", "pk")]
    open_ = [d for d in open_ if d.status == Decision.Status.OPEN]
    closed = shown.filter(status=Decision.Status.CLOSED)
    made = closed.count()
    if not made and not open_:
        return [Paragraph(_("No decisions yet."))] if report.for_partners else None
    most = LISTED_DECISIONS if report.detailed else UPDATE_DECISIONS
    latest = list(closed.select_related("chosen").order_by("-closed_at", "-pk")[:most])
    if not report.detailed:
        blocks = []
        if latest:
            blocks.append(Items([_("%(title)s: %(outcome)s (%(day)s)") % {
                "title": d.title, "outcome": _outcome(d), "day": _day(d.closed_at)} for d in latest]))
        if made > UPDATE_DECISIONS:
            blocks.append(Paragraph(ngettext("And %(n)s earlier decision.", "And %(n)s earlier decisions.",
                                             made - UPDATE_DECISIONS) % {"n": count_text(made - UPDATE_DECISIONS)}))
        if open_:
            blocks.append(Paragraph(ngettext("%(n)s proposal is open for votes.", "%(n)s proposals are open for votes.",
                                             len(open_)) % {"n": count_text(len(open_))}))
        return blocks
    blocks = []
    if made:
        blocks.append(_outcomes(closed))
        rows = []
        for d in latest:
            took = d.tally.get("took_part")
            seats = d.tally.get("seats")
            rows.append([d.title, Cell(_outcome(d), f"result-{d.result}"), _day(d.closed_at),
                         _("%(n)s of %(seats)s") % {"n": took, "seats": seats} if seats else "",
                         d.statement, _day(d.review_on)])
        blocks.append(Table([_("Decision"), _("Outcome"), _("Closed"), _("Took part"), _("What was decided"),
                             _("Review")], rows, widths=(22, 14, 11, 9, 33, 11)))
        earlier = made - len(latest)
        if earlier:
            blocks.append(Paragraph(ngettext(
                "The table lists the %(shown)s most recent decisions; %(n)s earlier decision is in the workspace's "
                "list of decisions.",
                "The table lists the %(shown)s most recent decisions; %(n)s earlier decisions are in the workspace's "
                "list of decisions.", earlier) % {"shown": len(latest), "n": count_text(earlier)}))
    if open_:
        blocks.append(Heading(_("Open for votes")))
        blocks.append(Items([_("%(title)s (closes %(day)s)") % {"title": d.title, "day": _day(d.closes_at)}
                             for d in open_[:LISTED]]))
        if len(open_) > LISTED:
            blocks.append(Paragraph(ngettext("And %(n)s more proposal open for votes: see the workspace.",
                                             "And %(n)s more proposals open for votes: see the workspace.",
                                             len(open_) - LISTED) % {"n": count_text(len(open_) - LISTED)}))
    return blocks


def _outcomes(closed):
    """How many of the decisions made came to each outcome (one query, whatever their number)."""
    labels = dict(Decision.Result.choices)
    tally = dict(closed.order_by().values_list("result").annotate(n=Count("pk")))
    return Facts([(labels[key], count_text(tally[key])) for key in labels if tally.get(key)])


# --- The health check ------------------------------------------------------------------------


def _figure(fig):
    if fig.mean is None:
        return Cell(_("fewer than 3 answers") if fig.too_few else "–", "too-few")
    words = {health.STRENGTH: _("strength"), health.DISCUSS: _("discuss"), health.ATTENTION: _("needs attention")}
    text = f"{fig.mean} · {words[fig.band]}"
    if fig.change is not None:
        text += " " + _("(%(change)s since the last)") % {"change": fig.change_text}
    return Cell(text, f"band-{fig.band}")


def _health_row(row, sectors):
    return [row.label, _figure(row.overall), *[_figure(row.sectors[s]) for s in sectors],
            row.gap if row.gap is not None else "–"]


@section("health", gettext_lazy("Health check"))
def health_check(report):
    waves = list(report.shown(report.collaborative.health_waves.filter(closed__isnull=False)).order_by("-number"))
    if not waves:
        return [Paragraph(_("No health check has closed yet."))] if report.for_partners else None
    wave, previous = waves[0], (waves[1] if len(waves) > 1 else None)
    responses = health.responses_of(wave)
    if not responses:
        return [Paragraph(_("Nobody answered %(wave)s.") % {"wave": wave})]
    present = {sector for sector, _values in responses}
    sectors = [s for s in [*health.SECTOR_ORDER, health.CONVENORS] if s in present]
    rows = health.score(responses, sectors)
    if previous is not None:  # only against a wave this audience may read
        health.add_changes(rows, health.score(health.responses_of(previous), sectors))
    intro = ngettext("%(n)s person answered %(wave)s, closed on %(day)s.",
                     "%(n)s people answered %(wave)s, closed on %(day)s.", len(responses)) % {
        "n": count_text(len(responses)), "wave": wave, "day": _day(wave.closed)}
    blocks = [Paragraph(intro), Paragraph(_(
        "Each figure is the average answer from 1 (strongly disagree) to 5 (strongly agree): 4.0 or more is a "
        "strength, 3.0 to 3.9 is worth discussing, under 3.0 needs attention. A group with fewer than 3 answers "
        "shows no figure."))]
    if not report.detailed:
        blocks.append(Items([f"{category.label}: {_figure(category.overall).text}" for category, _f in rows]))
        return blocks
    head = [_("Area"), _("Everyone"), *[health.sector_label(s) for s in sectors], _("Gap between sectors")]
    blocks.append(Table(head, [_health_row(category, sectors) for category, _f in rows]))
    if report.audience == PUBLIC:
        return blocks  # the public reads the areas; partners and funders each statement too
    blocks.append(Heading(_("Each statement")))
    blocks.append(Table([_("Statement"), *head[1:]],
                        [_health_row(row, sectors) for _category, factor_rows in rows for row in factor_rows]))
    return blocks


# --- Partners --------------------------------------------------------------------------------


@section("partners", gettext_lazy("Partners"))
def partners(report):
    partners = list(report.shown(report.collaborative.partners.select_related("organisation", "group")))
    if not partners:
        return [Paragraph(_("No partners yet."))] if report.for_partners else None
    by_sector = {}
    for p in partners:
        by_sector[p.organisation.get_sector_display()] = by_sector.get(p.organisation.get_sector_display(), 0) + 1
    blocks = [Paragraph(ngettext("%(n)s organisation takes part: %(sectors)s.",
                                 "%(n)s organisations take part: %(sectors)s.", len(partners)) % {
        "n": count_text(len(partners)),
        "sectors": ", ".join(f"{s} {count_text(n)}" for s, n in sorted(by_sector.items()))})]
    if not report.detailed:
        return blocks
    if len(partners) > LISTED:
        return blocks + _partners_by_group(partners)
    people = {}
    if report.for_partners:
        reps = report.shown(Member.objects.filter(collaborative=report.collaborative,
                                                  role=Member.Role.REPRESENTATIVE))
        today = timezone.localdate()
        for m in reps:
            if m.active_on(today):
                people.setdefault(m.partner_id, []).append(m.name)
    head = [_("Organisation"), _("Sector"), _("Interest group")]
    if report.for_partners:
        head.append(_("Representative"))
    rows = []
    for p in partners:
        row = [p.organisation.name, p.organisation.get_sector_display(), p.group.name if p.group else ""]
        if report.for_partners:
            row.append(", ".join(people.get(p.pk, [])))
        rows.append(row)
    blocks.append(Table(head, rows))
    return blocks


def _partners_by_group(partners):
    """Too many organisations to list one by one: how many in each interest group, by sector."""
    groups = {}
    for p in partners:
        sectors = groups.setdefault(p.group.name if p.group else _("No interest group"), {})
        sector = p.organisation.get_sector_display()
        sectors[sector] = sectors.get(sector, 0) + 1
    rows = [[name, count_text(sum(sectors.values())),
             ", ".join(f"{s} {count_text(n)}" for s, n in sorted(sectors.items()))]
            for name, sectors in sorted(groups.items())]
    return [Paragraph(_("%(n)s organisations are more than a report can list one by one: here they are by "
                        "interest group. The workspace's partners page lists every one.") % {
                            "n": count_text(len(partners))}),
            Table([_("Interest group"), _("Organisations"), _("Sectors")], rows, widths=(40, 20, 40))]


# --- Worksheets (partners only) --------------------------------------------------------------


@section("worksheets", gettext_lazy("Worksheets"), forms=(DETAILED,), partners_only=True)
def worksheets(report):
    versions = report.shown(WorksheetVersion.objects.filter(worksheet__collaborative=report.collaborative)
                            .select_related("worksheet__tool", "worksheet__step", "author").order_by("-saved"))
    latest = {}
    for version in versions:
        latest.setdefault(version.worksheet_id, version)  # newest first: the first is the latest
    if not latest:
        return [Paragraph(_("No worksheet has been saved yet."))]
    rows = [[v.worksheet.tool.title, v.worksheet.step.get_key_display(), v.number, _day(v.saved),
             v.author.name if v.author else ""] for v in latest.values()]
    return [Table([_("Worksheet"), _("Step"), _("Versions"), _("Last saved"), _("By")], rows)]


# Sections kept in other modules register when imported here.
from intersector.collaboratives import report_sections_results  # noqa: E402,F401
from intersector.collaboratives import report_sections_network  # noqa: E402,F401
