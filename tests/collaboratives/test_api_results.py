"""Collaborate's API for commitments, results, shared indicators and the partner network, through
its real addresses with API tokens: the convenor makes them, a commitment's holders record
progress, everyone who sees the collaborative reads them (results with their rolled-up progress),
and every refusal the pages give comes back as JSON with the same status, nothing changed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intersector.collaboratives import commitments, decisions, network, results
from intersector.collaboratives.models import (Actual, Commitment, CommitmentUpdate, Decision, Indicator, Result,
                                               Visibility)

pytestmark = pytest.mark.django_db

BASE = "/api/collaboratives"


def day(days=0):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.fixture
def things(collaborative):
    """A commitment the chamber holds, one the lung alliance holds, a result with a sub-result, an
    indicator with one figure, and a result in another collaborative."""
    convenor = collaborative.members.get(role="convenor")
    collaborative.chamber_job = commitments.make_commitment(
        collaborative, convenor, what="Count the bikes", due=timezone.localdate() + timedelta(days=30),
        partner=collaborative.chamber)
    collaborative.lung_job = commitments.make_commitment(
        collaborative, convenor, what="Measure the air", due=timezone.localdate() + timedelta(days=30),
        partner=collaborative.lung)
    collaborative.goal = results.add_result(collaborative, title="Cleaner air")
    collaborative.step = results.add_result(collaborative, title="Fewer cars", parent=collaborative.goal)
    collaborative.riders = results.add_indicator(collaborative, title="Bus riders", unit="riders", baseline="100",
                                                 target="200")
    results.add_actual(collaborative.riders, convenor, on=timezone.localdate() - timedelta(days=7), value="110")
    collaborative.foreign = results.add_result(collaborative.other, title="Greener parks")
    return collaborative


def state():
    """Every row these routes could change, as values: a refusal must leave all of them as they were."""
    return [sorted(map(repr, model.objects.values_list()))
            for model in (Commitment, CommitmentUpdate, Result, Indicator, Actual)]


# --- Reading and writing ---------------------------------------------------------------------


def test_the_api_describes_the_new_routes(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    slug = f"{BASE}/{{slug}}"
    assert {f"{slug}/commitments", f"{slug}/commitments/{{commitment_id}}",
            f"{slug}/commitments/{{commitment_id}}/progress", f"{slug}/commitments/{{commitment_id}}/due",
            f"{slug}/results", f"{slug}/results/{{result_id}}", f"{slug}/indicators",
            f"{slug}/indicators/{{indicator_id}}/actuals", f"{slug}/network", f"{slug}/network/{{wave_number}}",
            f"{slug}/network/{{wave_number}}/export/{{kind}}"} <= set(paths)
    progress = paths[f"{slug}/commitments/{{commitment_id}}/progress"]["post"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(progress["responses"])
    export = paths[f"{slug}/network/{{wave_number}}/export/{{kind}}"]["get"]["responses"]["200"]
    assert {"text/csv", "application/gexf+xml"} <= set(export["content"])


def test_the_convenor_makes_a_commitment_and_its_holder_records_progress(api, collaborative):
    slug = collaborative.slug
    made = api("convenor").post(f"{BASE}/{slug}/commitments", {
        "what": "Publish the air map", "due": day(10), "partner": collaborative.chamber.pk, "visibility": "public"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["partner_name"] == "River City Chamber" and body["status"] == "not-started"
    assert body["visibility"] == "public" and body["history"][0]["note"] == "Made the commitment."
    pk = body["id"]
    assert api("alt").get(f"{BASE}/{slug}/commitments/{pk}").json()["you_may_update"] is True
    assert api("observer").get(f"{BASE}/{slug}/commitments/{pk}").json()["you_may_update"] is False
    update = api("rep").post(f"{BASE}/{slug}/commitments/{pk}/progress",
                             {"status": "not-started", "progress": 40, "note": "Data collected"})
    assert update.status_code == 200, update.content
    after = update.json()
    assert after["status"] == "under-way" and after["progress"] == 40  # some done: it has started
    assert [h["note"] for h in after["history"]] == ["Data collected", "Made the commitment."]
    done = api("alt").post(f"{BASE}/{slug}/commitments/{pk}/progress", {"status": "done"}).json()
    assert done["progress"] == 100 and done["done_on"] == day()
    moved = api("convenor").post(f"{BASE}/{slug}/commitments/{pk}/due", {"due": day(20)})
    assert moved.status_code == 200 and moved.json()["due"] == day(20)
    listed = api("observer").get(f"{BASE}/{slug}/commitments").json()
    assert listed["count"] == 1 and listed["results"][0]["what"] == "Publish the air map"


def test_an_overdue_commitment_is_flagged(api, collaborative):
    convenor = collaborative.members.get(role="convenor")
    job = commitments.make_commitment(collaborative, convenor, what="Late one", due=timezone.localdate(),
                                      partner=collaborative.lung)
    Commitment.objects.filter(pk=job.pk).update(due=timezone.localdate() - timedelta(days=1))
    row = api("rep").get(f"{BASE}/{collaborative.slug}/commitments").json()["results"][0]
    assert row["overdue"] is True and row["you_may_update"] is False  # the lung alliance's, not the chamber's


def test_results_nest_and_their_progress_rolls_up(api, collaborative):
    me, slug = api("convenor"), collaborative.slug
    goal = me.post(f"{BASE}/{slug}/results", {"title": "Cleaner air"}).json()
    half = me.post(f"{BASE}/{slug}/results", {"title": "Fewer cars", "parent": goal["id"], "weight": 3,
                                              "progress": 50, "status": "on-track"})
    assert half.status_code == 201, half.content
    done = me.post(f"{BASE}/{slug}/results", {"title": "Bus lanes", "parent": goal["id"], "weight": 1,
                                              "status": "done"}).json()
    assert done["progress"] == 100 and done["depth"] == 2
    rows = api("observer").get(f"{BASE}/{slug}/results").json()
    assert [r["title"] for r in rows] == ["Cleaner air", "Fewer cars", "Bus lanes"]
    top = rows[0]
    assert top["progress"] == round((50 * 3 + 100 * 1) / 4) and top["own_progress"] == 0
    assert top["children"] == [half.json()["id"], done["id"]]
    # An update left without a weight keeps it; the parent's figure follows.
    changed = me.post(f"{BASE}/{slug}/results/{half.json()['id']}", {"status": "on-track", "progress": 100})
    assert changed.status_code == 200 and changed.json()["weight"] == 3.0
    assert api("rep").get(f"{BASE}/{slug}/results/{goal['id']}").json()["progress"] == 100


def test_indicators_take_dated_figures(api, collaborative):
    me, slug = api("convenor"), collaborative.slug
    made = me.post(f"{BASE}/{slug}/indicators", {"title": "Bus riders", "unit": "riders", "baseline": 100,
                                                 "target": 200.5, "baseline_on": day(-30), "target_on": day(300)})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["target"] == 200.5 and made.json()["latest"] is None
    figure = me.post(f"{BASE}/{slug}/indicators/{pk}/actuals", {"on": day(-1), "value": 150.25, "note": "May"})
    assert figure.status_code == 201, figure.content
    read = api("observer").get(f"{BASE}/{slug}/indicators/{pk}").json()
    assert read["actuals"] == [{"on": day(-1), "value": 150.25, "note": "May"}]
    assert read["towards_target"] == 50


def test_the_convenor_marks_what_reports_may_show(api, things):
    slug = things.slug
    for path in (f"commitments/{things.chamber_job.pk}", f"results/{things.goal.pk}",
                 f"indicators/{things.riders.pk}"):
        response = api("convenor").post(f"{BASE}/{slug}/{path}/visibility", {"visibility": "public"})
        assert response.status_code == 200 and response.json()["visibility"] == "public", path
    things.chamber_job.refresh_from_db()
    assert things.chamber_job.visibility == Visibility.PUBLIC


@pytest.fixture
def closed_wave(collaborative):
    convenor = collaborative.members.get(role="convenor")
    rep = collaborative.members.get(role="representative")
    wave = network.open_wave(collaborative, convenor)
    network.answer(wave, rep, {collaborative.lung.pk: {"mission": 4, "openness": 3}})
    return network.close_wave(wave)


def test_partners_read_the_network_and_the_convenor_downloads_it(api, collaborative, closed_wave):
    slug = collaborative.slug
    waves = api("observer").get(f"{BASE}/{slug}/network").json()
    assert [w["number"] for w in waves] == [1] and waves[0]["figures"]["ties"] == 1
    assert waves[0]["figures"]["partners"] == 2 and waves[0]["figures"]["density"] == 1.0
    detail = api("rep").get(f"{BASE}/{slug}/network/1").json()
    chamber = next(p for p in detail["partners"] if p["name"] == "River City Chamber")
    assert chamber["tied_to"] == ["Lung Health Alliance"] and chamber["named"] == 1
    assert all(p["trust"] is None for p in detail["partners"])  # fewer than three ratings: not shown
    csv = api("convenor").get(f"{BASE}/{slug}/network/1/export/edges.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert "River City Chamber,Lung Health Alliance" in csv.content.decode()
    gexf = api("convenor").get(f"{BASE}/{slug}/network/1/export/network.gexf")
    assert gexf.status_code == 200 and b"<gexf" in gexf.content
    refused = api("rep").get(f"{BASE}/{slug}/network/1/export/edges.csv")
    assert refused.status_code == 403 and "Lung" not in refused.content.decode()
    assert api("convenor").get(f"{BASE}/{slug}/network/1/export/map.png").status_code == 422
    assert api("convenor").get(f"{BASE}/{slug}/network/7").status_code == 404


# --- Refusals: bad input ---------------------------------------------------------------------


def cases(c):
    """(who, path, body, status, words) for each refusal, with this collaborative's ids."""
    slug = f"{BASE}/{c.slug}"
    job, riders = c.chamber_job.pk, c.riders.pk
    return {
        "a date in the past": ("convenor", f"{slug}/commitments", {"what": "X", "due": day(-1),
                                                                   "partner": c.chamber.pk}, 400, "has passed"),
        "nobody holds it": ("convenor", f"{slug}/commitments", {"what": "X", "due": day(1)}, 400, "Say who commits"),
        "a partner of elsewhere": ("convenor", f"{slug}/commitments", {"what": "X", "due": day(1), "partner": 999999},
                                   400, "a partner and a person of this collaborative"),
        "an unknown decision": ("convenor", f"{slug}/commitments", {"what": "X", "due": day(1),
                                                                    "partner": c.chamber.pk, "decision": 999999},
                                404, "could not find that decision"),
        "a blank commitment": ("convenor", f"{slug}/commitments", {"what": "  ", "due": day(1)}, 422, "what"),
        "progress over 100": ("rep", f"{slug}/commitments/{job}/progress", {"status": "under-way", "progress": 101},
                              422, "100 or less"),
        "progress below 0": ("rep", f"{slug}/commitments/{job}/progress", {"status": "under-way", "progress": -1},
                             422, "0 or more"),
        "an unknown status": ("rep", f"{slug}/commitments/{job}/progress", {"status": "finished"}, 422, "status"),
        "a moved date in the past": ("convenor", f"{slug}/commitments/{job}/due", {"due": day(-2)}, 400,
                                     "Choose today or a later date"),
        "an unknown commitment": ("rep", f"{slug}/commitments/999999/progress", {"status": "done"}, 404,
                                  "could not find that commitment"),
        "a parent in another collaborative": ("convenor", f"{slug}/results", {"title": "X", "parent": c.foreign.pk},
                                              400, "Choose one of this collaborative's results"),
        "a negative weight": ("convenor", f"{slug}/results", {"title": "X", "weight": -1}, 422, "weight"),
        "a misspelt field": ("convenor", f"{slug}/results", {"title": "X", "wieght": 2}, 422, "wieght"),
        "progress on a result not started": ("convenor", f"{slug}/results/{c.step.pk}",
                                             {"status": "not-started", "progress": 30}, 400, "has started"),
        "an unknown result": ("convenor", f"{slug}/results/999999", {"status": "done"}, 404,
                              "could not find that result"),
        "a target equal to the baseline": ("convenor", f"{slug}/indicators", {"title": "X", "unit": "u",
                                                                              "baseline": 5, "target": 5},
                                           400, "same as the baseline"),
        "a figure with no value": ("convenor", f"{slug}/indicators/{riders}/actuals", {"on": day(-1)}, 422, "value"),
        "a figure in the future": ("convenor", f"{slug}/indicators/{riders}/actuals", {"on": day(2), "value": 1},
                                   400, "in the future"),
        "a second figure for a day": ("convenor", f"{slug}/indicators/{riders}/actuals",
                                      {"on": day(-7), "value": 1}, 409, "already a figure"),
        "an unknown indicator": ("convenor", f"{slug}/indicators/999999/actuals", {"on": day(-1), "value": 1}, 404,
                                 "could not find that indicator"),
        "an unknown mark": ("convenor", f"{slug}/results/{c.goal.pk}/visibility", {"visibility": "funders"}, 422,
                            "visibility"),
        "an observer records progress": ("observer", f"{slug}/commitments/{job}/progress", {"status": "done"}, 403,
                                         "does not allow that"),
        "a representative updates another partner's": ("rep", f"{slug}/commitments/{c.lung_job.pk}/progress",
                                                        {"status": "done"}, 403, "Only the people who hold"),
    }


