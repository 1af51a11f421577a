"""The progress report's sections for commitments, results and shared indicators: partners'
reports show them; funders' and the public's reports only those the convenor marked "Show in
reports for funders and the public" (markers planted in each, looked for in the page, the PDF and
the Word file, before and after the mark); only a convenor of the collaborative sets the mark."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from intersector.collaboratives import commitments, results
from tests.collaboratives.test_reports import every_form, squash

pytestmark = pytest.mark.django_db

COMMITMENT = "marker-commitment-what"
RESULT = "marker-result-title"
SUB_RESULT = "marker-unmarked-sub-result"
INDICATOR = "marker-indicator-title"
MARK = "Show in reports for funders and the public"


@pytest.fixture
def measured(collaborative):
    c = collaborative
    convenor = c.members.get(role="convenor")
    c.commitment = commitments.make_commitment(c, convenor, what=COMMITMENT,
                                               due=timezone.localdate() + timedelta(days=10), partner=c.chamber)
    c.result = parent = results.add_result(c, title=RESULT)
    results.add_result(c, title=SUB_RESULT, parent=parent, progress=40, status="on-track")
    c.indicator = indicator = results.add_indicator(c, title=INDICATOR, unit="µg/m³", baseline=Decimal("12"), target=Decimal("8"))
    results.add_actual(indicator, convenor, on=timezone.localdate(), value=Decimal("10"))
    return c


def test_partners_read_commitments_results_and_indicators(client, people, measured):
    client.force_login(people["observer"])
    for kind, text in every_form(client, measured, "partners", "detailed").items():
        for marker in (COMMITMENT, RESULT, INDICATOR):
            assert squash(marker) in text, f"{marker} missing from the partners' report ({kind})"
        assert "50%ofthewaytothetarget" in text, kind


@pytest.mark.parametrize("audience", ["funders", "public"])
def test_funders_and_the_public_never_do(client, people, measured, audience):
    client.force_login(people["convenor"])
    for form in ("update", "detailed"):
        for kind, text in every_form(client, measured, audience, form).items():
            for marker in (COMMITMENT, RESULT, INDICATOR):
                assert squash(marker) not in text, f"{marker} in the {audience} {form} report ({kind})"


def _mark_urls(c):
    base = f"/collaborate/{c.slug}"
    return [f"{base}/commitments/{c.commitment.pk}/visibility/", f"{base}/results/{c.result.pk}/visibility/",
            f"{base}/results/indicators/{c.indicator.pk}/visibility/"]


def test_once_marked_funders_and_the_public_read_them(client, people, measured):
    client.force_login(people["convenor"])
    for url in _mark_urls(measured):
        response = client.post(url, {"visibility": ["partners", "public"]})  # the form: hidden field, then the box
        assert response.status_code == 302
    for audience in ("funders", "public"):
        for kind, text in every_form(client, measured, audience, "detailed").items():
            for marker in (COMMITMENT, RESULT, INDICATOR):
                assert squash(marker) in text, f"{marker} missing from the {audience} report ({kind})"
            assert squash(SUB_RESULT) not in text, kind  # its own mark: still partners only
            assert "Rep" not in text.replace("Report", "").replace("report", "")  # never the person
        update = client.get(f"/collaborate/{measured.slug}/reports/{audience}/update/").content.decode()
        assert RESULT in update and INDICATOR in update
    # Unticking the box takes them out again
    for url in _mark_urls(measured):
        assert client.post(url, {"visibility": "partners"}).status_code == 302
    page = client.get(f"/collaborate/{measured.slug}/reports/public/detailed/").content.decode()
    assert COMMITMENT not in page and RESULT not in page and INDICATOR not in page


def test_only_the_convenor_sets_the_mark(client, people, measured):
    urls = _mark_urls(measured)
    for url in urls:
        assert client.post(url, {"visibility": "public"}).status_code in (302, 404)  # signed out: never saved
    for name, status in (("rep", 403), ("observer", 403), ("alt", 403), ("elsewhere", 404), ("stranger", 404)):
        client.force_login(people[name])
        for url in urls:
            assert client.post(url, {"visibility": "public"}).status_code == status, (name, url)
    for item in (measured.commitment, measured.result, measured.indicator):
        item.refresh_from_db()
        assert item.visibility == "partners"
    client.force_login(people["convenor"])
    refused = client.post(urls[0], {"visibility": "everyone"})
    assert refused.status_code == 400 and "Choose who may read it" in refused.content.decode()
    assert client.get(urls[0]).status_code == 405
    other = f"/collaborate/{measured.slug}/results/999999/visibility/"
    assert client.post(other, {"visibility": "public"}).status_code == 404
    # Another collaborative's item through this one's address: not found
    foreign = results.add_result(measured.other, title="Elsewhere")
    assert client.post(f"/collaborate/{measured.slug}/results/{foreign.pk}/visibility/",
                       {"visibility": "public"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.visibility == "partners"


def test_the_box_is_on_each_card_for_the_convenor_only(client, people, measured):
    base = f"/collaborate/{measured.slug}"
    client.force_login(people["convenor"])
    page = client.get(f"{base}/results/").content.decode()
    assert page.count(MARK) == 3 + 2  # each result and the indicator; the two "add" forms
    assert client.get(f"{base}/commitments/").content.decode().count(MARK) == 1
    assert MARK in client.get(f"{base}/commitments/new/").content.decode()
    client.post(_mark_urls(measured)[1], {"visibility": "public"})
    client.force_login(people["rep"])
    page = client.get(f"{base}/results/").content.decode()
    assert MARK not in page and page.count("In reports for funders and the public") == 1
    assert MARK not in client.get(f"{base}/commitments/").content.decode()


def test_the_convenor_marks_a_new_one_as_it_is_made(client, people, collaborative):
    base = f"/collaborate/{collaborative.slug}"
    client.force_login(people["convenor"])
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    assert client.post(f"{base}/commitments/new/", {"what": "Public one", "due": due, "partner": collaborative.chamber.pk,
                                                    "visibility": "public"}).status_code == 302
    assert client.post(f"{base}/commitments/new/", {"what": "Private one", "due": due,
                                                    "partner": collaborative.chamber.pk}).status_code == 302
    assert client.post(f"{base}/results/new/", {"title": "Public result", "visibility": "public",
                                                "status": "on-track"}).status_code == 302
    assert client.post(f"{base}/results/indicators/new/", {"title": "Public indicator", "unit": "days",
                                                           "baseline": "10", "target": "5",
                                                           "visibility": "public"}).status_code == 302
    assert dict(collaborative.commitments.values_list("what", "visibility")) == {
        "Public one": "public", "Private one": "partners"}
    assert collaborative.results.get().visibility == "public"
    assert collaborative.indicators.get().visibility == "public"
    # Observers and representatives cannot make one at all, marked or not
    client.force_login(people["rep"])
    assert client.post(f"{base}/results/new/", {"title": "Sneaky", "visibility": "public"}).status_code == 403
