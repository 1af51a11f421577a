"""A network survey's files: the ties and the partners as CSV, the whole wave as GEXF for Gephi,
and the import of an edges CSV into an open wave (network.py keeps the survey itself)."""

import io
from decimal import ROUND_HALF_UP, Decimal

import networkx as nx
from django.db import transaction
from django.utils.translation import gettext as _

from intersector import inputs, spreadsheets
from intersector.collaboratives.models_network import NetworkWave
from intersector.collaboratives import network_results
from intersector.collaboratives.network import _replace, names, rows_of, ties_of, wave_partners
from intersector.refusals import Refused


MAX_IMPORT_ROWS = 5000  # as the resource import (intersector/library/services.py)
EDGE_COLUMNS = ["source", "target", "trust", "value"]
NODE_COLUMNS = ["id", "label", "sector", "interest_group", "degree"]


def edge_rows(wave):
    """The answered ties, one line each, by source then target name: what the import reads back."""
    partners = wave_partners(wave)
    label = names(partners)
    rows = [[label[a], label[b], trust if trust is not None else "", value if value is not None else ""]
            for a, b, trust, value in ties_of(wave)]
    return sorted(rows, key=lambda row: (row[0].casefold(), row[1].casefold(), row[0], row[1]))


def node_rows(wave):
    partners = wave_partners(wave)
    label = names(partners)
    degrees = network_results.degrees(network_results.figures(wave, rows_of(partners)))
    return [[label[p.pk], label[p.pk], p.organisation.sector, p.group.name if p.group else "", degrees[p.pk]]
            for p in partners]


def gexf(wave):
    """The wave as GEXF for Gephi: each partner a node (its name, sector, interest group), each
    answered tie a directed edge with its trust and value (networkx.write_gexf)."""
    partners = wave_partners(wave)
    label = names(partners)
    graph = nx.DiGraph()
    for p in partners:
        graph.add_node(label[p.pk], label=label[p.pk], sector=p.organisation.sector,
                       interest_group=p.group.name if p.group else "")
    for a, b, trust, value in ties_of(wave):
        scores = {key: float(score) for key, score in (("trust", trust), ("value", value)) if score is not None}
        graph.add_edge(label[a], label[b], **scores)
    out = io.BytesIO()
    nx.write_gexf(graph, out)
    return out.getvalue()


class ImportProblems(Refused):
    """Rows that could not be read: all of them listed, nothing saved."""

    def __init__(self, problems):
        super().__init__(_("Nothing was imported: %(n)s rows need fixing.") % {"n": len(problems)}
                         if len(problems) != 1 else _("Nothing was imported: 1 row needs fixing."), status=400)
        self.problems = problems


def _score(text, line, column, problems):
    if not text:
        return None
    try:
        number = Decimal(text.replace(",", "."))
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or not Decimal(1) <= number <= Decimal(4):
        problems.append(_("Line %(line)s: the %(column)s must be a number from 1 to 4, or empty (found “%(found)s”).")
                        % {"line": line, "column": column, "found": text[:40]})
        return None
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def import_ties(wave, convenor, data):
    """Read an edges CSV (source, target, trust, value: as the export writes it) into an open wave.

    Each partner named as a source gets exactly the ties in the file as its answer (any answer it
    gave before is replaced); the other partners' answers stay. Every bad row is listed and then
    nothing is saved. Returns (partners answered, ties)."""
    rows = spreadsheets.read_upload(data, required=("source", "target"), max_rows=MAX_IMPORT_ROWS)
    if not rows:
        raise Refused(_("This file has its column names but no rows."), status=400)
    partners = wave_partners(wave)
    by_name = {name.casefold(): pk for pk, name in names(partners).items()}
    by_pk = {p.pk: p for p in partners}
    problems, answers = [], {}
    for line, row in rows:
        cells = {column: row.get(column, "") for column in EDGE_COLUMNS}
        if any(inputs.problem(cell) for cell in cells.values()):
            problems.append(_("Line %(line)s has a character that cannot be saved (a control character).")
                            % {"line": line})
            continue
        ends = []
        for column in ("source", "target"):
            name = cells[column]
            if not name:
                problems.append(_("Line %(line)s: the %(column)s is empty.") % {"line": line, "column": column})
            elif name.casefold() not in by_name:
                problems.append(_("Line %(line)s: “%(name)s” is not one of this collaborative's partners. Write the "
                                  "name as the partners page shows it.") % {"line": line, "name": name[:80]})
            else:
                ends.append(by_name[name.casefold()])
        trust = _score(cells["trust"], line, "trust", problems)
        value = _score(cells["value"], line, "value", problems)
        if len(ends) != 2:
            continue
        source, target = ends
        if source == target:
            problems.append(_("Line %(line)s: a partner cannot be tied to itself.") % {"line": line})
        elif target in answers.setdefault(source, {}):
            problems.append(_("Line %(line)s: %(source)s and %(target)s are on an earlier line already.")
                            % {"line": line, "source": cells["source"], "target": cells["target"]})
        else:
            answers[source][target] = ({}, trust, value)
    if problems:
        raise ImportProblems(problems)
    with transaction.atomic():
        wave = NetworkWave.objects.select_for_update().get(pk=wave.pk)
        if wave.closed is not None:
            raise Refused(_("This network survey is closed: open a new one to import answers into."), status=409)
        for source, ties in answers.items():
            _replace(wave, by_pk[source], ties, member=convenor, imported=True)
    return len(answers), sum(len(ties) for ties in answers.values())