CASES = ["a date in the past", "nobody holds it", "a partner of elsewhere", "an unknown decision",
         "a blank commitment", "progress over 100", "progress below 0", "an unknown status",
         "a moved date in the past", "an unknown commitment", "a parent in another collaborative",
         "a negative weight", "a misspelt field", "progress on a result not started", "an unknown result",
         "a target equal to the baseline", "a figure with no value", "a figure in the future",
         "a second figure for a day", "an unknown indicator", "an unknown mark", "an observer records progress",
         "a representative updates another partner's"]


@pytest.mark.parametrize("case", CASES)
def test_each_refusal_is_clear_json_and_changes_nothing(api, things, case):
    who, path, body, status, words = cases(things)[case]
    before = state()
    response = api(who).post(path, body)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert words in response.json()["detail"]
    assert state() == before


def test_a_commitment_from_an_open_decision_waits_for_its_outcome(api, collaborative):
    convenor = collaborative.members.get(role="convenor")
    proposal = decisions.open_decision(collaborative, convenor, title="Adopt", text="x", kind=Decision.Kind.CONSENT,
                                       closes_at=timezone.now() + timedelta(days=3))
    response = api("convenor").post(f"{BASE}/{collaborative.slug}/commitments", {
        "what": "X", "due": day(1), "partner": collaborative.chamber.pk, "decision": proposal.pk})
    assert response.status_code == 409 and "still open" in response.json()["detail"]
    assert not Commitment.objects.exists()


