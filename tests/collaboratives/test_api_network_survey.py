"""Running a partner network survey through the API (collaborate_network_survey.py), with API
tokens through the real addresses: the convenor opens, closes and imports; a partner's
representative or alternate answers for it; every refusal is the page's, as JSON, nothing changed."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from intersector.collaboratives import network
from intersector.collaboratives.models import NetworkAnswer, NetworkTie, NetworkWave

pytestmark = pytest.mark.django_db

BASE = "/api/collaboratives"


@pytest.fixture
def call(client, api):
    """call(who, method, path, body=None): a JSON request as that person's script."""
    def send(who, method, path, body=None):
        headers = api(who).headers
        if method == "get":
            return client.get(path, headers=headers)
        return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json", headers=headers)
    return send


def state():
    """Every row a survey route could change, as values: a refusal leaves them all as they were."""
    return [sorted(map(repr, model.objects.values_list())) for model in (NetworkWave, NetworkAnswer, NetworkTie)]


def test_a_survey_opened_answered_and_closed_through_the_api(call, collaborative):
    slug, lung = collaborative.slug, collaborative.lung
    opened = call("convenor", "post", f"{BASE}/{slug}/network")
    assert opened.status_code == 201 and opened.json()["number"] == 1 and opened.json()["open"] is True
    path = f"{BASE}/{slug}/network/1/answer"
    before = call("rep", "get", path).json()
    assert before == {"wave": 1, "partner": "River City Chamber", "answered": False, "works_with": []}

    saved = call("rep", "put", path, {"works_with": [{"partner": lung.pk, "ratings": {"mission": 4, "openness": 3}}]})
    assert saved.status_code == 200, saved.content
    assert saved.json()["works_with"] == [{"partner": lung.pk, "name": "Lung Health Alliance",
                                           "ratings": {"mission": 4, "openness": 3}}]
    # The alternate speaks for the same partner: their answer replaces it, and both read it.
    call("alt", "put", path, {"works_with": [{"partner": lung.pk, "ratings": {"reliability": 2}}]})
    assert call("rep", "get", path).json()["works_with"][0]["ratings"] == {"reliability": 2}
    wave = NetworkWave.objects.get(collaborative=collaborative)
    assert network.own_answer(wave, collaborative.members.get(role="representative")) == {lung.pk: {"reliability": 2}}

    closed = call("convenor", "post", f"{BASE}/{slug}/network/1/close")
    assert closed.status_code == 200 and closed.json()["open"] is False
    assert closed.json()["figures"]["ties"] == 1 and closed.json()["figures"]["answered"] == 1
    late = call("rep", "put", path, {"none": True})
    assert late.status_code == 409 and "closed" in late.json()["detail"]
    assert call("rep", "get", path).json()["works_with"][0]["ratings"] == {"reliability": 2}


def test_the_answer_refuses_what_the_page_refuses_and_changes_nothing(call, collaborative):
    slug, lung, chamber = collaborative.slug, collaborative.lung, collaborative.chamber
    call("convenor", "post", f"{BASE}/{slug}/network")
    path = f"{BASE}/{slug}/network/1/answer"
    call("rep", "put", path, {"works_with": [{"partner": lung.pk}]})
    kept = state()
    cases = [
        ("rep", {"works_with": [{"partner": chamber.pk}]}, 400, "Choose partners from the list"),  # their own
        ("rep", {"works_with": [{"partner": 999999}]}, 400, "Choose partners from the list"),
        ("rep", {"works_with": [{"partner": lung.pk}], "none": True}, 400, "Untick one or the other"),
        ("rep", {}, 400, "none of them yet"),
        ("rep", {"works_with": [{"partner": lung.pk, "ratings": {"mission": 5}}]}, 422, "mission"),
        ("rep", {"works_with": [{"partner": lung.pk, "ratings": {"charm": 2}}]}, 422, "charm"),
        ("rep", {"works_with": [{"partner": lung.pk}], "why": "x"}, 422, "why"),
        ("observer", {"none": True}, 403, "does not allow"),
        ("convenor", {"none": True}, 403, "does not allow"),
        ("elsewhere", {"none": True}, 404, ""),
        (None, {"none": True}, 401, ""),
    ]
    for who, body, status, words in cases:
        response = call(who, "put", path, body)
        assert response.status_code == status, (who, body, response.content)
        assert words in response.json()["detail"], (who, body, response.json())
        assert state() == kept, (who, body)
    assert call("observer", "get", path).status_code == 403
    assert call("stranger", "get", path).status_code == 404
    assert call("rep", "get", f"{BASE}/{slug}/network/9/answer").status_code == 404


