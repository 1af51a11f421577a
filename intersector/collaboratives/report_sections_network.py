"""The progress report's "Partner network" section: the latest closed network survey's map (as
drawn when it closed, with its description in words) and its figures for the whole network.

Partners' reports always show it; funders' and the public's only when the convenor marked the
survey public (report.shown reads its `visibility`), and then its changes are measured only since
an earlier survey they may read too. Never a partner's ratings of another (the survey keeps them
private): only the network's averages, its density and centralisation, and each partner's number
of ties.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intersector.collaboratives import network_results, report_network_map, report_sections
from intersector.collaboratives.report_sections import _day, count_text
from intersector.collaboratives.reports import DETAILED, Figure, Heading, Items, Paragraph, Table, section


@section("network", gettext_lazy("Partner network"), after="health")
def partner_network(report):
    waves = list(report.shown(report.collaborative.network_waves.filter(closed__isnull=False)).order_by("-number"))
    if not waves:
        return [Paragraph(_("No network survey has closed yet."))] if report.for_partners else None
    wave, previous = waves[0], (waves[1] if len(waves) > 1 else None)
    found = network_results.results(wave, previous=previous)
    listed = report.form == DETAILED
    svg, description, table = _map(found, wave, listed)
    summary = found["summary"]
    blocks = [Paragraph(ngettext("%(n)s of %(total)s partner answered %(wave)s, closed on %(day)s.",
                                 "%(n)s of %(total)s partners answered %(wave)s, closed on %(day)s.",
                                 summary["partners"]) % {
        "n": summary["answered"], "total": summary["partners"], "wave": wave, "day": _day(wave.closed)}),
        Figure(svg, description),
        *([Paragraph(_("So many ties would hide each other: the map draws the %(drawn)s strongest of the %(all)s "
                       "(ties both partners named first, then the best rated).") % {
            "drawn": count_text(found["ties_drawn"]), "all": count_text(summary["ties"])})]
          if found["ties_drawn"] < summary["ties"] else []),
        Items([ngettext("%(sector)s (%(shape)s): %(n)s partner", "%(sector)s (%(shape)s): %(n)s partners",
                        entry["partners"]) % {"sector": label, "shape": shape, "n": entry["partners"]}
               for _key, label, _look, entry, shape in found["sectors"]]),
        Paragraph(_("Trust and value from 1 (not at all) to 4 (a great deal); centralisation from 0 (ties spread "
                    "evenly) to 1 (one partner holds every tie).")),
        _figures(found, previous)]
    if listed:
        blocks.append(Heading(_("The partners on the map")))
        if len(table) < len(found["nodes"]):
            blocks.append(Paragraph(_(
                "The %(shown)s partners with the most ties, numbered as on the map; the survey's page lists all "
                "%(n)s.") % {"shown": len(table), "n": count_text(len(found["nodes"]))}))
        blocks.append(Table([_("No."), _("Partner"), _("Sector"), _("Ties")],
                            [[node.number, node.name, node.sector_label, node.degree] for node in table],
                            widths=(10, 50, 25, 15)))
    return blocks


def _map(found, wave, listed):
    """(the map's SVG, the map in words, the partners the table lists). A large network (more
    partners than a report lists) is drawn as report_network_map draws it, and its table lists its
    best-connected partners only, their numbers written on the map; `listed`: a table follows."""
    most = report_sections.LISTED
    title = _("Network map of %(wave)s") % {"wave": wave}
    if len(found["nodes"]) <= most:
        description = network_results.map_description(found, listed=listed)
        return render_to_string("collaboratives/_network_svg.html", {
            **found, "map_title": title, "map_desc": description}), description, found["nodes"]
    table = sorted(found["nodes"], key=lambda node: (-node.degree, node.number))[:most] if listed else []
    description = network_results.map_description(found, listed=False)
    if table:
        description += " " + _("The table after the map lists the %(n)s partners with the most ties.") % {
            "n": len(table)}
    return report_network_map.compact_svg(found, title, description, numbered=table), description, table


def _figures(found, previous):
    """The network's headline figures, with their change since `previous` when there is one."""
    shown, changes, summary = found["shown"], found["changes"], found["summary"]
    rows = [
        (_("Ties between partners"), count_text(summary["ties"]), "ties"),
        (_("Density"), _("%(figure)s (%(p)s%% of all the ties there could be)") % {
            "figure": shown["density"], "p": shown["density_percent"]}, "density"),
        (_("Centralisation"), shown["centralisation"] or "–", "centralisation"),
        (_("Trust, on average"), shown["trust"] if shown["trust"] is not None else "–", "trust"),
        (_("Value, on average"), shown["value"] if shown["value"] is not None else "–", "value"),
    ]
    head = [_("Figure"), _("This survey")]
    if previous is not None:
        head.append(_("Change since %(wave)s") % {"wave": previous})
    table = [[label, value, *([changes.get(key) or "–"] if previous is not None else [])] for label, value, key in rows]
    return Table(head, table)