# --- Refusals: who may do what ---------------------------------------------------------------


def writes(c):
    slug = f"{BASE}/{c.slug}"
    return {
        "commitment": (f"{slug}/commitments", {"what": "Intrude", "due": day(5), "partner": c.chamber.pk}),
        "due": (f"{slug}/commitments/{c.chamber_job.pk}/due", {"due": day(50)}),
        "progress": (f"{slug}/commitments/{c.chamber_job.pk}/progress", {"status": "done"}),
        "commitment mark": (f"{slug}/commitments/{c.chamber_job.pk}/visibility", {"visibility": "public"}),
        "result": (f"{slug}/results", {"title": "Intrude"}),
        "result update": (f"{slug}/results/{c.step.pk}", {"status": "done"}),
        "result mark": (f"{slug}/results/{c.goal.pk}/visibility", {"visibility": "public"}),
        "indicator": (f"{slug}/indicators", {"title": "Intrude", "unit": "u", "baseline": 1, "target": 2}),
        "figure": (f"{slug}/indicators/{c.riders.pk}/actuals", {"on": day(-1), "value": 9}),
        "indicator mark": (f"{slug}/indicators/{c.riders.pk}/visibility", {"visibility": "public"}),
    }


CONVENOR_ONLY = {None: 401, "stranger": 404, "elsewhere": 404, "rep": 403, "alt": 403, "observer": 403}
HOLDERS = {None: 401, "stranger": 404, "elsewhere": 404, "observer": 403}


