"""Who may see what: facilitators (accounts) and participants (a signed cookie per workshop)."""

import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from intersector.workshops import passes
from intersector.workshops.models import Workshop, normalise_code
from intersector.refusals import Refused, refusal_response, wants_fragment  # noqa: F401
from intersector.workshops.services import workshop_and_participant


TOKEN_MAX_AGE = 7 * 24 * 3600


def cookie_name(workshop):
    return f"convene-{workshop.code}"  # the code is stored normalised (see normalise_code)


def give_pass(response, workshop, participant):
    """The phone's pass for this workshop, in a cookie only its pages see."""
    response.set_cookie(
        cookie_name(workshop), passes.token_for(participant), max_age=TOKEN_MAX_AGE,
        path=reverse("workshops:join", args=[workshop.code]), httponly=True, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def facilitated(view):
    """The view gets the workshop only if the signed-in person runs it; others get a 404."""

    @functools.wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        workshop = get_object_or_404(Workshop.objects.run_by(request.user), pk=pk)
        try:
            return view(request, workshop, *args, **kwargs)
        except Refused as refusal:
            return refused(request, refusal)

    return wrapper


def refused(request, refusal, template="workshops/refused.html"):
    return refusal_response(request, refusal, template)


def joined(view):
    """Participant views: the workshop from its code, and the participant from their cookie."""

    @functools.wraps(view)
    def wrapper(request, code, *args, **kwargs):
        token = request.COOKIES.get(f"convene-{normalise_code(code)}")
        try:
            workshop, participant = workshop_and_participant(code, token)
        except Refused as refusal:
            return refused(request, refusal, "workshops/phone/problem.html")
        kept = passes.merged_into(workshop, token) if participant is None and token else None
        if kept is not None:
            # This phone's entry was merged into `kept`: it carries on as them, with their pass.
            try:
                return give_pass(view(request, workshop, kept, *args, **kwargs), workshop, kept)
            except Refused as refusal:
                return refused(request, refusal, "workshops/phone/problem.html")
        if participant is None:
            return refused(request, Refused(
                _("This phone has not joined the workshop, or its pass is not valid. Open the join page and join again."),
                status=403), "workshops/phone/problem.html")
        try:
            return view(request, workshop, participant, *args, **kwargs)
        except Refused as refusal:
            return refused(request, refusal, "workshops/phone/problem.html")

    return wrapper


def item_of(workshop, item_pk):
    item = workshop.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404(_("That agenda item is not in this workshop."))
    return item
