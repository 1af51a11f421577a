"""Who may see what: facilitators (accounts) and participants (a signed cookie per workshop)."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from intersector.workshops.models import Workshop, normalise_code
from intersector.refusals import Refused, refusal_response, wants_fragment  # noqa: F401
from intersector.workshops.services import workshop_and_participant


def cookie_name(workshop):
    return f"convene-{workshop.code}"  # the code is stored normalised (see normalise_code)


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
        try:
            workshop, participant = workshop_and_participant(code, request.COOKIES.get(f"convene-{normalise_code(code)}"))
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
