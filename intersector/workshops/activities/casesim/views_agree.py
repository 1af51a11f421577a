"""A table's draft taken to Agree from a phone (agree.py): the phone asks for a signed link, and a
signed-in person who opens it makes the agreement under their own account, once per person.

The link's page shows the case's title, the table's number and the partners' organisations:
nothing of a brief, nor anyone's name."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from intersector.workshops.activities.actions import participant_action
from intersector.workshops.activities.casesim import agree, state
from intersector.workshops.activities.casesim.activity import activity
from intersector.workshops.models import normalise_code


@participant_action(activity)
def link(request, item, participant):
    """The phone's "Take our draft to Agree": a page with the table's link (a plain POST, so
    the phone shows it as a page of its own, with a way back to the table)."""
    token, run = agree.link_for_phone(state.simulation_of(item), participant)
    address = request.build_absolute_uri(reverse("workshops:casesim:agree_open", args=[item.workshop.code, token]))
    return render(request, "casesim/phone_agree.html", {
        "workshop": item.workshop, "item": item, "link": address, "days": agree.LINK_DAYS, "table": run.table})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def open_link(request, code, token):
    """The link, opened: sign in first (then back here); a second time, the agreement made before."""
    run = agree.run_from_link(token, normalise_code(code))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    made = agree.made_by(run, request.user)
    if made is not None:
        return redirect(made)
    simulation = run.simulation
    if request.method == "POST":
        agreement, _created = agree.open_in_agree(simulation.item, run.table_id, request.user)
        return redirect(agreement)
    case = state.public_case(simulation)
    partners = agree.partners_for(simulation, run, case["roles"], request.user)
    return render(request, "casesim/agree_open.html", {
        "case_title": case["title"], "workshop": simulation.item.workshop, "table": run.table,
        "partners": [(row["name"], row["sector"]) for row in partners]})


urls = [
    path("agree/", link, name="agree_link"),
    path("agree/<str:token>/", open_link, name="agree_open"),
]
