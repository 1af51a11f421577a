"""Brainwriting's own pages and actions: notes and votes (phones), set-up, rounds and themes (facilitator)."""

from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from intersector.jobs.models import Job
from intersector.live import current_event_id
from intersector.workshops.access import facilitated, item_of, joined, wants_fragment
from intersector.workshops.activities.brainwriting import services
from intersector.workshops.activities.brainwriting.models import Note, Theme
from intersector.workshops.services import Refused
from intersector.workshops.starter import DEBRIEF_QUESTIONS


def _current(workshop):
    item = workshop.current_item
    if item is None or item.kind != "brainwriting":
        raise Refused(_("Brainwriting is not running right now."), status=409)
    item.workshop = workshop  # the same row, read once per request
    return item


def _back_to_screen(request, workshop, saved=None):
    if wants_fragment(request):
        from intersector.workshops.public_views import screen_context

        context = screen_context(workshop, request.participant, fragment=True)
        context["saved"] = saved
        return render(request, "workshops/phone/screen.html#screen", context)
    return redirect("workshops:join", workshop.code)


def _participant_action(function):
    @require_POST
    @joined
    def view(request, workshop, participant, **kwargs):
        request.participant = participant
        item = _current(workshop)
        saved = function(request, item, participant, **kwargs)
        return _back_to_screen(request, workshop, saved)

    view.__name__ = function.__name__
    return view


@_participant_action
def add_note(request, item, participant):
    note, created = services.add_note(item, participant, request.POST.get("prompt"), request.POST.get("about"),
                                      request.POST.get("text"), request.POST.get("key"))
    return _("Saved.") if created else _("Already saved.")


@_participant_action
def edit_note(request, item, participant, note_pk):
    services.edit_note(item, participant, note_pk, request.POST.get("text"))
    return _("Change saved.")


@_participant_action
def delete_note(request, item, participant, note_pk):
    services.delete_note(item, participant, note_pk)
    return _("Note deleted.")


@_participant_action
def vote(request, item, participant):
    if request.POST.get("action") == "remove":
        services.unvote(item, participant, request.POST.get("theme"))
        return _("Vote taken back.")
    services.vote(item, participant, request.POST.get("theme"))
    return _("Vote saved.")


# --- Facilitator ---------------------------------------------------------------------------------


def _item(workshop, item_pk):
    item = item_of(workshop, item_pk)
    if item.kind != "brainwriting":
        raise Refused(_("This agenda item is not a brainwriting."), status=404)
    return item


@require_POST
@facilitated
def settings_view(request, workshop, item_pk):
    item = _item(workshop, item_pk)
    services.configure(item, request.POST.get("prompts"), request.POST.getlist("sectors"),
                       request.POST.get("mode"), request.POST.get("round_minutes"), request.POST.get("votes"))
    return redirect(workshop)


@require_POST
@facilitated
def round_view(request, workshop, item_pk):
    item = _item(workshop, item_pk)
    action = request.POST.get("action")
    if action == "open":
        services.open_round(item)
    elif action == "close":
        services.close_round(item)
    elif action in ("voting", "closed", "writing"):
        services.set_phase(item, action)
    else:
        raise Refused(_("Unknown action."))
    if request.htmx:
        from intersector.workshops.views import console_context

        return render(request, "workshops/console/console.html#now", console_context(workshop))
    if request.POST.get("next") == "themes":
        return redirect(f"{workshop.get_absolute_url()}items/{item.pk}/themes/")
    return redirect(workshop)


def themes_context(workshop, item, job=None):
    position = current_event_id(workshop.topic)
    return {
        "workshop": workshop, "item": item, "live_position": position,
        "themes": Theme.objects.filter(item=item).prefetch_related("notes"),
        "unthemed": Note.objects.filter(item=item, theme__isnull=True),
        "grid": services.grid(item), "questions": DEBRIEF_QUESTIONS, "job": job,
        "prompts": services.prompts(item), "phase": item.state.get("phase", "writing"),
        "theme_counts": services.THEME_COUNTS, "theme_count": item.state.get("theme_count"),
    }


@never_cache
@require_safe
@facilitated
def themes_page(request, workshop, item_pk):
    item = _item(workshop, item_pk)
    job = None
    if item.state.get("themes_job"):
        job = Job.objects.filter(pk=item.state["themes_job"]).first()
    return render(request, "workshops/activities/brainwriting/themes.html", themes_context(workshop, item, job))


@never_cache
@require_safe
@facilitated
def themes_panel(request, workshop, item_pk):
    item = _item(workshop, item_pk)
    return render(request, "workshops/activities/brainwriting/themes.html#themes", themes_context(workshop, item))


@require_POST
@facilitated
def themes_make(request, workshop, item_pk):
    from intersector.workshops.activities.brainwriting.tasks import start_theming

    item = _item(workshop, item_pk)
    count = services.clean_theme_count(request.POST.get("count"))
    job = start_theming(item, request.user, count)
    services.remember_job(item, job, count)
    return redirect(f"{workshop.get_absolute_url()}items/{item.pk}/themes/")


@require_POST
@facilitated
def themes_edit(request, workshop, item_pk):
    item = _item(workshop, item_pk)
    action = request.POST.get("action")
    theme = request.POST.get("theme")
    if action == "rename":
        services.rename_theme(item, theme, request.POST.get("label"))
    elif action == "lock":
        services.set_locked(item, theme, request.POST.get("locked") == "1")
    elif action == "merge":
        services.merge_themes(item, request.POST.getlist("themes"))
    elif action == "split":
        services.split_theme(item, theme, request.POST.getlist("notes"), request.POST.get("label", ""))
    elif action == "move":
        services.move_note(item, request.POST.get("note"), request.POST.get("to"))
    else:
        raise Refused(_("Unknown action."))
    if wants_fragment(request):
        return render(request, "workshops/activities/brainwriting/themes.html#themes", themes_context(workshop, item))
    return redirect(f"{workshop.get_absolute_url()}items/{item.pk}/themes/#themes")


participant_urls = [
    path("notes/", add_note, name="bw_add"),
    path("notes/<int:note_pk>/edit/", edit_note, name="bw_edit"),
    path("notes/<int:note_pk>/delete/", delete_note, name="bw_delete"),
    path("votes/", vote, name="bw_vote"),
]

facilitator_urls = [
    path("settings/", settings_view, name="bw_settings"),
    path("round/", round_view, name="bw_round"),
    path("themes/", themes_page, name="bw_themes"),
    path("themes/panel/", themes_panel, name="bw_themes_panel"),
    path("themes/make/", themes_make, name="bw_themes_make"),
    path("themes/edit/", themes_edit, name="bw_themes_edit"),
]
