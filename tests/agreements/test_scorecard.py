"""The scorecard as versioned content, its scoring, and the public page with a self-assessment."""

import copy

import pytest

from intersector.agreements import scorecard as sc
from intersector.agreements import services
from intersector.agreements.content import load_scorecard
from intersector.agreements.models import ScorecardVersion
from tests.agreements.conftest import FIXTURE_SCORECARD, REAL_SCORECARD, load


def test_the_shipped_scorecard_has_six_families_and_about_thirty_elements():
    data = sc.validate(load(REAL_SCORECARD))
    card = sc.Scorecard(data)
    assert [f.key for f in card.families] == sc.FAMILY_KEYS
    assert 25 <= len(card.elements) <= 36


@pytest.mark.django_db
def test_loading_the_content_twice_creates_one_version(tmp_path):
    (tmp_path / "agreements").mkdir()
    (tmp_path / "agreements" / "scorecard.yaml").write_text(FIXTURE_SCORECARD.read_text())
    assert "version 1 created" in load_scorecard(tmp_path)
    assert "unchanged" in load_scorecard(tmp_path)
    assert ScorecardVersion.objects.count() == 1


@pytest.mark.django_db
def test_changed_content_becomes_a_new_version_and_old_scores_keep_theirs(client, scorecard):
    client.post("/agreements/scorecard/", {"rating-vision": "fully"})
    changed = copy.deepcopy(load(FIXTURE_SCORECARD))
    changed["families"][1]["elements"][0]["question"] = "What change do you want to see?"
    version, created = services.import_scorecard(changed, note="clearer question")
    assert created and version.number == 2
    html = client.get("/agreements/scorecard/").content.decode()
    assert "Scorecard version 1." in html and "version 2 is newer" in html
    assert "What future do the partners want" in html   # still the version the score used
    client.post("/agreements/scorecard/reset/")
    assert "What change do you want to see?" in client.get("/agreements/scorecard/").content.decode()


def test_bad_scorecard_content_is_refused_with_a_plain_reason():
    data = load(FIXTURE_SCORECARD)
    data["families"][0]["elements"][0]["importance"] = 7
    with pytest.raises(sc.ScorecardError, match="importance 1, 2 or 3"):
        sc.validate(data)
    data = load(FIXTURE_SCORECARD)
    data["families"] = data["families"][:5]
    with pytest.raises(sc.ScorecardError, match="families"):
        sc.validate(data)


def test_scores_count_not_relevant_out_and_partial_as_half():
    card = sc.Scorecard(load(FIXTURE_SCORECARD))
    result = sc.score(card, {"representatives": "fully", "partner-descriptions": "not-relevant",
                             "vision": "partially", "shared-objectives": "not-in-place"})
    who, why = result.families[0], result.families[1]
    assert who.percent == 100          # "not relevant" does not pull the score down
    assert why.percent == 25           # (1 + 0) / 4
    assert result.families[2].percent is None
    assert result.overall == 50        # (2 + 1 + 0) / 6


def test_gaps_come_most_important_first_and_not_in_place_before_partial():
    card = sc.Scorecard(load(FIXTURE_SCORECARD))
    ratings = {key: "fully" for key in card.elements}
    ratings.update({"vision": "not-in-place", "governance": "partially",
                    "conflict-resolution": "not-in-place", "ending": "not-relevant"})
    gaps = [(e.key, r) for e, r in sc.score(card, ratings).gaps]
    assert gaps == [("conflict-resolution", "not-in-place"), ("governance", "partially"),
                    ("vision", "not-in-place")]


@pytest.mark.django_db
def test_anyone_can_read_the_printable_scorecard_without_an_account(client, scorecard):
    response = client.get("/agreements/scorecard/")
    html = response.content.decode()
    assert response.status_code == 200
    for family in ("Who?", "Why?", "What?", "When?", "How?", "What if?"):
        assert family in html
    assert "Why it matters" in html and "A good answer covers" in html and "Example" in html
    assert "Not relevant" in html and "Partially in place" in html
    assert "style=" not in html and "<script>" not in html


