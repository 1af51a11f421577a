"""The decision log's pages: the list, a new proposal (convenors), a decision with its votes, and
the actions on it (vote, close, outcome). Each view asks access.check first; writes are
decisions.* (a view never writes a model itself)."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from intersector.collaboratives import access, decision_rules, decisions
from intersector.collaboratives.models import Decision, DecisionEvent, Member, Vote
from intersector.collaboratives.views import _collaborative, _date, _int
from intersector.refusals import Refused


def _decision(collaborative, pk):
    decision = collaborative.decisions.filter(pk=_int(pk)).first()
    if decision is None:
        raise Refused(_("We could not find that decision."), status=404)
    decision.collaborative = collaborative
    return decisions.close_if_due(decision)


def _when(value):
    value = (value or "").strip()
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise Refused(_("Write the closing time as a date and time, like 2027-03-31 17:00."), status=400) from None
    return timezone.make_aware(when) if timezone.is_naive(when) else when


LOG_PAGE = 50  # decisions a page of the log shows: a long log (thousands) stays quick to open


@never_cache
def index(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    page = Paginator(collaborative.decisions.select_related("chosen").order_by("-opened_at", "-pk"),
                     LOG_PAGE).get_page(request.GET.get("page"))
    log = [decisions.close_if_due(d) for d in page.object_list]
    return render(request, "collaboratives/decisions.html", {
        "collaborative": collaborative, "member": member, "decisions": log, "page": page,
        "rules": decision_rules.rules_of(collaborative), "manage": access.can(member, "manage")})


def _rules_form(rules):
    """What a form shows for stored rules: the kind, the quorum and the threshold in plain words
    (the percentage box shows the share as a whole percentage, rounded up)."""
    percent = -(-rules.threshold * 100 // rules.threshold_of)
    return {"kind": rules.kind, "quorum": str(rules.quorum), "threshold": str(percent),
            "share": decisions.plain_threshold(rules.threshold, rules.threshold_of, rules.threshold_rule)}


@never_cache
@require_http_methods(["GET", "POST"])
def new(request, slug):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "manage")
    rules = decision_rules.rules_of(collaborative)
    # A new proposal starts from the collaborative's rules (its charter's, or the convenor's).
    problem, form = None, _rules_form(rules)
    if request.method == "POST":
        form = request.POST
        try:
            threshold, out_of, rule = decisions.threshold_from_form(form.get("share"), form.get("threshold", "50"))
            decision = decisions.open_decision(
                collaborative, member, title=form.get("title"), text=form.get("text"), kind=form.get("kind"),
                closes_at=_when(form.get("closes_at")), options=(form.get("options") or "").splitlines(),
                quorum=form.get("quorum", "50"), threshold=threshold, threshold_of=out_of, threshold_rule=rule,
                per_organisation=form.get("counting", "organisation") == "organisation", dots=form.get("dots"))
        except Refused as refusal:
            problem = refusal
        else:
            messages.success(request, _("The proposal is open for votes."))
            return redirect(decision.get_absolute_url())
    default_close = timezone.localtime() + timedelta(days=7)
    return render(request, "collaboratives/decision_new.html", {
        "collaborative": collaborative, "member": member, "form": form, "kinds": Decision.Kind.choices,
        "default_close": default_close.strftime("%Y-%m-%dT17:00"), "rules": rules,
        "problem": problem.message if problem else None}, status=problem.status if problem else 200)


CONSENT_CHOICES = (Vote.Choice.AGREE, Vote.Choice.ABSTAIN, Vote.Choice.OBJECT)


def _figure(decision, total, took_part):
    """An option's figure: votes or dots as counted; for a score, the average (one decimal)."""
    if decision.kind == Decision.Kind.SCORE:
        return f"{total / took_part:.1f}" if took_part else "–"
    return total


VOTE_PAGE = 100  # votes a page of a decision lists (a big collaborative's decision has a thousand)


