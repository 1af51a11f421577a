"""The collaboration health check: its factors, the scoring (pure functions) and its actions.

Each person rates each factor 1-5 once per wave (they may change their answers until the
convenor closes it). Results are aggregates only, shown once the wave is closed (a result that
moved while one person answered would give their answer away):

- a mean per factor and per category (the mean of its factors' means), shown to one decimal;
  the band follows the shown mean, computed exactly (fractions, never floats): 4.0 and above is
  a strength, 3.0 to 3.9 deserves discussion, under 3.0 needs attention;
- the same split by sector (the partner organisation's), with the gap between the sectors;
- no figure for a group with fewer than 3 answers ("fewer than 3 answers"), and when hiding one
  group would still let the total give it away, the next smallest is hidden with it;
- the change since the previous closed wave.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

import yaml
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from intersector.accounts.models import Sector
from intersector.collaboratives.models_health import HealthResponse, HealthWave
from intersector.refusals import Refused

FACTORS_FILE = Path(__file__).resolve().parents[2] / "content" / "collaboratives" / "health_factors.yaml"
FEWEST = 3  # answers a group needs before its figure is shown
STRENGTH, DISCUSS, ATTENTION = "strength", "discuss", "attention"
CONVENORS = ""  # the sector recorded for a convenor who takes part for no partner


# --- The factors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    key: str
    category: str
    text: dict  # {"en": ..., "es": ...}

    @property
    def statement(self):
        return _in_language(self.text)


@dataclass(frozen=True)
class Category:
    key: str
    title_text: dict
    factors: tuple

    @property
    def title(self):
        return _in_language(self.title_text)


def _in_language(texts):
    language = (get_language() or "en").split("-")[0]
    return texts.get(language) or texts["en"]


@cache
def categories():
    data = yaml.safe_load(FACTORS_FILE.read_text(encoding="utf-8"))
    return tuple(
        Category(c["key"], c["title"], tuple(Factor(f["key"], c["key"], {"en": f["en"], "es": f["es"]})
                                             for f in c["factors"]))
        for c in data["categories"])


def factors():
    return [factor for category in categories() for factor in category.factors]


# --- Scoring (pure) --------------------------------------------------------------------------


def shown(mean):
    """The mean as shown, to one decimal with halves up (exact: 3.95 is 4.0, 3.94 is 3.9)."""
    if mean is None:
        return None
    mean = Fraction(mean)
    return (Decimal(mean.numerator) / Decimal(mean.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def band(mean):
    """strength (4.0 and above), discuss (3.0 to 3.9) or attention (under 3.0), of the shown mean."""
    if mean is None:
        return None
    value = shown(mean)
    if value >= Decimal("4.0"):
        return STRENGTH
    if value >= Decimal("3.0"):
        return DISCUSS
    return ATTENTION


def mean_of(values):
    values = list(values)
    return Fraction(sum(values), len(values)) if values else None


@dataclass
class Figure:
    """One mean with its answer count; `hidden` when too few answered for it to be shown."""

    count: int
    mean: object = None  # Decimal, one decimal, or None when hidden or nobody answered
    band: str = None
    hidden: bool = False
    change: object = None  # Decimal since the previous wave, or None
    exact: object = None  # the Fraction behind `mean`, for the category's mean

    @property
    def too_few(self):
        return self.hidden and self.count > 0

    @property
    def change_text(self):
        return "0.0" if not self.change else f"{self.change:+}"


def figure(values, hide=False):
    values = list(values)
    if not values or hide or len(values) < FEWEST:
        return Figure(count=len(values), hidden=bool(values))
    mean = mean_of(values)
    return Figure(count=len(values), mean=shown(mean), band=band(mean), exact=mean)


def hidden_groups(counts):
    """Which groups' figures are hidden: those under FEWEST answers, and when those hidden add up
    to fewer than FEWEST (the total minus the shown groups would give them away), the smallest
    shown group with them."""
    hidden = {group for group, n in counts.items() if 0 < n < FEWEST}
    hidden_total = sum(counts[group] for group in hidden)
    if 0 < hidden_total < FEWEST:
        rest = sorted((n, group) for group, n in counts.items() if group not in hidden and n > 0)
        if rest:
            hidden.add(rest[0][1])
    return hidden


@dataclass
class Row:
    """A factor (or a category) with its overall figure and one figure per sector."""

    key: str
    label: str
    overall: Figure
    sectors: dict = field(default_factory=dict)  # sector key -> Figure
    gap: object = None  # Decimal: highest shown sector mean minus lowest, when two or more show

    @property
    def labelled(self):
        return [(fig, sector_label(sector)) for sector, fig in self.sectors.items()]


def split(values_by_sector):
    """{sector: [values]} -> (overall Figure, {sector: Figure}, gap)."""
    counts = {sector: len(values) for sector, values in values_by_sector.items()}
    hidden = hidden_groups(counts)
    everything = [v for values in values_by_sector.values() for v in values]
    overall = figure(everything)
    sectors = {sector: figure(values, hide=sector in hidden) for sector, values in values_by_sector.items()}
    means = [f.mean for f in sectors.values() if f.mean is not None]
    gap = max(means) - min(means) if len(means) >= 2 else None
    return overall, sectors, gap


def category_figure(factor_figures):
    """A category's mean is the mean of its shown factors' means (each factor counts the same);
    its count is the most answers any of its factors had."""
    means = [f.exact for f in factor_figures if f.exact is not None]
    count = max((f.count for f in factor_figures), default=0)
    if not means:
        return Figure(count=count, hidden=count > 0)
    mean = mean_of(means)
    return Figure(count=count, mean=shown(mean), band=band(mean), exact=mean)


def score(responses, sectors):
    """responses: [(sector, {factor key: value})]; sectors: the sector keys to split by, in order.

    Returns [(Category row, [factor rows])] with every figure computed as the module says."""
    result = []
    for category in categories():
        factor_rows = []
        for factor in category.factors:
            by_sector = {sector: [] for sector in sectors}
            for sector, values in responses:
                value = values.get(factor.key)
                if value is not None:
                    by_sector.setdefault(sector, []).append(value)
            overall, per_sector, gap = split(by_sector)
            factor_rows.append(Row(factor.key, factor.statement, overall, per_sector, gap))
        per_sector = {sector: category_figure([row.sectors[sector] for row in factor_rows]) for sector in sectors}
        means = [f.mean for f in per_sector.values() if f.mean is not None]
        gap = max(means) - min(means) if len(means) >= 2 else None
        row = Row(category.key, category.title, category_figure([r.overall for r in factor_rows]), per_sector, gap)
        result.append((row, factor_rows))
    return result


def add_changes(current, previous):
    """Set each figure's change since the previous wave's (both shown); returns current."""
    before = {}
    for category_row, factor_rows in previous:
        for row in [category_row, *factor_rows]:
            before[row.key] = row
    for category_row, factor_rows in current:
        for row in [category_row, *factor_rows]:
            old = before.get(row.key)
            if old is None:
                continue
            for now, then in [(row.overall, old.overall),
                              *[(f, old.sectors.get(s)) for s, f in row.sectors.items()]]:
                if then is not None and now.mean is not None and then.mean is not None:
                    now.change = now.mean - then.mean
    return current


# --- Reading ---------------------------------------------------------------------------------


SECTOR_ORDER = [key for key, _label in Sector.choices]


def sector_label(key):
    if key == CONVENORS:
        return _("Convenors")
    return dict(Sector.choices).get(key, key)


def responses_of(wave):
    return [(r.sector, _clean(r.values)) for r in wave.responses.all()]


def _clean(values):
    known = {f.key for f in factors()}
    return {k: v for k, v in (values or {}).items() if k in known and isinstance(v, int) and 1 <= v <= 5}


def results(wave):
    """The wave's scored results with the change since the previous closed wave, and the sectors."""
    responses = responses_of(wave)
    present = {sector for sector, _values in responses}
    sectors = [s for s in [*SECTOR_ORDER, CONVENORS] if s in present]
    current = score(responses, sectors)
    previous_wave = (HealthWave.objects.filter(collaborative=wave.collaborative, number__lt=wave.number,
                                               closed__isnull=False).order_by("-number").first())
    if previous_wave is not None:
        add_changes(current, score(responses_of(previous_wave), sectors))
    return {"rows": current, "sectors": [(s, sector_label(s)) for s in sectors], "count": len(responses),
            "previous": previous_wave}


