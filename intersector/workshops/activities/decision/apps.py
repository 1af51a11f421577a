from intersector.workshops.activities import base


class DecisionKindConfig(base.KindConfig):
    name = "intersector.workshops.activities.decision"
    label = "decision"
    verbose_name = "Convene: decision"

    def ready(self):
        from intersector.collaboratives.decisions import changed
        from intersector.workshops.activities.decision.services import on_change

        changed.connect(on_change, dispatch_uid="decision-kind-rooms")