def _vote_rows(decision, votes):
    """The votes (a page of them), oldest first, with the words that say whether each counts and why not."""
    rows, labels = [], {str(o.pk): o.label for o in decision.options.all()}
    for vote in votes:
        if vote.allocation:  # "Bus lanes: 2 · Trees: 1", in the options' order
            vote.spread = " · ".join(f"{label}: {vote.allocation[pk]}" for pk, label in labels.items()
                                     if pk in vote.allocation)
        if vote.state == Vote.State.COUNTED:
            why = _("Counted")
        elif vote.state == Vote.State.CHANGED:
            why = _("Changed: the same person voted again")
        elif vote.state == Vote.State.REPLACED:
            by = vote.replaced_by.member.name if vote.replaced_by else _("someone")
            why = _("Not counted any more: %(name)s voted later for the same partner") % {"name": by}
        else:
            why = _("Not counted: the representative had already voted for the partner")
        rows.append((vote, why))
    return rows


@never_cache
def detail(request, slug, pk):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "see")
    decision = _decision(collaborative, pk)
    return _page(request, collaborative, member, decision)


def _page(request, collaborative, member, decision, problem=None, form=None):
    mine = None
    if member is not None:
        mine = decision.votes.filter(member=member).order_by("-pk").first()
    standing = decisions.current_outcome(decision) if decision.status == Decision.Status.OPEN else None
    options = {str(o.pk): o for o in decision.options.all()}
    counts = (standing.counts if standing else decision.tally.get("counts", {}))
    took_part = standing.took_part if standing else decision.tally.get("took_part")
    if decision.has_options:
        tally = [(o.label, _figure(decision, counts.get(o.pk, counts.get(str(o.pk), 0)), took_part))
                 for o in options.values()]
    else:
        tally = [(label, counts.get(key, 0)) for key, label in Vote.Choice.choices if key in CONSENT_CHOICES]
    # What the form shows: what was just sent (if refused), else the person's standing vote.
    spread = {}
    if decision.kind in (Decision.Kind.DOTS, Decision.Kind.SCORE):
        for pk in options:
            sent = (form or {}).get(f"option-{pk}")
            spread[pk] = sent if sent is not None else (mine.allocation.get(pk, "") if mine else "")
    # Every vote is in the votes table (who, for whom, when, counted or not), a page at a time; the
    # history keeps the other events (opened, put to a workshop, closed, each outcome, a vote cast
    # in a workshop's room) and says how many votes came.
    events = (decision.events.exclude(Q(kind=DecisionEvent.Kind.VOTED) & ~Q(detail__has_key="workshop"))
              .select_related("member"))
    votes = Paginator(decision.votes.select_related("member", "partner__organisation", "option",
                                                    "replaced_by__member").order_by("cast_at", "pk"),
                      VOTE_PAGE).get_page(request.GET.get("page"))
    needed = None
    if decision.kind == Decision.Kind.VOTE and took_part:
        needed = decisions.votes_needed(decision, took_part)
    return render(request, "collaboratives/decision.html", {
        "collaborative": collaborative, "member": member, "decision": decision, "mine": mine, "needed": needed,
        "standing": standing, "tally": tally, "seats": standing.seats if standing else decision.tally.get("seats"),
        "took_part": standing.took_part if standing else decision.tally.get("took_part"),
        "objections": decision.votes.filter(state=Vote.State.COUNTED, choice=Vote.Choice.OBJECT)
        .select_related("member", "partner__organisation"),
        "votes": _vote_rows(decision, votes.object_list), "page": votes, "vote_count": votes.paginator.count,
        "events": events,
        "options": [(o, spread.get(pk, "")) for pk, o in options.items()] if spread else options.values(),
        "labels": {pk: o.label for pk, o in options.items()},
        "decision_commitments": decision.commitments.select_related("partner__organisation", "owner"),
        "can_vote": access.can(member, "decide") and decision.status == Decision.Status.OPEN,
        "is_alternate": member is not None and member.role == Member.Role.ALTERNATE,
        "manage": access.can(member, "manage"), "problem": problem.message if problem else None,
        "today": timezone.localdate().isoformat(), "form": form or {},
        # What the form shows as chosen: what was just sent (if refused), else the standing vote.
        "picked": (form or {}).get("choice") or (mine.choice if mine else ""),
        "picked_option": _int((form or {}).get("option")) or (mine.option_id if mine else None)}, status=problem.status if problem else 200)


