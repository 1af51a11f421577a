""""Is this you?": a phone or browser that joins with the name and sector of someone already in
asks to continue as them (intersector/workshops/people.py). It waits here until that person's
first phone or a facilitator says yes; then it gets the pass. Works without scripts: the waiting
page looks again by itself every few seconds."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from intersector import limits
from intersector.accounts.models import Sector
from intersector.workshops import people, services, texts
from intersector.workshops.access import joined
from intersector.workshops.public_views import JOINS, give_pass, problem


def cookie_name(workshop):
    return f"convene-rejoin-{workshop.code}"


@never_cache
@require_safe
def rejoin(request, code):
    """How this browser's question stands: wait, go in, or told no."""
    try:
        workshop = services.find_workshop(code)
    except services.Refused as refusal:
        return problem(request, refusal)
    question = people.rejoin_from_token(workshop, request.COOKIES.get(cookie_name(workshop)))
    if question is None:
        return redirect("workshops:join", workshop.code)
    person = people.collect(question)
    if person is not None:
        response = give_pass(redirect("workshops:join", workshop.code), workshop, person)
        response.delete_cookie(cookie_name(workshop), path=reverse("workshops:join", args=[workshop.code]))
        return response
    return render(request, "workshops/phone/rejoin.html", {
        "workshop": texts.shown_in(workshop, texts.current()), "question": question, "person": question.participant,
        "sector": dict(Sector.choices).get(question.participant.sector),
        "refused": question.status == question.Status.REFUSED, "refresh_seconds": 4,
    })


@require_POST
def ask(request, code):
    """"Yes, I am Ana": the question, held by this browser in a cookie of its own."""
    try:
        workshop = services.find_workshop(code)
    except services.Refused as refusal:
        return problem(request, refusal)
    wait = JOINS.hit(limits.client_address(request))
    if wait:
        return problem(request, services.Refused(
            _("Too many people are joining from this network at once. Wait a minute and try again."),
            status=429, retry_after=wait))
    try:
        question = people.ask_to_rejoin(workshop, request.POST.get("participant"), request.POST.get("display_name"),
                                        request.POST.get("sector"))
    except services.Refused as refusal:
        return problem(request, refusal)
    response = redirect("workshops:rejoin", workshop.code)
    response.set_cookie(cookie_name(workshop), people.token_for(question), max_age=people.REJOIN_MINUTES * 60,
                        path=reverse("workshops:join", args=[workshop.code]), httponly=True, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)
    return response


@require_POST
@joined
def answer(request, workshop, participant):
    """The participant's own phone answers: yes, that other browser is me; or no, it is not."""
    people.answer_rejoin(workshop, request.POST.get("rejoin"), request.POST.get("answer") == "yes", by=participant)
    return redirect("workshops:join", workshop.code)
