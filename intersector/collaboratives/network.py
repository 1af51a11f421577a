"""The partner network survey: its questions, the measures and the map's layout (networkx) and
its actions. Its results are worked out once and stored (network_results.py), drawn by
network_map.py; its files (CSV for spreadsheets and Kumu, GEXF for Gephi) are network_files.py.

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

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import networkx as nx
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intersector.collaboratives.models import Member, Partner
from intersector.collaboratives.models_network import NetworkAnswer, NetworkTie, NetworkWave
from intersector.collaboratives.network_map import HEIGHT, MARGIN, SECTOR_ORDER, WIDTH, sector_label
from intersector.refusals import Refused

FEWEST = 3  # ratings a partner needs before the trust and value others place in it are shown
SEED = 7  # the map's layout is the same at every visit (networkx spring_layout)

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


def by_sector(degrees, pairs, sectors):
    """{sector: {"partners", "within", "across", "degree"}}: how many partners, ties inside the
    sector, ties with other sectors, and their mean degree; degrees: {node: degree} (networkx's
    Graph.degree), pairs: each tie once (Graph.edges), sectors: {node: sector key}."""
    counts = {}
    for node, degree in degrees.items():
        entry = counts.setdefault(sectors[node], {"partners": 0, "within": 0, "across": 0, "degree_sum": 0})
        entry["partners"] += 1
        entry["degree_sum"] += degree
    for a, b in pairs:
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


def _partners_of(wave):
    day = timezone.localtime(wave.opened).date()
    answered = NetworkAnswer.objects.filter(wave=wave)
    in_it = Q(pk__in=answered.values("partner")) | Q(pk__in=NetworkTie.objects.filter(answer__wave=wave).values("partner"))
    partners = Partner.objects.filter(collaborative=wave.collaborative).filter(
        Q(left__isnull=True) | Q(left__gte=day) | in_it)
    if wave.closed:  # a partner that joined after the survey closed was never asked
        partners = partners.filter(Q(joined__lte=timezone.localtime(wave.closed).date()) | in_it)
    return partners.order_by("organisation__name", "pk")


def wave_partners(wave):
    """The partners a wave is about: those that had not left when it opened (nor, once it closed,
    joined after it closed), and any partner answered or named in it (so an imported or old answer
    is never dropped)."""
    return list(_partners_of(wave).select_related("organisation", "group"))


def wave_partner_rows(wave):
    """[(pk, organisation's name, sector)] of the wave's partners, in wave_partners' order: what
    its results need, read without making 480 partners and organisations (3 ms, not 18)."""
    return list(_partners_of(wave).values_list("pk", "organisation__name", "organisation__sector"))


def rows_of(partners):
    return [(p.pk, p.organisation.name, p.organisation.sector) for p in partners]


def names(partners):
    """{partner pk: the name used in files}: the organisation's name, with its sector when two
    partners share a name (so every name in an export points at one partner)."""
    return names_of_rows(rows_of(partners))


def names_of_rows(rows):
    """names() from rows (pk, organisation's name, sector), as wave_partner_rows reads them."""
    counts = {}
    for _pk, name, _sector in rows:
        key = name.casefold()
        counts[key] = counts.get(key, 0) + 1
    return {pk: (name if counts[name.casefold()] == 1 else f"{name} ({sector_label(sector)})")
            for pk, name, sector in rows}


def ties_of(wave):
    """[(source pk, target pk, trust, value)]: every answered tie, as rated by its source."""
    return list(NetworkTie.objects.filter(answer__wave=wave).order_by("answer__partner_id", "partner_id")
                .values_list("answer__partner_id", "partner_id", "trust", "value"))


def graph_of(pks, ties):
    graph = nx.Graph()
    graph.add_nodes_from(pks)
    graph.add_edges_from((a, b) for a, b, _t, _v in ties if a != b)
    return graph


def _mean(values):
    values = [v for v in values if v is not None]
    return two_decimals(Fraction(sum(values)) / len(values)) if values else None


def _figure(number, signed=False):
    """A measure as shown: two decimals ("0.14"; "+0.03" for a change), or None."""
    if number is None:
        return None
    value = two_decimals(Fraction(number)) if not isinstance(number, Decimal) else number
    return f"{value:+.2f}" if signed else f"{value:.2f}"


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


def results(wave, *args, **kwargs):
    """A wave's results: network_results.results, where they are worked out once and stored.
    (Imported here: network_results reads this module.)"""
    from intersector.collaboratives import network_results

    return network_results.results(wave, *args, **kwargs)


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
        partners = wave_partner_rows(wave)
        graph = graph_of([pk for pk, _name, _sector in partners], ties_of(wave))
        wave.layout = {str(pk): list(xy) for pk, xy in layout(graph).items()}
        wave.save(update_fields=["closed", "layout"])
        # Its figures too, once: its answers no longer change. (Imported here: network_results
        # reads this module.)
        from intersector.collaboratives import network_results

        network_results.figures(wave, partners)
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
    """The partner's answer in this wave becomes exactly `ties`: {named pk: (items, trust, value)}.
    The caller holds the wave's row (select_for_update); its answers_version goes up by one, so
    figures worked out from the answers before are worked out again (network_results.py)."""
    NetworkWave.objects.filter(pk=wave.pk).update(answers_version=F("answers_version") + 1)
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
