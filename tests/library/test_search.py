"""One search over everything, from the box in the header."""

import re

import pytest


def group_counts(response):
    return dict(re.findall(r'<h2 id="group-(\w+)">[^<]+<span class="count">\((\d+)\)</span>', response.content.decode()))


def test_results_are_grouped_by_kind(client, library):
    response = client.get("/search/", {"q": "partners"})
    assert group_counts(response) == {"tools": "2", "resources": "1", "briefings": "1"}
    page = response.content.decode()
    assert 'href="/toolkit/tools/map-the-partners/"' in page and 'href="/briefings/insight-one/"' in page
    assert "<mark>partners</mark>" in page


def test_one_kind_can_be_shown_alone(client, library):
    page = client.get("/search/", {"q": "partners", "kind": "tools"}).content.decode()
    assert 'id="group-tools"' in page and 'id="group-resources"' not in page


@pytest.mark.parametrize("query, message", [
    ("", "What are you looking for?"),
    ("   ", "What are you looking for?"),
    ("x", "Type at least two letters"),
    ("zzqqxxv", "Nothing found"),
    ('"(*', "What are you looking for?"),
])
def test_empty_short_and_nonsense_queries_get_a_helpful_page(client, library, query, message):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200 and message in response.content.decode()


def test_the_header_search_box_is_on_every_page(client, db):
    page = client.get("/").content.decode()
    assert 'action="/search/"' in page and 'for="site-search-q"' in page
