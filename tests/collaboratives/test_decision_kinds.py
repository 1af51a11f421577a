"""Dot votes and scores, and the decision rules read from the charter: the outcome's pure function
on known tallies (ties too), the rules read from charter sentences, and the real URLs: voting with
dots and scores in one vote per organisation, the refusals (dots over the budget, scores out of
range, after closing, an alternate over the representative) with nothing lost, and a convenor who
links a charter and sees its rules on the new-proposal form."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from intersector.collaboratives import decisions, rules, services
from intersector.collaboratives.models import Decision, DecisionEvent, Member, Vote

DOTS, SCORE = Decision.Kind.DOTS, Decision.Kind.SCORE


def signed_in(client, user):
    client.force_login(user)
    return client


def url(c, decision=None, rest=""):
    base = f"/collaborate/{c.slug}/decisions/"
    return base + (f"{decision.pk}/" if decision else "") + rest


# --- The outcome, on known tallies (no database) -------------------------------------------------


def test_dot_vote_the_most_dots_carries():
    result = decisions.outcome(DOTS, seats=3, ballots=[{1: 3}, {1: 1, 2: 2}, {2: 1, 3: 2}], quorum=50, threshold=50)
    assert result.result == "carried" and result.chosen == 1 and result.counts == {1: 4, 2: 3, 3: 2}


def test_dot_vote_a_tie_at_the_top_decides_nothing_but_a_tie_below_does_not_matter():
    assert decisions.outcome(DOTS, seats=2, ballots=[{1: 2, 3: 1}, {2: 2, 3: 1}], quorum=50,
                             threshold=0).result == "tie"
    result = decisions.outcome(DOTS, seats=2, ballots=[{1: 3}, {2: 1, 3: 1, 1: 1}], quorum=50, threshold=0)
    assert result.result == "carried" and result.chosen == 1


def test_dot_vote_and_score_need_the_quorum_and_ignore_the_threshold():
    assert decisions.outcome(DOTS, seats=10, ballots=[{1: 3}] * 4, quorum=50, threshold=50).result == "no-quorum"
    # A threshold of 100% is not a dot vote's or a score's rule: the top option still carries.
    assert decisions.outcome(DOTS, seats=4, ballots=[{1: 3}, {2: 2}], quorum=50, threshold=100).chosen == 1
    assert decisions.outcome(SCORE, seats=4, ballots=[{1: 5, 2: 4}, {1: 1, 2: 4}], quorum=50,
                             threshold=100).chosen == 2


def test_score_the_highest_average_carries_and_equal_averages_tie():
    result = decisions.outcome(SCORE, seats=3, ballots=[{1: 5, 2: 3}, {1: 2, 2: 3}, {1: 4, 2: 3}], quorum=100,
                               threshold=50)
    assert result.result == "carried" and result.chosen == 1 and result.counts == {1: 11, 2: 9}
    assert decisions.outcome(SCORE, seats=2, ballots=[{1: 5, 2: 1}, {1: 1, 2: 5}], quorum=50,
                             threshold=50).result == "tie"


def test_no_ballots_at_all_is_no_quorum_and_zero_quorum_with_no_dots_is_not_carried():
    assert decisions.outcome(SCORE, seats=3, ballots=[], quorum=50, threshold=50).result == "no-quorum"
    assert decisions.outcome(DOTS, seats=3, ballots=[], quorum=0, threshold=50).result == "not-carried"


# --- Rules read from a charter's decision-making text (no database) ----------------------------------


MAJORITY, TWO_THIRDS, DEFAULT = (50, 100, "more-than"), (2, 3, "at-least"), (50, 100, "more-than")


@pytest.mark.parametrize("text, kind, quorum, threshold, found", [
    ("The Steering Committee decides by consensus; if none is reached after two meetings, a two-thirds majority "
     "of members present decides.", "consent", 50, TWO_THIRDS, {"kind", "threshold"}),
    ("Decisions are taken by a simple majority vote of the partners. A quorum is 60% of the partners.",
     "vote", 60, MAJORITY, {"kind", "quorum", "threshold"}),
    ("Partners decide by vote; a proposal needs three-quarters of the votes cast. Quorum: two-thirds of partners.",
     "vote", 66, (75, 100, "at-least"), {"kind", "quorum", "threshold"}),
    ("Los socios deciden por votación: una propuesta necesita más de la mitad de los votos.", "vote", 50, MAJORITY,
     {"kind", "threshold"}),
    ("A proposal carries with more than 60% of the votes cast.", "vote", 50, (60, 100, "more-than"),
     {"kind", "threshold"}),
    ("A proposal carries with 60% of the votes cast.", "vote", 50, (60, 100, "at-least"), {"kind", "threshold"}),
    ("All decisions are unanimous.", "consent", 50, DEFAULT, {"kind"}),
    ("El comité decide por consenso. El quórum es la mitad de los socios.", "consent", 50, DEFAULT, {"kind", "quorum"}),
    ("The partners will meet quarterly.", "consent", 50, DEFAULT, set()),
    ("", "consent", 50, DEFAULT, set()),
])
def test_rules_read_from_a_charter(text, kind, quorum, threshold, found):
    read = rules.read_rules(text)
    assert (read.kind, read.quorum, (read.threshold, read.threshold_of, read.threshold_rule), read.found) == (
        kind, quorum, threshold, found)
    if found:
        assert read.quote and read.quote in text.replace("\n", " ")


# --- Through the real URLs --------------------------------------------------------------------------


@pytest.fixture
def dots(collaborative):
    return decisions.open_decision(collaborative, None, title="Priorities", text="Where first?", kind=DOTS,
                                   options=["Bus lanes", "Tree planting", "Clean buses"], dots=3,
                                   closes_at=timezone.now() + timedelta(days=3))


@pytest.fixture
def score(collaborative):
    return decisions.open_decision(collaborative, None, title="Rate the sites", text="How good is each?",
                                   kind=SCORE, options=["North yard", "River park"],
                                   closes_at=timezone.now() + timedelta(days=3))


def spread(decision, *numbers):
    return {f"option-{o.pk}": str(n) for o, n in zip(decision.options.all(), numbers)}


@pytest.mark.django_db
def test_the_convenor_opens_a_dot_vote_and_a_score_from_the_page(client, collaborative, people):
    signed_in(client, people["convenor"])
    later = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url(collaborative, rest="new/"), {
        "title": "Priorities", "text": "Spread your dots", "kind": "dots", "dots": "4",
        "options": "Bus lanes\nTrees\nBuses\n", "quorum": "50", "threshold": "50", "closes_at": later})
    assert response.status_code == 302
    decision = Decision.objects.get(title="Priorities")
    assert (decision.kind, decision.dots, decision.options.count()) == ("dots", 4, 3)
    assert "Spread your 4 dots" not in client.get(decision.get_absolute_url()).content.decode()  # convenor: no form
    response = client.post(url(collaborative, rest="new/"), {
        "title": "Rate", "text": "Score them", "kind": "score", "options": "A\nB", "closes_at": later,
        "quorum": "50", "threshold": "50"})
    assert response.status_code == 302 and Decision.objects.get(title="Rate").dots == 0
    # A dot vote with a silly budget, or a score with one option: a 400, what was written kept.
    for changes, message in (({"kind": "dots", "dots": "0"}, "from 1 to 50 dots"),
                             ({"kind": "score", "options": "Only one"}, "at least two options")):
        form = {"title": "Kept title", "text": "t", "options": "A\nB", "closes_at": later, "quorum": "50",
                "threshold": "50", **changes}
        response = client.post(url(collaborative, rest="new/"), form)
        assert response.status_code == 400 and message in response.content.decode()
        assert "Kept title" in response.content.decode()


@pytest.mark.django_db
def test_dots_spread_over_options_count_once_per_partner_and_a_change_replaces_them(client, collaborative,
                                                                                      people, dots):
    signed_in(client, people["rep"])
    page = client.get(dots.get_absolute_url()).content.decode()
    assert "Spread your 3 dots over the options" in page
    assert client.post(url(collaborative, dots, "vote/"), spread(dots, 2, 1, 0)).status_code == 302
    assert client.post(url(collaborative, dots, "vote/"), spread(dots, 0, 0, 3)).status_code == 302
    first, second = Vote.objects.order_by("pk")
    bus, trees, buses = dots.options.all()
    assert first.state == "changed" and first.allocation == {str(bus.pk): 2, str(trees.pk): 1}
    assert second.state == "counted" and second.allocation == {str(buses.pk): 3}
    assert decisions.current_outcome(dots).counts == {buses.pk: 3}
    page = client.get(dots.get_absolute_url()).content.decode()
    assert "Bus lanes: 2 · Tree planting: 1" in page and "Clean buses: 3" in page
    assert 'name="option-%s" value="3"' % buses.pk in page  # the form shows the standing vote


@pytest.mark.django_db
@pytest.mark.parametrize("numbers, message", [
    ((2, 2, 0), "You placed 4 dots but have 3: take 1 off."),
    ((0, 0, 0), "Place at least one dot"),
    ((-1, 2, 0), "as a whole number, 0 or more"),
    (("two", 0, 0), "as a whole number, 0 or more"),
])
def test_dots_over_the_budget_or_not_numbers_are_refused_and_kept_in_the_form(client, collaborative, people, dots,
                                                                             numbers, message):
    signed_in(client, people["rep"])
    decisions.cast_vote(dots, collaborative.members.get(role="representative"),
                        allocation={str(dots.options.first().pk): 1})
    response = client.post(url(collaborative, dots, "vote/"), spread(dots, *numbers))
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    # What was typed is still in the form; the vote already counted is still the one counted.
    assert 'value="%s"' % numbers[0] in page
    assert Vote.objects.get(state="counted").allocation == {str(dots.options.first().pk): 1}


@pytest.mark.django_db
@pytest.mark.parametrize("numbers, message", [
    ((6, 3), "Score every option from 1 to 5: North yard"),
    ((3, 0), "River park has no score"),
    ((3, ""), "River park has no score"),
    ((2.5, 3), "North yard has no score"),
])
def test_scores_out_of_range_or_missing_are_refused(client, collaborative, people, score, numbers, message):
    signed_in(client, people["rep"])
    response = client.post(url(collaborative, score, "vote/"), spread(score, *numbers))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_an_option_of_another_decision_is_refused(collaborative, dots, score):
    from intersector.refusals import Refused

    rep = collaborative.members.get(role="representative")
    with pytest.raises(Refused) as refused:
        decisions.cast_vote(dots, rep, allocation={str(score.options.first().pk): 1})
    assert refused.value.status == 400 and not Vote.objects.exists()


@pytest.mark.django_db
def test_scores_average_per_option_and_an_alternate_counts_until_the_representative_scores(collaborative, people,
                                                                                           score):
    alt, rep = Client(), Client()
    signed_in(alt, people["alt"])
    signed_in(rep, people["rep"])
    alt.post(url(collaborative, score, "vote/"), spread(score, 5, 1))
    assert Vote.objects.get().state == "counted"
    rep.post(url(collaborative, score, "vote/"), spread(score, 2, 4))
    response = alt.post(url(collaborative, score, "vote/"), spread(score, 5, 5), follow=True)
    assert "recorded but not counted" in response.content.decode()
    assert list(Vote.objects.order_by("pk").values_list("role", "state")) == [
        ("alternate", "replaced"), ("representative", "counted"), ("alternate", "not-counted")]
    north, river = score.options.all()
    assert decisions.current_outcome(score).counts == {north.pk: 2, river.pk: 4}
    page = rep.get(score.get_absolute_url()).content.decode()
    assert "Average score of each option" in page and "<strong>4.0</strong>" in page
    decisions.close_decision(score, collaborative.members.get(role="convenor"))
    score.refresh_from_db()
    assert score.result == "carried" and score.chosen == river
    response = rep.post(url(collaborative, score, "vote/"), spread(score, 5, 5))
    assert response.status_code == 409 and Vote.objects.count() == 3
    assert "<strong>4.0</strong>" in response.content.decode()  # the closed tally, from the stored counts


@pytest.mark.django_db
@pytest.mark.parametrize("who, status", [("observer", 403), ("convenor", 403), ("elsewhere", 404), (None, 404)])
def test_only_people_who_decide_place_dots(client, collaborative, people, dots, who, status):
    if who:
        signed_in(client, people[who])
    assert client.post(url(collaborative, dots, "vote/"), spread(dots, 1, 0, 0)).status_code == status
    assert not Vote.objects.exists()


# --- Rules from the charter --------------------------------------------------------------------------


@pytest.fixture
def charter(people):
    """An Agree agreement the convenor takes part in, its decision-making answer written."""
    from pathlib import Path

    import yaml

    from intersector.agreements import services as agree
    from intersector.agreements.models import ElementText

    card = Path(__file__).resolve().parents[1] / "agreements" / "fixtures" / "scorecard.yaml"
    agree.import_scorecard(yaml.safe_load(card.read_text(encoding="utf-8")), note="test")
    agreement = agree.create_agreement(
        name="Clean Air Charter", purpose="Cleaner air", form="mou", created_by=people["convenor"],
        partners=[{"name": "City", "sector": "government", "representative": "Carla", "user": people["convenor"]},
                  {"name": "Chamber", "sector": "business", "representative": "Rep"}])
    ElementText.objects.create(agreement=agreement, element="decision-making",
                               text="Partners decide by a two-thirds majority vote. The quorum is 60% of partners.")
    return agreement


@pytest.mark.django_db
def test_linking_the_charter_sets_the_rules_and_the_form_says_where_they_came_from(client, collaborative, people,
                                                                                    charter):
    signed_in(client, people["convenor"])
    page = client.get(url(collaborative, rest="new/")).content.decode()
    assert ("The usual defaults (no charter sets the rules yet): Consent, quorum 50%, an option needs more than half "
            "of the votes.") in page
    response = client.post(f"/collaborate/{collaborative.slug}/charter/", {"agreement": str(charter.pk)})
    assert response.status_code == 302
    stored = collaborative.decision_rules
    assert (stored.kind, stored.quorum, stored.threshold, stored.threshold_of, stored.threshold_rule,
            stored.source) == ("vote", 60, 2, 3, "at-least", "charter")
    page = client.get(url(collaborative, rest="new/")).content.decode()
    assert ("read from its charter “Clean Air Charter”: Vote between options, quorum 60%, an option needs at least "
            "two-thirds of the votes.") in page
    assert 'name="share" value="two-thirds" checked' in page
    assert "two-thirds majority vote" in page
    assert 'name="kind" value="vote" checked' in page and 'name="quorum" min="0" max="100" value="60"' in page
    # The convenor changes them; the rules page says so, and a partner reads them but cannot change them.
    response = client.post(url(collaborative, rest="rules/"), {"kind": "dots", "quorum": "40", "threshold": "50"})
    assert response.status_code == 302
    rules_page = client.get(url(collaborative, rest="rules/")).content.decode()
    assert "Set by a convenor" in rules_page and "two-thirds majority vote" in rules_page  # the quote stays
    assert 'name="kind" value="dots" checked' in client.get(url(collaborative, rest="new/")).content.decode()
    # Read again from the charter.
    client.post(url(collaborative, rest="rules/"), {"action": "charter"})
    collaborative.decision_rules.refresh_from_db()
    assert collaborative.decision_rules.source == "charter" and collaborative.decision_rules.quorum == 60


@pytest.mark.django_db
def test_rules_refusals(client, collaborative, people):
    signed_in(client, people["convenor"])
    response = client.post(url(collaborative, rest="rules/"), {"kind": "dots", "quorum": "140", "threshold": "50"})
    assert response.status_code == 400 and "whole number from 0 to 100" in response.content.decode()
    response = client.post(url(collaborative, rest="rules/"), {"kind": "lottery", "quorum": "40", "threshold": "50"})
    assert response.status_code == 400 and "Choose the kind" in response.content.decode()
    response = client.post(url(collaborative, rest="rules/"), {"action": "charter"})
    assert response.status_code == 409 and "charter first: the rules are read from it" in response.content.decode()
    assert not hasattr(collaborative, "decision_rules") or collaborative.decision_rules is None
    for who, status in (("rep", 403), ("observer", 403), ("elsewhere", 404)):
        signed_in(client, people[who])
        assert client.post(url(collaborative, rest="rules/"), {"kind": "dots", "quorum": "40",
                                                               "threshold": "50"}).status_code == status
    signed_in(client, people["observer"])
    page = client.get(url(collaborative, rest="rules/"))
    assert page.status_code == 200 and "Change the rules" not in page.content.decode()


# --- At the same moment (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", [DOTS, SCORE])
def test_concurrent_dots_and_scores_of_a_partners_people_count_once(toolkit, people, kind):
    """A partner's representative and alternates place dots (or scores) at the same moment, each
    twice: one counted ballot for the partner, the representative's; every ballot kept."""
    c = services.create_collaborative(people["convenor"], name="Busy Compact")
    partner = services.add_partner(c, name="Busy Chamber", sector="business")
    count = 6 if connection.vendor == "postgresql" else 3
    voters = [services.add_person(c, name="Rep", email="rep@example.org", role="representative", partner=partner)]
    voters += [services.add_person(c, name=f"Alt {n}", email=f"alt{n}@example.org", role="alternate",
                                   partner=partner) for n in range(count - 1)]
    decision = decisions.open_decision(c, None, title="Now", text="At once", kind=kind, options=["A", "B"], dots=2,
                                       closes_at=timezone.now() + timedelta(days=1))
    a, b = (str(o.pk) for o in decision.options.all())
    errors, start = [], threading.Barrier(count * 2)

    def cast(member, n):
        from django.db import connection as own

        try:
            start.wait()
            ballot = {a: 1, b: 1} if kind == DOTS else {a: 1 + n, b: 5 - n}
            decisions.cast_vote(Decision.objects.get(pk=decision.pk), member, allocation=ballot)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(repr(exc))
        finally:
            own.close()

    threads = [threading.Thread(target=cast, args=(m, n)) for m in voters for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    votes = Vote.objects.filter(decision=decision)
    assert votes.count() == count * 2
    counted = votes.filter(state="counted")
    assert counted.count() == 1 and counted.get().member.role == Member.Role.REPRESENTATIVE
    assert decisions.current_outcome(decision).took_part == 1
    for voter in voters:
        older, newer = votes.filter(member=voter).order_by("cast_at", "pk")
        assert newer.state in {"counted", "not-counted", "replaced"} and older.state in {"changed", "replaced"}
    assert DecisionEvent.objects.filter(decision=decision, kind="voted").count() == count * 2
