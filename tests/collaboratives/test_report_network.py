"""The progress report's "Partner network" section: the latest closed survey's map and figures in
partners' reports always; in funders' and the public's only once the convenor marks the survey
public, and then measured against no partner-only survey. One partner's ratings of another
(planted as 1.33 trust and 3.67 value, figures nothing else in the survey comes to) never reach
any report, in the page, the PDF or the Word file, while the convenor's export holds them."""

import re

import pytest

from intersector.collaboratives import network, services
from tests.collaboratives.test_reports import docx_text, pdf_text

pytestmark = pytest.mark.django_db

LOW_TRUST, HIGH_VALUE = "1.33", "3.67"  # the chamber's ratings of the lung alliance, in survey 2
PLANTED = {"mission": 1, "openness": 1, "reliability": 2, "influence": 4, "resources": 4, "involvement": 3}


def _all(value):
    return {item.key: value for item in network.ITEMS}


@pytest.fixture
def surveyed(collaborative):
    """Four partners; survey 1 (partner-only, closed), then survey 2 (closed) with the planted tie."""
    c = collaborative
    convenor = c.members.get(role="convenor")
    transit = services.add_partner(c, name="Valley Transit", sector="government")
    parents = services.add_partner(c, name="Parents for Clean Air", sector="non-profit")
    chamber_rep = c.members.get(role="representative")
    reps = {p.pk: services.add_person(c, name=f"Speaker {n}", email="", role="representative", partner=p)
            for n, p in enumerate((c.lung, transit, parents))}
    reps[c.chamber.pk] = chamber_rep
    first = network.open_wave(c, convenor)
    network.answer(first, reps[c.chamber.pk], {c.lung.pk: _all(3), transit.pk: _all(3)})
    network.close_wave(first)
    second = network.open_wave(c, convenor)
    network.answer(second, reps[c.chamber.pk], {c.lung.pk: PLANTED})
    network.answer(second, reps[transit.pk], {c.chamber.pk: _all(4)})
    network.answer(second, reps[parents.pk], {c.chamber.pk: _all(4)})
    network.answer(second, reps[c.lung.pk], {transit.pk: _all(2)})
    network.close_wave(second)
    c.second = second
    return c


def _texts(client, c, audience, form="detailed"):
    base = f"/collaborate/{c.slug}/reports/{audience}/{form}/"
    page, pdf, word = client.get(base), client.get(base + "pdf/"), client.get(base + "docx/")
    assert page.status_code == pdf.status_code == word.status_code == 200
    return {"page": page.content.decode(), "pdf": pdf_text(pdf.content), "docx": docx_text(word.content)}


def _has(figure, text):
    return re.search(rf"(?<![\d.]){re.escape(figure)}(?!\d)", text) is not None


def test_partners_read_the_map_and_figures_never_the_ratings(client, people, surveyed):
    client.force_login(people["observer"])
    for form in ("update", "detailed"):
        for kind, text in _texts(client, surveyed, "partners", form).items():
            assert "Partner network" in text, (form, kind)
            assert "Trust, on average" in text and _has("2.83", text) and _has("3.42", text), (form, kind)
            assert "Change since Network survey 1" in text or "Change since Network" in text, (form, kind)
            for figure in (LOW_TRUST, HIGH_VALUE):
                assert not _has(figure, text), f"a partner's rating {figure} in the {form} report ({kind})"
            if kind == "page":
                assert '<svg class="network-map"' in text and "<desc id=\"map-desc\">4 partners and 4 ties" in text
            if kind == "docx":
                assert "4 partners and 4 ties between them; density 0.67." in text  # the map in words
    # The planted figures are real: the convenor's file of each partner's ratings holds them
    client.force_login(people["convenor"])
    edges = client.get(f"/collaborate/{surveyed.slug}/network/2/edges.csv").content.decode()
    assert f"River City Chamber,Lung Health Alliance,{LOW_TRUST},{HIGH_VALUE}" in edges


@pytest.mark.parametrize("audience", ["funders", "public"])
def test_funders_and_the_public_read_it_once_marked_public(client, people, surveyed, audience):
    client.force_login(people["convenor"])
    for kind, text in _texts(client, surveyed, audience).items():
        assert "Partner network" not in text and "network-map" not in text, kind
    url = f"/collaborate/{surveyed.slug}/network/2/visibility/"
    response = client.post(url, {"visibility": "public"}, follow=True)
    assert "reports for funders and the public may now show it" in response.content.decode()
    for form in ("update", "detailed"):
        for kind, text in _texts(client, surveyed, audience, form).items():
            assert "Partner network" in text and _has("2.83", text), (form, kind)
            assert "Network survey 2" in text, (form, kind)
            # Survey 1 is partner-only: no change is measured against it
            assert "Change since" not in text and "Network survey 1" not in text, (form, kind)
            for figure in (LOW_TRUST, HIGH_VALUE):
                assert not _has(figure, text), (form, kind, figure)


def test_only_the_convenor_marks_a_survey_public(client, people, surveyed):
    url = f"/collaborate/{surveyed.slug}/network/2/visibility/"
    for name, status in (("rep", 403), ("observer", 403), ("elsewhere", 404), ("stranger", 404)):
        client.force_login(people[name])
        assert client.post(url, {"visibility": "public"}).status_code == status, name
    client.force_login(people["convenor"])
    assert client.post(url, {"visibility": "everyone"}).status_code == 400
    assert client.post(f"/collaborate/{surveyed.slug}/network/9/visibility/", {"visibility": "public"}).status_code == 404
    surveyed.second.refresh_from_db()
    assert surveyed.second.visibility == "partners"
    # Everyone who reads the survey's page sees who may read it; the form is the convenor's
    page = client.get(f"/collaborate/{surveyed.slug}/network/2/").content.decode()
    assert "Who may read it in reports" in page and 'name="visibility"' in page
    client.force_login(people["observer"])
    page = client.get(f"/collaborate/{surveyed.slug}/network/2/").content.decode()
    assert "Partners' reports only." in page and 'name="visibility"' not in page


def test_no_closed_survey_no_section_for_the_public(client, people, collaborative):
    client.force_login(people["convenor"])
    assert "No network survey has closed yet." in client.get(
        f"/collaborate/{collaborative.slug}/reports/partners/update/").content.decode()
    assert "Partner network" not in client.get(
        f"/collaborate/{collaborative.slug}/reports/public/update/").content.decode()
