"""The partner network survey: its questions, the measures and the map (networkx), its actions,
and its exports and import (CSV for spreadsheets and Kumu, GEXF for Gephi).

Each partner answers once per wave, for its organisation: which of the other partners it works
with, and for each of them three questions on trust and three on value, each from 1 (not at all)
to 4 (a great deal). Trust of a tie is the mean of its trust answers, value the mean of its value
answers (two decimals). A tie between two partners counts once, whoever named it (an undirected
graph); the ratings stay with whoever gave them (a directed one, in the exports).

Results are shown once the convenor closes a wave, as with the health check: the measures, the
map, a table of partners and their ties, and the change since the previous closed wave. The
trust and value others place in one partner are shown only from 3 ratings up, so that nobody's
rating of a partner can be picked out; the ratings themselves are in the convenor's exports only.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import networkx as nx
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intersector.accounts.models import Sector
from intersector.collaboratives.models import Member, Partner
from intersector.collaboratives.models_network import NetworkAnswer, NetworkTie, NetworkWave
from intersector.refusals import Refused

FEWEST = 3  # ratings a partner needs before the trust and value others place in it are shown
SEED = 7  # the map's layout is the same at every visit (networkx spring_layout)
WIDTH, HEIGHT, MARGIN = 1000, 680, 48  # the map's viewBox

# --- The questions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    key: str
    measure: str  # "trust" or "value"
    text: object  # lazy: translated when shown


ITEMS = (
    Item("mission", "trust", gettext_lazy("How far does this partner share the collaborative's aims?")),
    Item("openness", "trust", gettext_lazy("How open is this partner to talking things through and to other views?")),
    Item("reliability", "trust", gettext_lazy("How far can you count on this partner to do what it says it will?")),
    Item("influence", "value", gettext_lazy("How much say and influence does this partner bring to the work?")),
    Item("resources", "value", gettext_lazy("How much does this partner contribute: money, staff, data, "
                                            "space or know-how?")),
    Item("involvement", "value", gettext_lazy("How actively does this partner take part?")),
)
SCALE = (("1", gettext_lazy("Not at all")), ("2", gettext_lazy("A little")), ("3", gettext_lazy("Quite a lot")),
         ("4", gettext_lazy("A great deal")))
MEASURES = {"trust": gettext_lazy("Trust"), "value": gettext_lazy("Value")}


def two_decimals(fraction):
    if fraction is None:
        return None
    return (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(Decimal("0.01"),
                                                                                    rounding=ROUND_HALF_UP)


def tie_scores(items):
    """{item key: 1..4} -> (trust, value): each the mean of its answered items, or None."""
    scores = {}
    for measure in MEASURES:
        values = [items[i.key] for i in ITEMS if i.measure == measure and items.get(i.key) is not None]
        scores[measure] = two_decimals(Fraction(sum(values), len(values))) if values else None
    return scores["trust"], scores["value"]


# --- Sectors on the map: a colour and a shape each, so the legend is never colour alone ------

# Okabe and Ito's colours, told apart by people with the common kinds of colour blindness.
SECTOR_LOOK = {
    "government": ("#0072B2", "circle"),
    "business": ("#D55E00", "square"),
    "non-profit": ("#009E73", "triangle"),
    "other": ("#CC79A7", "diamond"),
}
SHAPE_NAMES = {"circle": gettext_lazy("circles"), "square": gettext_lazy("squares"),
               "triangle": gettext_lazy("triangles"), "diamond": gettext_lazy("diamonds")}
SECTOR_ORDER = [key for key, _label in Sector.choices]


def shape_svg(shape, colour, x, y, r):
    """The SVG element of a partner's shape (circle, square, triangle or diamond) of size r."""
    if shape == "circle":
        return format_html('<circle cx="{}" cy="{}" r="{}" fill="{}"/>', _n(x), _n(y), _n(r), colour)
    if shape == "square":
        side = r * 1.75
        return format_html('<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                           _n(x - side / 2), _n(y - side / 2), _n(side), _n(side), colour)
    if shape == "triangle":
        corners = [(x, y - r * 1.25), (x + r * 1.15, y + r * 0.8), (x - r * 1.15, y + r * 0.8)]
    else:
        corners = [(x, y - r * 1.25), (x + r * 1.25, y), (x, y + r * 1.25), (x - r * 1.25, y)]
    return format_html('<polygon points="{}" fill="{}"/>', " ".join(f"{_n(a)},{_n(b)}" for a, b in corners), colour)


def _n(number):
    return f"{number:.1f}"


def sector_label(key):
    return dict(Sector.choices).get(key, key)


# --- The measures (pure: a networkx graph in, figures out) ----------------------------------


def freeman_centralisation(degrees):
    """Freeman's degree centralisation of an undirected graph, from its nodes' degrees:

        C = sum over nodes i of (d_max - d_i), divided by (n - 1)(n - 2)

    the sum's largest possible value, reached by a star of n nodes. 1 for a star (one partner
    holds every tie), 0 when every partner has as many ties as the others (a ring). Exact
    (a Fraction); None under 3 nodes, where it is not defined. networkx has no function for it:
    the degrees are networkx's (Graph.degree)."""
    values = list(degrees)
    n = len(values)
    if n < 3:
        return None
    top = max(values)
    return Fraction(sum(top - d for d in values), (n - 1) * (n - 2))


@dataclass
class Measures:
    partners: int
    ties: int
    density: float
    centralisation: object  # Fraction or None
    degrees: dict  # node -> degree


def measure(graph):
    degrees = dict(graph.degree())
    return Measures(partners=graph.number_of_nodes(), ties=graph.number_of_edges(), density=nx.density(graph),
                    centralisation=freeman_centralisation(degrees.values()), degrees=degrees)


def by_sector(graph, sectors):
    """{sector: {"partners", "within", "across", "degree"}}: how many partners, ties inside the
    sector, ties with other sectors, and their mean degree; sectors: node -> sector key."""
    counts = {}
    degrees = dict(graph.degree())
    for node in graph.nodes:
        entry = counts.setdefault(sectors[node], {"partners": 0, "within": 0, "across": 0, "degree_sum": 0})
        entry["partners"] += 1
        entry["degree_sum"] += degrees[node]
    for a, b in graph.edges:
        if sectors[a] == sectors[b]:
            counts[sectors[a]]["within"] += 1
        else:
            counts[sectors[a]]["across"] += 1
            counts[sectors[b]]["across"] += 1
    for entry in counts.values():
        entry["degree"] = Fraction(entry.pop("degree_sum"), entry["partners"])
    return {sector: counts[sector] for sector in [*SECTOR_ORDER, *sorted(counts)] if sector in counts}


def layout(graph):
    """{node: (x, y)} in the map's viewBox: networkx's spring layout with a fixed seed (the same
    map at every visit), stretched to the box inside its margins."""
    nodes = list(graph.nodes)
    if not nodes:
        return {}
    if len(nodes) == 1:
        return {nodes[0]: (WIDTH / 2, HEIGHT / 2)}
    positions = nx.spring_layout(graph, seed=SEED)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]

    def stretch(value, low, high, size):
        if high - low < 1e-9:
            return size / 2
        return MARGIN + (value - low) / (high - low) * (size - 2 * MARGIN)

    return {node: (round(stretch(p[0], min(xs), max(xs), WIDTH), 1), round(stretch(p[1], min(ys), max(ys), HEIGHT), 1))
            for node, p in positions.items()}


