"""Commitments and results pages: the commitments list (overdue ones flagged), a new commitment
(convenors; from a decision once it has an outcome), an owner's update; the results with their
sub-results and rolled-up progress, and the shared indicators with their small charts. Each view
asks access.check first; writes go through commitments.* and results.*."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from intersector.collaboratives import access, commitments, reports, results
from intersector.collaboratives.models import Commitment, Decision, Member, Result, Visibility
from intersector.collaboratives.views import _collaborative, _date, _int
from intersector.refusals import Refused

def _mark_if_asked(post, item):
    """The new item's "Show in reports for funders and the public" box (left unticked: partners only)."""
    if post.get("visibility") == Visibility.PUBLIC:
        reports.set_visibility(item, Visibility.PUBLIC)


# --- Commitments -------------------------------------------------------------------------------


def _commitments_context(collaborative, member):
    today = timezone.localdate()
    rows = list(collaborative.commitments.select_related("partner__organisation", "owner", "decision")
                .prefetch_related("updates__member"))
    for row in rows:
        row.overdue = row.is_overdue(today)
        row.mine = commitments.may_update(member, row)
        row.history = list(row.updates.all())
    overdue = [r for r in rows if r.overdue]
    return {"collaborative": collaborative, "member": member, "manage": access.can(member, "manage"),
            "overdue": overdue, "open": [r for r in rows if not r.overdue and r.status != Commitment.Status.DONE],
            "done": sorted((r for r in rows if r.status == Commitment.Status.DONE),
                           key=lambda r: r.done_on or r.due, reverse=True),
            "statuses": Commitment.Status.choices, "today": today.isoformat(), "form": {}}