@pytest.mark.parametrize("who", [None, "stranger", "elsewhere", "rep", "alt", "observer"])
@pytest.mark.parametrize("what", ["commitment", "due", "progress", "commitment mark", "result", "result update",
                                  "result mark", "indicator", "figure", "indicator mark"])
def test_only_the_pages_writers_write(api, things, who, what):
    refusals = HOLDERS if what == "progress" else CONVENOR_ONLY
    path, body = writes(things)[what]
    before = state()
    response = api(who).post(path, body)
    if who not in refusals:  # the chamber's representative and alternate hold its commitment
        assert response.status_code == 200, response.content
        return
    assert response.status_code == refusals[who], response.content
    assert response.json()["detail"] and state() == before


READS = ["/commitments", "/commitments/{job}", "/results", "/results/{goal}", "/indicators", "/indicators/{riders}",
         "/network", "/network/1"]


def _read_paths(c):
    return [path.format(job=c.chamber_job.pk, goal=c.goal.pk, riders=c.riders.pk) for path in READS]


@pytest.mark.parametrize("published, who, status", [
    (False, None, 401), (False, "stranger", 404), (False, "elsewhere", 404),
    (True, None, 401), (True, "stranger", 403), (True, "elsewhere", 403)])
def test_outsiders_read_nothing_not_even_what_is_marked_public(api, things, closed_wave, published, who, status):
    things.published = published
    things.save()
    for item in (things.lung_job, things.step, things.riders):  # one public item of each kind; the rest partner-only
        item.visibility = Visibility.PUBLIC
        item.save()
    for path in _read_paths(things):
        response = api(who).get(f"{BASE}/{things.slug}{path}")
        assert response.status_code == status, path
        text = response.content.decode()
        for words in ("Count the bikes", "Measure the air", "Cleaner air", "Fewer cars", "Bus riders", "Lung Health"):
            assert words not in text, (path, words)