# --- Reading a wave --------------------------------------------------------------------------


def wave_partners(wave):
    """The partners a wave is about: those that had not left when it opened, and any partner
    answered or named in it (so an imported or old answer is never dropped)."""
    day = timezone.localtime(wave.opened).date()
    answered = NetworkAnswer.objects.filter(wave=wave)
    return list(Partner.objects.filter(collaborative=wave.collaborative)
                .filter(Q(left__isnull=True) | Q(left__gte=day) | Q(pk__in=answered.values("partner"))
                        | Q(pk__in=NetworkTie.objects.filter(answer__wave=wave).values("partner")))
                .select_related("organisation", "group").order_by("organisation__name", "pk"))


def names(partners):
    """{partner pk: the name used in files}: the organisation's name, with its sector when two
    partners share a name (so every name in an export points at one partner)."""
    counts = {}
    for partner in partners:
        key = partner.organisation.name.casefold()
        counts[key] = counts.get(key, 0) + 1
    return {p.pk: (p.organisation.name if counts[p.organisation.name.casefold()] == 1
                   else f"{p.organisation.name} ({sector_label(p.organisation.sector)})") for p in partners}


def ties_of(wave):
    """[(source pk, target pk, trust, value)]: every answered tie, as rated by its source."""
    return list(NetworkTie.objects.filter(answer__wave=wave).order_by("answer__partner_id", "partner_id")
                .values_list("answer__partner_id", "partner_id", "trust", "value"))


