"""Results and shared indicators: the actions on them (convenors add and update; every action
checks and saves in one transaction) and two pure functions, the weighted roll-up of progress
through nested results and the geometry of an indicator's small chart."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.collaboratives.models import Actual, Indicator, Result
from intersector.refusals import Refused

MAX_DEPTH = 4  # a result, its sub-results and two levels below: deeper trees are hard to read
MAX_RESULTS = 500  # a collaborative's results in all
MAX_ACTUALS = 400  # figures of one indicator
DEFAULT_PROGRESS = {Result.Status.NOT_STARTED: 0, Result.Status.DONE: 100}

# --- The roll-up: a pure function ------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    id: object
    parent: object  # the parent's id, or None
    progress: float  # its own figure (used when it has no children), 0-100
    weight: object = None  # a number >= 0, or None (blank)


def weights_of(given):
    """The weights siblings count with. A blank weight counts as the mean of the weights given
    beside it (all blank: all equal); when they add up to nothing (all zero), all count equally."""
    known = [float(w) for w in given if w is not None]
    fill = sum(known) / len(known) if known else 1.0
    weights = [fill if w is None else float(w) for w in given]
    if sum(weights) <= 0:
        return [1.0] * len(given)
    return weights


def rolled_up(nodes, max_depth=MAX_DEPTH):
    """{id: progress} for every node: a leaf's own figure, a parent's the weighted mean of its
    children's rolled-up progress. Nodes deeper than `max_depth` or in a loop are refused."""
    by_parent = {}
    ids = {node.id for node in nodes}
    for node in nodes:
        if node.parent is not None and node.parent not in ids:
            raise ValueError(f"result {node.id!r} is part of {node.parent!r}, which is not among them")
        by_parent.setdefault(node.parent, []).append(node)
    progress = {}

    def walk(node, depth, path):
        if depth > max_depth:
            raise ValueError(f"results nest deeper than {max_depth} levels")
        if node.id in path:
            raise ValueError("results form a loop")
        children = by_parent.get(node.id, [])
        if not children:
            value = float(node.progress)
        else:
            values = [walk(child, depth + 1, path | {node.id}) for child in children]
            weights = weights_of([child.weight for child in children])
            value = sum(v * w for v, w in zip(values, weights)) / sum(weights)
        progress[node.id] = max(0.0, min(100.0, value))
        return progress[node.id]

    for root in by_parent.get(None, []):
        walk(root, 1, frozenset())
    if len(progress) != len(ids):
        raise ValueError("results form a loop")
    return progress


def tree(collaborative):
    """The collaborative's results in tree order, each with its depth, its rolled-up progress
    (`rolled`) and its sub-results (`kids`); one query."""
    results = list(collaborative.results.select_related("decision"))
    progress = rolled_up([Node(r.pk, r.parent_id, r.progress, r.weight) for r in results])
    kids = {}
    for r in results:
        r.rolled = round(progress[r.pk])
        r.form_key = f"result-{r.pk}"  # which form a refusal belongs to
        r.weight_shown = figure(r.weight)
        r.has_children = False
        kids.setdefault(r.parent_id, []).append(r)
    for r in results:
        r.kids = kids.get(r.pk, [])
        r.has_children = bool(r.kids)
    rows = []

    def add(parent_id, depth):
        for r in kids.get(parent_id, []):
            r.depth = depth
            rows.append(r)
            add(r.pk, depth + 1)

    add(None, 1)
    return rows


# --- Actions -------------------------------------------------------------------------------------


def _text(value, label, max_length, required=True):
    value = (value or "").strip()
    if required and not value:
        raise Refused(_("Give the %(field)s.") % {"field": label}, status=400)
    if len(value) > max_length:
        raise Refused(_("The %(field)s is too long: at most %(n)s characters.") % {"field": label, "n": max_length},
                      status=400)
    return value


def percent(value, label=None):
    """A whole number from 0 to 100, or Refused."""
    label = label or _("progress")
    try:
        number = int(str(value).strip().rstrip("%").strip())
    except (TypeError, ValueError):
        raise Refused(_("Write the %(label)s as a whole number from 0 to 100.") % {"label": label},
                      status=400) from None
    if not 0 <= number <= 100:
        raise Refused(_("Write the %(label)s as a whole number from 0 to 100.") % {"label": label}, status=400)
    return number


