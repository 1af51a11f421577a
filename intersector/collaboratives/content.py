"""Starter content: the demonstration collaborative in content/collaboratives/demonstration.yaml
(invented organisations and people in an invented region), loaded once: if a collaborative with
its address exists, it is left as it is, with whatever was changed in it."""

from pathlib import Path

import yaml
from django.db import transaction

from intersector.content import register


@register("collaboratives", order=70)  # after the toolkit (library, 50): its tools go on the steps
def load_demonstration(content_dir: Path) -> str:
    path = Path(content_dir) / "collaboratives" / "demonstration.yaml"
    if not path.exists():
        return "no demonstration collaborative"
    from intersector.collaboratives.models import Collaborative

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    existing = Collaborative.objects.filter(slug=data["key"], demonstration=True).first()
    if existing is not None:
        # Loaded before the decision log and results were part of it: add them, once.
        if not _has_plan(existing) and data.get("decisions"):
            with transaction.atomic():
                _plan(existing, data)
            return "demonstration collaborative: decisions, commitments, results and indicators added"
        if _unpublish_failed(existing):
            return "demonstration collaborative already loaded; decisions that did not pass taken out of its public report"
        return "demonstration collaborative already loaded (left as it is)"
    if Collaborative.objects.filter(slug=data["key"]).exists():
        return "demonstration collaborative already loaded (left as it is)"
    with transaction.atomic():
        collaborative = build(data)
    people = collaborative.members.count()
    return (f"demonstration collaborative created: {collaborative.partners.count()} partners, "
            f"{people} people, {collaborative.decisions.count()} decisions, "
            f"{collaborative.commitments.count()} commitments, {collaborative.results.count()} results, "
            f"{collaborative.indicators.count()} indicators")


def build(data):
    from datetime import date

    from intersector.collaboratives import services
    from intersector.collaboratives.models import Member

    collaborative = services.create_collaborative(
        None, name=data["name"], purpose=data.get("purpose", ""), place=data.get("place", ""),
        issue=data.get("issue", ""), demonstration=True, slug=data["key"], convenor_name=data["convenor"])
    groups = {name: services.add_group(collaborative, name) for name in data.get("groups", [])}
    start = date(2027, 1, 11)
    for entry in data.get("partners", []):
        partner = services.add_partner(collaborative, name=entry["name"], sector=entry["sector"],
                                       group=groups.get(entry.get("group")))
        for person in entry.get("people", []):
            services.add_person(collaborative, name=person["name"], email="", role=person["role"],
                                partner=partner, starts=start)
    convenor = collaborative.members.get(role=Member.Role.CONVENOR)
    for key, step_data in (data.get("steps") or {}).items():
        step = collaborative.steps.get(key=key)
        services.update_step(step, status=step_data["status"], starts=_day(step_data.get("starts")),
                             ends=_day(step_data.get("ends")), owner=convenor)
    for sheet in data.get("worksheets", []):
        _worksheet(collaborative, sheet, convenor)
    if data.get("health_wave"):
        _health_wave(collaborative, data["health_wave"], convenor)
    _plan(collaborative, data)
    if data.get("network_wave"):
        _network_wave(collaborative, data["network_wave"], convenor)
    return collaborative


def _has_plan(collaborative):
    return (collaborative.decisions.exists() or collaborative.commitments.exists()
            or collaborative.results.exists() or collaborative.indicators.exists())


def _plan(collaborative, data):
    """The decision log, commitments, results and indicators, dated from today (see the YAML)."""
    from datetime import timedelta

    from django.utils import timezone

    from intersector.collaboratives.models import Member

    convenor = collaborative.members.filter(role=Member.Role.CONVENOR).order_by("pk").first()
    today, now = timezone.localdate(), timezone.now()
    at = lambda days, hour=10: (now.replace(hour=hour, minute=0, second=0, microsecond=0)  # noqa: E731
                                + timedelta(days=days))
    partners = list(collaborative.partners.select_related("organisation"))
    order = {entry["name"]: n for n, entry in enumerate(data.get("partners", []))}
    partners.sort(key=lambda p: order.get(p.organisation.name, len(order)))
    people = {}
    for member in collaborative.members.order_by("pk"):
        people.setdefault(member.partner_id, []).append(member)
    decided = {}
    for entry in data.get("decisions", []):
        decided[entry["title"]] = _decision(collaborative, convenor, entry, partners, people, at)
    for entry in data.get("commitments", []):
        _commitment(collaborative, convenor, entry, decided, today, at)
    for entry in data.get("results", []):
        _result(collaborative, entry, None, decided)
    for entry in data.get("indicators", []):
        _indicator(collaborative, convenor, entry, today)


