"""Results and indicators: the roll-up's pure function (blank weights, mixed, all zero, deep
nesting, loops), the chart's geometry, and the results page through its real URLs, with the
refusals (too deep, a bad figure, a figure in the future or twice on one day, outsiders)."""

from datetime import date, timedelta

from decimal import Decimal

import pytest
from django.utils import timezone

from intersector.collaboratives import results
from intersector.collaboratives.results import Node, rolled_up, weights_of


def signed_in(client, user):
    client.force_login(user)
    return client


# --- The roll-up ---------------------------------------------------------------------------------


def test_blank_weights_count_equally():
    nodes = [Node("a", None, 0), Node("b", "a", 100), Node("c", "a", 0), Node("d", "a", 50)]
    assert rolled_up(nodes)["a"] == pytest.approx(50)


def test_given_weights_weigh_and_a_blank_one_counts_as_their_mean():
    # 80 at weight 3, 20 at weight 1: (240 + 20) / 4 = 65.
    assert rolled_up([Node("a", None, 0), Node("b", "a", 80, 3), Node("c", "a", 20, 1)])["a"] == pytest.approx(65)
    # Mixed: weights 3 and 1 given, a blank one counts as their mean, 2: (240 + 20 + 2*50) / 6 = 60.
    mixed = [Node("a", None, 0), Node("b", "a", 80, 3), Node("c", "a", 20, 1), Node("d", "a", 50, None)]
    assert rolled_up(mixed)["a"] == pytest.approx(60)
    assert weights_of([3, 1, None]) == [3.0, 1.0, 2.0]


def test_all_zero_weights_count_equally_and_a_zero_beside_others_does_not_count():
    assert rolled_up([Node("a", None, 0), Node("b", "a", 90, 0), Node("c", "a", 10, 0)])["a"] == pytest.approx(50)
    assert rolled_up([Node("a", None, 0), Node("b", "a", 90, 0), Node("c", "a", 10, 2)])["a"] == pytest.approx(10)
    assert weights_of([0, None]) == [1.0, 1.0]  # a blank beside zeros: the mean is 0, so all equal


def test_deep_nesting_rolls_up_level_by_level_and_a_parent_own_figure_is_ignored():
    nodes = [Node(1, None, 99), Node(2, 1, 99), Node(3, 2, 99), Node(4, 3, 100), Node(5, 3, 0),
             Node(6, 2, 20), Node(7, 1, 80, 3)]
    progress = rolled_up(nodes)
    assert progress[3] == pytest.approx(50)  # from 4 and 5
    assert progress[2] == pytest.approx(35)  # from 3 (50) and 6 (20)
    # 1: 2 (35, blank: the mean of the given weights, 3) and 7 (80, weight 3) -> 57.5
    assert progress[1] == pytest.approx(57.5)


def test_too_deep_or_a_loop_is_refused():
    chain = [Node(0, None, 0)] + [Node(n, n - 1, 10) for n in range(1, 4)]
    assert rolled_up(chain)[0] == 10  # four levels: fine
    with pytest.raises(ValueError, match="deeper"):
        rolled_up(chain + [Node(4, 3, 10)])
    with pytest.raises(ValueError, match="loop"):
        rolled_up([Node(1, None, 0), Node(2, 3, 0), Node(3, 2, 0)])


def test_the_chart_puts_the_first_figure_left_the_last_right_and_the_target_above_a_rising_line():
    drawing = results.chart(18, 28, [(date(2026, 1, 1), 18), (date(2026, 7, 1), 22)])
    first, last = drawing["points"]
    assert first[0] == drawing["left"] and last[0] == drawing["right"]
    assert drawing["target_y"] < last[1] < first[1] == drawing["baseline_y"]  # y grows downwards
    assert drawing["line"] == f"{first[0]},{first[1]} {last[0]},{last[1]}"
    assert results.towards_target(18, 28, 22) == 40
    assert results.towards_target(38, 20, 31) == 39  # falling towards a lower target


# --- Through the real URLs -------------------------------------------------------------------------


