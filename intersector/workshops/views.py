"""Back office: the facilitator's pages (accounts only; each person sees the workshops they run)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from intersector.live import current_event_id
from intersector.live.views import poll_response, stream_response, streams
from intersector.spreadsheets import csv_response
from intersector.workshops import services
from intersector.workshops.access import facilitated, item_of
from intersector.workshops.activities import kind_choices
from intersector.workshops.models import Workshop
from intersector.workshops.reports import note_rows, start_report

CONSOLE_PANELS = ("now", "people", "activity")


@require_safe
def index(request):
    workshops = Workshop.objects.run_by(request.user).prefetch_related("items")
    return render(request, "workshops/index.html", {"workshops": workshops})


@login_required
def new(request):
    if request.method == "POST":
        try:
            workshop = services.create_workshop(
                request.user, request.POST.get("title"), request.POST.get("template", "starter")
            )
        except services.Refused as refusal:
            return render(request, "workshops/new.html", {"error": refusal.message, "data": request.POST},
                          status=refusal.status)
        messages.success(request, _("Workshop created. Its join code is %(code)s.") % {"code": workshop.code})
        return redirect(workshop)
    return render(request, "workshops/new.html", {"data": {"template": "starter"}})


def console_context(workshop):
    # The live position is read before the data, so nothing between the two is missed.
    position = current_event_id(workshop.topic)
    workshop = Workshop.objects.select_related("current_item").get(pk=workshop.pk)
    item = workshop.current_item
    return {
        **(item.activity.facilitator_context(item) if item else {}),
        "workshop": workshop,
        "live_position": position,
        "items": list(workshop.items.all()),
        "item": item,
        "activity_template": item.activity.template("facilitator") if item else "",
        "joined": services.who_has_joined(workshop),
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
    return render(request, f"workshops/console/console.html#{name}", console_context(workshop))


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
    elif action == "end":
        services.end_workshop(workshop)
    else:
        raise services.Refused(_("Unknown action."))
    return after_post(request, workshop)


def after_post(request, workshop, panel="now"):
    if request.htmx:
        return render(request, f"workshops/console/console.html#{panel}", console_context(workshop))
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
@facilitated
def agenda(request, workshop):
    if request.method == "POST":
        services.add_item(workshop, request.POST.get("title"), request.POST.get("kind"), request.POST.get("minutes"))
        messages.success(request, _("Item added to the agenda."))
        return redirect("workshops:agenda", workshop.pk)
    return render(request, "workshops/agenda.html", {
        "workshop": workshop, "items": workshop.items.all(), "kinds": kind_choices(),
        "facilitators": workshop.facilitators.select_related("user"),
    })


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
                             request.POST.get("minutes"), request.POST.get("text"))
        messages.success(request, _("Item saved."))
    if action == "delete":
        return redirect("workshops:agenda", workshop.pk)
    return redirect(f"{workshop.get_absolute_url()}agenda/#item-{item.pk}")


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
    sections = [
        {"item": item, "template": item.activity.template("results"),
         "context": item.activity.results_context(item)}
        for item in workshop.items.all()
    ]
    return render(request, "workshops/results.html", {
        "workshop": workshop, "sections": sections, "reports": workshop.reports.defer("pdf")[:5],
    })


@require_safe
@facilitated
def notes_csv(request, workshop):
    return csv_response(f"workshop-{workshop.code}-notes.csv", None, note_rows(workshop))


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
