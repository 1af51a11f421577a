"""Brainwriting's own pages and actions: notes and votes (phones), set-up, rounds and themes (facilitator)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from intersector.jobs.models import Job
from intersector.live import current_event_id
from intersector.refusals import Refused, wants_fragment
from intersector.workshops.activities.actions import facilitator_action, participant_action
from intersector.workshops.activities.brainwriting import services
from intersector.workshops.activities.brainwriting.activity import activity
from intersector.workshops.activities.brainwriting.models import Note, Theme
from intersector.workshops.activities.brainwriting.starter import DEBRIEF_QUESTIONS
from intersector.workshops import texts


@participant_action(activity)
def add_note(request, item, participant):
    note, created = services.add_note(item, participant, request.POST.get("prompt"), request.POST.get("about"),
                                      request.POST.get("text"), request.POST.get("key"))
    return _("Saved.") if created else _("Already saved.")


@participant_action(activity)
def edit_note(request, item, participant, note_pk):
    services.edit_note(item, participant, note_pk, request.POST.get("text"))
    return _("Change saved.")


@participant_action(activity)
def delete_note(request, item, participant, note_pk):
    services.delete_note(item, participant, note_pk)
    return _("Note deleted.")


@participant_action(activity)
def vote(request, item, participant):
    if request.POST.get("action") == "remove":
        services.unvote(item, participant, request.POST.get("theme"))
        return _("Vote taken back.")
    services.vote(item, participant, request.POST.get("theme"))
    return _("Vote saved.")


# --- Facilitator ---------------------------------------------------------------------------------


def themes_url(item):
    return reverse("workshops:brainwriting:themes", args=[item.workshop_id, item.pk])


@facilitator_action(activity)
def settings_view(request, item):
    try:
        services.configure(item, request.POST.get("prompts"), request.POST.getlist("sectors"),
                           request.POST.get("mode"), request.POST.get("round_minutes"), request.POST.get("votes"),
                           prompts_posted(request, item))
    except Refused as refusal:
        if wants_fragment(request) or item.workshop.current_item_id != item.pk:
            raise
        return setup_refused(request, item, refusal)
    return redirect(item.workshop)


def prompts_posted(request, item):
    """{language: the prompts typed in its box} for the workshop's other languages (texts.py)."""
    return {language: request.POST[f"prompts_{language}"] for language in texts.other_languages(item.workshop)
            if f"prompts_{language}" in request.POST}


def setup_refused(request, item, refusal):
    """The console again, its set-up open with the message and what was typed (nothing lost)."""
    from intersector.workshops.views import console_context

    context = console_context(item.workshop)
    context.update(setup_problem=refusal.message, setup={
        "prompts": request.POST.get("prompts", ""), "sectors": request.POST.getlist("sectors"),
        "mode": request.POST.get("mode"), "round_minutes": request.POST.get("round_minutes", ""),
        "votes": request.POST.get("votes", ""),
        "prompts_in": [(language, texts.language_name(language), typed)
                       for language, typed in prompts_posted(request, item).items()]})
    return render(request, "workshops/console/console.html", context, status=refusal.status)


@facilitator_action(activity)
def round_view(request, item):
    action = request.POST.get("action")
    if action == "open":
        services.open_round(item)
    elif action == "close":
        services.close_round(item)
    elif action in ("voting", "closed", "writing"):
        services.set_phase(item, action)
    else:
        raise Refused(_("Unknown action."))
    if not request.htmx and request.POST.get("next") == "themes":
        return redirect(themes_url(item))
    return None  # the console's "now" panel (htmx), else the console


def themes_context(item, job=None):
    workshop = item.workshop
    position = current_event_id(workshop.topic)
    return {
        "workshop": workshop, "item": item, "live_position": position,
        "themes": Theme.objects.filter(item=item).prefetch_related("notes"),
        "unthemed": Note.objects.filter(item=item, theme__isnull=True),
        "grid": services.grid(item), "questions": DEBRIEF_QUESTIONS, "job": job,
        "prompts": services.prompts(item), "phase": item.state.get("phase", "writing"),
        "theme_counts": services.THEME_COUNTS, "theme_count": item.state.get("theme_count"),
    }


@facilitator_action(activity, read_only=True)
def themes_page(request, item):
    job = None
    if item.state.get("themes_job"):
        job = Job.objects.filter(pk=item.state["themes_job"]).first()
    return render(request, "brainwriting/themes.html", themes_context(item, job))


@facilitator_action(activity, read_only=True)
def themes_panel(request, item):
    return render(request, "brainwriting/themes.html#themes", themes_context(item))


@facilitator_action(activity, read_only=True)
def themes_job(request, item):
    """How making themes is going, for every facilitator of the workshop: the job belongs to the
    one who started it, so the jobs app's own status address would hide it from the others."""
    job = Job.objects.filter(pk=item.state.get("themes_job") or 0).first()
    if job is None:
        raise Refused(_("No themes are being made for this item."), status=404)
    from intersector.jobs.services import check_lease

    status_url = reverse("workshops:brainwriting:themes_job", args=[item.workshop.pk, item.pk])
    return render(request, "jobs/job_detail.html#status",
                  {"job": check_lease(job), "announce": True, "status_url": status_url})


@facilitator_action(activity)
def themes_make(request, item):
    from intersector.workshops.activities.brainwriting.tasks import start_theming

    count = services.clean_theme_count(request.POST.get("count"))
    job = start_theming(item, request.user, count)
    services.remember_job(item, job, count)
    return redirect(themes_url(item))


@facilitator_action(activity)
def themes_edit(request, item):
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
        return render(request, "brainwriting/themes.html#themes", themes_context(item))
    return redirect(themes_url(item) + "#themes")