# The largest figures the columns hold (14 digits, two after the point; a weight 7).
MOST, MOST_WEIGHT = Decimal("1e12"), Decimal("100000")


def number(value, label, *, required=True, least=None, most=MOST):
    """A decimal figure to two places (a comma as the decimal mark is read too), below `most`
    (what its column holds), or None when blank and allowed."""
    text = str(value if value is not None else "").strip().replace(" ", "")
    if not text:
        if required:
            raise Refused(_("Give the %(field)s.") % {"field": label}, status=400)
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        figure = Decimal(text)
    except InvalidOperation:
        raise Refused(_("Write the %(field)s as a number, like 12.5.") % {"field": label}, status=400) from None
    if not figure.is_finite():
        raise Refused(_("Write the %(field)s as a number, like 12.5.") % {"field": label}, status=400)
    if least is not None and figure < least:
        raise Refused(_("The %(field)s cannot be below %(n)s.") % {"field": label, "n": least}, status=400)
    figure = figure.quantize(Decimal("0.01")) if abs(figure) < most else figure
    if abs(figure) >= most:
        raise Refused(_("The %(field)s must be less than %(n)s.") % {"field": label, "n": f"{int(most):,}"}, status=400)
    return figure


def depth_of(result):
    depth, node = 1, result
    while node.parent_id is not None:
        node = Result.objects.only("parent_id").get(pk=node.parent_id)
        depth += 1
    return depth


def add_result(collaborative, *, title, parent=None, weight=None, status=Result.Status.NOT_STARTED, progress=None,
               decision=None):
    title = _text(title, _("result's title"), 200)
    if parent is not None and parent.collaborative_id != collaborative.pk:
        raise Refused(_("Choose one of this collaborative's results."), status=400)
    if decision is not None and decision.collaborative_id != collaborative.pk:
        raise Refused(_("Choose one of this collaborative's decisions."), status=400)
    if parent is not None and depth_of(parent) >= MAX_DEPTH:
        raise Refused(_("Results nest at most %(n)s levels deep: add this one to a result higher up.") % {
            "n": MAX_DEPTH}, status=400)
    if status not in Result.Status.values:
        raise Refused(_("Choose the result's status."), status=400)
    weight = number(weight, _("weight"), required=False, least=0, most=MOST_WEIGHT)
    progress = percent(progress) if progress not in (None, "") else DEFAULT_PROGRESS.get(status, 0)
    _check_started(status, progress)
    with transaction.atomic():
        if collaborative.results.count() >= MAX_RESULTS:
            raise Refused(_("This collaborative has %(n)s results, the most it can hold.") % {"n": MAX_RESULTS},
                          status=409)
        siblings = collaborative.results.filter(parent=parent)
        return Result.objects.create(collaborative=collaborative, parent=parent, title=title, weight=weight,
                                     status=status, progress=progress, decision=decision,
                                     order=siblings.count())


def _check_started(status, progress):
    # "Not started" beside "40% done" reads as a mistake on every page and report that shows both.
    if status == Result.Status.NOT_STARTED and progress > 0:
        raise Refused(_("A result with progress has started: choose On track, At risk or Off track as its "
                        "status, or set its progress to 0."), status=400)


def update_result(result, *, status, progress=None, weight=None):
    """A result's status, its own progress (blank: the status's default) and its weight."""
    if status not in Result.Status.values:
        raise Refused(_("Choose the result's status."), status=400)
    if progress in (None, ""):
        progress = DEFAULT_PROGRESS.get(status, result.progress)
    progress = percent(progress)
    _check_started(status, progress)
    result.status, result.progress = status, progress
    result.weight = number(weight, _("weight"), required=False, least=0, most=MOST_WEIGHT)
    result.save(update_fields=["status", "progress", "weight"])
    return result