@pytest.mark.parametrize("who", ["convenor", "rep", "alt", "observer"])
def test_everyone_in_the_collaborative_reads_it_all(api, things, closed_wave, who):
    for path in _read_paths(things):
        assert api(who).get(f"{BASE}/{things.slug}{path}").status_code == 200, path
    assert "Count the bikes" in api(who).get(f"{BASE}/{things.slug}/commitments").content.decode()


def test_a_demonstration_is_read_by_anyone_signed_in_as_on_its_pages(api, client, people, things):
    type(things).objects.filter(pk=things.pk).update(demonstration=True)
    assert api("stranger").get(f"{BASE}/{things.slug}/results").json()[0]["title"] == "Cleaner air"
    before = state()
    refused = api("stranger").post(f"{BASE}/{things.slug}/results", {"title": "X"})
    client.force_login(people["stranger"])
    page = client.post(f"/collaborate/{things.slug}/results/new/", {"title": "X"})
    assert refused.status_code == page.status_code == 404 and state() == before


def test_the_pages_agree(client, people, things):
    """The page says the same as the API to the same person: an observer reads, a stranger does not."""
    client.force_login(people["observer"])
    assert client.get(f"/collaborate/{things.slug}/results/").status_code == 200
    client.force_login(people["stranger"])
    assert client.get(f"/collaborate/{things.slug}/results/").status_code == 404