PASSED = ("agreed", "carried")  # a decision's results that mean it passed, its quorum met


def _publish(item, entry):
    """`public: true` in the YAML: the item may appear in reports for funders and the public."""
    from intersector.collaboratives import reports
    from intersector.collaboratives.models import Visibility

    if entry.get("public"):
        reports.set_visibility(item, Visibility.PUBLIC)


def _unpublish_failed(collaborative):
    """A demonstration's public report shows only decisions that passed with their quorum: any
    other marked public (by hand, or by an older demonstration file) goes back to partners only."""
    from intersector.collaboratives.models import Visibility

    return collaborative.decisions.filter(visibility=Visibility.PUBLIC).exclude(
        status="closed", result__in=PASSED).update(visibility=Visibility.PARTNERS)


def _decision(collaborative, convenor, entry, partners, people, at):
    """A proposal with its votes; a closed one closed with its outcome, then dated back. Marked
    public only if it passed (the file saying otherwise is a mistake: loading stops)."""
    from intersector.collaboratives import decisions
    from intersector.collaboratives.models import Decision, DecisionEvent, Member

    closes = at(entry["closes"], 17)
    closed = entry["closes"] < 0
    decision = decisions.open_decision(
        collaborative, convenor, title=entry["title"], text=entry["text"], kind=entry["kind"],
        closes_at=closes if not closed else at(1, 17), options=entry.get("options", []),
        quorum=entry.get("quorum", 50), threshold=entry.get("threshold", 50))
    options = {o.label: o for o in decision.options.all()}
    ballots = [choice for choice, n in entry.get("votes", {}).items() for _ in range(n)]
    seats = partners[entry.get("first", 0):] + partners[:entry.get("first", 0)]
    objector = entry.get("objector")
    if objector:  # the objection comes from this partner
        seats = [p for p in seats if p.organisation.name == objector] + [p for p in seats
                                                                          if p.organisation.name != objector]
        ballots = ["object"] + [b for b in ballots if b != "object"]
    first_alts, only_alts = entry.get("alternates_first", 0), entry.get("alternates_only", 0)
    for n, (partner, ballot) in enumerate(zip(seats, ballots)):
        rep = next((m for m in people.get(partner.pk, []) if m.role == Member.Role.REPRESENTATIVE), None)
        alt = next((m for m in people.get(partner.pk, []) if m.role == Member.Role.ALTERNATE), None)
        voters = [rep]
        if alt is not None and n >= len(ballots) - first_alts - only_alts:
            voters = [alt, rep] if n < len(ballots) - only_alts else [alt]
        for voter in voters:
            if voter is None:
                continue
            if ballot in options:
                decisions.cast_vote(decision, voter, option=options[ballot])
            else:
                decisions.cast_vote(decision, voter, choice=ballot,
                                    reason=entry.get("reason", "") if ballot == "object" else "")
    if not closed:
        if entry.get("public"):
            raise ValueError(f"demonstration.yaml marks “{entry['title']}” public while it is open")
        opened = at(entry["opened"], 9)
        Decision.objects.filter(pk=decision.pk).update(opened_at=opened)
        DecisionEvent.objects.filter(decision=decision, kind=DecisionEvent.Kind.OPENED).update(at=opened)
        _spread(decision, opened, min(at(0, 9), closes))
        return decision
    decisions.close_decision(decision, convenor)
    if entry.get("statement"):
        review = at(entry["review"]).date() if entry.get("review") else None
        decisions.write_outcome(decision, convenor, statement=entry["statement"], review_on=review)
    opened, ended = at(entry["opened"], 9), closes
    Decision.objects.filter(pk=decision.pk).update(opened_at=opened, closes_at=closes, closed_at=ended)
    DecisionEvent.objects.filter(decision=decision, kind=DecisionEvent.Kind.OPENED).update(at=opened)
    DecisionEvent.objects.filter(decision=decision, kind=DecisionEvent.Kind.CLOSED).update(at=ended)
    from datetime import timedelta

    DecisionEvent.objects.filter(decision=decision, kind=DecisionEvent.Kind.OUTCOME).update(
        at=ended + timedelta(hours=20))
    _spread(decision, opened, ended)
    decision.refresh_from_db()
    if entry.get("public") and decision.result not in PASSED:
        raise ValueError(f"demonstration.yaml marks “{decision.title}” public, but it did not pass "
                         f"({decision.result}, {decision.tally.get('took_part')} of {decision.tally.get('seats')})")
    _publish(decision, entry)
    return decision


