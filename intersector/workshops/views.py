"""Back office: the facilitator's pages (accounts only; each person sees the workshops they run)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from intersector.live import current_event_id
from intersector.live.views import poll_response, stream_response, streams
from intersector.spreadsheets import csv_response
from intersector.workshops import activities, people, services, texts
from intersector.workshops import languages as workshop_languages
from intersector.workshops.access import facilitated, item_of
from intersector.workshops.models import Workshop
from intersector.workshops.reports import result_sections, start_report
from intersector.workshops.starter import starter_agenda

# The console's parts that refresh on their own (partials of console.html).
CONSOLE_PANELS = ("now", "people")


@require_safe
def index(request):
    workshops = Workshop.objects.run_by(request.user).prefetch_related("items")
    kinds = [label for _kind, label in activities.kind_choices()]
    return render(request, "workshops/index.html", {"workshops": workshops, "kinds": kinds})


@login_required
def new(request):
    if request.method == "POST":
        try:
            workshop = services.create_workshop(
                request.user, request.POST.get("title"), request.POST.get("template", "starter"), texts.current()
            )
        except services.Refused as refusal:
            return render(request, "workshops/new.html", {**starter_summary(), "error": refusal.message,
                                                          "data": request.POST}, status=refusal.status)
        messages.success(request, _("Workshop created. Its join code is %(code)s.") % {"code": workshop.code})
        return redirect(workshop)
    return render(request, "workshops/new.html", {**starter_summary(), "data": {"template": "starter"}})


def starter_summary():
    items = starter_agenda()
    language = texts.current()
    return {"starter_titles": [texts.in_language(title, language) for title, _kind, _minutes, _config in items],
            "starter_minutes": sum(minutes for _title, _kind, minutes, _config in items)}


def console_context(workshop, panel=None):
    """The console's context: the whole page, or one `panel` of it (CONSOLE_PANELS). The "now"
    panel refreshes at every note of a busy room: it skips who has joined (most of the page's
    time with 1,000 people), which only the page and the "people" panel show."""
    # The live position is read before the data, so nothing between the two is missed.
    position = current_event_id(workshop.topic)
    workshop = Workshop.objects.select_related("current_item").get(pk=workshop.pk)
    item = workshop.current_item
    if item is not None:
        item.workshop = workshop
    return {
        **(item.activity.facilitator_context(item) if item else {}),
        "workshop": workshop,
        "live_position": position,
        "board_events": activities.board_events(),
        "kind_styles": activities.console_styles(),
        "items": list(workshop.items.all()),
        "item": item,
        "activity_template": item.activity.template("facilitator") if item else "",
        "joined": services.who_has_joined(workshop) if panel != "now" else None,
        "rejoins": list(people.waiting(workshop)) if panel != "now" else [],
        "max_tables": services.MAX_TABLES,
    }


@never_cache
@require_safe
@facilitated
def console(request, workshop):
    return render(request, "workshops/console/console.html", console_context(workshop))


@never_cache
@require_safe
@facilitated
def console_panel(request, workshop, name):
    if name not in CONSOLE_PANELS:
        raise Http404
    return render(request, f"workshops/console/console.html#{name}", console_context(workshop, name))


@require_POST
@facilitated
def control(request, workshop):
    action = request.POST.get("action")
    if action == "go":
        services.go_to_item(workshop, item_of(workshop, request.POST.get("item")))
    elif action == "next":
        services.next_item(workshop)
    elif action == "start":
        services.start_timer(workshop)
    elif action == "pause":
        services.pause_timer(workshop)
    elif action == "add":
        services.add_time(workshop, 1)
    else:
        raise services.Refused(_("Unknown action."))
    return after_post(request, workshop)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@facilitated
def end(request, workshop):
    """Ending cannot be undone, so a page of its own asks first (no script needed)."""
    if request.method == "POST":
        services.end_workshop(workshop)  # the console says so in its "Now" panel
        return redirect(workshop)
    return render(request, "workshops/console/end.html", {"workshop": workshop})


def after_post(request, workshop, panel="now"):
    if request.htmx:
        return render(request, f"workshops/console/console.html#{panel}", console_context(workshop, panel))
    return redirect(workshop)


@require_POST
@facilitated
def tables(request, workshop):
    action = request.POST.get("action")
    if action == "count":
        services.set_table_count(workshop, request.POST.get("count"))
    elif action == "auto":
        services.auto_assign(workshop)
    elif action == "move":
        services.move_participant(workshop, request.POST.get("participant"), request.POST.get("table"))
    else:
        raise services.Refused(_("Unknown action."))
    return after_post(request, workshop, "people")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@facilitated
def person(request, workshop, person_pk):
    """One person: what they did, and the two ways to tidy the list of people: remove a stray
    entry, or merge two entries of one person (someone who joined from two browsers)."""
    person = people.person_of(workshop, person_pk)
    if request.method == "POST":
        try:
            return person_post(request, workshop, person)
        except services.Refused as refusal:
            return render(request, "workshops/console/person_page.html", person_context(workshop, person, refusal),
                          status=refusal.status)
    return render(request, "workshops/console/person_page.html", person_context(workshop, person))


def person_post(request, workshop, person):
    action = request.POST.get("action")
    if action == "remove":
        people.remove_participant(workshop, person.pk)
        messages.success(request, _("%(name)s is no longer in this workshop.") % {"name": person.display_name})
    elif action == "merge":
        kept = people.merge_participants(workshop, person.pk, request.POST.get("into"))
        messages.success(request, _("%(name)s is one person again, with what both entries did.") % {"name": kept.display_name})
    else:
        raise services.Refused(_("Unknown action."))
    return redirect(reverse("workshops:console", args=[workshop.pk]) + "#people")


def person_context(workshop, person, refusal=None):
    same = {p.pk for p in people.same_person(workshop, person.display_name, person.sector)} - {person.pk}
    others = list(workshop.participants.exclude(pk=person.pk).only("pk", "display_name", "sector", "joined"))
    return {"workshop": workshop, "person": person, "did": people.summary(person), "problem": refusal and refusal.message,
            "likely": [p for p in others if p.pk in same], "others": [p for p in others if p.pk not in same]}


@require_POST
@facilitated
def rejoins(request, workshop):
    """A facilitator answers "Is this you?" for someone whose first phone is gone."""
    people.answer_rejoin(workshop, request.POST.get("rejoin"), request.POST.get("answer") == "yes")
    return after_post(request, workshop, "people")


@never_cache
@facilitated
def agenda(request, workshop):
    if request.method == "POST":
        services.add_item(workshop, request.POST.get("title"), request.POST.get("kind"), request.POST.get("minutes"))
        messages.success(request, _("Item added to the agenda."))
        return redirect("workshops:agenda", workshop.pk)
    items = list(workshop.items.all())
    for item in items:
        item.workshop = workshop
        item.other_texts = [(code, texts.language_name(code), (item.texts or {}).get(code) or {})
                            for code in texts.other_languages(workshop)]
    return render(request, "workshops/agenda.html", {
        "workshop": workshop, "items": items, "kinds": activities.kind_choices(),
        "facilitators": workshop.facilitators.select_related("user"),
        "own_language": texts.language_name(workshop.language),
        "other_titles": [(code, texts.language_name(code), (workshop.texts or {}).get(code, {}).get("title", ""))
                         for code in texts.other_languages(workshop)],
        "projector_choices": projector_choices(workshop),
        "given_in": [(code, texts.language_name(code)) for code in texts.other_languages(workshop)],
        "can_add": [(code, texts.language_name(code)) for code in texts.addable_languages(workshop)],
    })


def projector_choices(workshop):
    """The projector's languages: the workshop's own, and those it has texts in (a language it is
    not given in would show its titles and texts in the own language anyway, under other words).
    A choice made before stays offered until changed."""
    own = ("", _("The workshop's language (%(language)s)") % {"language": texts.language_name(workshop.language)})
    offered = workshop_languages.projector_languages(workshop)
    return [own, *[(code, texts.language_name(code) if code != texts.BOTH else _("Every language, side by side"))
                   for code in offered]]


def translations_posted(request, workshop, fields):
    """{language: {field: value}} of the form's fields named <field>_<language>, for the
    workshop's other languages (a field the form did not send is left as it is)."""
    found = {}
    for language in texts.other_languages(workshop):
        given = {field: request.POST[f"{field}_{language}"] for field in fields if f"{field}_{language}" in request.POST}
        if given:
            found[language] = given
    return found


