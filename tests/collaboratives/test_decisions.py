"""The decision log through its real URLs: a convenor opens a proposal, representatives and
alternates vote (one vote per organisation), the convenor closes it and writes the outcome; the
outcome's pure function on known tallies; and the refusals (a vote after closing, an observer,
an outsider, an objection without a reason), each a clear answer with nothing lost."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from intersector.collaboratives import decisions, services
from intersector.collaboratives.models import Decision, DecisionEvent, Member, Vote

pytestmark = pytest.mark.django_db

CONSENT, VOTE = Decision.Kind.CONSENT, Decision.Kind.VOTE


def signed_in(client, user):
    client.force_login(user)
    return client


def later(days=7):
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def url(c, decision=None, rest=""):
    base = f"/collaborate/{c.slug}/decisions/"
    return base + (f"{decision.pk}/" if decision else "") + rest


@pytest.fixture
def consent(collaborative):
    convenor = collaborative.members.get(role="convenor")
    return decisions.open_decision(collaborative, convenor, title="Adopt the charter",
                                   text="We adopt the charter as drafted.", kind=CONSENT,
                                   closes_at=timezone.now() + timedelta(days=3))


@pytest.fixture
def ballot(collaborative):
    convenor = collaborative.members.get(role="convenor")
    return decisions.open_decision(collaborative, convenor, title="First project", text="Which first?",
                                   kind=VOTE, options=["Bus lanes", "Tree planting"], quorum=50, threshold=50,
                                   closes_at=timezone.now() + timedelta(days=3))


# --- The outcome, on known tallies -------------------------------------------------------------


def test_consent_any_objection_blocks_even_with_agreement():
    result = decisions.outcome(CONSENT, seats=4, ballots=["agree", "agree", "agree", "object"], quorum=50,
                               threshold=50)
    assert result.result == "blocked" and result.counts == {"agree": 3, "object": 1}


def test_consent_without_quorum_is_not_agreed_and_abstentions_take_part():
    assert decisions.outcome(CONSENT, seats=4, ballots=["agree"], quorum=50, threshold=0).result == "no-quorum"
    assert decisions.outcome(CONSENT, seats=4, ballots=["agree", "abstain"], quorum=50,
                             threshold=0).result == "agreed"


def test_vote_quorum_not_met():
    result = decisions.outcome(VOTE, seats=10, ballots=[1, 1, 1, 1], quorum=50, threshold=50)
    assert result.result == "no-quorum" and not result.quorum_met and result.took_part == 4


def test_vote_threshold_exactly_met_carries():
    # 6 of 10 partners took part (quorum 60% exactly); option 1 has 4 of 6 votes = 66.7%, threshold 66.
    result = decisions.outcome(VOTE, seats=10, ballots=[1, 1, 1, 1, 2, 2], quorum=60, threshold=66)
    assert result.result == "carried" and result.chosen == 1
    # Exactly half with a threshold of 50%: carried; one vote short: not.
    assert decisions.outcome(VOTE, seats=4, ballots=[1, 1, 2, 3], quorum=50, threshold=50).chosen == 1
    assert decisions.outcome(VOTE, seats=4, ballots=[1, 2, 3, 3], quorum=50, threshold=51).result == "not-carried"


def test_vote_a_tie_at_the_top_decides_nothing():
    assert decisions.outcome(VOTE, seats=4, ballots=[1, 1, 2, 2], quorum=50, threshold=50).result == "tie"


# --- Opening ------------------------------------------------------------------------------------


def test_the_convenor_opens_a_vote_from_the_page(client, collaborative, people):
    signed_in(client, people["convenor"])
    assert "Put a proposal to the partners" in client.get(url(collaborative)).content.decode()
    page = client.get(url(collaborative, rest="new/"))
    assert page.status_code == 200
    response = client.post(url(collaborative, rest="new/"), {
        "title": "First project", "text": "Which project first?", "kind": "vote",
        "options": "Bus lanes\r\nTree planting\r\n", "quorum": "50", "threshold": "60", "closes_at": later(),
        "counting": "organisation"})
    decision = Decision.objects.get(title="First project")
    assert response.status_code == 302 and response["Location"] == url(collaborative, decision)
    assert [o.label for o in decision.options.all()] == ["Bus lanes", "Tree planting"]
    assert decision.threshold == 60 and decision.per_organisation and decision.status == "open"
    assert decision.events.get().kind == "opened"
    listing = client.get(url(collaborative)).content.decode()
    assert "First project" in listing and "Open until" in listing


@pytest.mark.parametrize("changes, message", [
    ({"title": ""}, "Give the title"),
    ({"kind": "vote", "options": "Only one"}, "at least two options"),
    ({"kind": "vote", "options": "Same\nsame"}, "Two options are the same"),
    ({"quorum": "150"}, "whole number from 0 to 100"),
    ({"closes_at": "yesterday"}, "as a date and time"),
    ({"closes_at": "2020-01-01T10:00"}, "The closing time has passed"),
])
def test_a_bad_proposal_is_refused_and_what_was_written_stays(client, collaborative, people, changes, message):
    signed_in(client, people["convenor"])
    form = {"title": "Adopt the charter", "text": "A long text worth keeping", "kind": "consent",
            "closes_at": later(), "quorum": "50", "threshold": "50", **changes}
    response = client.post(url(collaborative, rest="new/"), form)
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert "A long text worth keeping" in page
    assert not Decision.objects.exists()


# --- Voting: one vote per organisation ----------------------------------------------------------


def test_a_representative_objects_with_a_reason_and_the_proposal_is_blocked(client, collaborative, people, consent):
    signed_in(client, people["rep"])
    response = client.post(url(collaborative, consent, "vote/"), {"choice": "object", "reason": "Too costly"})
    assert response.status_code == 302
    page = client.get(url(collaborative, consent)).content.decode()
    assert "Blocked by an objection" in page and "Too costly" in page and "Your vote is counted" in page
    vote = Vote.objects.get()
    assert (vote.member.role, vote.partner, vote.state) == ("representative", collaborative.chamber, "counted")


def test_an_objection_needs_a_reason(client, collaborative, people, consent):
    signed_in(client, people["rep"])
    response = client.post(url(collaborative, consent, "vote/"), {"choice": "object", "reason": " "})
    assert response.status_code == 400 and "Say why you object" in response.content.decode()
    assert not Vote.objects.exists()


def test_voting_twice_changes_the_vote_and_counts_once(client, collaborative, people, ballot):
    bus, trees = ballot.options.all()
    signed_in(client, people["rep"])
    client.post(url(collaborative, ballot, "vote/"), {"option": bus.pk})
    client.post(url(collaborative, ballot, "vote/"), {"option": trees.pk})
    votes = list(Vote.objects.order_by("pk"))
    assert [(v.option, v.state) for v in votes] == [(bus, "changed"), (trees, "counted")]
    assert votes[0].replaced_by == votes[1]
    assert decisions.current_outcome(ballot).counts == {trees.pk: 1}
    page = client.get(url(collaborative, ballot)).content.decode()
    assert "Changed: the same person voted again" in page and "Change my vote" in page


def test_an_alternate_counts_until_the_representative_votes(client, collaborative, people, consent):
    alt = signed_in(client, people["alt"])
    response = alt.post(url(collaborative, consent, "vote/"), {"choice": "agree"})
    assert response.status_code == 302
    assert Vote.objects.get().state == "counted"
    from django.test import Client

    rep = signed_in(Client(), people["rep"])
    rep.post(url(collaborative, consent, "vote/"), {"choice": "object", "reason": "Not yet"})
    alt_vote, rep_vote = Vote.objects.order_by("pk")
    assert (alt_vote.state, alt_vote.replaced_by, rep_vote.state) == ("replaced", rep_vote, "counted")
    assert decisions.current_outcome(consent).counts == {"object": 1}
    # The alternate votes again: recorded, not counted, and told so plainly.
    response = alt.post(url(collaborative, consent, "vote/"), {"choice": "agree"}, follow=True)
    assert "recorded but not counted" in response.content.decode()
    assert Vote.objects.order_by("pk").last().state == "not-counted"
    assert decisions.current_outcome(consent).counts == {"object": 1}
    page = alt.get(url(collaborative, consent)).content.decode()
    assert "voted later for the same partner" in page and "the representative had already voted" in page


@pytest.mark.parametrize("who, status", [("observer", 403), ("convenor", 403), ("elsewhere", 404),
                                         ("stranger", 404), (None, 404)])
def test_observers_convenors_and_outsiders_do_not_vote(client, collaborative, people, consent, who, status):
    if who:
        signed_in(client, people[who])
    response = client.post(url(collaborative, consent, "vote/"), {"choice": "agree"})
    assert response.status_code == status
    assert not Vote.objects.exists()


def test_a_vote_after_the_closing_time_is_refused_with_409(client, collaborative, people, consent):
    Decision.objects.filter(pk=consent.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    signed_in(client, people["rep"])
    response = client.post(url(collaborative, consent, "vote/"), {"choice": "agree"})
    assert response.status_code == 409 and "closed" in response.content.decode()
    consent.refresh_from_db()
    # It closed at its time when next looked at, with nobody's vote: quorum not met.
    assert consent.status == "closed" and consent.result == "no-quorum"
    assert consent.events.filter(kind="closed", member=None).exists()


def test_a_vote_after_the_convenor_closed_is_refused_with_409(client, collaborative, people, consent):
    decisions.close_decision(consent, collaborative.members.get(role="convenor"))
    signed_in(client, people["rep"])
    response = client.post(url(collaborative, consent, "vote/"), {"choice": "agree"})
    assert response.status_code == 409 and "This decision is closed" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_vote_for_another_decisions_option_is_refused(client, collaborative, people, ballot, consent):
    signed_in(client, people["rep"])
    other = decisions.open_decision(collaborative, None, title="Other", text="x", kind=VOTE, options=["A", "B"],
                                    closes_at=timezone.now() + timedelta(days=1))
    response = client.post(url(collaborative, ballot, "vote/"), {"option": other.options.first().pk})
    assert response.status_code == 400 and "Choose one of the options" in response.content.decode()


def test_each_person_votes_when_not_one_per_organisation(collaborative, people):
    decision = decisions.open_decision(collaborative, None, title="Meeting day", text="Tuesdays?", kind=CONSENT,
                                       per_organisation=False, closes_at=timezone.now() + timedelta(days=1))
    rep = collaborative.members.get(role="representative")
    alt = collaborative.members.get(role="alternate")
    decisions.cast_vote(decision, rep, choice="agree")
    decisions.cast_vote(decision, alt, choice="abstain")
    assert set(decision.votes.values_list("state", flat=True)) == {"counted"}
    assert decisions.current_outcome(decision).seats == 2


# --- Closing and the outcome ----------------------------------------------------------------------


def test_the_convenor_closes_and_writes_the_outcome_and_the_history_keeps_it(client, collaborative, people, ballot):
    bus, _trees = ballot.options.all()
    decisions.cast_vote(ballot, collaborative.members.get(role="representative"), option=bus)
    signed_in(client, people["convenor"])
    response = client.post(url(collaborative, ballot, "close/"))
    assert response.status_code == 302
    ballot.refresh_from_db()
    # One of two partners took part (quorum 50%, met) and all its votes went to bus lanes.
    assert ballot.result == "carried" and ballot.chosen == bus and ballot.tally["took_part"] == 1
    review = (timezone.localdate() + timedelta(days=90)).isoformat()
    response = client.post(url(collaborative, ballot, "outcome/"), {"statement": "Bus lanes first.",
                                                                     "review_on": review})
    assert response.status_code == 302
    client.post(url(collaborative, ballot, "outcome/"), {"statement": "Bus lanes first, on Main Street.",
                                                         "review_on": review})
    page = client.get(url(collaborative, ballot)).content.decode()
    assert "Bus lanes first, on Main Street." in page and "To be reviewed on" in page
    assert list(ballot.events.values_list("kind", flat=True)) == ["opened", "voted", "closed", "outcome", "outcome"]
    assert ballot.events.filter(kind="outcome").first().detail["statement"] == "Bus lanes first."
    assert "Carried" in client.get(url(collaborative)).content.decode()
    # Closing twice is a clear 409.
    assert client.post(url(collaborative, ballot, "close/")).status_code == 409


def test_outcome_refusals_keep_what_was_written(client, collaborative, people, consent):
    signed_in(client, people["convenor"])
    response = client.post(url(collaborative, consent, "outcome/"), {"statement": "Too early"})
    assert response.status_code == 409 and "Close the decision first" in response.content.decode()
    decisions.close_decision(consent, None)
    response = client.post(url(collaborative, consent, "outcome/"), {"statement": "Kept words",
                                                                      "review_on": "2020-01-01"})
    assert response.status_code == 400 and "Kept words" in response.content.decode()
    response = client.post(url(collaborative, consent, "outcome/"), {"statement": "Kept words",
                                                                      "review_on": "soon"})
    assert response.status_code == 400 and "Kept words" in response.content.decode()


@pytest.mark.parametrize("who, status", [("rep", 403), ("alt", 403), ("observer", 403), ("elsewhere", 404)])
def test_only_the_convenor_opens_and_closes(client, collaborative, people, consent, who, status):
    signed_in(client, people[who])
    assert client.get(url(collaborative, rest="new/")).status_code == status
    assert client.post(url(collaborative, consent, "close/")).status_code == status
    assert client.post(url(collaborative, consent, "outcome/"), {"statement": "x"}).status_code == status
    consent.refresh_from_db()
    assert consent.status == "open"


@pytest.mark.parametrize("who, status", [("convenor", 200), ("rep", 200), ("alt", 200), ("observer", 200),
                                         ("elsewhere", 404), ("stranger", 404), (None, 404)])
def test_who_reads_the_decision_log(client, collaborative, people, consent, who, status):
    if who:
        signed_in(client, people[who])
    assert client.get(url(collaborative)).status_code == status
    response = client.get(url(collaborative, consent))
    assert response.status_code == status
    assert ("We adopt the charter" in response.content.decode()) == (status == 200)
    if who == "observer":
        assert "follow the votes" in response.content.decode()


def test_another_collaboratives_decision_is_not_found(client, collaborative, people, consent):
    signed_in(client, people["elsewhere"])
    response = client.get(f"/collaborate/{collaborative.other.slug}/decisions/{consent.pk}/")
    assert response.status_code == 404


# --- At the same moment ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_of_a_partners_people_count_once(toolkit, people):
    """A partner's representative and alternates vote at the same moment, each twice: exactly one
    counted vote for the partner, the representative's, and every vote kept. Meant for PostgreSQL
    (DATABASE_URL); SQLite writes one at a time."""
    c = services.create_collaborative(people["convenor"], name="Busy Compact")
    partner = services.add_partner(c, name="Busy Chamber", sector="business")
    count = 6 if connection.vendor == "postgresql" else 3
    voters = [services.add_person(c, name="Rep", email="rep@example.org", role="representative", partner=partner)]
    voters += [services.add_person(c, name=f"Alt {n}", email=f"alt{n}@example.org", role="alternate",
                                   partner=partner) for n in range(count - 1)]
    decision = decisions.open_decision(c, None, title="Now", text="At once", kind=CONSENT,
                                       closes_at=timezone.now() + timedelta(days=1))
    errors, start = [], threading.Barrier(count * 2)

    def cast(member):
        from django.db import connection as own

        try:
            start.wait()
            decisions.cast_vote(Decision.objects.get(pk=decision.pk), member, choice="agree")
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(repr(exc))
        finally:
            own.close()

    threads = [threading.Thread(target=cast, args=(m,)) for m in voters for _twice in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    votes = Vote.objects.filter(decision=decision)
    assert votes.count() == count * 2
    counted = votes.filter(state="counted")
    assert counted.count() == 1 and counted.get().member.role == Member.Role.REPRESENTATIVE
    # Each person's newer vote is their current one (counted, not counted, or replaced by a later vote
    # for the partner, which depends on the order they arrived in); their older one is never current.
    for voter in voters:
        older, newer = votes.filter(member=voter).order_by("cast_at", "pk")
        assert newer.state in {"counted", "not-counted", "replaced"}, (voter.name, newer.state)
        assert older.state in {"changed", "replaced"}, (voter.name, older.state)
        assert older.replaced_by_id is not None
    assert DecisionEvent.objects.filter(decision=decision, kind="voted").count() == count * 2