def graph_of(partners, ties):
    graph = nx.Graph()
    graph.add_nodes_from(p.pk for p in partners)
    graph.add_edges_from((a, b) for a, b, _t, _v in ties if a != b)
    return graph


@dataclass
class Node:
    number: int
    partner: object
    name: str
    sector: str
    degree: int
    x: float = 0
    y: float = 0
    r: float = 0
    tied_to: list = field(default_factory=list)  # names
    named: int = 0  # partners it named
    named_by: int = 0  # partners that named it
    trust: object = None  # mean trust others place in it (Decimal), shown from FEWEST ratings
    value: object = None
    ratings: int = 0
    change: object = None  # degree change since the previous wave, or None

    @property
    def colour(self):
        return SECTOR_LOOK.get(self.sector, SECTOR_LOOK["other"])[0]

    @property
    def shape(self):
        return SECTOR_LOOK.get(self.sector, SECTOR_LOOK["other"])[1]

    @property
    def sector_label(self):
        return sector_label(self.sector)

    @property
    def anchor(self):
        """Labels go to the left of partners in the right part of the map, so none is cut off."""
        return "end" if self.x > WIDTH * 0.75 else "start"

    @property
    def dx(self):
        return _n(-(self.r + 3) if self.anchor == "end" else self.r + 3)

    @property
    def svg(self):
        return shape_svg(self.shape, self.colour, self.x, self.y, self.r)

    @property
    def tied_to_shown(self):
        return self.tied_to[:TABLE_MOST_NAMES]

    @property
    def tied_to_more(self):
        return max(0, len(self.tied_to) - TABLE_MOST_NAMES)

    @property
    def change_text(self):
        return "0" if not self.change else f"{self.change:+d}"


def _mean(values):
    values = [v for v in values if v is not None]
    return two_decimals(Fraction(sum(values)) / len(values)) if values else None


def _figure(number, signed=False):
    """A measure as shown: two decimals ("0.14"; "+0.03" for a change), or None."""
    if number is None:
        return None
    value = two_decimals(Fraction(number)) if not isinstance(number, Decimal) else number
    return f"{value:+.2f}" if signed else f"{value:.2f}"


LATEST = object()  # results(previous=...): the latest closed wave before this one


# A map draws at most this many ties: more is a grey mass nobody can read, megabytes on a phone
# and minutes in a PDF (480 partners: 13,000 ties). The table and the files keep every tie.
MAP_MOST_TIES = 1200
# The table names this many partners a partner works with, then says how many more.
TABLE_MOST_NAMES = 12


def drawn_ties(graph, ties, most=None):
    """The (a, b) pairs a map draws: every tie up to `most`; beyond it the strongest: ties both
    partners named first, then the best rated (trust plus value, both ways), in a fixed order."""
    most = MAP_MOST_TIES if most is None else most
    pairs = sorted(graph.edges)
    if len(pairs) <= most:
        return pairs
    named, rated = set(), {}
    for source, target, trust, value in ties:
        named.add((source, target))
        key = (min(source, target), max(source, target))
        rated[key] = rated.get(key, 0) + (trust or 0) + (value or 0)

    def strength(pair):
        a, b = min(pair), max(pair)
        return ((a, b) in named and (b, a) in named, rated.get((a, b), 0), -a, -b)

    return sorted(sorted(pairs, key=strength, reverse=True)[:most])


