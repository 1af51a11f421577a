"""Public side: joining by code, the phone screen and the QR code (the projector: projector.py)."""

import io
import time
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods, require_safe

from intersector import limits, shared_responses
from intersector.accounts.models import Sector
from intersector.live import current_event_id
from intersector.live.views import poll_response, stream_response, streams
from intersector.workshops import activities, people, screens, services, texts
from intersector.workshops.access import TOKEN_MAX_AGE, cookie_name, give_pass, joined, refused  # noqa: F401
from intersector.workshops.models import Workshop, normalise_code

# Joins per address per minute: a conference Wi-Fi puts hundreds of phones behind one address.
JOINS = limits.Limit("convene-join", "CONVENE_JOIN_LIMIT", 60)


def problem(request, refusal):
    return refused(request, refusal, "workshops/phone/problem.html")


@require_safe
def enter_code(request):
    code = normalise_code(request.GET.get("code", ""))
    if code:
        return redirect("workshops:join", code)
    return render(request, "workshops/phone/enter_code.html")


def screen_context(workshop, participant, fragment=False):
    """What the phone shows. A whole page reads its live position first (so the stream replays
    whatever happens meanwhile); a fragment after the participant's own action reuses the
    workshop row its request has just read, as the action changed nothing but its own rows.
    Titles, prompts and texts are in the phone's language (texts.current(), texts.py)."""
    if fragment:
        position = ""
    else:
        position = current_event_id(workshop.phone_topics(participant))
        workshop = Workshop.objects.select_related("current_item").get(pk=workshop.pk)
    language = texts.current()
    item = workshop.current_item
    workshop = texts.shown_in(workshop, language)
    if item is not None:
        item.workshop = workshop
        item = texts.shown_in(item, language)
    # A kind with one screen per audience (a table's): this phone asks for its audience's, by the
    # position in each of its topics (screens_whole), not only the room's.
    audience = "" if fragment else screens.audience_of(workshop, participant)
    context = {"workshop": workshop, "participant": participant, "item": item, "live_position": position,
               "phone_events": activities.phone_events(), "screens_whole": bool(audience),
               "screens_url": "" if fragment else screens.screens_url(workshop, language, audience), "language": language}
    if item and workshop.status == Workshop.Status.LIVE:
        context["activity_template"] = item.activity.template("participant")
        context.update(item.activity.participant_context(item, participant))
    return context


@gzip_page  # the phone's first load: its style and scripts are in the page (intersector/inline.py)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def join(request, code):
    try:
        workshop = services.find_workshop(code)
    except services.Refused as refusal:
        return problem(request, refusal)
    token = request.COOKIES.get(cookie_name(workshop))
    participant = services.participant_from_token(workshop, token)
    if participant is not None:
        context = screen_context(workshop, participant)
        context["rejoin"] = people.waiting(workshop).filter(participant=participant).last()  # "Is this you?"
        return render(request, "workshops/phone/screen.html", context)
    kept = people.merged_into(workshop, token) if token else None
    if kept is not None:
        # The facilitator merged this phone's entry into `kept`: carry on as them, told so.
        context = screen_context(workshop, kept)
        context["merged_notice"] = True
        return give_pass(render(request, "workshops/phone/screen.html", context), workshop, kept)
    shown = texts.shown_in(workshop, texts.current())  # its title in the phone's language
    if workshop.status == Workshop.Status.ENDED:
        # Only the ending, never a join form that cannot work.
        return render(request, "workshops/phone/ended.html", {"workshop": shown}, status=410)
    context = {"workshop": shown, "sectors": Sector.choices, "data": {}}
    if token:
        context["error"] = _("We could not recognise this phone's pass for this workshop. Please join again.")
    if request.method == "POST":
        return join_post(request, workshop, context)
    if request.GET.get("same"):  # "Is this you?" again, after its language switch
        return same_person(request, workshop, context, request.GET)
    return render(request, "workshops/phone/join.html", context, status=400 if token else 200)


def same_person(request, workshop, context, data):
    """ "Is this you?" for a name and sector someone already joined with; the join form with them
    filled in when nobody has (any more). Its language switch comes back here: a GET with the same
    name, sector and organisation (the question was the answer to a POST)."""
    same = people.same_person(workshop, data.get("display_name"), data.get("sector"))
    if not same:
        context["data"] = data
        return render(request, "workshops/phone/join.html", context)
    again = {"same": "1", **{field: data.get(field, "") for field in ("display_name", "sector", "organisation")}}
    return render(request, "workshops/phone/join_same.html",
                  {"workshop": context["workshop"], "same": same, "data": data, "sector": dict(Sector.choices).get(data.get("sector")),
                   "language_next": f"{workshop.join_path}?{urlencode(again)}"})