def _spread(decision, start, end):
    """Votes and their history dated between opening and closing, in the order they were cast."""
    from intersector.collaboratives.models import DecisionEvent, Vote

    votes = list(Vote.objects.filter(decision=decision).order_by("pk"))
    step = (end - start) / (len(votes) + 1)
    for n, vote in enumerate(votes, start=1):
        when = start + step * n
        Vote.objects.filter(pk=vote.pk).update(cast_at=when, state_changed_at=when if vote.state_changed_at else None)
        DecisionEvent.objects.filter(decision=decision, vote=vote).update(at=when)


def _commitment(collaborative, convenor, entry, decided, today, at):
    from datetime import timedelta

    from intersector.collaboratives import commitments
    from intersector.collaboratives.models import Commitment, CommitmentUpdate

    partner = (collaborative.partners.filter(organisation__name=entry["partner"]).first()
               if entry.get("partner") else None)
    owner = collaborative.members.filter(name=entry["owner"]).first() if entry.get("owner") else None
    made = at(entry["made"])
    commitment = commitments.make_commitment(collaborative, convenor, what=entry["what"], due=today, partner=partner,
                                             owner=owner, decision=decided.get(entry.get("decision")))
    CommitmentUpdate.objects.filter(commitment=commitment).update(at=made)
    report = entry.get("progress")
    if report:
        commitments.record_progress(commitment, owner or convenor, status=Commitment.Status.UNDER_WAY,
                                    progress=report["percent"], note=report.get("note", ""))
        _date_last_update(commitment, at(report["day"], 15))
    if "done" in entry:
        commitments.record_progress(commitment, owner or convenor, status=Commitment.Status.DONE)
        _date_last_update(commitment, at(entry["done"], 15))
    Commitment.objects.filter(pk=commitment.pk).update(
        due=today + timedelta(days=entry["due"]), created=made,
        done_on=(today + timedelta(days=entry["done"])) if "done" in entry else None)
    _publish(commitment, entry)


def _date_last_update(commitment, when):
    latest = commitment.updates.order_by("-pk").first()
    commitment.updates.filter(pk=latest.pk).update(at=when)


def _result(collaborative, entry, parent, decided):
    from intersector.collaboratives import results

    result = results.add_result(collaborative, title=entry["title"], parent=parent, weight=entry.get("weight"),
                                status=entry.get("status", "not-started"), progress=entry.get("progress"),
                                decision=decided.get(entry.get("decision")))
    _publish(result, entry)
    for child in entry.get("children", []):
        _result(collaborative, child, result, decided)


def _indicator(collaborative, convenor, entry, today):
    from datetime import timedelta

    from intersector.collaboratives import results

    day = lambda offset: today + timedelta(days=offset) if offset is not None else None  # noqa: E731
    indicator = results.add_indicator(
        collaborative, title=entry["title"], unit=entry["unit"], baseline=entry["baseline"], target=entry["target"],
        baseline_on=day(entry.get("baseline_on")), target_on=day(entry.get("target_on")))
    for offset, value in entry.get("actuals", []):
        results.add_actual(indicator, convenor, on=day(offset), value=value)
    _publish(indicator, entry)


