"""The decision log's actions (open, vote, close, write the outcome) and the pure function that
turns counted votes into an outcome. Each action checks, saves in one transaction and keeps the
decision's history; votes are never deleted, only marked as changed or replaced, so every counted
vote can be traced (who, for which partner, when, and why another one does not count)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from intersector.collaboratives import rules
from intersector.collaboratives.models import Decision, DecisionEvent, Member, Option, Vote
from intersector.refusals import Refused

# Sent once a vote or the closing of a decision is committed (sender: Decision, decision=...): a
# Convene room that has the decision on its screens refreshes them (the decision kind listens).
changed = Signal()

MAX_OPTIONS = 12
MAX_REASON = 2000
STANDING = [Vote.State.COUNTED, Vote.State.NOT_COUNTED]  # a person's current vote, counted or not

# --- The outcome: a pure function of the counted votes ----------------------------------------


@dataclass
class Outcome:
    result: str  # a Decision.Result value
    seats: int  # partners (or people) who could take part
    took_part: int  # of them, how many have a counted vote
    quorum_met: bool
    counts: dict = field(default_factory=dict)  # "agree"/"abstain"/"object" or option id -> votes
    chosen: object = None  # the option id that carried, if any

    def as_dict(self):
        return {"seats": self.seats, "took_part": self.took_part, "quorum_met": self.quorum_met,
                "counts": {str(k): v for k, v in self.counts.items()}}


def reaches(votes, counted, threshold, threshold_of=100, rule=rules.AT_LEAST):
    """Whether `votes` of `counted` reach the share: at least, or more than, threshold/threshold_of
    (in whole numbers, so two-thirds is exact: 2 of 3 reaches it, 66 of 100 does not)."""
    if rule == rules.MORE_THAN:
        return votes * threshold_of > threshold * counted
    return votes * threshold_of >= threshold * counted


def outcome(kind, *, seats, ballots, quorum, threshold, threshold_of=100, rule=rules.AT_LEAST):
    """The outcome of counted `ballots` (one per seat that took part: "agree", "abstain" or "object"
    for consent; an option id for a vote; {option id: dots} for a dot vote; {option id: score} for
    a score) among `seats` that could, with the quorum in % and the threshold a share
    (`threshold` out of `threshold_of`, and `rule`: at least or more than it).

    Consent: any objection blocks; else, with the quorum met, it is agreed. Vote: an option carries
    when the quorum is met and its votes reach the threshold's share of the counted votes (see
    `reaches`); of several, the most votes; a tie at the top decides nothing.
    Dot vote and score (threshold not used): with the quorum met, the option with the most dots,
    or the highest total score (every ballot scores every option, so the highest average), carries;
    a tie at the top decides nothing, and so do ballots with no dots at all.
    """
    took_part = len(ballots)
    quorum_met = seats > 0 and took_part * 100 >= quorum * seats
    if kind in (Decision.Kind.DOTS, Decision.Kind.SCORE):
        return _spread_outcome(seats, ballots, quorum_met)
    counts = Counter(ballots)
    if kind == Decision.Kind.CONSENT:
        if counts["object"]:
            result = Decision.Result.BLOCKED
        elif not quorum_met:
            result = Decision.Result.NO_QUORUM
        else:
            result = Decision.Result.AGREED
        return Outcome(result, seats, took_part, quorum_met, dict(counts))
    if not quorum_met:
        return Outcome(Decision.Result.NO_QUORUM, seats, took_part, quorum_met, dict(counts))
    reaching = sorted(((n, option) for option, n in counts.items()
                       if reaches(n, took_part, threshold, threshold_of, rule)),
                      key=lambda pair: -pair[0])
    if not reaching:
        return Outcome(Decision.Result.NOT_CARRIED, seats, took_part, quorum_met, dict(counts))
    if len(reaching) > 1 and reaching[0][0] == reaching[1][0]:
        return Outcome(Decision.Result.TIE, seats, took_part, quorum_met, dict(counts))
    return Outcome(Decision.Result.CARRIED, seats, took_part, quorum_met, dict(counts), chosen=reaching[0][1])


def _spread_outcome(seats, ballots, quorum_met):
    """Dots or scores: each option's total over the ballots; the top total carries, alone."""
    totals = Counter()
    for ballot in ballots:
        for option, n in ballot.items():
            totals[option] += n
    took_part = len(ballots)
    if not quorum_met:
        return Outcome(Decision.Result.NO_QUORUM, seats, took_part, quorum_met, dict(totals))
    ranked = sorted(((n, option) for option, n in totals.items() if n > 0), key=lambda pair: -pair[0])
    if not ranked:
        return Outcome(Decision.Result.NOT_CARRIED, seats, took_part, quorum_met, dict(totals))
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return Outcome(Decision.Result.TIE, seats, took_part, quorum_met, dict(totals))
    return Outcome(Decision.Result.CARRIED, seats, took_part, quorum_met, dict(totals), chosen=ranked[0][1])


