"""A collaborative's stored decision rules, which a new proposal starts from: read from its
charter's decision-making answer (rules.read_rules), or set by the convenor, else the defaults."""

from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.collaboratives import decisions, rules
from intersector.collaboratives.models import Decision, DecisionRules
from intersector.refusals import Refused

CHARTER_ELEMENT = "decision-making"  # the scorecard's "Collective decision-making" element


def rules_of(collaborative):
    """The collaborative's decision rules: stored ones, else the defaults (not saved)."""
    return DecisionRules.objects.filter(collaborative=collaborative).first() or DecisionRules(
        collaborative=collaborative, kind=rules.DEFAULT_KIND, quorum=rules.DEFAULT_QUORUM,
        threshold=rules.DEFAULT_THRESHOLD, threshold_of=rules.DEFAULT_THRESHOLD_OF,
        threshold_rule=rules.DEFAULT_THRESHOLD_RULE)


def _store_rules(collaborative, **values):
    values.setdefault("updated", timezone.now())
    stored, _created = DecisionRules.objects.update_or_create(collaborative=collaborative, defaults=values)
    return stored


def rules_from_charter(collaborative, convenor=None):
    """Read the rules from the linked charter's decision-making answer and keep them as the
    collaborative's rules (what the charter does not say keeps the defaults). Without a charter:
    Refused. Returns (the stored rules, rules.Rules read: its `found` says what the charter named)."""
    charter = collaborative.charter
    if charter is None:
        raise Refused(_("Link the collaborative's charter first: the rules are read from it."), status=409)
    text = charter.texts.filter(element=CHARTER_ELEMENT).values_list("text", flat=True).first() or ""
    read = rules.read_rules(text)
    stored = _store_rules(collaborative, kind=read.kind, quorum=read.quorum, threshold=read.threshold,
                          threshold_of=read.threshold_of, threshold_rule=read.threshold_rule, source="charter", quote=read.quote[:2000], charter_name=charter.name,
                          updated_by=convenor)
    return stored, read


def set_rules(collaborative, convenor, *, kind, quorum, threshold, threshold_of=100, threshold_rule=rules.AT_LEAST):
    """The convenor's own rules (the charter's quote is kept to show what it said)."""
    if kind not in Decision.Kind.values:
        raise Refused(_("Choose the kind of decision."), status=400)
    quorum = decisions.check_share(quorum, _("quorum"))
    threshold, threshold_of, threshold_rule = decisions.check_threshold(threshold, threshold_of, threshold_rule)
    return _store_rules(collaborative, kind=kind, quorum=quorum, threshold=threshold, threshold_of=threshold_of,
                        threshold_rule=threshold_rule, source="convenor", updated_by=convenor)