@require_POST
@facilitated
def languages(request, workshop):
    workshop_languages.set_workshop_languages(workshop, request.POST.get("title"),
                                    {code: value["title"] for code, value in
                                     translations_posted(request, workshop, ["title"]).items()},
                                    request.POST.get("projector_language", ""))
    messages.success(request, _("Workshop saved."))
    return redirect("workshops:agenda", workshop.pk)


@require_POST
@facilitated
def choose_language(request, workshop):
    """Add a language to the workshop's texts ("add": es), or take one away ("remove": es)."""
    if request.POST.get("add"):
        language = request.POST["add"]
        workshop_languages.add_language(workshop, language)
        messages.success(request, _("This workshop is now in %(language)s too: give each title and text in it "
                                    "below. Phones set to %(language)s show them.") % {"language": texts.language_name(language)})
    else:
        language = request.POST.get("remove", "")
        workshop_languages.remove_language(workshop, language)
        messages.success(request, _("Phones set to %(language)s now show this workshop's texts in %(own)s. What you "
                                    "wrote in %(language)s is kept, should you add it again.") % {
            "language": texts.language_name(language), "own": texts.language_name(workshop.language)})
    return redirect(reverse("workshops:agenda", args=[workshop.pk]) + "#languages")


@require_POST
@facilitated
def agenda_item(request, workshop, item_pk):
    item = item_of(workshop, item_pk)
    action = request.POST.get("action", "save")
    if action == "up":
        services.move_item(item, -1)
    elif action == "down":
        services.move_item(item, +1)
    elif action == "delete":
        services.delete_item(item)
        messages.success(request, _("Item removed."))
    else:
        services.update_item(item, request.POST.get("title"), request.POST.get("kind"),
                             request.POST.get("minutes"), request.POST.get("text"),
                             translations_posted(request, workshop, ["title", "text"]))
        messages.success(request, _("Item saved."))
    if action == "delete":
        return redirect("workshops:agenda", workshop.pk)
    return redirect(reverse("workshops:agenda", args=[workshop.pk]) + f"#item-{item.pk}")