def join_post(request, workshop, context):
    wait = JOINS.hit(limits.client_address(request))
    if wait:
        context["error"] = _("Too many people are joining from this network at once. Wait a minute and try again.")
        response = render(request, "workshops/phone/join.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    name, sector = request.POST.get("display_name"), request.POST.get("sector")
    # Someone of this name and sector is in already: most likely this person, on another phone
    # or browser. Ask, rather than make a second of them (which the room would see twice).
    if not request.POST.get("someone_else") and people.same_person(workshop, name, sector):
        return same_person(request, workshop, context, request.POST)
    try:
        participant = services.join(workshop, name, sector, request.POST.get("organisation"))
    except services.Refused as refusal:
        context.update(error=refusal.message, data=request.POST)
        return render(request, "workshops/phone/join.html", context, status=refusal.status)
    return give_pass(redirect("workshops:join", workshop.code), workshop, participant)


@never_cache
@require_safe
@joined
def now(request, workshop, participant):
    return render(request, "workshops/phone/screen.html#screen", screen_context(workshop, participant, fragment=True))


@require_safe
@joined
def shared_screen(request, workshop, participant, key, language, version):
    """The phone's new screen after a console change, asked for by the event's position
    (`version`) in the phones' topic: one rendering for the whole room, kept and answered from
    memory for everyone else who asks (workshops/screens.py). For a kind whose phones each see
    their own screen, this phone's own screen, as /now gives it."""
    audience = screens.audience_in(workshop, key)
    if not screens.language_known(language) or audience is None and not screens.outdated(workshop, key):
        raise services.Refused(_("This screen's address is not valid any more. Reload the page."), status=404)
    if audience is None:  # an address from before someone was removed: this phone's own, and its new address
        return own_screen_instead(request, workshop, participant, language)
    mine = screens.audience_of(workshop, participant) if audience else ""
    if audience:  # a table's screen: at the position in each of this phone's topics
        position, workshop = screens.current(workshop, workshop.phone_topics(participant))
    else:
        position, workshop = screens.current(workshop)
    with translation.override(language):
        # Someone no longer in that audience (moved to another table) gets their own screen.
        context = screens.shared_context(workshop, audience) if audience == mine else None
        if context is None:
            return own_screen_instead(request, workshop, participant, language)
        # Without the request: no csrf_token or anyone's own data can get into the kept answer.
        response = HttpResponse(render_to_string("workshops/phone/screen.html#screen", context))
    response["Content-Language"] = language
    response[shared_responses.SERVED_AT] = str(int(time.time() * 1000))
    # A table's screen is kept only if this person still sat there once it was rendered: a move
    # that committed meanwhile makes a new audience address, and the old one must not hold what
    # the table did after the move (its former member still knows that address).
    still_there = not audience or screens.audience_of(workshop, participant) == audience
    if still_there and screens.published(version, position):
        shared_responses.keep(response)
        patch_cache_control(response, private=True, max_age=600)
    else:  # a position not published yet (or from another server life): shown, never kept
        add_never_cache_headers(response)
    return response


def own_screen_instead(request, workshop, participant, language):
    """This person's own screen, never kept, for a screens address that is not (or no longer)
    theirs; X-Screens tells their phone the address of the screen it shares now, if any (moved to
    another table, or their table's roster changed), so its next screens are kept ones again."""
    response = render(request, "workshops/phone/screen.html#screen", screen_context(workshop, participant, fragment=True))
    add_never_cache_headers(response)
    now = screens.audience_of(workshop, participant)
    if now or workshop.current_item_id and workshop.current_item.activity.phone_shared:
        response["X-Screens"] = screens.screens_url(workshop, language, now)
        response["X-Screens-Whole"] = "1" if now else "0"
    return response


@never_cache
@require_safe
@joined
def mine(request, workshop, participant):
    """A shared screen's personal parts for this phone (Activity.mine_context); 204 when the
    running item has none."""
    return own_parts(request, workshop, participant) or HttpResponse(status=204)


def own_parts(request, workshop, participant, saved=None):
    """The "mine" partial of the running item for this person (with `saved`, the words that say
    their action was done), or None when the running item has no shared screen."""
    item = workshop.current_item
    if item is None or workshop.status != Workshop.Status.LIVE or not (item.activity.phone_shared or item.activity.phone_audiences):
        return None
    item.workshop = workshop
    # Only phone.js asks for these, and it puts its page's csrf token into their forms (phone.js
    # completeForms): none is made per form here.
    context = {"workshop": workshop, "item": item, "participant": participant, "saved": saved,
               "phone_adds_token": True, **item.activity.mine_context(item, participant)}
    return render(request, f"{item.activity.template('participant')}#mine", context)


def follower(request, code):
    """What this visitor may follow, and as whom: the boards' topic for someone who runs the
    workshop (the projector), the phones' topic and their table's for a participant (one stream
    for both); (None, None) for anyone else."""
    try:
        workshop = services.find_workshop(code)
    except services.Refused:
        return None, None
    if Workshop.objects.run_by(request.user).filter(pk=workshop.pk).exists():
        return workshop.topic, None
    token = request.COOKIES.get(cookie_name(workshop))
    # A phone whose entry was just merged away follows the kept person (its next page gets their pass).
    participant = services.participant_from_token(workshop, token) or (people.merged_into(workshop, token) if token else None)
    if participant is not None:
        return workshop.phone_topics(participant), participant
    return None, None


def seat_changed_for(phone_topic, participant_pk):
    """A phone's stream ends right after an event that changes its seat (or everyone's): the
    phone reconnects on its new table's topic, so it never goes on hearing its old table's
    sheet, even while it keeps its page because someone is typing."""
    def ends_after(event):
        if event.event != "seat.changed" or event.topic != phone_topic:
            return False
        who = event.data.get("participant")
        return who is None or who == participant_pk

    return ends_after


@streams
@never_cache
@require_safe
def live(request, code):
    topic, participant = follower(request, code)
    if topic is None:
        raise services.Refused(_("Join the workshop to follow it."), status=403)
    if participant is None:
        return stream_response(request, topic)
    phone_topic = topic[0]  # Workshop.phone_topics: the workshop's phones first, then the table's
    return stream_response(request, topic, ends_after=seat_changed_for(phone_topic, participant.pk))


@never_cache
@require_safe
def live_poll(request, code):
    topic, _participant = follower(request, code)
    if topic is None:
        raise services.Refused(_("Join the workshop to follow it."), status=403)
    return poll_response(request, topic)


@require_safe
def qr_code(request, code):
    try:
        workshop = services.find_workshop(code)
    except services.Refused as refusal:
        return problem(request, refusal)
    url = request.build_absolute_uri(workshop.join_path)
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response
