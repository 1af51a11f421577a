from django.utils.translation import gettext_lazy as _

from intersector.workshops.activities.base import Activity, Export


def header():
    return ["activity", "table", "taps"]


def rows(workshop):
    for item in workshop.items.filter(kind="tally"):
        tables = {str(table.pk): table.number for table in workshop.tables.all()}
        for table_id, taps in sorted((item.state.get("taps") or {}).items()):
            yield [item.title, tables.get(table_id, "?"), taps]


class Tally(Activity):
    kind = "tally"
    label = _("Tally")
    help = _("Each table counts taps.")
    board_events = ("tally.changed",)
    phone_events = ("tally.changed",)

    def participant_context(self, item, participant):
        taps = item.state.get("taps") or {}
        return {"table_taps": taps.get(str(participant.table_id), 0) if participant.table_id else None}

    def facilitator_context(self, item):
        return {"taps": item.state.get("taps") or {}}

    screen_context = results_context = facilitator_context

    def urls(self):
        from tests.workshops.tally import views

        return views.participant_urls, views.facilitator_urls

    def exports(self):
        return [Export("taps.csv", _("Download the taps (CSV)"), header, rows)]


activity = Tally()