def results(wave, previous=LATEST):
    """Everything a wave's results page shows (see the module's docstring). Changes are measured
    since `previous` (a closed earlier wave, or None for none); a report for funders or the public
    passes the latest wave it may read, never a partner-only one."""
    partners = wave_partners(wave)
    ties = ties_of(wave)
    graph = graph_of(partners, ties)
    figures = measure(graph)
    label = names(partners)
    sectors = {p.pk: p.organisation.sector for p in partners}
    places = {int(pk): tuple(xy) for pk, xy in (wave.layout or {}).items()}
    if set(places) != set(graph.nodes):  # not closed yet, or a partner has been added since
        places = layout(graph)
    top = max(figures.degrees.values(), default=0) or 1
    nodes = {}
    for number, partner in enumerate(partners, start=1):
        degree = figures.degrees[partner.pk]
        x, y = places.get(partner.pk, (WIDTH / 2, HEIGHT / 2))
        nodes[partner.pk] = Node(number=number, partner=partner, name=label[partner.pk], sector=sectors[partner.pk],
                                 degree=degree, x=x, y=y, r=round(7 + 13 * (degree / top) ** 0.5, 1))
    received = {}
    for source, target, trust, value in ties:
        nodes[source].named += 1
        nodes[target].named_by += 1
        received.setdefault(target, []).append((trust, value))
    for pk, node in nodes.items():
        node.tied_to = sorted((label[other] for other in graph.neighbors(pk)), key=str.casefold)
        rated = received.get(pk, [])
        trusts = [t for t, _v in rated if t is not None]
        values = [v for _t, v in rated if v is not None]
        node.ratings = max(len(trusts), len(values))
        # Each mean from FEWEST ratings up: fewer would let a partner's own rating be picked out.
        node.trust = _mean(trusts) if len(trusts) >= FEWEST else None
        node.value = _mean(values) if len(values) >= FEWEST else None
    answered = NetworkAnswer.objects.filter(wave=wave).count()
    summary = {"partners": figures.partners, "answered": answered, "ties": figures.ties,
               "density": figures.density, "centralisation": figures.centralisation,
               "trust": _mean(t for _s, _t2, t, _v in ties), "value": _mean(v for _s, _t, _t2, v in ties)}
    if previous is LATEST:
        previous = (NetworkWave.objects.filter(collaborative=wave.collaborative, number__lt=wave.number,
                                               closed__isnull=False).order_by("-number").first())
    changes = {}
    if previous is not None:
        before_ties = ties_of(previous)
        before_graph = graph_of(wave_partners(previous), before_ties)
        before = measure(before_graph)
        changes = {"density": figures.density - before.density, "ties": figures.ties - before.ties,
                   "centralisation": (figures.centralisation - before.centralisation
                                      if figures.centralisation is not None and before.centralisation is not None
                                      else None)}
        for key in ("trust", "value"):
            index = 2 if key == "trust" else 3
            old = _mean(t[index] for t in before_ties)
            changes[key] = summary[key] - old if summary[key] is not None and old is not None else None
        for pk, node in nodes.items():
            if pk in before.degrees:
                node.change = node.degree - before.degrees[pk]
    shown = {"density": _figure(summary["density"]), "centralisation": _figure(summary["centralisation"]),
             "density_percent": round(summary["density"] * 100), "trust": summary["trust"], "value": summary["value"]}
    shown_changes = {key: _figure(change, signed=True) for key, change in changes.items() if key != "ties"}
    if "ties" in changes:
        shown_changes["ties"] = f"{changes['ties']:+d}"
    edges = [(nodes[a], nodes[b]) for a, b in drawn_ties(graph, ties)]
    sector_rows = []
    for key, entry in by_sector(graph, sectors).items():
        colour, shape = SECTOR_LOOK.get(key, SECTOR_LOOK["other"])
        entry["degree_shown"] = _figure(entry["degree"])
        sector_rows.append((key, sector_label(key), shape_svg(shape, colour, 12, 12, 8), entry, SHAPE_NAMES[shape]))
    return {"nodes": list(nodes.values()), "edges": edges, "summary": summary, "shown": shown,
            "changes": shown_changes,
            "previous": previous, "sectors": sector_rows, "width": WIDTH, "height": HEIGHT,
            "label_names": len(nodes) <= 15, "ties_drawn": len(edges)}


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


# --- Actions ---------------------------------------------------------------------------------