def seats_of(decision, day=None):
    """How many could take part: active partners in one vote per organisation, else active people
    who decide (representatives and alternates)."""
    day = day or timezone.localdate()
    collaborative = decision.collaborative
    # Counted by the database (Partner's joined/left and Member.active_on's dates): a collaborative
    # of hundreds of partners is not read row by row on every look at an open decision.
    if decision.per_organisation:
        return collaborative.partners.filter(Q(left__isnull=True) | Q(left__gte=day), joined__lte=day).count()
    return collaborative.members.filter(Q(ends__isnull=True) | Q(ends__gte=day), starts__lte=day,
                                        role__in=[Member.Role.REPRESENTATIVE, Member.Role.ALTERNATE]).count()


def ballot_of(decision, vote):
    """What one counted vote gives the outcome function."""
    if decision.kind == Decision.Kind.VOTE:
        return vote.option_id
    if decision.kind in (Decision.Kind.DOTS, Decision.Kind.SCORE):
        return {int(option): n for option, n in vote.allocation.items()}
    return vote.choice


def current_outcome(decision):
    ballots = [ballot_of(decision, v) for v in decision.votes.filter(state=Vote.State.COUNTED)]
    return outcome(decision.kind, seats=seats_of(decision), ballots=ballots, quorum=decision.quorum,
                   threshold=decision.threshold, threshold_of=decision.threshold_of, rule=decision.threshold_rule)


def votes_needed(decision, counted):
    """How many of `counted` votes an option of this vote needs to carry ("needs 3 of 4")."""
    return rules.votes_needed(decision.threshold, decision.threshold_of, decision.threshold_rule, counted)


# --- Opening -----------------------------------------------------------------------------------


def _text(value, label, max_length, required=True):
    value = (value or "").strip()
    if required and not value:
        raise Refused(_("Give the %(field)s.") % {"field": label}, status=400)
    if len(value) > max_length:
        raise Refused(_("The %(field)s is too long: at most %(n)s characters.") % {"field": label, "n": max_length},
                      status=400)
    return value


def check_share(value, label):
    try:
        share = int(str(value).strip())
    except (TypeError, ValueError):
        raise Refused(_("Write the %(label)s as a whole number from 0 to 100.") % {"label": label},
                      status=400) from None
    if not 0 <= share <= 100:
        raise Refused(_("Write the %(label)s as a whole number from 0 to 100.") % {"label": label}, status=400)
    return share


def check_threshold(threshold, threshold_of=100, rule=rules.AT_LEAST):
    """The threshold as given (a share: `threshold` out of `threshold_of`, at least or more than
    it), checked: (threshold, threshold_of, rule), or Refused saying what to put right."""
    if rule not in (rules.AT_LEAST, rules.MORE_THAN):
        raise Refused(_("Choose whether an option needs at least the threshold or more than it."), status=400)
    try:
        threshold_of = int(str(threshold_of).strip())
    except (TypeError, ValueError):
        threshold_of = None
    if threshold_of not in (100, rules.THIRDS):
        raise Refused(_("Give the threshold out of 100 (a percentage) or out of 3 (thirds)."), status=400)
    if threshold_of == rules.THIRDS:
        if _whole(threshold) not in (0, 1, 2, 3):
            raise Refused(_("A threshold in thirds is 0, 1, 2 or 3 thirds."), status=400)
        threshold = _whole(threshold)
    else:
        threshold = check_share(threshold, _("threshold"))
    if rule == rules.MORE_THAN and threshold == threshold_of:
        raise Refused(_("No option can have more than all the votes: choose a lower threshold."), status=400)
    return threshold, threshold_of, rule


# The threshold as the form offers it, in plain words: {choice: (threshold, out of, rule)}; the
# last two take the percentage written beside them.
PLAIN_THRESHOLDS = {"more-than-half": (50, 100, rules.MORE_THAN), "two-thirds": (2, rules.THIRDS, rules.AT_LEAST),
                    "one-third": (1, rules.THIRDS, rules.AT_LEAST),
                    "at-least": (None, 100, rules.AT_LEAST), "more-than": (None, 100, rules.MORE_THAN)}