def add_indicator(collaborative, *, title, unit, baseline, target, baseline_on=None, target_on=None):
    title = _text(title, _("indicator's name"), 200)
    unit = _text(unit, _("unit"), 60)
    baseline, target = number(baseline, _("baseline")), number(target, _("target"))
    if baseline == target:
        raise Refused(_("The target is the same as the baseline: give the figure you aim for."), status=400)
    if baseline_on and target_on and target_on <= baseline_on:
        raise Refused(_("The target date comes before the baseline date."), status=400)
    return Indicator.objects.create(collaborative=collaborative, title=title, unit=unit, baseline=baseline,
                                    target=target, baseline_on=baseline_on, target_on=target_on,
                                    order=collaborative.indicators.count())


def add_actual(indicator, member, *, on, value, note=""):
    """A measured figure on a date (not in the future; one a date)."""
    if on is None:
        raise Refused(_("Give the date the figure was measured."), status=400)
    if on > timezone.localdate():
        raise Refused(_("That date is in the future: a figure is recorded once it is measured."), status=400)
    value = number(value, _("figure"))
    note = _text(note, _("note"), 300, required=False)
    try:
        with transaction.atomic():
            if indicator.actuals.count() >= MAX_ACTUALS:
                raise Refused(_("This indicator has %(n)s figures, the most it can hold.") % {"n": MAX_ACTUALS},
                              status=409)
            return Actual.objects.create(indicator=indicator, on=on, value=value, note=note, entered_by=member)
    except IntegrityError:
        raise Refused(_("There is already a figure for %(day)s. Choose another date.") % {"day": on.isoformat()},
                      status=409) from None


# --- The small chart: pure geometry ----------------------------------------------------------

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 320, 140, 8, 8, 12, 22


def chart(baseline, target, actuals, start=None, end=None):
    """Where to draw an indicator: `actuals` is [(date, value)] in date order. Returns the SVG's
    size, the baseline's and target's y, the line's points and each point's place, with dates
    along x (from the first date known to the last) and values along y (with a margin)."""
    days = [d for d, _v in actuals] + [d for d in (start, end) if d]
    first = min(days) if days else date.today()
    last = max(days) if days else first
    values = [float(v) for _d, v in actuals] + [float(baseline), float(target)]
    low, high = min(values), max(values)
    margin = (high - low) * 0.08 or 1.0
    low, high = low - margin, high + margin
    span_days = max((last - first).days, 1)
    inner_w, inner_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM

    def x(day):
        return round(PAD_LEFT + inner_w * ((day - first).days / span_days), 1)

    def y(value):
        return round(PAD_TOP + inner_h * (1 - (float(value) - low) / (high - low)), 1)

    points = [(x(d), y(v), d, v) for d, v in actuals]
    return {
        "width": WIDTH, "height": HEIGHT, "left": PAD_LEFT, "right": WIDTH - PAD_RIGHT,
        "baseline_y": y(baseline), "target_y": y(target), "points": points,
        "line": " ".join(f"{px},{py}" for px, py, _d, _v in points),
        "first": first, "last": last, "axis_y": HEIGHT - PAD_BOTTOM + 14,
    }


def towards_target(baseline, target, value):
    """How far a figure has come from the baseline towards the target, in % (can pass 100 or go
    below 0 when it moved the wrong way)."""
    baseline, target, value = float(baseline), float(target), float(value)
    if target == baseline:
        return None
    return round(100 * (value - baseline) / (target - baseline))


def figure(value):
    """A figure as people write it: 28.5, 18, 5200 (no trailing zeros)."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text


def indicator_rows(collaborative):
    """Each indicator with its figures, its chart and how far the latest figure has come."""
    rows = []
    for indicator in collaborative.indicators.prefetch_related("actuals"):
        actuals = list(indicator.actuals.all())
        indicator.figures = actuals
        for actual in actuals:
            actual.shown = figure(actual.value)
        indicator.baseline_shown, indicator.target_shown = figure(indicator.baseline), figure(indicator.target)
        indicator.form_key = f"actual-{indicator.pk}"
        indicator.latest = actuals[-1] if actuals else None
        indicator.share = (towards_target(indicator.baseline, indicator.target, indicator.latest.value)
                           if indicator.latest else None)
        indicator.drawing = chart(indicator.baseline, indicator.target, [(a.on, a.value) for a in actuals],
                                  start=indicator.baseline_on, end=indicator.target_on)
        rows.append(indicator)
    return rows
