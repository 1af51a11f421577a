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

Pushed, not fetched: even answered from memory, 1,000 phones fetching at once queue for
seconds. So a console change's screen.changed event to the phones carries the new screen itself
(push_screen): rendered once per language right after the commit, its bytes encoded once for the
whole fan-out (live's Event.frame). With it, `asof`: the topic's position read before the
database. A phone shows the pushed screen only when its event comes straight after `asof` (no
other event of the phones' topic slipped in between, so nothing newer can be missing from it);
otherwise, and for a kind without a shared screen, it asks for the screen at the event's
position as before. The pushed screen is the same as the kept one: nothing confidential, nobody's
own content (the security crawl reads the events too).

One screen per audience: a kind whose phones see what their table sees (the case simulation,
Activity.phone_audiences) names each person's audience ("t12-act-<roster>": table 12's role holders
as they sit now; the roster part changes when anyone joins, leaves or changes seat there, so a
screen kept from memory is never answered to someone who has left: the old address stops growing
new screens and the people still there learn the new one from X-Screens). Their
page gets that audience's own key (screens_url(..., audience), "<audience>~<capability>") and asks
by its position in every topic it follows (the phones' and the table's, joined by a comma:
#live data-screens-whole), since a table's change moves only the table's topic. The screen is
rendered once per audience, version and language, never pushed in an event; someone not in the
audience (moved to another table) is answered with their own screen, never kept.
"""

import json
import logging
import time

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac

from intersector.live import current_event_id, publish
from intersector.live.events import MAX_SCREEN_BYTES, parse_event_id
from intersector.workshops import texts
from intersector.workshops.models import Workshop

PATH_PATTERN = r"^/w/[^/]+/screens/"  # what shared_responses answers once per process
# The phones' own requests for their personal parts are spread over this many ms per person
# (1,000 phones: 5 s), at most MAX_SPREAD_MS: about what one such request costs the server (3-6 ms
# of CPU on the 2-core machines), so they arrive no faster than one process answers them.
SPREAD_MS_PER_PERSON = 5
MAX_SPREAD_MS = 10000


def key_for(workshop, audience="", generation=None):
    """The capability in the screens' URL: every participant gets it with their page; nobody
    else can guess it. The same for the whole room (a per-person token would make 1,000 URLs of
    one answer), so not a tokens.Kind link: it opens nothing but the screen everyone there sees.
    An audience's screen (a table's, Activity.phone_audience) has its own key, which names it:
    "<audience>~<its capability>", given only to the people in that audience. Every key names the
    workshop's screens_generation, which goes up when someone is removed (people.remove_participant):
    a removed person knew the old keys, and a kept screen is answered from memory to whoever
    knows its address, so the addresses the room uses from then on must be new ones."""
    generation = workshop.screens_generation if generation is None else generation
    secret = f"{workshop.pk}:{workshop.code}:{generation}"
    if not audience:
        return salted_hmac("workshops.screens", secret).hexdigest()[:20]
    return f"{audience}~" + salted_hmac("workshops.screens", f"{secret}:{audience}").hexdigest()[:20]


# How many removals back a phone's screens key is still recognised as this workshop's (then the
# phone is told its new address instead of "reload the page").
GENERATIONS_RECOGNISED = 50


def _audience_named(key):
    return key.split("~", 1)[0] if "~" in key else ""


def audience_in(workshop, key):
    """The audience a screens key is for ("" for the whole room), or None when the key is not one
    of this workshop's current keys."""
    audience = _audience_named(key)
    return audience if constant_time_compare(key, key_for(workshop, audience)) else None


def outdated(workshop, key):
    """Whether `key` was one of this workshop's screens keys before someone was removed."""
    audience, current = _audience_named(key), workshop.screens_generation
    return any(constant_time_compare(key, key_for(workshop, audience, generation))
               for generation in range(max(0, current - GENERATIONS_RECOGNISED), current))


def screens_url(workshop, language, audience=""):
    """Where the phone asks for a shared screen: this, followed by the event's position."""
    return reverse("workshops:shared_screen", args=[workshop.code, key_for(workshop, audience), language, "0"])[:-1]


def audience_of(workshop, participant):
    """Which audience's screen this person's phone asks for while the running item shows one per
    audience (a table): its name, or "" when the item's screen is the room's or their own."""
    item = workshop.current_item
    if item is None or workshop.status != Workshop.Status.LIVE or not item.activity.phone_audiences:
        return ""
    item.workshop = workshop
    return item.activity.phone_audience(item, participant) or ""


def language_known(language):
    return language in {code for code, _name in settings.LANGUAGES}


def published(version, position):
    """Whether `version` (a position in the phones' topic, or in each of a phone's topics joined
    by commas) is not later than `position`, the topics' current one: only then does a rendering
    made now show that version or newer."""
    asked_parts, now_parts = str(version).split(","), str(position).split(",")
    if len(asked_parts) != len(now_parts):
        return False
    for asked, now in zip(map(parse_event_id, asked_parts), map(parse_event_id, now_parts)):
        if asked is None or now is None or asked[0] != now[0] or asked[1] > now[1]:
            return False
    return True


def current(workshop, topics=None):
    """(the phones' topic position, or the position in `topics`; the workshop read after it) for
    a rendering to keep."""
    position = current_event_id(topics or workshop.phone_topic())
    workshop = Workshop.objects.select_related("current_item").get(pk=workshop.pk)
    return position, workshop


def shared_context(workshop, audience=""):
    """The phone screen's context for everyone at once (participant None), or for everyone in
    `audience` (Activity.phone_audience_context), in the active language (texts.current()); None
    when the running item's kind shows each phone its own screen."""
    language = texts.current()
    item = workshop.current_item
    workshop = texts.shown_in(workshop, language)
    if item is not None:
        item.workshop = workshop
        item = texts.shown_in(item, language)
    context = {"workshop": workshop, "participant": None, "item": item, "shared": True}
    if item and workshop.status == Workshop.Status.LIVE:
        if audience:
            if not item.activity.phone_audiences:
                return None
            own = item.activity.phone_audience_context(item, audience)
            if own is None:
                return None
            context.update(own)
            # Only this audience's phones ask at once (a table): their wait is spread by their number.
            people = own.get("audience_size", 1)
        elif not item.activity.phone_shared:
            return None
        else:
            context.update(item.activity.participant_context(item, None))
            people = workshop.participants.count()
        context["activity_template"] = item.activity.template("participant")
        context["mine_spread"] = min(MAX_SPREAD_MS, SPREAD_MS_PER_PERSON * people)
    return context


logger = logging.getLogger("intersector.workshops")


def push_screen(workshop, data):
    """Tell every phone of `workshop` that its screen changed (screen.changed with `data`), with
    the room's new screen in every language in the event when the running item has one: after the
    commit, rendered once here instead of fetched by every phone."""
    transaction.on_commit(lambda: _push(workshop, data))


def _push(workshop, data):
    try:
        pushed = rendered(workshop)
    except Exception:  # the phones then ask for it, as before: a change is never held back
        logger.warning("The phones' screen of workshop %s was not rendered for its event", workshop.pk, exc_info=True)
        pushed = {}
    try:
        publish(workshop.phone_topic(), "screen.changed", {**data, **pushed}, max_bytes=MAX_SCREEN_BYTES)
    except ValueError:  # too big after all: the phones fetch it, the change still goes out
        publish(workshop.phone_topic(), "screen.changed", data)


def rendered(workshop):
    """{"asof": position, "screens": {language: html}} for the room's current screen, or {} when
    the running item's kind shows each phone its own (or the screens would make too big an event)."""
    position, workshop = current(workshop)
    if not position:
        return {}
    screens = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            context = shared_context(workshop)
            if context is None:
                return {}
            screens[language] = render_to_string("workshops/phone/screen.html#screen", context)
    # Measured as the event will be sent (JSON escapes quotes, newlines and accents), with room
    # left for the event's other fields.
    if len(json.dumps(screens, separators=(",", ":")).encode()) > MAX_SCREEN_BYTES - 1024:
        return {}
    return {"asof": position, "screens": screens, "rendered": int(time.time() * 1000)}