def _network_wave(collaborative, wave_data, convenor):
    """A closed network survey: each partner (but a few that did not answer) names the hubs, about
    half the partners of its own interest group and a few in others, chosen by a fixed rule (the
    same demonstration at every load); ratings lean higher inside a group and towards the hubs."""
    from datetime import datetime, time

    from django.utils import timezone

    from intersector.collaboratives import network
    from intersector.collaboratives.models import NetworkWave

    wave = network.open_wave(collaborative, convenor)
    partners = list(collaborative.partners.select_related("organisation").order_by("pk"))
    hubs = {p.pk for p in partners if p.organisation.name in wave_data.get("hubs", [])}
    speakers = {m.partner_id: m for m in collaborative.members.filter(role="representative")}
    skip = wave_data.get("unanswered_every", 9)
    for i, partner in enumerate(partners):
        if (i + 1) % skip == 0 or partner.pk not in speakers:
            continue  # did not answer
        chosen = {}
        for j, other in enumerate(partners):
            if other.pk == partner.pk:
                continue
            same = other.group_id == partner.group_id
            if other.pk in hubs or (same and (i * 7 + j * 13) % 10 < 5) or (not same and (i * 11 + j * 17) % 23 == 0):
                lean = 3 + (other.pk in hubs) + same - (not same and other.pk not in hubs)
                # Government partners are seen to bring influence, businesses resources; community
                # groups are trusted, and short of money.
                sector = other.organisation.sector
                tilt = {("government", "influence"): 1, ("business", "resources"): 1, ("business", "mission"): -1,
                        ("non-profit", "resources"): -1, ("non-profit", "mission"): 1}
                chosen[other.pk] = {item.key: min(4, max(1, lean + tilt.get((sector, item.key), 0) + ((i + j + k) % 3) - 1))
                                    for k, item in enumerate(network.ITEMS)}
        network.answer(wave, speakers[partner.pk], chosen)
    network.close_wave(wave)  # lays the map out once
    day = timezone.get_current_timezone()
    NetworkWave.objects.filter(pk=wave.pk).update(
        opened=datetime.combine(_day(wave_data["opened"]), time(9), tzinfo=day),
        closed=datetime.combine(_day(wave_data["closed"]), time(17), tzinfo=day),
        visibility="public" if wave_data.get("public") else "partners")


SPREAD = (-1, -0.5, 0, 0.5, 1, 0, -0.5, 0.5)  # person by person around the sector's leaning


def _health_wave(collaborative, wave_data, convenor):
    """A closed health check answered by every partner's people, from the sectors' leanings."""
    from datetime import datetime, time
    from decimal import ROUND_HALF_UP, Decimal

    from django.utils import timezone

    from intersector.collaboratives import health
    from intersector.collaboratives.models import HealthWave

    wave = health.open_wave(collaborative, convenor)
    people = collaborative.members.filter(partner__isnull=False).select_related("partner__organisation")
    for i, member in enumerate(people.order_by("pk")):
        leanings = wave_data["leanings"].get(member.partner.organisation.sector, {})
        values = {}
        for j, factor in enumerate(health.factors()):
            lean = Decimal(str(leanings.get(factor.category, 3.5))) + Decimal(str(SPREAD[(i + 3 * j) % len(SPREAD)]))
            values[factor.key] = min(5, max(1, int(lean.quantize(Decimal(1), rounding=ROUND_HALF_UP))))
        health.answer(wave, member, values)
    day = timezone.get_current_timezone()
    HealthWave.objects.filter(pk=wave.pk).update(
        opened=datetime.combine(_day(wave_data["opened"]), time(9), tzinfo=day),
        closed=datetime.combine(_day(wave_data["closed"]), time(17), tzinfo=day),
        # Marked public, so that the demonstration's funder and public reports show a health check.
        visibility="public")


def _day(value):
    from datetime import date

    return date.fromisoformat(str(value)) if value else None


def _worksheet(collaborative, sheet, author):
    from intersector.collaboratives import services
    from intersector.library.models import Tool

    tool = Tool.objects.filter(slug=sheet["tool"], live=True).first()
    step = collaborative.steps.get(key=sheet["step"])
    if tool is None or not step.tools.filter(pk=tool.pk).exists():
        return  # a curator changed the toolkit: the demonstration does without this worksheet
    answers = list(sheet["answers"])[:len(tool.question_list)]
    answers += [""] * (len(tool.question_list) - len(answers))
    services.save_worksheet(services.worksheet_for(step, tool), author, answers, based_on=0)