def open_wave(collaborative, convenor):
    already = _("A network survey is already open. Close it before opening the next.")
    with transaction.atomic():
        if collaborative.network_waves.filter(closed__isnull=True).exists():
            raise Refused(already, status=409)
        last = collaborative.network_waves.order_by("-number").first()
        try:
            with transaction.atomic():
                return NetworkWave.objects.create(collaborative=collaborative, opened_by=convenor,
                                                  number=(last.number + 1) if last else 1)
        except IntegrityError:  # a second click at the same moment
            raise Refused(already, status=409) from None


def close_wave(wave):
    with transaction.atomic():
        wave = NetworkWave.objects.select_for_update().get(pk=wave.pk)
        if wave.closed is not None:
            raise Refused(_("This network survey is already closed."), status=409)
        wave.closed = timezone.now()
        partners = wave_partners(wave)
        wave.layout = {str(pk): list(xy) for pk, xy in layout(graph_of(partners, ties_of(wave))).items()}
        wave.save(update_fields=["closed", "layout"])
    return wave


def read_answer(post, others):
    """{partner pk: {item key: 1..4}} from the answer form: "works_with" ticks, and for each
    ticked partner its items "item-<pk>-<key>" (blank: not sure). `others` are the partners one
    may name. Refused, naming the partner and question, for anything else; nothing half saved."""
    allowed = {p.pk: p for p in others}
    chosen = {}
    for raw in post.getlist("works_with"):
        try:
            pk = int(raw)
        except ValueError:
            pk = None
        if pk not in allowed:
            raise Refused(_("Choose partners from the list."), status=400)
        items = {}
        for item in ITEMS:
            value = (post.get(f"item-{pk}-{item.key}") or "").strip()
            if not value:
                continue
            if value not in ("1", "2", "3", "4"):
                raise Refused(_("For %(partner)s, answer “%(question)s” from 1 to 4, or leave it as “Not sure”.")
                              % {"partner": allowed[pk].organisation.name, "question": item.text}, status=400)
            items[item.key] = int(value)
        chosen[pk] = items
    if not chosen and post.get("none") != "yes":
        raise Refused(_("Tick the partners your organisation works with, or tick “We work with none of them "
                        "yet”."), status=400)
    if chosen and post.get("none") == "yes":  # the two say opposite things: ask, never guess
        raise Refused(_("You ticked partners and also “We work with none of them yet”. Untick one or the "
                        "other."), status=400)
    return chosen


def answer(wave, member, chosen):
    """Save (or replace) the answer of the member's partner: its ties and their ratings."""
    if member is None or member.role not in (Member.Role.REPRESENTATIVE, Member.Role.ALTERNATE):
        raise Refused(_("A partner's representative or alternate answers the network survey for it."), status=403)
    with transaction.atomic():
        wave = NetworkWave.objects.select_for_update().get(pk=wave.pk)
        if wave.closed is not None:
            raise Refused(_("This network survey closed on %(day)s: answers can no longer be changed. Its map is "
                            "on the network page.") % {"day": timezone.localtime(wave.closed).date().isoformat()},
                          status=409)
        _replace(wave, member.partner, {pk: (items, *tie_scores(items)) for pk, items in chosen.items()
                                        if pk != member.partner_id}, member=member)


def _replace(wave, partner, ties, *, member=None, imported=False):
    """The partner's answer in this wave becomes exactly `ties`: {named pk: (items, trust, value)}."""
    found, _created = NetworkAnswer.objects.update_or_create(
        wave=wave, partner=partner,
        defaults={"answered_by": member, "answered": timezone.now(), "imported": imported})
    found.ties.all().delete()
    NetworkTie.objects.bulk_create([NetworkTie(answer=found, partner_id=pk, items=items, trust=trust, value=value)
                                    for pk, (items, trust, value) in sorted(ties.items())])
    return found


def own_answer(wave, member):
    """{partner pk: {item key: value}} the member's partner gave in this wave, or None."""
    if member is None or member.partner_id is None:
        return None
    found = NetworkAnswer.objects.filter(wave=wave, partner_id=member.partner_id).first()
    if found is None:
        return None
    return {tie.partner_id: tie.items for tie in found.ties.all()}
