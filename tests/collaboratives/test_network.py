"""The partner network survey: the measures against networkx and by hand, answering for a partner
through the real URLs, the map and its table, the change between waves, the exports, the CSV
round trip and every refusal of the import."""

from decimal import Decimal
from fractions import Fraction

import networkx as nx
import pytest

from intersector.collaboratives import network, network_files, network_results, services
from intersector.collaboratives.models import NetworkAnswer, NetworkTie, NetworkWave
from intersector.spreadsheets import read_back

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


# --- The measures (pure) ---------------------------------------------------------------------


def test_centralisation_of_a_star_is_one_and_of_a_ring_zero():
    for n in (3, 5, 12):
        star = nx.star_graph(n - 1)  # one hub and n - 1 leaves
        assert network.freeman_centralisation(dict(star.degree()).values()) == 1
        ring = nx.cycle_graph(n)
        assert network.freeman_centralisation(dict(ring.degree()).values()) == 0
    assert network.freeman_centralisation([1, 1]) is None  # under 3 nodes it is not defined


def test_centralisation_by_hand_on_a_small_graph():
    # A path a-b-c-d plus the tie b-d: degrees 1, 3, 2, 2. d_max = 3; the sum of (3 - d) is
    # 2 + 0 + 1 + 1 = 4; (n - 1)(n - 2) = 3 * 2 = 6; so 4/6 = 2/3.
    graph = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("b", "d")])
    assert network.freeman_centralisation(dict(graph.degree()).values()) == Fraction(2, 3)


def test_measures_equal_networkx_on_a_known_graph():
    graph = nx.karate_club_graph()  # Zachary's 34 members, 78 ties
    figures = network.measure(graph)
    assert figures.partners == 34 and figures.ties == 78
    assert figures.density == nx.density(graph) == pytest.approx(78 / (34 * 33 / 2))
    assert figures.degrees == dict(graph.degree())
    # Freeman's formula from networkx's degree centralities (degree / (n - 1)) says the same.
    centrality = nx.degree_centrality(graph)
    top = max(centrality.values())
    expected = sum(top - c for c in centrality.values()) / (34 - 2)
    assert float(figures.centralisation) == pytest.approx(expected)


def test_sector_counts():
    graph = nx.Graph([(1, 2), (2, 3), (3, 4)])
    graph.add_node(5)
    sectors = {1: "government", 2: "government", 3: "business", 4: "non-profit", 5: "business"}
    counts = network.by_sector(dict(graph.degree()), graph.edges, sectors)
    assert list(counts) == ["government", "business", "non-profit"]
    assert counts["government"] == {"partners": 2, "within": 1, "across": 1, "degree": Fraction(3, 2)}
    assert counts["business"] == {"partners": 2, "within": 0, "across": 2, "degree": Fraction(1)}
    assert counts["non-profit"] == {"partners": 1, "within": 0, "across": 1, "degree": Fraction(1)}


def test_tie_scores_are_the_means_of_their_items():
    assert network.tie_scores({"mission": 4, "openness": 3, "reliability": 3, "influence": 2}) == (
        Decimal("3.33"), Decimal("2.00"))
    assert network.tie_scores({}) == (None, None)


def test_the_layout_is_the_same_at_every_visit_and_inside_the_box():
    graph = nx.karate_club_graph()
    first, again = network.layout(graph), network.layout(graph)
    assert first == again
    xs = [x for x, _y in first.values()]
    ys = [y for _x, y in first.values()]
    assert min(xs) == network.MARGIN and max(xs) == network.WIDTH - network.MARGIN
    assert min(ys) == network.MARGIN and max(ys) == network.HEIGHT - network.MARGIN


# --- Through the URLs ------------------------------------------------------------------------


@pytest.fixture
def city(collaborative, django_user_model):
    """A third partner (government) with a representative who has an account."""
    from tests.collaboratives.conftest import make_user

    council = services.add_partner(collaborative, name="River City Council", sector="government")
    member = services.add_person(collaborative, name="Gov", email="gov@example.org", role="representative",
                                 partner=council)
    member.user = make_user(django_user_model, "gov")
    member.save(update_fields=["user"])
    collaborative.council = council
    return member.user


