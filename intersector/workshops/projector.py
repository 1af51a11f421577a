"""The room's projector: /w/<code>/screen, and the board it reloads (/w/<code>/screen/now).

The room reads it from far away for hours: one screen at a time that fits the projector without
scrolling (projector.css), the join code and QR code large while people join, an ending screen
that no longer invites anyone. A screen reloads its board when a live event comes, at most about
once a second (projector.js); the board is rendered once per change and kept in the cache, so
several screens, and a round with hundreds of notes a minute, cost one rendering per change.
"""

import re
import time
from collections import Counter

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from intersector import shared_responses
from intersector.accounts.models import Sector
from intersector.live import current_event_id
from intersector.workshops import activities, services, texts
from intersector.workshops.access import refused
from intersector.workshops.models import Workshop, normalise_code

# A rendering is reused only for the change it was made at (or a later one, see board_html);
# this only bounds how long an unused one stays in the cache.
BOARD_CACHE_SECONDS = 60
POSITION = re.compile(r"^(.+)-(\d+)$")


def problem(request, refusal):
    return refused(request, refusal, "workshops/phone/problem.html")


def not_theirs(request):
    return problem(request, services.Refused(_("Only the people who run this workshop can open its projector view."), 404))


def projector_workshop(request, code):
    return Workshop.objects.run_by(request.user).filter(code=normalise_code(code)).first()


def people_by_sector(workshop):
    """[(sector, label, people)] for the sectors present, in the sectors' usual order."""
    counts = Counter(dict(workshop.participants.order_by().values_list("sector").annotate(n=Count("pk"))))
    return [(value, label, counts[value]) for value, label in Sector.choices if counts[value]]


def projector_language(workshop):
    """(the language of the projector's own words, the language of the workshop's texts on it):
    the workshop's projector setting, else the workshop's own language; with texts.BOTH, every
    language's text side by side around the workshop's own words."""
    chosen = workshop.projector_language or workshop.language
    return (workshop.language if chosen == texts.BOTH else chosen), chosen


def projector_context(request, workshop, language, position=None):
    """Read the live position BEFORE the data, so the board is at least as new as the position."""
    if position is None:
        position = current_event_id(workshop.topic)
    workshop = Workshop.objects.select_related("current_item").get(pk=workshop.pk)
    item = workshop.current_item
    sectors = people_by_sector(workshop)
    workshop = texts.shown_in(workshop, language)
    join_url = request.build_absolute_uri(workshop.join_path)
    context = {"workshop": workshop, "live_position": position, "board_events": activities.board_events(),
               "screen_styles": activities.screen_styles(), "join_url": join_url,
               "join_address": join_url.split("://", 1)[-1].rstrip("/"),
               "people": sum(n for _value, _label, n in sectors), "sectors": sectors,
               "ended": workshop.status == Workshop.Status.ENDED, "item": None}
    if item and not context["ended"]:
        item.workshop = workshop
        item = texts.shown_in(item, language)
        context.update(item=item, activity_template=item.activity.template("screen"))
        context.update(item.activity.screen_context(item))
    return context


@never_cache
@require_safe
def projector(request, code):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    workshop = projector_workshop(request, code)
    if workshop is None:
        return not_theirs(request)
    words, shown = projector_language(workshop)
    with translation.override(words):
        return render(request, "workshops/projector.html", projector_context(request, workshop, shown))


def not_older(position, heard):
    """Whether a board rendered at `position` already shows the event `heard` (same epoch, a
    sequence number at least as high; see intersector/live/events.py)."""
    have, want = POSITION.match(position or ""), POSITION.match(heard or "")
    return bool(have and want and have[1] == want[1] and int(have[2]) >= int(want[2]))


def board_html(request, workshop):
    """The board as of now, rendered once per change for every screen of the workshop (in its
    languages, at this address). A screen that says which event it has heard (?at=) may get a
    rendering made since that event, even if newer events are on their way: it hears them next
    and asks again, so it never keeps an old board."""
    words, shown = projector_language(workshop)
    key = f"projector:{workshop.pk}:{words}:{shown}:{request.get_host()}"
    position = current_event_id(workshop.topic)
    kept = cache.get(key)
    if kept and position and (kept[0] == position or not_older(kept[0], request.GET.get("at"))):
        return kept[1]
    with translation.override(words):
        context = projector_context(request, workshop, shown, position)
        html = render_to_string("workshops/projector.html#board", context, request)
    if position:  # without a position (live layer down) no change can be told apart: never reuse
        cache.set(key, (position, html), BOARD_CACHE_SECONDS)
    return html


@never_cache
@require_safe
def projector_now(request, code):
    workshop = projector_workshop(request, code)
    if workshop is None:
        return not_theirs(request)
    response = HttpResponse(board_html(request, workshop))
    # A kept board's countdown was rendered earlier: the screen sets its clock from this instead.
    response[shared_responses.SERVED_AT] = str(int(time.time() * 1000))
    return response