def test_only_the_convenor_opens_and_closes_and_twice_is_a_409(call, collaborative):
    slug = collaborative.slug
    for who, status in (("rep", 403), ("observer", 403), ("elsewhere", 404), (None, 401)):
        assert call(who, "post", f"{BASE}/{slug}/network").status_code == status
    assert not NetworkWave.objects.exists()
    call("convenor", "post", f"{BASE}/{slug}/network")
    again = call("convenor", "post", f"{BASE}/{slug}/network")
    assert again.status_code == 409 and "already open" in again.json()["detail"]
    assert NetworkWave.objects.count() == 1
    for who, status in (("rep", 403), ("alt", 403), ("stranger", 404)):
        assert call(who, "post", f"{BASE}/{slug}/network/1/close").status_code == status
    assert NetworkWave.objects.get().closed is None
    assert call("convenor", "post", f"{BASE}/{slug}/network/1/close").status_code == 200
    assert call("convenor", "post", f"{BASE}/{slug}/network/1/close").status_code == 409


def upload(client, api, who, path, text):
    file = SimpleUploadedFile("edges.csv", text.encode(), content_type="text/csv")
    return client.post(path, {"file": file}, headers=api(who).headers)


def test_the_convenor_imports_an_edges_file_and_a_bad_row_imports_nothing(client, api, call, collaborative):
    slug = collaborative.slug
    call("convenor", "post", f"{BASE}/{slug}/network")
    path = f"{BASE}/{slug}/network/1/import"
    good = "source,target,trust,value\nRiver City Chamber,Lung Health Alliance,3.5,2\n"
    bad = ("source,target,trust,value\nRiver City Chamber,Lung Health Alliance,3,2\n"
           "Lung Health Alliance,Nobody Inc,9,1\n")
    kept = state()
    refused = upload(client, api, "convenor", path, bad)
    body = refused.json()
    assert refused.status_code == 400 and body["detail"].startswith("Nothing was imported")
    assert any("Nobody Inc" in p for p in body["problems"]) and any("from 1 to 4" in p for p in body["problems"])
    assert state() == kept
    assert upload(client, api, "rep", path, good).status_code == 403 and state() == kept

    done = upload(client, api, "convenor", path, good)
    assert done.status_code == 200, done.content
    assert done.json()["partners"] == 1 and done.json()["ties"] == 1 and done.json()["wave"]["answered"] == 1
    tie = NetworkTie.objects.get()
    assert tie.partner_id == collaborative.lung.pk and float(tie.trust) == 3.5 and float(tie.value) == 2
    call("convenor", "post", f"{BASE}/{slug}/network/1/close")
    closed = upload(client, api, "convenor", path, good)
    assert closed.status_code == 409


def test_the_schema_describes_the_survey_routes(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    answer = paths["/api/collaboratives/{slug}/network/{wave_number}/answer"]
    assert {"get", "put"} <= set(answer)
    ratings = client.get("/api/openapi.json").json()["components"]["schemas"]["RatingsIn"]["properties"]
    assert set(ratings) == {item.key for item in network.ITEMS}
    assert "post" in paths["/api/collaboratives/{slug}/network/{wave_number}/import"]
