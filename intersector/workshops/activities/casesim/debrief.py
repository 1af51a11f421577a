"""Debrief prompts drawn from the room's own results ("the How family was disputed at 5 of 7
tables"). Pure functions of the tables' counts: no database, no request, so they are tested alone."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MANY_PARKED = 3     # a table that parked this many elements or more gets a debrief prompt
SHOWN_PARKED = 3    # at most this many of those prompts, the tables that parked most first


@dataclass
class TableSummary:
    number: int
    chosen: tuple                                   # family keys
    counts: dict = field(default_factory=dict)      # family key -> {"agreed": n, "disputed": n, "parked": n}
    sizes: dict = field(default_factory=dict)       # family key -> how many elements it has

    def count(self, family, status):
        return (self.counts.get(family) or {}).get(status, 0)

    def agreed_all(self, family):
        """Every element of the family agreed (with no size known: some agreed, none disputed or parked)."""
        agreed = self.count(family, "agreed")
        if self.sizes.get(family):
            return agreed >= self.sizes[family]
        return bool(agreed) and not self.count(family, "disputed") and not self.count(family, "parked")


def summaries(tables):
    return [TableSummary(t.number, tuple(t.families), {c.family.key: dict(c.counts) for c in t.cells},
                         {c.family.key: len(c.family.elements) for c in t.cells}) for t in tables]


def debrief_prompts(tables, families):
    """Questions for the discussion drawn from what the tables did. `tables`: TableSummary list;
    `families`: [(key, title)] in the scorecard's order. No database, no request: testable alone."""
    total = len(tables)
    if not total or not any(t.chosen for t in tables):
        return []
    titles = dict(families)
    prompts = []

    disputed = {key: sum(1 for t in tables if t.count(key, "disputed")) for key, _title in families}
    most = max(disputed.values())
    if most:
        for key in [k for k, n in disputed.items() if n == most][:2]:
            prompts.append(ngettext(
                "The family “%(family)s” was disputed at %(count)d of %(total)d table. What made it hard to agree?",
                "The family “%(family)s” was disputed at %(count)d of %(total)d tables. What made it hard to agree?",
                total) % {"family": titles[key], "count": most, "total": total})

    # Only a family whose every element every table agreed: one agreed element of four is no consensus.
    everyone_agreed = [key for key, _title in families
                       if total > 1 and all(key in t.chosen and t.agreed_all(key) for t in tables)]
    for key in everyone_agreed:
        prompts.append(_("Every table agreed on all of “%(family)s” without a dispute. Why was it easier than the "
                         "rest?") % {"family": titles[key]})

    chosen_by_all = [key for key, _title in families
                     if total > 1 and key not in everyone_agreed and all(key in t.chosen for t in tables)]
    if chosen_by_all:
        prompts.append(ngettext(
            "Every table chose the family %(families)s. What made it a must?",
            "Every table chose the families %(families)s. What made them a must?",
            len(chosen_by_all)) % {"families": listing(titles[k] for k in chosen_by_all)})

    never = [key for key, _title in families if not any(key in t.chosen for t in tables)]
    if never:
        prompts.append(ngettext(
            "No table chose the family %(families)s. Would your agreement hold up without it?",
            "No table chose the families %(families)s. Would your agreement hold up without them?",
            len(never)) % {"families": listing(titles[k] for k in never)})

    parked = sorted(((sum(t.count(k, "parked") for k, _title in families), t.number) for t in tables),
                    key=lambda pair: (-pair[0], pair[1]))
    for count, number in [p for p in parked if p[0] >= MANY_PARKED][:SHOWN_PARKED]:
        prompts.append(ngettext(
            "Table %(table)d parked %(count)d element. What did it leave for later, and why?",
            "Table %(table)d parked %(count)d elements. What did it leave for later, and why?",
            count) % {"table": number, "count": count})
    return prompts


def listing(names):
    """“Who?”, “How?” and “What if?”, in the reader's language."""
    names = [f"“{name}”" for name in names]
    if len(names) < 2:
        return "".join(names)
    return _("%(items)s and %(last)s") % {"items": ", ".join(names[:-1]), "last": names[-1]}