def open_wave(client, people, collaborative):
    signed_in(client, people["convenor"])
    response = client.post(f"/collaborate/{collaborative.slug}/network/open/")
    assert response.status_code == 302
    return NetworkWave.objects.get(collaborative=collaborative, closed__isnull=True)


def answer(client, user, collaborative, wave, ties, **extra):
    """ties: {partner: {item key: value}}"""
    signed_in(client, user)
    data = {"works_with": [str(p.pk) for p in ties], **extra}
    for partner, items in ties.items():
        data.update({f"item-{partner.pk}-{key}": str(value) for key, value in items.items()})
    return client.post(f"/collaborate/{collaborative.slug}/network/{wave.number}/answer/", data)


def close(client, people, collaborative, wave):
    signed_in(client, people["convenor"])
    response = client.post(f"/collaborate/{collaborative.slug}/network/{wave.number}/close/")
    assert response.status_code == 302
    return client.get(f"/collaborate/{collaborative.slug}/network/{wave.number}/").content.decode()


ALL_FOURS = {item.key: 4 for item in network.ITEMS}


def test_partners_answer_and_the_map_shows_their_ties(client, collaborative, people, city):
    c = collaborative
    wave = open_wave(client, people, c)
    page = client.get(f"/collaborate/{c.slug}/network/").content.decode()
    assert "Network survey 1 is open" in page and "0 of 3 partners have answered" in page
    # The chamber's alternate answers for it; the council's representative for the council.
    response = answer(client, people["alt"], c, wave, {c.council: {"mission": 4, "openness": 3, "reliability": 3},
                                                       c.lung: {"influence": 2}})
    assert response.status_code == 302
    assert answer(client, city, c, wave, {c.chamber: ALL_FOURS}).status_code == 302
    saved = NetworkAnswer.objects.get(wave=wave, partner=c.chamber)
    assert {(t.partner_id, t.trust, t.value) for t in saved.ties.all()} == {
        (c.council.pk, Decimal("3.33"), None), (c.lung.pk, None, Decimal("2.00"))}
    # The representative sees the chamber's saved answer (the alternate's) and may change it.
    signed_in(client, people["rep"])
    form = client.get(f"/collaborate/{c.slug}/network/1/answer/").content.decode()
    assert f'<input type="hidden" name="works_with" value="{c.council.pk}">' in form
    assert f'name="item-{c.council.pk}-mission" value="4" checked' in form
    # While open, no map: it would move as each partner answers.
    assert "still open: 2 partners have answered" in client.get(f"/collaborate/{c.slug}/network/1/").content.decode()
    page = close(client, people, c, wave)
    # Ties: chamber-council (named by both), chamber-lung: 2 of 3 possible; degrees 2, 1, 1.
    assert "0.67" in page and "67% of all the ties there could be" in page
    # Freeman: d_max 2, sum (2-2) + (2-1) + (2-1) = 2 over (3-1)(3-2) = 2 -> 1.00 (a star).
    assert "1.00" in page
    assert 'role="img" aria-labelledby="map-title map-desc"' in page and "<title id=\"map-title\">" in page
    assert page.count('<g class="node"') == 3 and page.count("<line ") == 2
    assert "Government (circles): 1 partner" in page and "Business (squares): 1 partner" in page
    assert "Lung Health Alliance, River City Council" in page  # the chamber's ties, in words
    # Two ratings of the chamber: fewer than 3, so no trust figure for it.
    assert "fewer than 3 ratings" in page
    # The convenor downloads; nobody else sees the links.
    assert "edges.csv" in page
    signed_in(client, people["rep"])
    assert "edges.csv" not in client.get(f"/collaborate/{c.slug}/network/1/").content.decode()


