from django.utils.translation import gettext_lazy as _

from intersector.workshops.activities.base import Activity


def _standing(decision):
    """What every screen shows of the decision: the result so far (or final), who took part, and
    each option's (or answer's) figure with its share of the largest, for the bars."""
    from intersector.collaboratives import decisions
    from intersector.collaboratives.models import Decision, Vote

    if decision is None:
        return {"decision": None}
    is_open = decision.status == Decision.Status.OPEN
    if is_open:
        now = decisions.current_outcome(decision)
        result, counts, took_part, seats = now.result, now.counts, now.took_part, now.seats
    else:
        tally = decision.tally or {}
        result, counts = decision.result, tally.get("counts", {})
        took_part, seats = tally.get("took_part", 0), tally.get("seats", 0)
    if decision.has_options:
        rows = [(o.pk, o.label, counts.get(o.pk, counts.get(str(o.pk), 0))) for o in decision.options.all()]
    else:
        rows = [(key, label, counts.get(key, 0)) for key, label in Vote.Choice.choices
                if key in (Vote.Choice.AGREE, Vote.Choice.ABSTAIN, Vote.Choice.OBJECT)]
    top = max([n for _pk, _label, n in rows] + [1])
    shown = []
    for pk, label, n in rows:
        figure = f"{n / took_part:.1f}" if decision.kind == Decision.Kind.SCORE and took_part else n
        shown.append({"key": pk, "label": label, "figure": figure, "share": round(100 * n / top)})
    return {"decision": decision, "is_open": is_open, "result": result, "took_part": took_part, "seats": seats,
            "rows": shown, "result_label": dict(Decision.Result.choices).get(result, "")}


class DecisionItem(Activity):
    kind = "decision"
    label = _("Decision")
    help = _("Put a collaborative's open decision to the room: its representatives vote on their phones and the "
             "result goes to the collaborative's decision log.")
    board_events = ("decision.voted",)
    phone_events = ("decision.voted",)
    console_styles = ("decision/decision.css",)
    phone_styles = ("decision/decision.css",)
    settings_template = "decision/settings.html"

    def default_config(self):
        return {"decision": None}

    def copy_config(self, config):
        return {"decision": None}  # a decision is put to one room: a copied workshop chooses again

    def _context(self, item):
        from intersector.workshops.activities.decision import services

        return _standing(services.decision_of(item))

    def participant_context(self, item, participant):
        return self._context(item)

    def facilitator_context(self, item):
        return self._context(item)

    def screen_context(self, item):
        return self._context(item)

    def results_context(self, item):
        return self._context(item)

    def on_start(self, item):
        from intersector.workshops.activities.decision import services

        services.put_to_room(item)

    def urls(self):
        from intersector.workshops.activities.decision import views

        return views.participant_urls, views.facilitator_urls


activity = DecisionItem()