def threshold_from_form(choice, percent):
    """The form's plain choice ("more than half", "at least two-thirds", "at least / more than
    ...%") as (threshold, out of, rule), checked. No choice: at least the percentage (as before)."""
    if choice in (None, ""):
        choice = "at-least"
    if choice not in PLAIN_THRESHOLDS:
        raise Refused(_("Choose what share of the votes an option needs."), status=400)
    threshold, out_of, rule = PLAIN_THRESHOLDS[choice]
    return check_threshold(percent if threshold is None else threshold, out_of, rule)


def plain_threshold(threshold, out_of, rule):
    """The form's choice for a stored threshold (the reverse of threshold_from_form)."""
    for choice, share in PLAIN_THRESHOLDS.items():
        if share == (threshold, out_of, rule):
            return choice
    if out_of != 100:  # thirds with "more than" (from a charter): the nearest percentage, rounded up
        return "at-least"
    return rule


MAX_DOTS = 50
SCORE_RANGE = (1, 5)


def _dots(value):
    try:
        dots = int(str(value).strip())
    except (TypeError, ValueError):
        dots = -1
    if not 1 <= dots <= MAX_DOTS:
        raise Refused(_("Give each voter from 1 to %(n)s dots, as a whole number.") % {"n": MAX_DOTS}, status=400)
    return dots


def open_decision(collaborative, convenor, *, title, text, kind, closes_at, options=(), quorum=50, threshold=50,
                  threshold_of=100, threshold_rule=rules.AT_LEAST, per_organisation=True, dots=None):
    """A new proposal, open for votes until `closes_at` (a timezone-aware datetime). A dot vote
    gives each voter `dots` dots (default: about a third of the options, at least 1). The
    threshold: see check_threshold (by default at least 50 %, as before the rule existed)."""
    title = _text(title, _("title"), 200)
    text = _text(text, _("proposal"), 10000)
    if kind not in Decision.Kind.values:
        raise Refused(_("Choose the kind of decision."), status=400)
    if closes_at is None:
        raise Refused(_("Give the closing date and time."), status=400)
    if closes_at <= timezone.now() + timedelta(minutes=1):
        raise Refused(_("The closing time has passed: choose a time in the future."), status=400)
    quorum = check_share(quorum, _("quorum"))
    threshold, threshold_of, threshold_rule = check_threshold(threshold, threshold_of, threshold_rule)
    labels = [label.strip() for label in options if label and label.strip()]
    if kind != Decision.Kind.CONSENT:
        if len(labels) < 2:
            raise Refused(_("A vote, a dot vote or a score needs at least two options, one a line."), status=400)
        if len(labels) > MAX_OPTIONS:
            raise Refused(_("At most %(n)s options.") % {"n": MAX_OPTIONS}, status=400)
        if len({label.lower() for label in labels}) < len(labels):
            raise Refused(_("Two options are the same: make each one different."), status=400)
        for label in labels:
            _text(label, _("option"), 200)
    else:
        labels = []
    if kind == Decision.Kind.DOTS:
        dots = _dots(dots if dots not in (None, "") else max(1, round(len(labels) / 3)))
    else:
        dots = 0
    with transaction.atomic():
        decision = Decision.objects.create(
            collaborative=collaborative, title=title, text=text, kind=kind, closes_at=closes_at, quorum=quorum,
            threshold=threshold, threshold_of=threshold_of, threshold_rule=threshold_rule, per_organisation=per_organisation, opened_by=convenor, dots=dots)
        Option.objects.bulk_create(Option(decision=decision, label=label, order=n) for n, label in enumerate(labels))
        DecisionEvent.objects.create(decision=decision, kind=DecisionEvent.Kind.OPENED, member=convenor)
    return decision


# --- Voting ------------------------------------------------------------------------------------


def _locked(decision):
    """The decision's row, locked until the transaction ends: votes, closing and the outcome of one
    decision happen one after another (PostgreSQL; SQLite writes one at a time anyway)."""
    return Decision.objects.select_for_update().select_related("collaborative").get(pk=decision.pk)


