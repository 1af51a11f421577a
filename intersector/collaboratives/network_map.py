"""Drawing a network survey's results: each sector's colour and shape, the map's ties, partners
and labels (SVG), and the rows of the partners' table.

The map and the table are written out here rather than in template loops: at 480 partners and
1,200 drawn ties the loops took most of the page's time, this takes a few milliseconds. Each
name is escaped once. The map's accessible name and description, and the table's head, stay in
the templates (_network_svg.html, network_results.html).

The map is kept small for phones: whole-number coordinates (the viewBox is 1000 wide, so one
unit is about a pixel), the labels' presentation attributes set once on their group, and no
whitespace between elements. The attributes still draw it where the page's CSS is not read (a PDF).
"""

from html import escape  # Python's: the same text as Django's, without its lazy-string wrapper

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from intersector.accounts.models import Sector

WIDTH, HEIGHT, MARGIN = 1000, 680, 48  # the map's viewBox

# Okabe and Ito's colours, told apart by people with the common kinds of colour blindness; a
# shape each as well, so the legend is never colour alone.
SECTOR_LOOK = {
    "government": ("#0072B2", "circle"),
    "business": ("#D55E00", "square"),
    "non-profit": ("#009E73", "triangle"),
    "other": ("#CC79A7", "diamond"),
}
SHAPE_NAMES = {"circle": gettext_lazy("circles"), "square": gettext_lazy("squares"),
               "triangle": gettext_lazy("triangles"), "diamond": gettext_lazy("diamonds")}
SECTOR_ORDER = [key for key, _label in Sector.choices]
SECTOR_LABELS = dict(Sector.choices)


def sector_label(key):
    return SECTOR_LABELS.get(key, key)


def look(sector):
    """(colour, shape) of a sector."""
    return SECTOR_LOOK.get(sector, SECTOR_LOOK["other"])


def _n(number):
    return str(round(number))


def shape_svg(shape, colour, x, y, r):
    """The SVG element of a partner's shape (circle, square, triangle or diamond) of size r."""
    if shape == "circle":
        return mark_safe(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{r:.1f}" fill="{colour}"/>')
    if shape == "square":
        side = r * 1.75
        return mark_safe(f'<rect x="{_n(x - side / 2)}" y="{_n(y - side / 2)}" width="{side:.1f}" height="{side:.1f}" '
                         f'fill="{colour}"/>')
    if shape == "triangle":
        corners = [(x, y - r * 1.25), (x + r * 1.15, y + r * 0.8), (x - r * 1.15, y + r * 0.8)]
    else:
        corners = [(x, y - r * 1.25), (x + r * 1.25, y), (x, y + r * 1.25), (x - r * 1.25, y)]
    points = " ".join(f"{_n(a)},{_n(b)}" for a, b in corners)
    return mark_safe(f'<polygon points="{points}" fill="{colour}"/>')


def _counted(translate):
    """translate(n) (an ngettext) for each n, looked up once: 480 partners have few counts."""
    known = {}

    def text(n):
        if n not in known:
            known[n] = translate(n)
        return known[n]
    return text


def draw(nodes, edges, label_names):
    """{"edges_svg", "nodes_svg", "labels_svg"}: the map's ties (lines), partners (a shape each
    with its title: number, name, sector and ties, shown on hover) and labels (the name on a small
    map, else the number the table gives). Labels go to the left of partners in the right quarter
    of the map, so none is cut off."""
    at = {id(node): (_n(node.x), _n(node.y)) for node in nodes}  # each partner's place, written once
    lines = "".join('<line x1="%s" y1="%s" x2="%s" y2="%s"/>' % (*at[id(a)], *at[id(b)]) for a, b in edges)
    titled = _counted(lambda n: ngettext("%(number)s. %(name)s (%(sector)s): %(n)s tie",
                                         "%(number)s. %(name)s (%(sector)s): %(n)s ties", n))
    shapes, labels = [], []
    for node in nodes:
        colour, shape = look(node.sector)
        title = titled(node.degree) % {"number": node.number, "name": node.name,
                                       "sector": str(sector_label(node.sector)), "n": node.degree}
        shapes.append(f'<g class="node"><title>{escape(title)}</title>'
                      f'{shape_svg(shape, colour, node.x, node.y, node.r)}</g>')
        right = node.x > WIDTH * 0.75
        x = node.x - (node.r + 3) if right else node.x + node.r + 3
        text = escape(node.name) if label_names else node.number
        anchor = ' text-anchor="end"' if right else ""
        labels.append(f'<text x="{_n(x)}" y="{_n(node.y - 4)}"{anchor}>{text}</text>')
    return {"edges_svg": mark_safe(lines), "nodes_svg": mark_safe("".join(shapes)),
            "labels_svg": mark_safe("".join(labels))}


def partner_rows(nodes, names, fewest):
    """The rows of the partners' table: number, name, sector, ties (and their change), the trust
    and value others place in it (from `fewest` ratings), and the first partners it works with
    (A to Z: node.shown, named from `names`) and how many more. On a phone each cell is named by
    its data-label."""
    heads = {key: escape(text) for key, text in (
        ("number", _("No.")), ("sector", _("Sector")), ("ties", _("Ties")), ("trust", _("Trust")),
        ("value", _("Value")), ("with", _("Works with")))}
    too_few = escape(_("fewer than %(n)s ratings") % {"n": fewest})
    too_few = f'<span class="too-few">{too_few}</span>'
    since = _("%(change)s since the last")
    more_text = _counted(lambda n: ngettext("and %(n)s more", "and %(n)s more", n))
    escaped = {pk: escape(name) for pk, name in names.items()}
    sectors = {key: escape(str(sector_label(key))) for key in {node.sector for node in nodes}}
    rows = []
    for node in nodes:
        change = ("" if node.change is None
                  else f' <span class="change">{escape(since % {"change": node.change_text})}</span>')
        trust, value = ((too_few if node.ratings else "–") if figure is None else figure
                        for figure in (node.trust, node.value))
        shown = ", ".join(escaped[pk] for pk in node.shown) or "–"
        more = node.degree - len(node.shown)
        if more > 0:
            shown += " " + escape(more_text(more) % {"n": more})
        rows.append(f'<tr><td data-label="{heads["number"]}">{node.number}</td><th scope="row">{escaped[node.pk]}</th>'
                    f'<td data-label="{heads["sector"]}">{sectors[node.sector]}</td>'
                    f'<td data-label="{heads["ties"]}">{node.degree}{change}</td>'
                    f'<td data-label="{heads["trust"]}">{trust}</td><td data-label="{heads["value"]}">{value}</td>'
                    f'<td data-label="{heads["with"]}" class="tied-to">{shown}</td></tr>')
    return mark_safe("\n".join(rows))
