"""A large network's map as a progress report draws it: the same places, shapes and colours as the
survey's page, written as a handful of SVG paths instead of an element per tie and per partner.

At 480 partners and 1,200 drawn ties the page's drawing (a line per tie, a shape, a hover title
and a label per partner) took WeasyPrint 4 to 10 s to lay out and paint, most of a public
report's time; as one path for the ties and one per sector for the partners it takes a fraction
of a second. Only the partners the report's table lists carry their number (a label per
partner is unreadable at that size on A4); hover titles are no use on paper.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from intersector.collaboratives import network_map


def _shape_path(shape, x, y, r):
    """The outline of a partner's shape (as network_map.shape_svg draws it) as path commands."""
    if shape == "circle":
        return f"M{x - r:.1f} {y:.1f}a{r:.1f} {r:.1f} 0 1 0 {2 * r:.1f} 0a{r:.1f} {r:.1f} 0 1 0 {-2 * r:.1f} 0Z"
    if shape == "square":
        side = r * 1.75
        return f"M{x - side / 2:.1f} {y - side / 2:.1f}h{side:.1f}v{side:.1f}h{-side:.1f}Z"
    if shape == "triangle":
        corners = [(x, y - r * 1.25), (x + r * 1.15, y + r * 0.8), (x - r * 1.15, y + r * 0.8)]
    else:
        corners = [(x, y - r * 1.25), (x + r * 1.25, y), (x, y + r * 1.25), (x - r * 1.25, y)]
    return "M" + "L".join(f"{a:.1f} {b:.1f}" for a, b in corners) + "Z"


def compact_svg(found, title, description, numbered=()):
    """The map of network_results.results' `found`, with its accessible title and description; `numbered`:
    the nodes whose number is written beside them (those a table lists)."""
    ties = "".join(f"M{a.x:.0f} {a.y:.0f}L{b.x:.0f} {b.y:.0f}" for a, b in found["edges"])
    outlines = {}
    for node in found["nodes"]:
        look = network_map.look(node.sector)
        outlines.setdefault(look, []).append(_shape_path(look[1], node.x, node.y, node.r))
    shapes = "".join(f'<path fill="{colour}" d="{"".join(paths)}"/>' for (colour, _shape), paths in outlines.items())
    labels = []
    for node in numbered:  # to the left of partners in the right quarter, so none is cut off
        right = node.x > found["width"] * 0.75
        x = node.x - node.r - 2 if right else node.x + node.r + 2
        anchor = ' text-anchor="end"' if right else ""
        labels.append(f'<text x="{x:.0f}" y="{node.y - 4:.0f}"{anchor}>{node.number}</text>')
    return mark_safe(
        f'<svg class="network-map" viewBox="0 0 {found["width"]} {found["height"]}" role="img" '
        f'aria-labelledby="map-title map-desc" focusable="false"><title id="map-title">{escape(title)}</title>'
        f'<desc id="map-desc">{escape(description)}</desc>'
        f'<path fill="none" stroke="#8a94a3" stroke-width="1.2" stroke-opacity="0.55" d="{ties}"/>'
        f'<g stroke="#1d2430" stroke-width="1">{shapes}</g>'
        f'<g font-size="15" font-weight="600" fill="#1d2430">{"".join(labels)}</g></svg>')
