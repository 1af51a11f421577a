"""The decision item's pages: a phone's vote page (signed in as a member of the collaborative), and
the facilitator's choice of decision and closing."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from intersector.collaboratives.models import Vote
from intersector.refusals import Refused
from intersector.workshops.access import joined
from intersector.workshops.activities.actions import facilitator_action
from intersector.workshops.activities.decision import services
from intersector.workshops.activities.decision.activity import _standing, activity


def _running_item(workshop):
    item = workshop.current_item
    if item is None or item.kind != activity.kind:
        raise Refused(_("No decision is put to the room right now."), status=409)
    item.workshop = workshop
    return item


@never_cache
@require_http_methods(["GET", "POST"])
@joined
def vote(request, workshop, participant):
    """The phone's vote: the person signs in (once) and votes as their own member of the
    collaborative; whoever may not vote is told why, and follows on the workshop's screen."""
    item = _running_item(workshop)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    decision = services.decision_of(item)
    if decision is None:
        raise Refused(_("No decision is put to the room right now."), status=409)
    member = services.voter(request.user, decision)
    problem = None
    if request.method == "POST":
        try:
            cast = services.vote(item, request.user, request.POST)
        except Refused as refusal:
            problem = refusal
        else:
            if cast.state == Vote.State.NOT_COUNTED:
                messages.warning(request, _("Your vote is recorded but not counted: the representative of "
                                            "%(partner)s has already voted for it.") % {"partner": member.partner})
            else:
                messages.success(request, _("Your vote is counted for %(partner)s.") % {"partner": member.partner})
            return redirect("workshops:decision:vote", workshop.code)
    decision = services.decision_of(item)
    mine = decision.votes.filter(member=member).order_by("-pk").first()
    form = request.POST if problem else {}
    options = []
    for option in decision.options.all():
        key = str(option.pk)
        sent = form.get(f"option-{key}")
        options.append((option, sent if sent is not None else (mine.allocation.get(key, "") if mine else "")))
    return render(request, "decision/vote.html", {
        "workshop": workshop, "item": item, "member": member, "mine": mine, "options": options,
        "picked": form.get("choice") or (mine.choice if mine else ""),
        "picked_option": services._int(form.get("option")) or (mine.option_id if mine else None),
        "reason": form.get("reason") if problem else (mine.reason if mine else ""),
        "problem": problem.message if problem else None, **_standing(decision)},
        status=problem.status if problem else 200)


@facilitator_action(activity, read_only=True)
def choose_page(request, item):
    return render(request, "decision/choose.html", {
        "workshop": item.workshop, "item": item, "choices": services.decisions_to_choose(request.user),
        "chosen": services.decision_of(item)})


@facilitator_action(activity)
def choose(request, item):
    try:
        decision = services.choose(item, request.user, request.POST.get("decision"))
    except Refused as refusal:
        if refusal.status != 400:
            raise
        return render(request, "decision/choose.html", {
            "workshop": item.workshop, "item": item, "choices": services.decisions_to_choose(request.user),
            "chosen": services.decision_of(item), "problem": refusal.message}, status=400)
    messages.success(request, _("“%(title)s” will be put to the room.") % {"title": decision.title})
    return redirect(reverse("workshops:agenda", args=[item.workshop.pk]) + f"#item-{item.pk}")


@facilitator_action(activity)
def close(request, item):
    services.close(item, request.user)


participant_urls = [path("vote/", vote, name="vote")]
facilitator_urls = [path("choose/", choose_page, name="choose_page"), path("choose/save/", choose, name="choose"),
                    path("close/", close, name="close")]
