"""The threshold rule of a vote between options: "more than" or "at least" a share, the share a
fraction (a percentage or thirds), so a majority is more than half and two-thirds is exact at
every size. The tally at the edges, the decision's page ("needs N of M"), the form in plain
words, the rules page, the charter, the API, and the refusals."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from intersector.api.services import create_token
from intersector.collaboratives import decisions, rules
from intersector.collaboratives.models import Decision, DecisionRules

VOTE = Decision.Kind.VOTE
HALF = dict(threshold=50, threshold_of=100, rule="more-than")
TWO_THIRDS = dict(threshold=2, threshold_of=3, rule="at-least")


def tally(ballots, **share):
    return decisions.outcome(VOTE, seats=len(ballots), ballots=ballots, quorum=50, **share)


# --- The tally, at the edges (no database) ------------------------------------------------------


def test_more_than_half_two_of_four_fails_three_of_four_carries():
    assert tally([1, 1, 2, 3], **HALF).result == "not-carried"
    assert tally([1, 1, 1, 2], **HALF).chosen == 1
    assert tally([1, 1, 2], **HALF).chosen == 1  # 2 of 3
    # The old "at least 50 %" let 2 of 4 carry: decisions opened under it keep that meaning.
    assert tally([1, 1, 2, 3], threshold=50).chosen == 1


def test_two_thirds_is_exact_two_of_three_carries_six_of_ten_and_66_of_100_do_not():
    assert tally([1, 1, 2], **TWO_THIRDS).chosen == 1
    assert tally([1] * 6 + [2] * 4, **TWO_THIRDS).result == "not-carried"
    assert tally([1] * 7 + [2] * 3, **TWO_THIRDS).chosen == 1
    assert tally([1] * 66 + [2] * 34, **TWO_THIRDS).result == "not-carried"
    assert tally([1] * 67 + [2] * 33, **TWO_THIRDS).chosen == 1
    assert tally([1] * 66 + [2] * 34, threshold=66).chosen == 1  # what "66 %" meant before, kept


@pytest.mark.parametrize("share, counted, needed", [
    ((50, 100, "more-than"), 4, 3), ((50, 100, "more-than"), 3, 2), ((50, 100, "at-least"), 4, 2),
    ((2, 3, "at-least"), 3, 2), ((2, 3, "at-least"), 10, 7), ((2, 3, "at-least"), 100, 67),
    ((60, 100, "more-than"), 5, 4), ((60, 100, "at-least"), 5, 3),
])
def test_votes_needed_agrees_with_the_tally(share, counted, needed):
    assert rules.votes_needed(*share, counted) == needed
    threshold, out_of, rule = share
    assert decisions.reaches(needed, counted, threshold, out_of, rule)
    assert not decisions.reaches(needed - 1, counted, threshold, out_of, rule)


def test_the_share_in_plain_words():
    assert [rules.share_words(*share) for share in [(50, 100, "more-than"), (2, 3, "at-least"), (60, 100, "at-least"),
                                                    (60, 100, "more-than"), (50, 100, "at-least")]] == [
        "more than half", "at least two-thirds", "at least 60%", "more than 60%", "at least half"]


# --- Through the real pages -------------------------------------------------------------------------


def later(days=7):
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def proposal(**changes):
    return {"title": "First project", "text": "Which project first?", "kind": "vote", "options": "Bus lanes\nTrees",
            "quorum": "50", "threshold": "50", "closes_at": later(), "counting": "person", **changes}


@pytest.mark.django_db
def test_the_convenor_chooses_two_thirds_in_plain_words_and_the_page_says_what_an_option_needs(
        client, collaborative, people):
    client.force_login(people["convenor"])
    page = client.get(f"/collaborate/{collaborative.slug}/decisions/new/").content.decode()
    assert "At least two-thirds" in page and 'name="share" value="more-than-half" checked' in page  # the default
    response = client.post(f"/collaborate/{collaborative.slug}/decisions/new/", proposal(share="two-thirds"))
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.threshold, decision.threshold_of, decision.threshold_rule) == (2, 3, "at-least")
    bus, trees = decision.options.all()
    # Two people vote (each person votes here): 1 of 2 each is not two-thirds.
    for who, option in (("rep", bus), ("alt", trees)):
        client.force_login(people[who])
        assert client.post(decision.get_absolute_url() + "vote/", {"option": option.pk}).status_code == 302
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "An option needs at least two-thirds of the votes" in page
    assert "To carry, an option needs 2 of the 2 counted votes (at least two-thirds)." in page
    assert "No option reaches the threshold so far" in page
    client.force_login(people["alt"])
    client.post(decision.get_absolute_url() + "vote/", {"option": bus.pk})  # 2 of 2
    assert "An option carries so far" in client.get(decision.get_absolute_url()).content.decode()
    client.force_login(people["convenor"])
    client.post(decision.get_absolute_url() + "close/")
    decision.refresh_from_db()
    assert (decision.result, decision.chosen) == ("carried", bus)


@pytest.mark.django_db
def test_more_than_half_from_the_form_and_when_no_option_can_carry(client, collaborative, people):
    client.force_login(people["convenor"])
    client.post(f"/collaborate/{collaborative.slug}/decisions/new/", proposal(share="more-than-half"))
    decision = Decision.objects.get()
    assert (decision.threshold, decision.threshold_of, decision.threshold_rule) == (50, 100, "more-than")
    client.post(f"/collaborate/{collaborative.slug}/decisions/new/",
                proposal(title="Percent", share="more-than", threshold="60"))
    assert Decision.objects.filter(title="Percent", threshold=60, threshold_rule="more-than").exists()
    client.force_login(people["rep"])
    client.post(decision.get_absolute_url() + "vote/", {"option": decision.options.first().pk})
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "To carry, an option needs 1 of the 1 counted vote (more than half)." in page


@pytest.mark.django_db
@pytest.mark.parametrize("changes, message", [
    ({"share": "most"}, "Choose what share of the votes an option needs."),
    ({"share": "more-than", "threshold": "100"}, "No option can have more than all the votes"),
    ({"share": "at-least", "threshold": "101"}, "whole number from 0 to 100"),
])
def test_a_threshold_that_cannot_be_is_refused_and_the_proposal_stays(client, collaborative, people, changes,
                                                                      message):
    client.force_login(people["convenor"])
    response = client.post(f"/collaborate/{collaborative.slug}/decisions/new/", proposal(**changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert "Which project first?" in response.content.decode() and not Decision.objects.exists()


@pytest.mark.django_db
def test_only_a_convenor_opens_a_proposal_or_sets_the_threshold(client, collaborative, people):
    for who, status in (("rep", 403), ("observer", 403), ("elsewhere", 404)):
        client.force_login(people[who])
        assert client.post(f"/collaborate/{collaborative.slug}/decisions/new/",
                           proposal(share="two-thirds")).status_code == status
        assert client.post(f"/collaborate/{collaborative.slug}/decisions/rules/",
                           {"kind": "vote", "quorum": "50", "share": "two-thirds"}).status_code == status
    assert not Decision.objects.exists() and not DecisionRules.objects.exists()


@pytest.mark.django_db
def test_the_rules_page_keeps_two_thirds_and_a_new_proposal_starts_from_it(client, collaborative, people):
    client.force_login(people["convenor"])
    response = client.post(f"/collaborate/{collaborative.slug}/decisions/rules/",
                           {"kind": "vote", "quorum": "60", "share": "two-thirds", "threshold": "50"})
    assert response.status_code == 302
    stored = DecisionRules.objects.get()
    assert (stored.threshold, stored.threshold_of, stored.threshold_rule) == (2, 3, "at-least")
    client.force_login(people["observer"])
    assert "at least two-thirds of the counted votes" in client.get(
        f"/collaborate/{collaborative.slug}/decisions/rules/").content.decode()
    client.force_login(people["convenor"])
    page = client.get(f"/collaborate/{collaborative.slug}/decisions/new/").content.decode()
    assert 'name="share" value="two-thirds" checked' in page


# --- The API -----------------------------------------------------------------------------------------


def post(client, token, path, body):
    return client.post(path, json.dumps(body), content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db
def test_the_api_takes_and_gives_the_threshold_rule_and_states_its_values(client, collaborative, people):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    for name in ("DecisionIn", "DecisionOut"):
        fields = schemas[name]["properties"]
        assert fields["threshold_rule"]["enum"] == ["at-least", "more-than"]
        assert fields["threshold_of"]["enum"] == [100, 3]
    token = create_token(people["convenor"], "Script")[1]
    path = f"/api/collaboratives/{collaborative.slug}/decisions"
    body = {"title": "Which first", "text": "Choose", "kind": "vote", "options": ["A", "B"],
            "closes_at": (timezone.now() + timedelta(days=3)).isoformat()}
    made = post(client, token, path, {**body, "threshold": 2, "threshold_of": 3})
    assert made.status_code == 201, made.content
    out = made.json()
    assert (out["threshold"], out["threshold_of"], out["threshold_rule"], out["threshold_label"]) == (
        2, 3, "at-least", "at least two-thirds")
    out = post(client, token, path, {**body, "threshold_rule": "more-than"}).json()  # threshold 50 by default
    assert (out["threshold"], out["threshold_of"], out["threshold_rule"], out["threshold_label"]) == (
        50, 100, "more-than", "more than half")
    assert post(client, token, path, {**body}).json()["threshold_rule"] == "at-least"  # as before the rule
    refused = post(client, token, path, {**body, "threshold": 5, "threshold_of": 3})
    assert refused.status_code == 400 and refused.json()["detail"] == "A threshold in thirds is 0, 1, 2 or 3 thirds."
    refused = post(client, token, path, {**body, "threshold": 100, "threshold_rule": "more-than"})
    assert refused.status_code == 400 and "more than all the votes" in refused.json()["detail"]
    assert post(client, token, path, {**body, "threshold_rule": "most"}).status_code == 422
    assert post(client, token, path, {**body, "threshold_of": 4}).status_code == 422
    assert Decision.objects.count() == 3
    rep_token = create_token(people["rep"], "Script")[1]
    assert post(client, rep_token, path, {**body, "threshold": 2, "threshold_of": 3}).status_code == 403
    assert Decision.objects.count() == 3


# --- The upgrade: decisions opened before the rule keep their meaning ---------------------------------


@pytest.mark.django_db(transaction=True)
def test_existing_decisions_become_at_least_and_charter_rules_say_what_the_charter_said(people):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        return executor.migrate(targets)

    old = migrate([("collaboratives", "0009_report_marks")]).apps
    Collaborative, Decision_, Rules = (old.get_model("collaboratives", name)
                                       for name in ("Collaborative", "Decision", "DecisionRules"))
    made = [Collaborative.objects.create(name=f"C{n}", slug=f"c{n}") for n in range(3)]
    opened = Decision_.objects.create(collaborative=made[0], title="Old", text="x", kind="vote", threshold=66,
                                      closes_at=timezone.now())
    for collaborative, threshold, source in ((made[0], 51, "charter"), (made[1], 66, "charter"),
                                             (made[2], 51, "convenor")):
        Rules.objects.create(collaborative=collaborative, threshold=threshold, source=source)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    decision = Decision.objects.get(pk=opened.pk)
    assert (decision.threshold, decision.threshold_of, decision.threshold_rule) == (66, 100, "at-least")
    assert [(r.threshold, r.threshold_of, r.threshold_rule) for r in DecisionRules.objects.order_by("pk")] == [
        (50, 100, "more-than"), (2, 3, "at-least"), (51, 100, "at-least")]  # a convenor's 51 % stays theirs


@pytest.mark.django_db
def test_the_convenor_chooses_one_third_exactly(client, collaborative, people):
    client.force_login(people["convenor"])
    page = client.get(f"/collaborate/{collaborative.slug}/decisions/new/").content.decode()
    assert 'name="share" value="one-third"' in page and "At least one-third (1 of 3, 2 of 6, 34 of 100)" in page
    response = client.post(f"/collaborate/{collaborative.slug}/decisions/new/", proposal(share="one-third"))
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.threshold, decision.threshold_of, decision.threshold_rule) == (1, 3, "at-least")
    assert "An option needs at least one-third of the votes" in client.get(decision.get_absolute_url()).content.decode()
    assert rules.votes_needed(1, 3, "at-least", 100) == 34 and rules.votes_needed(1, 3, "at-least", 3) == 1

