"""Q&A's pages and actions, made for one kind at a time: `urls_for(activity)` wraps them in
that kind's decorators (the item must be of that kind; phones': running), so they live in its
URL namespace (workshops:<kind>:qna_ask ...)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from intersector.refusals import Refused
from intersector.workshops.access import joined
from intersector.workshops.activities.actions import facilitator_action, participant_action
from intersector.workshops.qna import screens, services
from intersector.workshops.qna.models import Question


def ask(request, item, participant):
    question, created = services.ask(item, participant, request.POST.get("text"),
                                     request.POST.get("anonymous") == "1", request.POST.get("key"))
    if not created:
        return _("Already sent.")
    if question.status == Question.Status.PENDING:
        return _("Question sent. The facilitator reads it before everyone sees it.")
    return _("Question sent.")


def vote(request, item, participant):
    if request.POST.get("action") == "unvote":
        services.unvote(item, participant, request.POST.get("question"))
        return _("Vote taken back.")
    services.vote(item, participant, request.POST.get("question"))
    return _("Vote saved.")


def phone_list(activity):
    """The phone's list alone (GET): what a phone reloads after votes, instead of its screen."""

    @never_cache
    @require_safe
    @joined
    def qna_list(request, workshop, participant):
        item = workshop.current_item
        if item is None or item.kind != activity.kind or workshop.status != workshop.Status.LIVE:
            raise Refused(_("%(activity)s is not running right now.") % {"activity": activity.label}, status=409)
        item.workshop = workshop
        services.require_on(item)
        return render(request, "qna/phone_list.html",
                      {"workshop": workshop, "item": item, **screens.list_context(item, participant)})

    return qna_list


MODERATION = {
    "approve": lambda item, pk: services.approve(item, [pk]),
    "hide": services.hide,
    "answered": lambda item, pk: services.mark_answered(item, pk, True),
    "not-answered": lambda item, pk: services.mark_answered(item, pk, False),
    "pin": services.pin,
    "unpin": services.unpin,
}


def moderate(request, item):
    action = MODERATION.get(request.POST.get("action"))
    if action is None:
        raise Refused(_("Unknown action."))
    action(item, request.POST.get("question"))


def approve(request, item):
    """Approve every waiting question, or the ticked ones."""
    if request.POST.get("action") == "all":
        services.approve_all(item)
    else:
        services.approve(item, request.POST.getlist("question"))


def settings_view(request, item):
    services.configure(item, request.POST.get("questions") == "1", request.POST.get("moderation"))
    if request.POST.get("next") == "agenda":  # set before the item runs, on the agenda page
        messages.success(request, _("Questions set up."))
        return redirect(reverse("workshops:agenda", args=[item.workshop_id]) + f"#item-{item.pk}")
    return None  # the console


def urls_for(activity):
    """(participant patterns, facilitator patterns) for a kind's urls()."""
    participant = [
        path("qna/ask/", participant_action(activity)(ask), name="qna_ask"),
        path("qna/vote/", participant_action(activity)(vote), name="qna_vote"),
        path("qna/list/", phone_list(activity), name="qna_list"),
    ]
    facilitator = [
        path("qna/moderate/", facilitator_action(activity)(moderate), name="qna_moderate"),
        path("qna/approve/", facilitator_action(activity)(approve), name="qna_approve"),
        path("qna/settings/", facilitator_action(activity)(settings_view), name="qna_settings"),
    ]
    return participant, facilitator