@require_POST
def vote(request, slug, pk):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "decide")
    decision = _decision(collaborative, pk)
    option = decision.options.filter(pk=_int(request.POST.get("option"))).first()
    try:
        cast = decisions.cast_vote(decision, member, choice=request.POST.get("choice"), option=option,
                                   reason=request.POST.get("reason"), allocation=allocation_sent(request.POST))
    except Refused as refusal:
        return _page(request, collaborative, member, decision, problem=refusal, form=request.POST)
    if cast.state == Vote.State.NOT_COUNTED:
        messages.warning(request, _("Your vote is recorded but not counted: the representative of %(partner)s "
                                    "has already voted for it.") % {"partner": member.partner})
    else:
        messages.success(request, _("Your vote is counted for %(partner)s.") % {"partner": member.partner})
    return redirect(decision.get_absolute_url())


def allocation_sent(post):
    """A dot vote's or a score's numbers from a form: fields option-<id>."""
    return {key.removeprefix("option-"): value for key, value in post.items() if key.startswith("option-")}


@require_POST
def close(request, slug, pk):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "manage")
    decision = _decision(collaborative, pk)
    decision = decisions.close_decision(decision, member)
    messages.success(request, _("Closed. Outcome: %(result)s.") % {"result": decision.get_result_display()})
    return redirect(decision.get_absolute_url() + "#outcome")


@require_POST
def outcome(request, slug, pk):
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "manage")
    decision = _decision(collaborative, pk)
    try:
        decisions.write_outcome(decision, member, statement=request.POST.get("statement"),
                                review_on=_date(request.POST.get("review_on"), _("review date")))
    except Refused as refusal:
        return _page(request, collaborative, member, decision, problem=refusal, form=request.POST)
    messages.success(request, _("Saved the outcome."))
    return redirect(decision.get_absolute_url() + "#outcome")


@never_cache
@require_http_methods(["GET", "POST"])
def rules(request, slug):
    """The collaborative's decision rules: everyone in it reads them and where they came from;
    the convenor changes them, or reads them from the charter again."""
    collaborative = _collaborative(slug)
    member = access.check(request.user, collaborative, "manage" if request.method == "POST" else "see")
    problem, form = None, {}
    if request.method == "POST":
        form = request.POST
        try:
            if form.get("action") == "charter":
                _stored, read = decision_rules.rules_from_charter(collaborative, member)
                if read.found:
                    messages.success(request, _("Read the rules from the charter."))
                else:
                    messages.warning(request, _("The charter does not say how partners decide: the usual defaults "
                                                "apply until you change them."))
            else:
                threshold, out_of, rule = decisions.threshold_from_form(form.get("share"), form.get("threshold"))
                decision_rules.set_rules(collaborative, member, kind=form.get("kind"), quorum=form.get("quorum"),
                                    threshold=threshold, threshold_of=out_of, threshold_rule=rule)
                messages.success(request, _("Saved the decision rules. New proposals start from them."))
        except Refused as refusal:
            problem = refusal
        else:
            return redirect("collaboratives:decision_rules", collaborative.slug)
    current = decision_rules.rules_of(collaborative)
    if not form:
        form = _rules_form(current)
    return render(request, "collaboratives/decision_rules.html", {
        "collaborative": collaborative, "member": member, "rules": current, "form": form,
        "kinds": Decision.Kind.choices, "manage": access.can(member, "manage"),
        "problem": problem.message if problem else None}, status=problem.status if problem else 200)