@pytest.fixture
def tree(collaborative):
    top = results.add_result(collaborative, title="Cleaner air near schools")
    results.add_result(collaborative, title="Trees planted", parent=top, progress=80, weight=3, status="on-track")
    results.add_result(collaborative, title="Monitors placed", parent=top, progress=20, status="at-risk")
    return top


def test_partners_see_results_rolled_up_and_the_public_does_not(client, collaborative, people, tree):
    url = f"/collaborate/{collaborative.slug}/results/"
    page = signed_in(client, people["observer"]).get(url).content.decode()
    # blank weight beside a weight of 3 counts as 3: (80*3 + 20*3) / 6 = 50
    assert "Cleaner air near schools" in page and "50% done, from its 2 sub-results" in page
    assert "Add a result" not in page  # observers read
    client.logout()
    assert client.get(url).status_code == 404
    assert signed_in(client, people["elsewhere"]).get(url).status_code == 404


def test_the_convenor_adds_nested_results_up_to_the_limit(client, collaborative, people, tree):
    c = signed_in(client, people["convenor"])
    base = f"/collaborate/{collaborative.slug}/results/"
    parent = tree
    for level in range(2, results.MAX_DEPTH + 1):
        response = c.post(base + "new/", {"title": f"Level {level}", "parent": parent.pk, "progress": "40",
                                        "status": "on-track"})
        assert response.status_code == 302
        parent = collaborative.results.get(title=f"Level {level}")
    response = c.post(base + "new/", {"title": "Too deep", "parent": parent.pk})
    assert response.status_code == 400
    assert "at most 4 levels" in response.content.decode()
    assert not collaborative.results.filter(title="Too deep").exists()
    response = c.post(base + "new/", {"title": "Bad weight", "weight": "heavy"})
    assert response.status_code == 400 and "as a number" in response.content.decode()
    assert 'value="heavy"' in response.content.decode()  # what was typed is still in the form
    response = c.post(base + "new/", {"title": "Other's", "parent": collaborative.other.results.create(
        collaborative=collaborative.other, title="Elsewhere").pk})
    assert response.status_code == 400


@pytest.mark.parametrize("field, value, message", [
    ("weight", "100000", "The weight must be less than 100,000."),
    ("weight", "99999.999", "The weight must be less than 100,000."),  # 100,000.00 once rounded
    ("baseline", "1e12", "The baseline must be less than 1,000,000,000,000."),
    ("target", "999999999999.996", "The target must be less than 1,000,000,000,000."),
])
def test_a_figure_too_large_for_its_column_is_refused_plainly(client, collaborative, people, field, value, message):
    c = signed_in(client, people["convenor"])
    if field == "weight":
        response = c.post(f"/collaborate/{collaborative.slug}/results/new/", {"title": "Heavy", field: value})
    else:
        response = c.post(f"/collaborate/{collaborative.slug}/results/indicators/new/",
                          {"title": "Huge", "unit": "t", "baseline": "1", "target": "2", field: value})
    assert response.status_code == 400 and message in response.content.decode()
    assert not collaborative.results.filter(title="Heavy").exists() and not collaborative.indicators.exists()
    assert results.number("99999.99", "weight", most=results.MOST_WEIGHT) == Decimal("99999.99")


def test_a_done_result_defaults_to_100_and_the_progress_is_checked(client, collaborative, people, tree):
    c = signed_in(client, people["convenor"])
    leaf = collaborative.results.get(title="Monitors placed")
    url = f"/collaborate/{collaborative.slug}/results/{leaf.pk}/"
    assert c.post(url, {"status": "done", "progress": ""}).status_code == 302
    leaf.refresh_from_db()
    assert leaf.progress == 100
    response = c.post(url, {"status": "on-track", "progress": "140"})
    assert response.status_code == 400 and "from 0 to 100" in response.content.decode()
    assert signed_in(client, people["rep"]).post(url, {"status": "done"}).status_code == 403