@never_cache
def commitments_page(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    return render(request, "collaboratives/commitments.html", _commitments_context(collaborative, member))


# The "From the decision" lists offer the newest closed decisions: a collaborative of years has
# thousands, and every result card and form would carry them all.
DECISION_CHOICES = 100


def decision_choices(collaborative):
    closed = collaborative.decisions.filter(status=Decision.Status.CLOSED).order_by("-closed_at", "-pk")
    return closed[:DECISION_CHOICES]


def _choices(collaborative):
    people = (collaborative.members.exclude(role=Member.Role.OBSERVER).select_related("partner__organisation")
              .order_by("partner__organisation__name", "name"))
    return {"partners": collaborative.partners.select_related("organisation"),
            "people": [p for p in people if p.active_on(timezone.localdate())],
            "decisions": decision_choices(collaborative)}


@never_cache
@require_http_methods(["GET", "POST"])
def commitment_new(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "manage")
    data = request.POST if request.method == "POST" else request.GET
    decision = None
    if data.get("decision"):
        decision = collaborative.decisions.filter(pk=_int(data.get("decision"))).first()
        if decision is None:
            raise Refused(_("We could not find that decision."), status=404)
    problem = None
    if request.method == "POST":
        post = request.POST
        partner = collaborative.partners.filter(pk=_int(post.get("partner"))).first() if post.get("partner") else None
        owner = collaborative.members.filter(pk=_int(post.get("owner"))).first() if post.get("owner") else None
        try:
            if post.get("partner") and partner is None or post.get("owner") and owner is None:
                raise Refused(_("Choose a partner and a person of this collaborative."), status=400)
            commitment = commitments.make_commitment(
                collaborative, member, what=post.get("what"), due=_date(post.get("due"), _("date")),
                partner=partner, owner=owner, decision=decision)
            _mark_if_asked(post, commitment)
        except Refused as refusal:
            problem = refusal
        else:
            messages.success(request, _("Saved the commitment. Its holders can now record progress on it."))
            if post.get("next") == "decision" and decision is not None:
                return redirect(decision.get_absolute_url() + "#commitments")
            return redirect(reverse("collaboratives:commitments", args=[collaborative.slug]) + f"#c{commitment.pk}")
    return render(request, "collaboratives/commitment_new.html", {
        "collaborative": collaborative, "member": member, "decision": decision, "form": request.POST,
        "today": timezone.localdate().isoformat(), **_choices(collaborative),
        "problem": problem.message if problem else None}, status=problem.status if problem else 200)


@require_POST
def commitment_update(request, slug, pk):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    commitment = collaborative.commitments.filter(pk=_int(pk)).first()
    if commitment is None:
        raise Refused(_("We could not find that commitment."), status=404)
    post = request.POST
    try:
        if post.get("action") == "due":
            access.check(request.user, collaborative, "manage")
            commitments.change_due(commitment, member, _date(post.get("due"), _("date")))
            message = _("Moved the date.")
        else:
            access.check(request.user, collaborative, "update")
            commitments.record_progress(commitment, member, status=post.get("status"),
                                        progress=post.get("progress"), note=post.get("note"))
            message = _("Saved your update.")
    except Refused as refusal:
        context = _commitments_context(collaborative, member)
        context.update(problem=refusal.message, problem_for=commitment.pk, form=post)
        return render(request, "collaboratives/commitments.html", context, status=refusal.status)
    messages.success(request, message)
    return redirect(reverse("collaboratives:commitments", args=[collaborative.slug]) + f"#c{commitment.pk}")


# --- Results and indicators --------------------------------------------------------------------


def _results_context(collaborative, member):
    rows = results.tree(collaborative)
    for r in rows:
        r.indent = "– " * (r.depth - 1)  # where it sits, in the "Part of" list
    return {"collaborative": collaborative, "member": member, "manage": access.can(member, "manage"),
            "roots": [r for r in rows if r.depth == 1], "parents": [r for r in rows if r.depth < results.MAX_DEPTH],
            "indicators": results.indicator_rows(collaborative), "statuses": Result.Status.choices,
            "decisions": decision_choices(collaborative),
            "today": timezone.localdate().isoformat(), "form": {}, "problem_action": ""}


@never_cache
def results_page(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    return render(request, "collaboratives/results.html", _results_context(collaborative, member))


def _refused(request, collaborative, member, refusal, action):
    context = _results_context(collaborative, member)
    context.update(problem=refusal.message, problem_action=action, form=request.POST)
    return render(request, "collaboratives/results.html", context, status=refusal.status)


def _back(collaborative, anchor):
    return redirect(reverse("collaboratives:results", args=[collaborative.slug]) + anchor)


@require_POST
def result_new(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "manage")
    post = request.POST
    try:
        parent = None
        if post.get("parent"):
            parent = collaborative.results.filter(pk=_int(post.get("parent"))).first()
            if parent is None:
                raise Refused(_("Choose one of this collaborative's results."), status=400)
        decision = None
        if post.get("decision"):
            decision = collaborative.decisions.filter(pk=_int(post.get("decision"))).first()
            if decision is None:
                raise Refused(_("Choose one of this collaborative's decisions."), status=400)
        result = results.add_result(collaborative, title=post.get("title"), parent=parent, weight=post.get("weight"),
                                    status=post.get("status") or Result.Status.NOT_STARTED,
                                    progress=post.get("progress"), decision=decision)
        _mark_if_asked(post, result)
    except Refused as refusal:
        return _refused(request, collaborative, member, refusal, "result")
    messages.success(request, _("Added the result %(title)s.") % {"title": result.title})
    return _back(collaborative, f"#r{result.pk}")


@require_POST
def result_update(request, slug, pk):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "manage")
    result = collaborative.results.filter(pk=_int(pk)).first()
    if result is None:
        raise Refused(_("We could not find that result."), status=404)
    try:
        results.update_result(result, status=request.POST.get("status"), progress=request.POST.get("progress"),
                              weight=request.POST.get("weight"))
    except Refused as refusal:
        return _refused(request, collaborative, member, refusal, f"result-{result.pk}")
    messages.success(request, _("Saved %(title)s.") % {"title": result.title})
    return _back(collaborative, f"#r{result.pk}")


@require_POST
def indicator_new(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "manage")
    post = request.POST
    try:
        indicator = results.add_indicator(
            collaborative, title=post.get("title"), unit=post.get("unit"), baseline=post.get("baseline"),
            target=post.get("target"), baseline_on=_date(post.get("baseline_on"), _("baseline date")),
            target_on=_date(post.get("target_on"), _("target date")))
        _mark_if_asked(post, indicator)
    except Refused as refusal:
        return _refused(request, collaborative, member, refusal, "indicator")
    messages.success(request, _("Added the indicator %(title)s. Record its first figure below it.") % {
        "title": indicator.title})
    return _back(collaborative, f"#i{indicator.pk}")


@require_POST
def actual_new(request, slug, pk):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "manage")
    indicator = collaborative.indicators.filter(pk=_int(pk)).first()
    if indicator is None:
        raise Refused(_("We could not find that indicator."), status=404)
    try:
        results.add_actual(indicator, member, on=_date(request.POST.get("on"), _("date")),
                           value=request.POST.get("value"), note=request.POST.get("note"))
    except Refused as refusal:
        return _refused(request, collaborative, member, refusal, f"actual-{indicator.pk}")
    messages.success(request, _("Recorded the figure for %(title)s.") % {"title": indicator.title})
    return _back(collaborative, f"#i{indicator.pk}")
