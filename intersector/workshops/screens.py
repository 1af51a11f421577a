"""One phone screen for the whole room: rendered once per screen version and language, its
personal parts filled in by each phone a moment later.

After a console change every phone wants its new screen within the second. When the running
item's kind says its phone screen is the same for everyone (Activity.phone_shared: a blind
round of notes, a talk, the waiting and ending screens), the phone asks for
w/<code>/screens/<key>/<language>/<version>, where version is the position of the event it
heard in the phones' topic. The server renders that screen once (per process) and answers the
other 999 from memory (intersector/shared_responses.py). The screen holds no one's own content:
the parts that are a person's own (their notes, their votes, their count) are empty elements
data-mine="<name>" that the phone fills from w/<code>/mine, its own small request, sent after
a random wait of up to `data-mine-spread` ms so 1,000 such requests do not arrive at once.

Never stale: an answer is kept only for a version that has been published (not later than the
topic's position, read before the database), so what it shows is at least as new as that
version's change; a newer change is a newer version, hence a newer URL.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from intersector.live import current_event_id
from intersector.live.events import parse_event_id
from intersector.workshops import texts
from intersector.workshops.models import Workshop

PATH_PATTERN = r"^/w/[^/]+/screens/"  # what shared_responses answers once per process
# The phones' own requests for their personal parts are spread over this many ms per person
# (1,000 phones: 5 s), at most MAX_SPREAD_MS: about what one such request costs the server (3-6 ms
# of CPU on the 2-core machines), so they arrive no faster than one process answers them.
SPREAD_MS_PER_PERSON = 5
MAX_SPREAD_MS = 10000


def key_for(workshop):
    """The capability in the screens' URL: every participant gets it with their page; nobody
    else can guess it. The same for the whole room (a per-person token would make 1,000 URLs of
    one answer), so not a tokens.Kind link: it opens nothing but the screen everyone there sees."""
    return salted_hmac("workshops.screens", f"{workshop.pk}:{workshop.code}").hexdigest()[:20]


def screens_url(workshop, language):
    """Where the phone asks for a shared screen: this, followed by the event's position."""
    return reverse("workshops:shared_screen", args=[workshop.code, key_for(workshop), language, "0"])[:-1]


def language_known(language):
    return language in {code for code, _name in settings.LANGUAGES}


def published(version, position):
    """Whether `version` (a position in the phones' topic) is not later than `position`, the
    topic's current one: only then does a rendering made now show that version or newer."""
    asked, now = parse_event_id(version), parse_event_id(position)
    return asked is not None and now is not None and asked[0] == now[0] and asked[1] <= now[1]


def current(workshop):
    """(the phones' topic position, the workshop read after it) for a rendering to keep."""
    position = current_event_id(workshop.phone_topic())
    workshop = Workshop.objects.select_related("current_item").get(pk=workshop.pk)
    return position, workshop


def shared_context(workshop):
    """The phone screen's context for everyone at once (participant None), in the active
    language (texts.current()), or None when the running item's kind shows each phone its own
    screen."""
    language = texts.current()
    item = workshop.current_item
    workshop = texts.shown_in(workshop, language)
    if item is not None:
        item.workshop = workshop
        item = texts.shown_in(item, language)
    context = {"workshop": workshop, "participant": None, "item": item, "shared": True}
    if item and workshop.status == Workshop.Status.LIVE:
        if not item.activity.phone_shared:
            return None
        context["activity_template"] = item.activity.template("participant")
        context.update(item.activity.participant_context(item, None))
        people = workshop.participants.count()
        context["mine_spread"] = min(MAX_SPREAD_MS, SPREAD_MS_PER_PERSON * people)
    return context
