"""Collaborate's API (/api/collaboratives/...) through its real addresses, with API tokens and
signed-in sessions: a convenor sets up groups, partners and people and runs a decision; partners
read and vote; and every refusal the pages give (convenor, representative, alternate, observer, a
member of another collaborative, a stranger, nobody signed in) comes back as JSON with the same
status, nothing changed."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from intersector.collaboratives import decisions
from intersector.collaboratives.models import Decision, Member, Partner, Vote

pytestmark = pytest.mark.django_db

BASE = "/api/collaboratives"


def later(days=3):
    return (timezone.now() + timedelta(days=days)).isoformat()


@pytest.fixture
def consent(collaborative):
    convenor = collaborative.members.get(role="convenor")
    return decisions.open_decision(collaborative, convenor, title="Adopt the charter", text="We adopt it.",
                                   kind=Decision.Kind.CONSENT, closes_at=timezone.now() + timedelta(days=3))


# --- Reading ---------------------------------------------------------------------------------


def test_the_api_describes_the_collaborate_routes(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {f"{BASE}", f"{BASE}/{{slug}}", f"{BASE}/{{slug}}/partners", f"{BASE}/{{slug}}/members",
            f"{BASE}/{{slug}}/groups", f"{BASE}/{{slug}}/decisions", f"{BASE}/{{slug}}/decisions/{{decision_id}}",
            f"{BASE}/{{slug}}/decisions/{{decision_id}}/votes", f"{BASE}/{{slug}}/decisions/{{decision_id}}/close",
            f"{BASE}/{{slug}}/decisions/{{decision_id}}/outcome",
            f"{BASE}/{{slug}}/members/{{member_id}}/end"} <= set(paths)
    vote = paths[f"{BASE}/{{slug}}/decisions/{{decision_id}}/votes"]["post"]
    assert {"201", "401", "403", "404", "409", "422", "400"} <= set(vote["responses"])


def test_a_partner_reads_the_collaborative_its_partners_and_people(api, collaborative):
    me = api("observer")
    home = me.get(f"{BASE}/{collaborative.slug}")
    assert home.status_code == 200
    body = home.json()
    assert body["name"] == "Clean Air Compact" and body["your_role"] == "observer" and body["partners_only"]
    assert body["partner_count"] == 2 and {g["name"] for g in body["groups"]} == {"Business", "Health and environment"}
    partners = me.get(f"{BASE}/{collaborative.slug}/partners").json()
    assert [p["name"] for p in partners["results"]] == ["Lung Health Alliance", "River City Chamber"]
    assert partners["results"][1]["group_name"] == "Business" and partners["results"][1]["sector"] == "business"
    people = me.get(f"{BASE}/{collaborative.slug}/members").json()
    assert {p["role"] for p in people["results"]} == {"convenor", "representative", "alternate", "observer"}
    assert all(p["email"] is None for p in people["results"]), "addresses are for convenors only"
    by_convenor = api("convenor").get(f"{BASE}/{collaborative.slug}/members").json()
    assert "rep@example.org" in {p["email"] for p in by_convenor["results"]}


def test_the_list_gives_mine_then_the_published_ones(api, collaborative):
    collaborative.other.published = True
    collaborative.other.save()
    names = [c["name"] for c in api("rep").get(BASE).json()]
    assert names == ["Clean Air Compact", "Parks Together"]
    assert [c["name"] for c in api("stranger").get(BASE).json()] == ["Parks Together"]


def test_long_lists_come_in_pages_and_a_page_past_the_end_is_a_404(api, collaborative):
    me = api("rep")
    first = me.get(f"{BASE}/{collaborative.slug}/members", page_size=2).json()
    assert first["count"] == 4 and first["pages"] == 2 and len(first["results"]) == 2 and first["next"]
    second = me.get(f"{BASE}/{collaborative.slug}/members", page_size=2, page=2).json()
    assert {p["id"] for p in first["results"]}.isdisjoint({p["id"] for p in second["results"]})
    past = me.get(f"{BASE}/{collaborative.slug}/members", page=9)
    assert past.status_code == 404 and "last page is 1" in past.json()["detail"]
    too_big = me.get(f"{BASE}/{collaborative.slug}/members", page_size=1000)
    assert too_big.status_code == 422 and "100 or less" in too_big.json()["detail"]


# --- Who is refused --------------------------------------------------------------------------


@pytest.mark.parametrize("who, status", [(None, 401), ("stranger", 404), ("elsewhere", 404)])
@pytest.mark.parametrize("path", ["", "/partners", "/members", "/groups", "/decisions"])
def test_outsiders_read_nothing_of_a_collaborative_that_is_not_published(api, collaborative, who, status, path):
    response = api(who).get(f"{BASE}/{collaborative.slug}{path}")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert "Clean Air" not in response.content.decode() and "River City" not in response.content.decode()


def test_a_published_collaborative_shows_strangers_only_its_public_face(api, collaborative):
    collaborative.published = True
    collaborative.save()
    me = api("stranger")
    public = me.get(f"{BASE}/{collaborative.slug}").json()
    assert public["name"] == "Clean Air Compact" and not public["partners_only"] and public["partner_count"] is None
    refused = me.get(f"{BASE}/{collaborative.slug}/partners")
    assert refused.status_code == 403 and "Ask its convenor" in refused.json()["detail"]


@pytest.mark.parametrize("who, status", [
    (None, 401), ("stranger", 404), ("elsewhere", 404), ("rep", 403), ("alt", 403), ("observer", 403)])
def test_only_the_convenor_manages_partners_people_and_decisions(api, collaborative, consent, who, status):
    before = (Partner.objects.count(), Member.objects.count(), Decision.objects.count(),
              collaborative.groups.count())
    me = api(who)
    slug = collaborative.slug
    person = collaborative.members.get(role="observer")
    for path, body in ((f"{BASE}/{slug}/groups", {"name": "Intruders"}),
                       (f"{BASE}/{slug}/partners", {"name": "Intruder Inc", "sector": "business"}),
                       (f"{BASE}/{slug}/members", {"name": "Eve", "role": "observer", "partner": collaborative.chamber.pk}),
                       (f"{BASE}/{slug}/members/{person.pk}/end", {}),
                       (f"{BASE}/{slug}/decisions", {"title": "Intrude", "text": "x", "closes_at": later()}),
                       (f"{BASE}/{slug}/decisions/{consent.pk}/close", {}),
                       (f"{BASE}/{slug}/decisions/{consent.pk}/outcome", {"statement": "Hijacked"})):
        response = me.post(path, body)
        assert response.status_code == status, (path, response.content)
        assert response.json()["detail"]
    assert before == (Partner.objects.count(), Member.objects.count(), Decision.objects.count(),
                      collaborative.groups.count())
    person.refresh_from_db()
    consent.refresh_from_db()
    assert person.ends is None and consent.status == "open" and consent.statement == ""


@pytest.mark.parametrize("who, status", [
    (None, 401), ("stranger", 404), ("elsewhere", 404), ("convenor", 403), ("observer", 403)])
def test_only_representatives_and_alternates_vote(api, collaborative, consent, who, status):
    response = api(who).post(f"{BASE}/{collaborative.slug}/decisions/{consent.pk}/votes", {"choice": "agree"})
    assert response.status_code == status
    assert not Vote.objects.exists()


def test_a_browser_session_must_send_the_csrf_token_to_vote(collaborative, people, consent):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["rep"])
    response = browser.post(f"{BASE}/{collaborative.slug}/decisions/{consent.pk}/votes",
                            json.dumps({"choice": "agree"}), content_type="application/json")
    assert response.status_code == 403 and "security token" in response.json()["detail"]
    assert not Vote.objects.exists()


def test_another_collaboratives_decision_and_person_are_not_found(api, collaborative, consent, people):
    # The convenor of "Parks Together" reaches for this collaborative's decision and person
    # through their own collaborative's address.
    other = collaborative.other.slug
    me = api("elsewhere")
    observer = collaborative.members.get(role="observer")
    assert me.get(f"{BASE}/{other}/decisions/{consent.pk}").status_code == 404
    assert me.post(f"{BASE}/{other}/decisions/{consent.pk}/close").status_code == 404
    assert me.post(f"{BASE}/{other}/members/{observer.pk}/end").status_code == 404
    consent.refresh_from_db()
    observer.refresh_from_db()
    assert consent.status == "open" and observer.ends is None


# --- Writing: the whole cycle ----------------------------------------------------------------


def test_a_convenor_sets_up_and_runs_a_decision_and_partners_vote_one_per_organisation(
        api, collaborative, people, mailoutbox):
    slug = collaborative.slug
    convenor = api("convenor")
    group = convenor.post(f"{BASE}/{slug}/groups", {"name": "Transport"})
    assert group.status_code == 201
    partner = convenor.post(f"{BASE}/{slug}/partners", {"name": "Valley Transit", "sector": "government",
                                                        "group": group.json()["id"]})
    assert partner.status_code == 201 and partner.json()["group_name"] == "Transport"
    person = convenor.post(f"{BASE}/{slug}/members", {"name": "Tess", "email": "tess@example.org",
                                                      "role": "representative", "partner": partner.json()["id"]})
    assert person.status_code == 201 and person.json()["invitation_sent"] is True
    assert "/collaborate/join/" in mailoutbox[-1].body and mailoutbox[-1].to == ["tess@example.org"]

    opened = convenor.post(f"{BASE}/{slug}/decisions", {
        "title": "First project", "text": "Which first?", "kind": "vote", "options": ["Bus lanes", "Trees"],
        "closes_at": later(), "quorum": 50, "threshold": 50})
    assert opened.status_code == 201, opened.content
    decision = opened.json()
    assert decision["status"] == "open" and decision["tally"]["seats"] == 3
    bus, trees = (o["id"] for o in decision["options"])
    votes = f"{BASE}/{slug}/decisions/{decision['id']}/votes"

    alt = api("alt").post(votes, {"option": trees})
    assert alt.status_code == 201 and alt.json()["state"] == "counted"
    rep = api("rep").post(votes, {"option": bus})
    assert rep.status_code == 201 and rep.json()["state"] == "counted"
    history = api("observer").get(votes).json()["results"]
    assert [(v["person"], v["state"]) for v in history] == [("Alt", "replaced"), ("Rep", "counted")]
    standing = api("observer").get(f"{BASE}/{slug}/decisions/{decision['id']}").json()
    assert standing["tally"]["took_part"] == 1 and standing["tally"]["counts"] == {str(bus): 1}

    closed = convenor.post(f"{BASE}/{slug}/decisions/{decision['id']}/close")
    assert closed.status_code == 200 and closed.json()["result"] == "no-quorum"  # 1 of 3 partners
    again = convenor.post(f"{BASE}/{slug}/decisions/{decision['id']}/close")
    assert again.status_code == 409 and "already closed" in again.json()["detail"]
    late = api("rep").post(votes, {"option": trees})
    assert late.status_code == 409 and "closed" in late.json()["detail"]

    review = (timezone.localdate() + timedelta(days=90)).isoformat()
    outcome = convenor.post(f"{BASE}/{slug}/decisions/{decision['id']}/outcome",
                            {"statement": "Not enough partners took part; we ask again in March.",
                             "review_on": review})
    assert outcome.status_code == 200 and outcome.json()["review_on"] == review
    log = api("rep").get(f"{BASE}/{slug}/decisions").json()
    assert log["results"][0]["statement"].startswith("Not enough") and log["results"][0]["tally"]["seats"] == 3

    ended = convenor.post(f"{BASE}/{slug}/members/{person.json()['id']}/end", {})
    assert ended.status_code == 200 and ended.json()["ends"] == timezone.localdate().isoformat()


def test_a_script_starts_a_collaborative_and_is_its_convenor(api, toolkit):
    made = api("stranger").post(BASE, {"name": "Harbour Clean-up", "purpose": "A cleaner harbour"})
    assert made.status_code == 201
    assert made.json()["your_role"] == "convenor" and made.json()["slug"] == "harbour-clean-up"
    assert made.json()["partners_only"] and made.json()["partner_count"] == 0


# --- Bad input: a clear 4xx, nothing lost ----------------------------------------------------


@pytest.mark.parametrize("body, status, words", [
    ({"title": "T", "text": "x", "closes_at": "2020-01-01T10:00:00"}, 400, "closing time has passed"),
    ({"title": "T", "text": "x", "closes_at": "next week"}, 422, "closes_at"),
    ({"title": "T", "text": "x", "kind": "vote", "options": ["Only one"], "closes_at": "2099-01-01T10:00"},
     400, "at least two options"),
    ({"title": "T", "text": "x", "kind": "vote", "options": ["Same", "same"], "closes_at": "2099-01-01T10:00"},
     400, "Two options are the same"),
    ({"title": "   ", "text": "x", "closes_at": "2099-01-01T10:00"}, 422, "title"),
    ({"title": "T", "text": "x", "closes_at": "2099-01-01T10:00", "quorum": 101}, 422, "100 or less"),
    ({"title": "T", "text": "x", "kind": "poll", "closes_at": "2099-01-01T10:00"}, 422, "kind"),
])
def test_a_bad_proposal_gets_a_clear_answer(api, collaborative, body, status, words):
    response = api("convenor").post(f"{BASE}/{collaborative.slug}/decisions", body)
    assert response.status_code == status, response.content
    assert words in response.json()["detail"]
    assert not Decision.objects.exists()


@pytest.mark.parametrize("body, status, words", [
    ({"choice": "object"}, 400, "Say why you object"),
    ({}, 400, "Choose agree, abstain or object"),
    ({"choice": "maybe"}, 422, "choice"),
    ({"choice": "agree", "reason": "x" * 3000}, 422, "reason"),
])
def test_a_bad_vote_gets_a_clear_answer(api, collaborative, consent, body, status, words):
    response = api("rep").post(f"{BASE}/{collaborative.slug}/decisions/{consent.pk}/votes", body)
    assert response.status_code == status, response.content
    assert words in response.json()["detail"]
    assert not Vote.objects.exists()


def test_a_vote_for_another_decisions_option_is_refused(api, collaborative, consent):
    convenor = collaborative.members.get(role="convenor")
    ballot = decisions.open_decision(collaborative, convenor, title="B", text="B", kind="vote",
                                     options=["One", "Two"], closes_at=timezone.now() + timedelta(days=2))
    response = api("rep").post(f"{BASE}/{collaborative.slug}/decisions/{consent.pk}/votes",
                               {"choice": "agree", "option": ballot.options.first().pk})
    assert response.status_code == 201  # a consent proposal ignores an option: the choice counts
    wrong = api("rep").post(f"{BASE}/{collaborative.slug}/decisions/{ballot.pk}/votes", {"option": 999999})
    assert wrong.status_code == 400 and "Choose one of the options" in wrong.json()["detail"]


@pytest.mark.parametrize("path, body, status, words", [
    ("/groups", {"name": "business"}, 409, "already a group"),
    ("/partners", {"name": "River City Chamber", "sector": "business"}, 409, "already a partner"),
    ("/partners", {"name": "New Org", "sector": "business", "group": 999999}, 404, "interest groups"),
    ("/partners", {"name": "New Org", "sector": "church"}, 422, "sector"),
    ("/members", {"name": "Ann", "role": "representative"}, 400, "Choose the partner"),
    ("/members", {"name": "Ann", "role": "observer", "partner": 999999}, 404, "this collaborative's partners"),
    ("/members", {"name": "Ann", "role": "observer", "email": "not-an-address"}, 422, "email"),
    ("/members", {"name": "Ann", "role": "observer", "starts": "2027-05-01", "ends": "2027-04-01"}, 400,
     "end date comes before"),
])
def test_bad_partners_and_people_get_a_clear_answer(api, collaborative, path, body, status, words):
    if "partner" not in body and body.get("role") == "observer":
        body = {**body, "partner": collaborative.chamber.pk}
    before = (Partner.objects.count(), Member.objects.count())
    response = api("convenor").post(f"{BASE}/{collaborative.slug}{path}", body)
    assert response.status_code == status, response.content
    assert words in response.json()["detail"] and response.json()["detail"]
    assert before == (Partner.objects.count(), Member.objects.count())


def test_a_second_representative_is_refused_and_the_last_convenor_cannot_leave(api, collaborative):
    me = api("convenor")
    second = me.post(f"{BASE}/{collaborative.slug}/members",
                     {"name": "Ray", "role": "representative", "partner": collaborative.chamber.pk})
    assert second.status_code == 409 and "already has a representative" in second.json()["detail"]
    convenor = collaborative.members.get(role="convenor")
    last = me.post(f"{BASE}/{collaborative.slug}/members/{convenor.pk}/end", {})
    assert last.status_code == 409 and "needs a convenor" in last.json()["detail"]


def test_the_outcome_waits_for_closing_and_a_past_review_date_is_refused(api, collaborative, consent):
    me = api("convenor")
    path = f"{BASE}/{collaborative.slug}/decisions/{consent.pk}"
    early = me.post(f"{path}/outcome", {"statement": "Agreed"})
    assert early.status_code == 409 and "Close the decision first" in early.json()["detail"]
    me.post(f"{path}/close")
    past = me.post(f"{path}/outcome", {"statement": "Agreed", "review_on": "2020-01-01"})
    assert past.status_code == 400 and "review date has passed" in past.json()["detail"]
    consent.refresh_from_db()
    assert consent.statement == ""


def test_a_dot_vote_through_the_api_counts_each_partners_dots_and_refuses_too_many(api, collaborative):
    slug = collaborative.slug
    opened = api("convenor").post(f"{BASE}/{slug}/decisions", {
        "title": "Where first?", "text": "Spread your dots.", "kind": "dots", "dots": 3,
        "options": ["Bus lanes", "Trees"], "closes_at": later()})
    assert opened.status_code == 201, opened.content
    decision = opened.json()
    assert decision["kind"] == "dots" and decision["dots"] == 3
    bus, trees = (str(o["id"]) for o in decision["options"])
    votes = f"{BASE}/{slug}/decisions/{decision['id']}/votes"
    too_many = api("rep").post(votes, {"allocation": [{"option": bus, "n": 3}, {"option": trees, "n": 1}]})
    assert too_many.status_code == 400 and "take 1 off" in too_many.json()["detail"]
    cast = api("rep").post(votes, {"allocation": [{"option": bus, "n": 2}, {"option": trees, "n": 1}]})
    assert cast.status_code == 201 and cast.json()["allocation"] == {bus: 2, trees: 1}
    assert cast.json()["state"] == "counted"