@require_POST
@facilitated
def duplicate(request, workshop):
    copy = services.duplicate_workshop(request.user, workshop)
    messages.success(request, _("This is a copy with a new join code. Nobody has joined it yet."))
    return redirect(copy)


@require_POST
@facilitated
def invite(request, workshop):
    user = services.invite_facilitator(workshop, request.POST.get("who"))
    messages.success(request, _("%(name)s can now run this workshop too.") % {"name": user})
    return redirect("workshops:agenda", workshop.pk)


@streams
@never_cache
@require_safe
@facilitated
def live(request, workshop):
    return stream_response(request, workshop.topic)


@never_cache
@require_safe
@facilitated
def live_poll(request, workshop):
    return poll_response(request, workshop.topic)


@never_cache
@require_safe
@facilitated
def results(request, workshop):
    return render(request, "workshops/results.html", {
        # The workshop's texts in the reader's language, as the page's own words are.
        "workshop": texts.shown_in(workshop, texts.current()), "sections": result_sections(workshop),
        "exports": exports_of(workshop),
        "kind_styles": activities.console_styles(), "reports": workshop.reports.defer("pdf")[:5],
    })


def exports_of(workshop):
    """The downloads of the kinds this workshop's agenda uses, in the agenda's order."""
    kinds = dict.fromkeys(workshop.items.values_list("kind", flat=True))
    return [{"label": export.label, "url": reverse("workshops:export", args=[workshop.pk, kind, export.name])}
            for kind in kinds if activities.is_registered(kind) for export in activities.get_kind(kind).exports()]


@require_safe
@facilitated
def export(request, workshop, kind, name):
    found = activities.find_export(kind, name)
    if found is None:
        raise Http404
    return csv_response(found.filename(workshop), found.header(), found.rows(workshop))


@never_cache
@require_safe
@facilitated
def item_page_moved(request, workshop, item_pk, rest):
    """An old address of a kind's page, without the kind's segment: send it to the new one."""
    item = item_of(workshop, item_pk)
    if not activities.is_registered(item.kind) or rest.startswith(f"{item.kind}/"):
        raise Http404
    return redirect(f"{reverse('workshops:console', args=[workshop.pk])}items/{item.pk}/{item.kind}/{rest}",
                    permanent=True)


@require_POST
@facilitated
def report(request, workshop):
    job = start_report(workshop, request.user)
    return redirect(job)


@require_safe
@facilitated
def report_pdf(request, workshop, report_pk):
    report = get_object_or_404(workshop.reports, pk=report_pk)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.code}-report.pdf"'
    return response
