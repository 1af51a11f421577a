"""The interface every activity kind offers. Each view function gets the item and either the
participant (phone) or nothing (facilitator, projector, results) and returns template context."""

from django.utils.translation import gettext_lazy as _


class Activity:
    kind = ""
    label = ""
    help = ""

    # Templates: workshops/activities/<kind>/<view>.html unless overridden.
    def template(self, view):
        return f"workshops/activities/{self.kind}/{view}.html"

    def default_config(self):
        return {}

    def copy_config(self, config):
        """What a duplicated workshop keeps: the set-up, never what participants did."""
        return dict(config)

    def participant_context(self, item, participant):
        return {}

    def facilitator_context(self, item):
        return {}

    def screen_context(self, item):
        return {}

    def results_context(self, item):
        return {}

    def on_start(self, item):
        """Called inside the transaction that makes the item current."""

    # Extra URLs: participant ones under w/<code>/<kind>/, facilitator ones under
    # convene/<pk>/items/<item_pk>/<kind>/.
    participant_urls = []
    facilitator_urls = []

    def urls(self):
        """(participant_urls, facilitator_urls) of the kind, imported when the URLconf loads."""
        return [], []


class SimpleActivity(Activity):
    """A talk, a break, an open discussion: a title, a text for the phones, and the timer."""

    def template(self, view):
        return f"workshops/activities/simple/{view}.html"

    def default_config(self):
        return {"text": ""}

    def participant_context(self, item, participant):
        return {"text": item.config.get("text", "")}

    screen_context = facilitator_context = results_context = (
        lambda self, item: {"text": item.config.get("text", "")}
    )


NO_TEXT = _("Nothing to do on your phone right now.")