def _refuse_if_closed(decision):
    if decision.status == Decision.Status.CLOSED:
        raise Refused(_("This decision is closed: votes are no longer taken. Its outcome is below."), status=409)
    if decision.closes_at <= timezone.now():
        raise Refused(_("Voting closed at %(when)s: votes are no longer taken.") % {
            "when": timezone.localtime(decision.closes_at).strftime("%Y-%m-%d %H:%M")}, status=409)


def _whole(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def check_allocation(decision, allocation):
    """A dot vote's dots or a score's scores, {option id: what was written}, checked against the
    decision's options: {"<option id>": n} to store, or Refused saying what to put right."""
    options = list(decision.options.all())
    given = {str(k): v for k, v in (allocation or {}).items()}
    if any(key not in {str(o.pk) for o in options} for key in given):
        raise Refused(_("Choose among this decision's options."), status=400)
    if decision.kind == Decision.Kind.DOTS:
        spread = {}
        for option in options:
            raw = given.get(str(option.pk))
            n = 0 if raw in (None, "") else _whole(raw)
            if n is None or n < 0:
                raise Refused(_("Write the dots on %(option)s as a whole number, 0 or more.") % {
                    "option": option.label}, status=400)
            if n:
                spread[str(option.pk)] = n
        placed = sum(spread.values())
        if placed > decision.dots:
            raise Refused(_("You placed %(placed)s dots but have %(budget)s: take %(over)s off.") % {
                "placed": placed, "budget": decision.dots, "over": placed - decision.dots}, status=400)
        if placed == 0:
            raise Refused(_("Place at least one dot on an option."), status=400)
        return spread
    low, high = SCORE_RANGE
    scores = {}
    for option in options:
        raw = given.get(str(option.pk))
        n = None if raw in (None, "") else _whole(raw)
        if n is None or not low <= n <= high:
            raise Refused(_("Score every option from %(low)s to %(high)s: %(option)s has no score in that range.") % {
                "low": low, "high": high, "option": option.label}, status=400)
        scores[str(option.pk)] = n
    return scores


def cast_vote(decision, member, *, choice=None, option=None, reason="", allocation=None, workshop=None):
    """The person's vote; a second vote changes their first (it is kept, marked changed). In one
    vote per organisation, a representative's vote counts for its partner and replaces an
    alternate's; an alternate's counts only while the representative has not voted. A dot vote or
    a score gives `allocation`, {option id: dots or score}. `workshop`: cast in a Convene workshop
    (the history names it)."""
    if member is None or not member.decides:
        raise Refused(_("Only representatives and alternates vote. Observers and convenors follow the votes."),
                      status=403)
    reason = _text(reason, _("reason"), MAX_REASON, required=False)
    spread = {}
    if decision.kind in (Decision.Kind.DOTS, Decision.Kind.SCORE):
        spread = check_allocation(decision, allocation)
        choice = Vote.Choice.DOTS if decision.kind == Decision.Kind.DOTS else Vote.Choice.SCORES
        option = None
    elif decision.kind == Decision.Kind.CONSENT:
        if choice not in (Vote.Choice.AGREE, Vote.Choice.ABSTAIN, Vote.Choice.OBJECT):
            raise Refused(_("Choose agree, abstain or object."), status=400)
        if choice == Vote.Choice.OBJECT and not reason:
            raise Refused(_("Say why you object: the others need the reason to answer it."), status=400)
        option = None
    else:
        if option is None or option.decision_id != decision.pk:
            raise Refused(_("Choose one of the options."), status=400)
        choice = Vote.Choice.OPTION
    try:
        with transaction.atomic():
            decision = _locked(decision)
            _refuse_if_closed(decision)
            vote = _record(decision, member, choice, option, reason, spread, workshop)
            _announce(decision)
            return vote
    except IntegrityError:  # only if the lock was not there (a database without row locks)
        raise Refused(_("Another vote for your partner arrived at the same moment. Look at the votes below and "
                        "vote again if yours is not there."), status=409) from None


def _announce(decision):
    transaction.on_commit(lambda: changed.send(sender=Decision, decision=decision))


def in_workshop(workshop):
    """The history's note of a Convene workshop where something happened."""
    return {"workshop": workshop.title, "workshop_id": workshop.pk} if workshop is not None else {}


def _record(decision, member, choice, option, reason, spread=None, workshop=None):
    now = timezone.now()
    standing = decision.votes.filter(state__in=STANDING)
    mine = standing.filter(member=member).first()
    if mine is not None:
        mine.state, mine.state_changed_at = Vote.State.CHANGED, now
        mine.save(update_fields=["state", "state_changed_at"])
    seat = f"p{member.partner_id}" if decision.per_organisation else f"m{member.pk}"
    vote = Vote(decision=decision, member=member, partner=member.partner, role=member.role, seat=seat,
                choice=choice, option=option, reason=reason, allocation=spread or {}, cast_at=now)
    counted = standing.filter(seat=seat, state=Vote.State.COUNTED).exclude(member=member).first()
    if counted is not None and member.role == Member.Role.ALTERNATE and counted.role == Member.Role.REPRESENTATIVE:
        vote.state = Vote.State.NOT_COUNTED  # the representative has spoken for the partner
        vote.save()
    else:
        if counted is not None:  # an alternate's vote, replaced by the representative's (or a later alternate's)
            counted.state, counted.state_changed_at = Vote.State.REPLACED, now
            counted.save(update_fields=["state", "state_changed_at"])
        vote.save()
        if counted is not None:
            counted.replaced_by = vote
            counted.save(update_fields=["replaced_by"])
    if mine is not None:
        mine.replaced_by = vote
        mine.save(update_fields=["replaced_by"])
    DecisionEvent.objects.create(decision=decision, kind=DecisionEvent.Kind.VOTED, member=member, vote=vote, at=now,
                                 detail=in_workshop(workshop))
    return vote


# --- Closing and the outcome -------------------------------------------------------------------


def close_decision(decision, convenor=None, workshop=None):
    """Close now (the convenor, in the log or in a Convene `workshop`) or at its time (`convenor`
    None): the outcome is fixed from the counted votes. Closing a closed decision is refused (409)
    so nobody closes it twice unknowingly."""
    with transaction.atomic():
        decision = _locked(decision)
        if decision.status == Decision.Status.CLOSED:
            raise Refused(_("This decision is already closed."), status=409)
        result = current_outcome(decision)
        decision.status = Decision.Status.CLOSED
        now_by_hand = convenor is not None or workshop is not None
        decision.closed_at = timezone.now() if now_by_hand else min(timezone.now(), decision.closes_at)
        decision.result, decision.tally = result.result, result.as_dict()
        decision.chosen_id = result.chosen
        decision.save(update_fields=["status", "closed_at", "result", "tally", "chosen"])
        _announce(decision)
        DecisionEvent.objects.create(decision=decision, kind=DecisionEvent.Kind.CLOSED, member=convenor,
                                     detail={"result": result.result, "on_time": not now_by_hand,
                                             **in_workshop(workshop)})
    return decision


def close_if_due(decision):
    """A decision past its closing time closes when next looked at."""
    if decision.status == Decision.Status.OPEN and decision.closes_at <= timezone.now():
        try:
            return close_decision(decision)
        except Refused:  # someone else closed it a moment ago
            return Decision.objects.get(pk=decision.pk)
    return decision


def write_outcome(decision, convenor, *, statement, review_on):
    """The convenor's statement of the outcome and the date to review it; each edit is kept."""
    statement = _text(statement, _("outcome statement"), 10000)
    with transaction.atomic():
        decision = _locked(decision)
        if decision.status != Decision.Status.CLOSED:
            raise Refused(_("Close the decision first: the outcome is written once the votes are in."), status=409)
        if review_on is not None and review_on < timezone.localdate():
            raise Refused(_("The review date has passed: choose a date from today on."), status=400)
        decision.statement, decision.review_on = statement, review_on
        decision.save(update_fields=["statement", "review_on"])
        DecisionEvent.objects.create(decision=decision, kind=DecisionEvent.Kind.OUTCOME, member=convenor,
                                     detail={"statement": statement,
                                             "review_on": review_on.isoformat() if review_on else ""})
    return decision


# --- In a Convene workshop ---------------------------------------------------------------------


def put_to_workshop(decision, workshop, convenor=None):
    """The decision is put to the room of a Convene workshop (its agenda item starts): its history
    says so, once per workshop, and the votes cast there name the workshop too."""
    with transaction.atomic():
        decision = _locked(decision)
        _refuse_if_closed(decision)
        already = decision.events.filter(kind=DecisionEvent.Kind.WORKSHOP, detail__workshop_id=workshop.pk)
        if not already.exists():
            DecisionEvent.objects.create(decision=decision, kind=DecisionEvent.Kind.WORKSHOP, member=convenor,
                                         detail=in_workshop(workshop))
    return decision
