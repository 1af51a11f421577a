"""A network survey's results: worked out once from its answers and stored (NetworkFigures), then
read by its page, the progress report, the API and the files.

Working out 480 partners' 13,000 ties (networkx's measures, the ratings each partner received,
the ties the map draws, each sector's ties) took about half a second at every visit; reading the
stored figures takes a few milliseconds. They are worked out when the wave closes, and again at
the next reading once anything they came from has changed: the wave's answers (its
answers_version, one more at every answer saved, replaced or imported), its partners (one joins,
leaves, is renamed or changes sector), or the recipe (FORMAT, and how many ties a map draws and
partners a table names). The map's places and the language are read at each visit.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import networkx as nx
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from intersector.collaboratives import network, network_map
from intersector.collaboratives.models_network import NetworkAnswer, NetworkFigures, NetworkWave
from intersector.collaboratives.network import (FEWEST, _figure, _mean, by_sector, drawn_ties, graph_of, measure,
                                                names_of_rows, ties_of, wave_partner_rows)
from intersector.collaboratives.network_map import HEIGHT, SHAPE_NAMES, WIDTH, look, sector_label, shape_svg

FORMAT = 1  # one more whenever what is stored, or how it is worked out, changes: older rows are worked out again


# --- Working the figures out, and storing them -----------------------------------------------


def _text(number):
    return None if number is None else str(number)


def _recipe():
    return {"format": FORMAT, "most_ties": network.MAP_MOST_TIES, "most_names": network.TABLE_MOST_NAMES}


def work_out(wave, rows):
    """(data, neighbours): a wave's figures from its answers, as JSON. `rows` are its partners
    (wave_partner_rows); the data holds for each, in their order, its degree, the partners it
    named and that named it, the mean trust and value it received with how many ratings each
    (shown from FEWEST up, when read) and the first partners it works with (A to Z), then the
    network's measures, each sector's ties, the ties the map draws, and the map's places if the
    wave has none for these partners (an open wave, or a partner added since it closed).
    `neighbours`: every partner each works with, A to Z."""
    ties = ties_of(wave)
    pks = [pk for pk, _name, _sector in rows]
    graph = graph_of(pks, ties)
    figures = measure(graph)
    named, named_by, received = {}, {}, {}
    for source, target, trust, value in ties:
        named[source] = named.get(source, 0) + 1
        named_by[target] = named_by.get(target, 0) + 1
        received.setdefault(target, []).append((trust, value))
    order = {pk: (name.casefold(), name, sector, pk) for pk, name, sector in rows}
    neighbours = [sorted(graph.neighbors(pk), key=order.__getitem__) for pk in pks]
    nodes = []
    for pk, others in zip(pks, neighbours):
        trusts = [t for t, _v in received.get(pk, []) if t is not None]
        values = [v for _t, v in received.get(pk, []) if v is not None]
        nodes.append([figures.degrees[pk], named.get(pk, 0), named_by.get(pk, 0), _text(_mean(trusts)), len(trusts),
                      _text(_mean(values)), len(values), others[:network.TABLE_MOST_NAMES]])
    sectors = by_sector(figures.degrees, graph.edges, {pk: sector for pk, _name, sector in rows})
    centralisation = figures.centralisation
    data = {**_recipe(), "partners": [list(row) for row in rows],
            "answered": NetworkAnswer.objects.filter(wave=wave).count(), "ties": figures.ties,
            "density": figures.density,
            "centralisation": None if centralisation is None else [centralisation.numerator,
                                                                   centralisation.denominator],
            "trust": _text(_mean(t for _s, _t, t, _v in ties)), "value": _text(_mean(v for _s, _t, _t2, v in ties)),
            "nodes": nodes, "drawn": [list(pair) for pair in drawn_ties(graph, ties)],
            "sectors": [[key, e["partners"], e["within"], e["across"], e["degree"].numerator, e["degree"].denominator]
                        for key, e in sectors.items()],
            "layout": None if _fits(wave.layout, pks) else
            {str(pk): list(xy) for pk, xy in network.layout(graph).items()}}
    return data, neighbours


def _fits(places, pks):
    return bool(places) and set(places) == {str(pk) for pk in pks}


def figures(wave, rows, neighbours=False):
    """The wave's stored figures (work_out's data) if they are still those of its answers, its
    partners `rows` and the recipe; else worked out now and stored for the next reading. With
    `neighbours`: (data, neighbours)."""
    # The wave's version is read here, before its ties: an answer saved meanwhile leaves these
    # figures marked with the older version, so the next reading works them out again.
    version = NetworkWave.objects.filter(pk=wave.pk).values_list("answers_version", flat=True).first()
    stored = NetworkFigures.objects.filter(wave_id=wave.pk, answers_version=version)
    stored = (stored if neighbours else stored.defer("neighbours")).first()
    if (stored is not None and all(stored.data.get(key) == value for key, value in _recipe().items())
            and stored.data["partners"] == [list(row) for row in rows]):
        return (stored.data, stored.neighbours) if neighbours else stored.data
    data, every = work_out(wave, rows)
    try:
        with transaction.atomic():
            NetworkFigures.objects.update_or_create(wave_id=wave.pk, defaults={
                "answers_version": version, "data": data, "neighbours": every, "worked_out": timezone.now()})
    except IntegrityError:  # another visit stored them at the same moment
        pass
    return (data, every) if neighbours else data


def degrees(data):
    """{partner pk: degree} from stored figures."""
    return {row[0]: node[0] for row, node in zip(data["partners"], data["nodes"])}


# --- What the page, the report and the API show ----------------------------------------------


@dataclass
class Node:
    number: int
    pk: int  # the partner's
    name: str
    sector: str
    degree: int
    x: float = 0
    y: float = 0
    r: float = 0
    shown: list = field(default_factory=list)  # the pks of the first partners it works with, A to Z
    tied_to: list = None  # the names of all of them (results(..., every_tie=True)), else None
    named: int = 0  # partners it named
    named_by: int = 0  # partners that named it
    trust: object = None  # mean trust others place in it (Decimal), shown from FEWEST ratings
    value: object = None
    ratings: int = 0
    change: object = None  # degree change since the previous wave, or None

    @property
    def sector_label(self):
        return sector_label(self.sector)

    @property
    def change_text(self):
        return "0" if not self.change else f"{self.change:+d}"


LATEST = object()  # results(previous=...): the latest closed wave before this one


def _places(wave, data, neighbours):
    """{pk: (x, y)}: the places laid out when the wave closed; else those laid out with the
    figures; else (the wave's places were changed since) laid out now."""
    pks = [row[0] for row in data["partners"]]
    for places in (wave.layout, data.get("layout")):
        if places and _fits(places, pks):
            return {int(pk): tuple(xy) for pk, xy in places.items()}
    if neighbours is None:
        _data, neighbours = figures(wave, data["partners"], neighbours=True)
    graph = nx.Graph()
    graph.add_nodes_from(pks)
    graph.add_edges_from((a, b) for a, others in zip(pks, neighbours) for b in others)
    return network.layout(graph)


def _decimal(text, enough=True):
    return Decimal(text) if text is not None and enough else None


def results(wave, previous=LATEST, every_tie=False):
    """Everything a wave's results page shows (see network.py's docstring). Changes are measured
    since `previous` (a closed earlier wave, or None for none); a report for funders or the public
    passes the latest wave it may read, never a partner-only one. `every_tie`: each node's
    tied_to names every partner it works with (the API), not only the first the table shows."""
    rows = wave_partner_rows(wave)
    data, neighbours = figures(wave, rows, neighbours=True) if every_tie else (figures(wave, rows), None)
    label = names_of_rows(rows)
    places = _places(wave, data, neighbours)
    top = max((node[0] for node in data["nodes"]), default=0) or 1
    nodes = {}
    for number, ((pk, _name, sector), node) in enumerate(zip(rows, data["nodes"]), start=1):
        degree, named, named_by, trust, trusts, value, values, shown = node
        x, y = places.get(pk, (WIDTH / 2, HEIGHT / 2))
        # Each mean from FEWEST ratings up: fewer would let a partner's own rating be picked out.
        nodes[pk] = Node(number=number, pk=pk, name=label[pk], sector=sector, degree=degree, x=x, y=y,
                         r=round(7 + 13 * (degree / top) ** 0.5, 1), shown=shown, named=named, named_by=named_by,
                         trust=_decimal(trust, trusts >= FEWEST), value=_decimal(value, values >= FEWEST),
                         ratings=max(trusts, values))
    if every_tie:
        for node, others in zip(nodes.values(), neighbours):
            node.tied_to = [label[pk] for pk in others]
    centralisation = Fraction(*data["centralisation"]) if data["centralisation"] else None
    summary = {"partners": len(rows), "answered": data["answered"], "ties": data["ties"],
               "density": data["density"], "centralisation": centralisation,
               "trust": _decimal(data["trust"]), "value": _decimal(data["value"])}
    if previous is LATEST:
        previous = (NetworkWave.objects.filter(collaborative=wave.collaborative, number__lt=wave.number,
                                               closed__isnull=False).order_by("-number").first())
    changes = _changes(summary, nodes, previous) if previous is not None else {}
    shown = {"density": _figure(summary["density"]), "centralisation": _figure(summary["centralisation"]),
             "density_percent": round(summary["density"] * 100), "trust": summary["trust"], "value": summary["value"]}
    shown_changes = {key: _figure(change, signed=True) for key, change in changes.items() if key != "ties"}
    if "ties" in changes:
        shown_changes["ties"] = f"{changes['ties']:+d}"
    edges = [(nodes[a], nodes[b]) for a, b in data["drawn"]]
    sector_rows = []
    for key, partners, within, across, numerator, denominator in data["sectors"]:
        colour, shape = look(key)
        degree = Fraction(numerator, denominator)
        entry = {"partners": partners, "within": within, "across": across, "degree": degree,
                 "degree_shown": _figure(degree)}
        sector_rows.append((key, sector_label(key), shape_svg(shape, colour, 12, 12, 8), entry, SHAPE_NAMES[shape]))
    label_names = len(nodes) <= 15
    return {"nodes": list(nodes.values()), "edges": edges, "summary": summary, "shown": shown,
            "changes": shown_changes, "previous": previous, "sectors": sector_rows, "width": WIDTH, "height": HEIGHT,
            "label_names": label_names, "ties_drawn": len(edges), "names": label,
            **network_map.draw(nodes.values(), edges, label_names)}


def _changes(summary, nodes, previous):
    """The change of each figure, and of each partner's ties, since the `previous` wave."""
    before = figures(previous, wave_partner_rows(previous))
    before_centralisation = Fraction(*before["centralisation"]) if before["centralisation"] else None
    changes = {"density": summary["density"] - before["density"], "ties": summary["ties"] - before["ties"],
               "centralisation": (summary["centralisation"] - before_centralisation
                                  if summary["centralisation"] is not None and before_centralisation is not None
                                  else None)}
    for key in ("trust", "value"):
        old = _decimal(before[key])
        changes[key] = summary[key] - old if summary[key] is not None and old is not None else None
    before_degrees = degrees(before)
    for pk, node in nodes.items():
        if pk in before_degrees:
            node.change = node.degree - before_degrees[pk]
    return changes


def map_description(found, listed=True):
    """The map in words, for screen readers (the SVG's desc) and the Word report: partners, ties,
    density and each sector's count; `listed`: a table of the partners follows the map."""
    summary = found["summary"]
    parts = [ngettext("%(n)s partner and %(ties)s ties; density %(density)s.",
                      "%(n)s partners and %(ties)s ties between them; density %(density)s.", summary["partners"])
             % {"n": summary["partners"], "ties": summary["ties"], "density": found["shown"]["density"]}]
    for _key, label, _look, entry, _shape in found["sectors"]:
        parts.append(ngettext("%(sector)s: %(n)s partner.", "%(sector)s: %(n)s partners.", entry["partners"])
                     % {"sector": label, "n": entry["partners"]})
    if listed:
        parts.append(_("The table after the map lists every partner and its ties."))
    return " ".join(parts)