@pytest.mark.django_db
def test_a_visitor_rates_on_their_own_and_sees_scores_chart_and_gaps(client, scorecard):
    response = client.post("/agreements/scorecard/", {
        "rating-representatives": "fully", "rating-vision": "partially",
        "rating-governance": "not-in-place", "comment-governance": "Name a steering group",
        "form": "mou"})
    assert response.status_code == 302
    html = client.get("/agreements/scorecard/").content.decode()
    assert "Your results" in html and "<svg" in html and 'role="img"' in html
    assert "Overall</strong>" not in html and "Overall: 50%" in html   # (2+1+0)/6
    gaps = html.split("Gaps, most important first")[1]
    assert gaps.index("Governance and decision-making") < gaps.index("Shared vision")
    assert "Name a steering group" in html
    csv = client.get("/agreements/scorecard/self-assessment.csv").content.decode()
    assert "Governance and decision-making" in csv and "Not in place" in csv
    assert "Name a steering group" in csv


@pytest.mark.django_db
def test_a_rating_that_is_not_on_the_scale_is_refused(client, scorecard):
    response = client.post("/agreements/scorecard/", {"rating-vision": "excellent"})
    assert response.status_code == 400
    assert "choose one of the four ratings" in response.content.decode()


@pytest.mark.django_db
def test_the_scorecard_page_says_so_when_no_scorecard_is_loaded(client):
    assert client.get("/agreements/scorecard/").status_code == 404


@pytest.mark.django_db
def test_a_curator_downloads_edits_and_uploads_the_scorecard_as_a_new_version(client, scorecard,
                                                                              django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    curator = django_user_model.objects.create_user("curator", is_staff=True)
    client.force_login(curator)
    yaml_text = client.get("/agreements/scorecard/versions/1.yaml").content.decode()
    assert "What future do the partners want to bring about together?" in yaml_text
    edited = yaml_text.replace("What future do the partners want to bring about together?",
                               "What future do you want to build together?")
    response = client.post("/agreements/scorecard/versions/", {
        "file": SimpleUploadedFile("scorecard.yaml", edited.encode()), "note": "plainer vision"})
    assert response.status_code == 302
    assert ScorecardVersion.objects.get(number=2).note == "plainer vision"
    assert "What future do you want to build together?" in client.get("/agreements/scorecard/").content.decode()
    response = client.post("/agreements/scorecard/versions/", {
        "file": SimpleUploadedFile("scorecard.yaml", b"families: [oops"), "note": ""})
    assert response.status_code == 400 and "not valid YAML" in response.content.decode()
    broken = edited.replace("importance: 3", "importance: 9", 1)
    response = client.post("/agreements/scorecard/versions/", {
        "file": SimpleUploadedFile("scorecard.yaml", broken.encode()), "note": ""})
    assert response.status_code == 400 and "importance 1, 2 or 3" in response.content.decode()
    assert ScorecardVersion.objects.count() == 2
    assert "Agreement scorecard" in client.get("/cms/").content.decode()


@pytest.mark.django_db
def test_only_staff_may_change_the_scorecard(client, scorecard, django_user_model):
    assert client.get("/agreements/scorecard/versions/").status_code == 404
    client.force_login(django_user_model.objects.create_user("someone"))
    assert client.get("/agreements/scorecard/versions/").status_code == 404
    assert client.get("/agreements/scorecard/versions/1.yaml").status_code == 404
    assert client.post("/agreements/scorecard/versions/", {}).status_code == 404


@pytest.mark.django_db
def test_the_api_gives_the_current_scorecard_to_anyone(client, scorecard):
    response = client.get("/api/agreements/scorecard")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1 and [f["key"] for f in body["families"]] == sc.FAMILY_KEYS
    assert body["families"][1]["elements"][0]["question"].startswith("What future")


@pytest.mark.django_db
def test_the_api_says_when_no_scorecard_is_loaded(client):
    response = client.get("/api/agreements/scorecard")
    assert response.status_code == 404 and "not been loaded" in response.json()["detail"]