def test_the_change_since_the_last_wave(client, collaborative, people, city):
    c = collaborative
    wave = open_wave(client, people, c)
    answer(client, people["rep"], c, wave, {c.council: ALL_FOURS})
    close(client, people, c, wave)
    wave = open_wave(client, people, c)
    answer(client, people["rep"], c, wave, {c.council: ALL_FOURS, c.lung: {}})
    page = close(client, people, c, wave)
    assert "Changes are since Network survey 1" in page
    assert "+1 since the last" in page  # two ties now, one before
    assert "+0.33 since the last" in page  # density 2/3 - 1/3


def test_an_answer_with_nothing_ticked_must_say_so_and_bad_values_keep_what_was_chosen(
        client, collaborative, people, city):
    c = collaborative
    wave = open_wave(client, people, c)
    response = answer(client, people["rep"], c, wave, {})
    assert response.status_code == 400 and "We work with none of them yet" in response.content.decode()
    response = answer(client, people["rep"], c, wave, {}, none="yes")
    assert response.status_code == 302 and NetworkAnswer.objects.get().ties.count() == 0
    response = answer(client, people["rep"], c, wave, {c.council: {"mission": 3, "openness": 9}})
    page = response.content.decode()
    assert response.status_code == 400 and "from 1 to 4" in page and "River City Council" in page
    assert f'name="item-{c.council.pk}-mission" value="3" checked' in page
    response = answer(client, people["rep"], c, wave, {}, works_with=["999999"])
    assert response.status_code == 400 and "Choose partners from the list" in response.content.decode()
    # A partner cannot name itself (it is not on its own list).
    response = answer(client, people["rep"], c, wave, {c.chamber: {}})
    assert response.status_code == 400
    assert NetworkTie.objects.count() == 0


def test_refusals(client, collaborative, people, city):
    c = collaborative
    slug = c.slug
    signed_in(client, people["rep"])
    assert client.post(f"/collaborate/{slug}/network/open/").status_code == 403
    wave = open_wave(client, people, c)
    response = client.post(f"/collaborate/{slug}/network/open/")
    assert response.status_code == 409 and "already open" in response.content.decode()
    # Observers and convenors do not answer for a partner.
    for who in ("observer", "convenor"):
        assert answer(client, people[who], c, wave, {c.council: {}}).status_code == 403
    signed_in(client, people["observer"])
    assert client.post(f"/collaborate/{slug}/network/1/close/").status_code == 403
    for kind in ("edges.csv", "nodes.csv", "network.gexf"):
        assert client.get(f"/collaborate/{slug}/network/1/{kind}").status_code == 403
    signed_in(client, people["convenor"])
    assert client.get(f"/collaborate/{slug}/network/1/secrets.txt").status_code == 404
    assert client.get(f"/collaborate/{slug}/network/9/").status_code == 404
    for who in ("stranger", "elsewhere"):
        signed_in(client, people[who])
        assert client.get(f"/collaborate/{slug}/network/").status_code == 404
        assert client.get(f"/collaborate/{slug}/network/1/edges.csv").status_code == 404
    close(client, people, c, wave)
    response = answer(client, people["rep"], c, wave, {c.council: {}})
    assert response.status_code == 409 and "can no longer be changed" in response.content.decode()


# --- Files -----------------------------------------------------------------------------------


def download(client, collaborative, number, kind):
    response = client.get(f"/collaborate/{collaborative.slug}/network/{number}/{kind}")
    assert response.status_code == 200, response.content[:300]
    return response.content


