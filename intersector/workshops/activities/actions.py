"""View decorators for a kind's own URLs: the permission check, the item, refusals and the answer.

    @participant_action(activity)
    def add_note(request, item, participant):
        services.add_note(item, participant, ...)
        return _("Saved.")                      # shown on the phone's screen

    @facilitator_action(activity)
    def round_view(request, item):
        services.open_round(item)               # None: back to the console

A Refused raised inside becomes the right answer (intersector/refusals.py): a small alert for
the phone's fetch or htmx, otherwise a page.
"""

import functools

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from intersector.refusals import Refused, wants_fragment
from intersector.workshops.access import facilitated, item_of, joined


def participant_action(activity):
    """A phone's POST under w/<code>/<kind>/. The view gets (request, item, participant, ...),
    item being the workshop's current item, which must be of this kind. It returns a short
    message (or None); the phone then gets its screen back with that message (a fragment for its
    own fetch, else a redirect to its page), or the view returns a response of its own."""

    def decorate(function):
        @functools.wraps(function)
        @require_POST
        @joined
        def view(request, workshop, participant, **kwargs):
            item = workshop.current_item
            if workshop.status == workshop.Status.ENDED:
                raise Refused(_("This workshop has ended. Thank you for taking part."), status=409)
            if item is None or item.kind != activity.kind:
                raise Refused(_("%(activity)s is not running right now.") % {"activity": activity.label}, status=409)
            item.workshop = workshop  # the same row, read once per request
            answer = function(request, item, participant, **kwargs)
            if isinstance(answer, HttpResponse):
                return answer
            return phone_screen(request, workshop, participant, answer)

        return view

    return decorate


def phone_screen(request, workshop, participant, saved=None):
    """The phone's screen after its own action: the fragment for its fetch, else its page. A form
    that asks for its own parts only (phone.js sends X-Convene-Answer: mine for the forms of a
    shared screen) gets those: its person's notes and counts, not the whole screen again. A room
    of 1,000 writes 100 notes a second, and re-rendering each writer's screen was most of a note's
    server time (a kind may answer smaller still, e.g. with just the item the phone added)."""
    if wants_fragment(request):
        from intersector.workshops.public_views import own_parts, screen_context

        if request.headers.get("X-Convene-Answer") == "mine":
            answer = own_parts(request, workshop, participant, saved)
            if answer is not None:
                return answer

        context = screen_context(workshop, participant, fragment=True)
        context["saved"] = saved
        return render(request, "workshops/phone/screen.html#screen", context)
    return redirect("workshops:join", workshop.code)


def facilitator_action(activity, *, read_only=False):
    """A facilitator's view under convene/<pk>/items/<item_pk>/<kind>/. Only people who run the
    workshop get past it (others: 404); the item must be of this kind (else 404). POST, or GET
    and HEAD with read_only=True (never cached). The view gets (request, item, ...) with
    item.workshop set and returns a response, or None for the usual answer: the console's "now"
    panel to htmx, else back to the console."""

    def decorate(function):
        @functools.wraps(function)
        @facilitated
        def view(request, workshop, item_pk, **kwargs):
            item = item_of(workshop, item_pk)
            if item.kind != activity.kind:
                raise Refused(_("This agenda item is not of the kind “%(activity)s”.") % {"activity": activity.label},
                              status=404)
            item.workshop = workshop
            answer = function(request, item, **kwargs)
            if answer is None:
                return console_now(request, workshop)
            return answer

        checked = require_safe(never_cache(view)) if read_only else require_POST(view)
        return functools.wraps(function)(checked)

    return decorate


def console_now(request, workshop):
    from intersector.workshops.views import after_post

    return after_post(request, workshop, "now")