# --- Actions ---------------------------------------------------------------------------------


def open_wave(collaborative, convenor):
    with transaction.atomic():
        if collaborative.health_waves.filter(closed__isnull=True).exists():
            raise Refused(_("A health check is already open. Close it before opening the next."), status=409)
        last = collaborative.health_waves.order_by("-number").first()
        try:
            with transaction.atomic():
                return HealthWave.objects.create(collaborative=collaborative, opened_by=convenor,
                                                 number=(last.number + 1) if last else 1)
        except IntegrityError:  # a second click at the same moment
            raise Refused(_("A health check is already open. Close it before opening the next."),
                          status=409) from None


def close_wave(wave):
    with transaction.atomic():
        wave = HealthWave.objects.select_for_update().get(pk=wave.pk)
        if wave.closed is not None:
            raise Refused(_("This health check is already closed."), status=409)
        wave.closed = timezone.now()
        wave.save(update_fields=["closed"])
    return wave


def read_answers(post):
    """{factor key: 1..5} from a form's fields "factor-<key>"; blank is "not sure". Refused for
    anything else, naming the statement, so nothing is half saved."""
    values = {}
    for factor in factors():
        raw = (post.get(f"factor-{factor.key}") or "").strip()
        if not raw:
            continue
        if raw not in ("1", "2", "3", "4", "5"):
            raise Refused(_("Rate “%(statement)s” from 1 to 5, or leave it as “Not sure”.")
                          % {"statement": factor.statement}, status=400)
        values[factor.key] = int(raw)
    if not values:
        raise Refused(_("Rate at least one statement from 1 to 5 before sending."), status=400)
    return values


def answer(wave, member, values):
    """Save (or replace) this member's answers in an open wave."""
    if member is None:
        raise Refused(_("Only the collaborative's partners and convenors answer its health check."), status=403)
    with transaction.atomic():
        wave = HealthWave.objects.select_for_update().get(pk=wave.pk)
        if wave.closed is not None:
            raise Refused(_("This health check closed on %(day)s: answers can no longer be changed. "
                            "Its results are on the health check page.")
                          % {"day": timezone.localtime(wave.closed).date().isoformat()}, status=409)
        sector = member.partner.organisation.sector if member.partner_id else CONVENORS
        response, _created = HealthResponse.objects.update_or_create(
            wave=wave, member=member, defaults={"values": values, "sector": sector, "answered": timezone.now()})
    return response