def upload(client, collaborative, number, text, name="ties.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(f"/collaborate/{collaborative.slug}/network/{number}/import/",
                       {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_csv_export_import_export_gives_the_same_file(client, collaborative, people, city):
    c = collaborative
    # A name a spreadsheet would run as a formula: written with an apostrophe, read back without.
    formula = services.add_partner(c, name="=Eastside Youth Works", sector="non-profit")
    wave = open_wave(client, people, c)
    answer(client, people["rep"], c, wave, {c.council: {"mission": 4, "openness": 3, "reliability": 3},
                                            formula: {"influence": 1}, c.lung: {}})
    answer(client, city, c, wave, {c.chamber: ALL_FOURS, formula: {"mission": 2}})
    close(client, people, c, wave)
    first = download(client, c, 1, "edges.csv")
    rows = read_back(first.decode("utf-8"))
    assert rows[0] == ["source", "target", "trust", "value"]
    assert ["River City Chamber", "'=Eastside Youth Works", "", "1.00"] in rows
    assert ["River City Chamber", "River City Council", "3.33", ""] in rows
    open_wave(client, people, c)
    response = upload(client, c, 2, first)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert NetworkAnswer.objects.filter(wave__number=2, imported=True).count() == 2
    assert download(client, c, 2, "edges.csv") == first
    nodes = read_back(download(client, c, 2, "nodes.csv").decode("utf-8"))
    assert nodes[0] == ["id", "label", "sector", "interest_group", "degree"]
    assert ["River City Chamber", "River City Chamber", "business", "Business", "3"] in nodes


def test_gexf_opens_in_networkx_with_the_ratings(client, collaborative, people, city):
    import io

    c = collaborative
    wave = open_wave(client, people, c)
    answer(client, people["rep"], c, wave, {c.council: ALL_FOURS})
    close(client, people, c, wave)
    graph = nx.read_gexf(io.BytesIO(download(client, c, 1, "network.gexf")))
    assert set(graph.nodes) == {"River City Chamber", "River City Council", "Lung Health Alliance"}
    assert graph.nodes["River City Council"]["sector"] == "government"
    assert graph.edges["River City Chamber", "River City Council"] == {"trust": 4.0, "value": 4.0, "id": "0"}


def test_bad_rows_are_all_listed_and_nothing_is_imported(client, collaborative, people, city):
    c = collaborative
    wave = open_wave(client, people, c)
    answer(client, people["rep"], c, wave, {c.council: ALL_FOURS})
    text = ("source;target;trust;value\n"
            "River City Chamber;Lung Health Alliance;3;2\n"  # fine (semicolons, as many spreadsheets write)
            "River City Chamber;Nobody Inc;3;2\n"
            "River City Council;River City Council;;\n"
            "River City Council;River City Chamber;5;x\n"
            "River City Chamber;lung health alliance;2,5;\n")
    signed_in(client, people["convenor"])
    response = upload(client, c, 1, text)
    page = response.content.decode()
    assert response.status_code == 400 and "Nothing was imported: 5 rows need fixing." in page
    assert "Line 3: “Nobody Inc” is not one of this collaborative" in page
    assert "Line 4: a partner cannot be tied to itself" in page
    assert "Line 5: the trust must be a number from 1 to 4" in page and "Line 5: the value must" in page
    assert "Line 6: River City Chamber and lung health alliance are on an earlier line already" in page
    # The chamber's own answer is as it was.
    assert [t.partner_id for t in NetworkTie.objects.all()] == [c.council.pk]


@pytest.mark.parametrize("text, status, says", [
    ("", 400, "This file is empty"),
    ("from,to\nA,B\n", 400, "must name the columns source, target"),
    ("source,target\n", 400, "no rows"),
    (b"\xff\xfes\x00o\x00", 400, "not text we can read"),
    ("source,target\n" + "A,B\n" * (network_files.MAX_IMPORT_ROWS + 1), 413, "more than 5000 rows"),
    ("source,target\n\"A,B\n", 400, "not valid CSV"),
])
def test_files_that_cannot_be_read(client, collaborative, people, text, status, says):
    open_wave(client, people, collaborative)
    response = upload(client, collaborative, 1, text)
    assert response.status_code == status and says in response.content.decode()


def test_a_file_over_two_megabytes_is_refused(client, collaborative, people):
    open_wave(client, people, collaborative)
    response = upload(client, collaborative, 1, "source,target\n" + "x" * 2_000_001)
    assert response.status_code == 413 and "larger than 2 MB" in response.content.decode()


def test_only_the_convenor_imports_and_only_into_an_open_wave(client, collaborative, people, city):
    c = collaborative
    wave = open_wave(client, people, c)
    text = "source,target,trust,value\nRiver City Council,River City Chamber,3,3\n"
    for who in ("rep", "observer"):
        signed_in(client, people[who])
        assert upload(client, c, 1, text).status_code == 403
    close(client, people, c, wave)
    response = upload(client, c, 1, text)
    assert response.status_code == 409 and "closed" in response.content.decode()
    assert not NetworkTie.objects.exists()


def test_the_demonstration_has_a_closed_network_survey_anyone_may_read(client, toolkit, people):
    from pathlib import Path

    from intersector.collaboratives.content import load_demonstration

    load_demonstration(Path(__file__).resolve().parents[2] / "content")
    wave = NetworkWave.objects.get(collaborative__demonstration=True)
    assert not wave.is_open and wave.answers.count() >= 40
    signed_in(client, people["stranger"])
    slug = wave.collaborative.slug
    page = client.get(f"/collaborate/{slug}/network/1/").content.decode()
    assert page.count('<g class="node"') == 48 and "Government (circles)" in page
    # A demonstration is published: an outsider is told it is for partners, and changes nothing.
    assert client.get(f"/collaborate/{slug}/network/1/edges.csv").status_code == 403
    assert client.post(f"/collaborate/{slug}/network/open/").status_code == 403
    assert client.post(f"/collaborate/{slug}/network/1/answer/", {"none": "yes"}).status_code == 403


def test_the_map_is_laid_out_once_when_the_wave_closes(client, collaborative, people, city):
    c = collaborative
    wave = open_wave(client, people, c)
    answer(client, people["rep"], c, wave, {c.council: ALL_FOURS})
    close(client, people, c, wave)
    wave.refresh_from_db()
    assert set(wave.layout) == {str(p.pk) for p in (c.chamber, c.lung, c.council)}
    # The page draws the stored places (a big network's layout takes seconds to work out).
    NetworkWave.objects.filter(pk=wave.pk).update(layout={**wave.layout, str(c.council.pk): [111.0, 222.0]})
    page = client.get(f"/collaborate/{c.slug}/network/1/").content.decode()
    assert 'cx="111" cy="222"' in page


def test_a_crowded_map_draws_the_strongest_ties():
    # Six partners, every pair tied: 1-2 and 3-4 named both ways, 5-6 rated highest.
    pairs = [(a, b) for a in range(1, 7) for b in range(a + 1, 7)]
    ties = [(a, b, Decimal(2), Decimal(2)) for a, b in pairs] + [(2, 1, None, None), (4, 3, Decimal(1), None)]
    ties = [(5, 6, Decimal(4), Decimal(4)) if (a, b) == (5, 6) else (a, b, t, v) for a, b, t, v in ties]
    graph = network.graph_of([], ties)
    assert network.drawn_ties(graph, ties, most=15) == sorted(graph.edges)  # all fit
    assert network.drawn_ties(graph, ties, most=3) == [(1, 2), (3, 4), (5, 6)]


def test_the_page_and_the_report_say_when_the_map_draws_only_the_strongest(client, collaborative, people, city,
                                                                           monkeypatch):
    c = collaborative
    wave = open_wave(client, people, c)
    assert answer(client, people["rep"], c, wave, {c.council: ALL_FOURS, c.lung: ALL_FOURS}).status_code == 302
    assert answer(client, city, c, wave, {c.chamber: ALL_FOURS}).status_code == 302
    close(client, people, c, wave)
    monkeypatch.setattr(network, "MAP_MOST_TIES", 1)
    monkeypatch.setattr(network, "TABLE_MOST_NAMES", 1)
    page = client.get(f"/collaborate/{c.slug}/network/1/").content.decode()
    assert "the map draws the 1 strongest of the 2" in page and page.count("<line ") == 1
    found = network_results.results(wave)
    assert [(a.pk, b.pk) for a, b in found["edges"]] in ([(c.chamber.pk, c.council.pk)], [(c.council.pk, c.chamber.pk)])
    assert "and 1 more" in page  # the chamber works with two partners; the table names one
    report = client.get(f"/collaborate/{c.slug}/reports/partners/detailed/").content.decode()
    assert "the map draws the 1 strongest of the 2" in report