def test_progress_on_a_result_not_started_is_refused_and_nothing_changes(client, collaborative, people, tree):
    c = signed_in(client, people["convenor"])
    base = f"/collaborate/{collaborative.slug}/results/"
    response = c.post(base + "new/", {"title": "Bus lanes", "status": "not-started", "progress": "40"})
    assert response.status_code == 400 and "A result with progress has started" in response.content.decode()
    assert 'value="Bus lanes"' in response.content.decode()  # what was typed is still in the form
    assert not collaborative.results.filter(title="Bus lanes").exists()
    leaf = collaborative.results.get(title="Monitors placed")
    response = c.post(f"{base}{leaf.pk}/", {"status": "not-started", "progress": "20"})
    assert response.status_code == 400 and "or set its progress to 0" in response.content.decode()
    leaf.refresh_from_db()
    assert (leaf.status, leaf.progress) == ("at-risk", 20)
    assert c.post(f"{base}{leaf.pk}/", {"status": "not-started", "progress": ""}).status_code == 302
    leaf.refresh_from_db()
    assert (leaf.status, leaf.progress) == ("not-started", 0)


def test_indicators_with_figures_and_a_chart_anyone_can_read(client, collaborative, people):
    c = signed_in(client, people["convenor"])
    base = f"/collaborate/{collaborative.slug}/results/indicators/"
    response = c.post(base + "new/", {"title": "Commute trips not by car alone", "unit": "%", "baseline": "18",
                                      "target": "28,5"})
    assert response.status_code == 302
    indicator = collaborative.indicators.get()
    assert float(indicator.target) == 28.5  # a comma as the decimal mark
    today = timezone.localdate()
    for days, value in ((60, "18.5"), (30, "20"), (1, "21.4")):
        assert c.post(f"{base}{indicator.pk}/figures/", {"on": (today - timedelta(days=days)).isoformat(),
                                                          "value": value}).status_code == 302
    page = c.get(f"/collaborate/{collaborative.slug}/results/").content.decode()
    assert '<svg role="img"' in page and "<title id=" in page and "<desc id=" in page and "<polyline" in page
    assert "Baseline 18 %, target 28.5 %; 3 figures, from 18.5 to 21.4." in page
    assert "32% of the way from the baseline to the target" in page  # (21.4-18)/(28.5-18)
    assert "<table" in page and "21.4" in page
    # The refusals: a date in the future, twice on one day, not a number, a target equal to its baseline.
    figure = f"{base}{indicator.pk}/figures/"
    response = c.post(figure, {"on": (today + timedelta(days=1)).isoformat(), "value": "3"})
    assert response.status_code == 400 and "in the future" in response.content.decode()
    response = c.post(figure, {"on": (today - timedelta(days=1)).isoformat(), "value": "3"})
    assert response.status_code == 409 and "already a figure" in response.content.decode()
    assert c.post(figure, {"on": today.isoformat(), "value": "lots"}).status_code == 400
    assert c.post(figure, {"on": "yesterday", "value": "3"}).status_code == 400
    assert c.post(base + "new/", {"title": "Flat", "unit": "x", "baseline": "5", "target": "5"}).status_code == 400
    assert indicator.actuals.count() == 3
    # Partners read; only the convenor records.
    assert signed_in(client, people["rep"]).post(figure, {"on": today.isoformat(), "value": "9"}).status_code == 403
    assert signed_in(client, people["stranger"]).get(f"/collaborate/{collaborative.slug}/results/").status_code == 404


def test_the_results_form_offers_the_newest_closed_decisions(client, collaborative, people, monkeypatch):
    from intersector.collaboratives import decisions, views_results

    monkeypatch.setattr(views_results, "DECISION_CHOICES", 2)
    convenor = collaborative.members.get(role="convenor")
    for title in ("Oldest decision", "Middle decision", "Newest decision"):
        decision = decisions.open_decision(collaborative, convenor, title=title, text="Text", kind="consent",
                                           closes_at=timezone.now() + timedelta(days=1))
        decisions.close_decision(decision, convenor)
    page = signed_in(client, people["convenor"]).get(f"/collaborate/{collaborative.slug}/results/").content.decode()
    assert "Newest decision</option>" in page and "Middle decision</option>" in page
    assert "Oldest decision" not in page
