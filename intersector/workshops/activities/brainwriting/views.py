"""Brainwriting's own pages and actions: notes and votes (phones), set-up, rounds and themes (facilitator)."""

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from intersector.jobs.models import Job
from intersector.live import current_event_id
from intersector.refusals import Refused, wants_fragment
from intersector.workshops.access import joined
from intersector.workshops.activities.actions import facilitator_action, participant_action
from intersector.workshops.activities.brainwriting import services
from intersector.workshops.activities.brainwriting.activity import activity
from intersector.workshops.activities.brainwriting.themes import last_delete, last_merge, typical_first, wall
from intersector.workshops.activities.brainwriting.starter import DEBRIEF_QUESTIONS
from intersector.workshops import texts


@participant_action(activity)
def add_note(request, item, participant):
    note, created = services.add_note(item, participant, request.POST.get("prompt"), request.POST.get("about"),
                                      request.POST.get("text"), request.POST.get("key"))
    said = _("Saved.") if created else _("Already saved.")
    if request.headers.get("X-Convene-Answer") == "note" and wants_fragment(request) and activity.phone_shared:
        # phone.js adds the new note to those on screen: only it comes back, not the writer's
        # own parts nor the screen (a room of 1,000 writes 100 notes a second).
        context = {"saved": said, **activity.note_added_context(item, participant, note)}
        return render(request, "brainwriting/participant.html#note-added", context)
    return said


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


@never_cache
@require_safe
@joined
def theme_notes(request, workshop, participant, theme_pk):
    """The notes behind one theme, for a phone that opens it while it votes (no author names)."""
    item = workshop.current_item
    if item is None or item.kind != activity.kind:
        raise Refused(_("%(activity)s is not running right now.") % {"activity": activity.label}, status=409)
    if item.state.get("phase") not in ("voting", "closed"):
        raise Refused(_("The notes behind the themes are shown once voting opens."), status=409)
    theme = services.find_theme(item, theme_pk)
    theme.few_notes = typical_first(theme, list(theme.notes.only("text", "about")))
    return render(request, "brainwriting/theme_notes.html#notes", {"theme": theme})


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
    themes, unthemed = wall(item)
    return {
        "workshop": workshop, "item": item, "live_position": position,
        "themes": themes, "unthemed": unthemed, "last_merge": last_merge(item),
        "last_delete": last_delete(item),
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


def _rename(request, item):
    theme = services.rename_theme(item, request.POST.get("theme"), request.POST.get("label"))
    return _("Renamed to “%(t)s”.") % {"t": theme.label}


def _keep(request, item):
    theme = services.set_locked(item, request.POST.get("theme"), request.POST.get("locked") == "1")
    if theme.locked:
        return _("“%(t)s” is kept when themes are made again.") % {"t": theme.label}
    return _("“%(t)s” may change when themes are made again.") % {"t": theme.label}


def _merge(request, item):
    keep, others = services.merge_themes(item, request.POST.getlist("themes"))
    return _("“%(merged)s” merged into “%(t)s”.") % {"merged": "”, “".join(t.label for t in others), "t": keep.label}


def _undo_merge(request, item):
    restored = services.undo_merge(item)
    return _("Merge undone: “%(t)s” is back.") % {"t": "”, “".join(t.label for t in restored)}


def _new(request, item):
    theme = services.new_theme(item, request.POST.getlist("notes"), request.POST.get("label", ""))
    return _("New theme “%(t)s”.") % {"t": theme.label}


def _split(request, item):
    theme = services.split_theme(item, request.POST.get("theme"), request.POST.getlist("notes"),
                                 request.POST.get("label", ""))
    return _("New theme “%(t)s”.") % {"t": theme.label}


def _move(request, item):
    # One note (its own "Move to…" menu, or dropped) or the selected ones (the wall's toolbar).
    notes = request.POST.getlist("notes") or [request.POST.get("note")]
    theme, moved = services.move_notes(item, notes, request.POST.get("to"))
    return ngettext("%(n)s note moved to “%(t)s”.", "%(n)s notes moved to “%(t)s”.", len(moved)) % {
        "n": len(moved), "t": theme.label}


def _delete(request, item):
    theme, held = services.delete_theme(item, request.POST.get("theme"), request.POST.get("confirmed") == "1")
    if held:
        return ngettext("“%(t)s” deleted: its %(n)s note is back in “not in a theme yet”.",
                        "“%(t)s” deleted: its %(n)s notes are back in “not in a theme yet”.", held) % {
            "t": theme.label, "n": held}
    return _("“%(t)s” deleted.") % {"t": theme.label}


def _undo_delete(request, item):
    theme = services.undo_delete(item)
    return _("“%(t)s” is back, with its notes and votes.") % {"t": theme.label}


THEME_ACTIONS = {"rename": _rename, "lock": _keep, "merge": _merge, "undo-merge": _undo_merge,
                 "new": _new, "split": _split, "move": _move, "delete": _delete, "undo-delete": _undo_delete}


@facilitator_action(activity)
def themes_edit(request, item):
    """Every change on the themes wall: the action's name picks the service. htmx gets the wall
    back with what was done in an event (themes.js reads it out); a plain form, the page."""
    action = THEME_ACTIONS.get(request.POST.get("action"))
    if action is None:
        raise Refused(_("Unknown action."))
    said = action(request, item)
    if wants_fragment(request):
        response = render(request, "brainwriting/themes.html#themes", themes_context(item))
        response["HX-Trigger"] = json.dumps({"wall:said": said})
        return response
    messages.success(request, said)
    return redirect(themes_url(item) + "#themes")
