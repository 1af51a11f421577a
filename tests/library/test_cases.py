"""Finding cases: filters with counts, full-text search with snippets, sorting, similar cases."""

import re

from intersector.library.models import Case


def titles(response):
    return re.findall(r'<h3><a href="/cases/[^"]+/">([^<]+)</a></h3>', response.content.decode())


def facet_count(response, param, key):
    match = re.search(
        rf'id="f-{param}-{key}"[^>]*>\s*<label[^>]*>[^<]*&nbsp;<span class="count">\((\d+)\)', response.content.decode()
    )
    return int(match.group(1)) if match else None


def test_the_case_library_lists_published_cases_newest_first(client, library):
    assert titles(client.get("/cases/")) == ["Faster buses downtown", "Healthy school meals", "River clean-up partnership"]


def test_sorting_oldest_first_and_by_title(client, library):
    assert titles(client.get("/cases/?sort=oldest"))[0] == "River clean-up partnership"
    assert titles(client.get("/cases/?sort=title"))[0] == "Faster buses downtown"


def test_filters_narrow_the_list_and_show_counts(client, library):
    response = client.get("/cases/?sector=business")
    assert titles(response) == ["Faster buses downtown", "River clean-up partnership"]
    # Counts for other facets follow the ticked sector; a facet's own counts ignore it.
    assert facet_count(response, "issue", "transport") == 1
    assert facet_count(response, "issue", "health") is None
    assert facet_count(response, "sector", "non-profit") == 2
    both = client.get("/cases/?sector=business&issue=environment&state=OR")
    assert titles(both) == ["River clean-up partnership"]


def test_filtering_by_toolkit_tool(client, library):
    assert titles(client.get("/cases/?tool=shared-facts")) == ["Faster buses downtown", "River clean-up partnership"]


def test_unknown_filter_values_are_ignored(client, library):
    response = client.get("/cases/?sector=pirates&state=ZZ&sort=sideways&page=99")
    assert response.status_code == 200 and len(titles(response)) == 3


def test_search_finds_other_forms_of_a_word_and_marks_it(client, library):
    response = client.get("/cases/?q=workshop")  # the story says "workshops"
    assert titles(response) == ["River clean-up partnership"]
    assert "<mark>workshops</mark>" in response.content.decode()


def test_search_with_several_words_needs_them_all(client, library):
    assert titles(client.get("/cases/?q=river+mill")) == ["River clean-up partnership"]
    assert titles(client.get("/cases/?q=river+buses")) == []


def test_search_combined_with_a_filter(client, library):
    assert titles(client.get("/cases/?q=traffic&sector=business")) == ["Faster buses downtown"]
    assert titles(client.get("/cases/?q=traffic&sector=non-profit")) == []


def test_search_syntax_characters_are_harmless(client, library):
    for query in ['"unclosed', "river*", "(AND OR NOT)", "-", "' OR 1=1 --", "NEAR(a b)"]:
        assert client.get("/cases/", {"q": query}).status_code == 200


def test_a_case_page_shows_facts_partners_outcomes_and_sources(client, library):
    page = client.get("/cases/river-clean-up/").content.decode()
    for text in ("Springfield, OR", "2005–2012", "Valley Paper Mill", "Paid for filters", "River report", "12"):
        assert text in page


def test_a_case_page_suggests_similar_cases(client, library):
    page = client.get("/cases/river-clean-up/").content.decode()
    section = page.split('id="similar-heading"')[1]
    assert section.count('<h3><a href="/cases/') == 2
    assert 'href="/cases/river-clean-up/"' not in section


def test_cases_like_mine_puts_the_closest_case_first(client, library):
    response = client.get("/cases/like-mine/", {"description": "Our children eat too little fresh food at school lunch"})
    assert response.status_code == 200
    section = response.content.decode().split('id="matches-heading"')[1]
    assert re.findall(r'<h3><a href="(/cases/[^"]+/)"', section)[0] == "/cases/school-meals/"


def test_cases_like_mine_asks_for_more_words_when_too_short(client, library):
    response = client.get("/cases/like-mine/", {"description": "river"})
    assert response.status_code == 400
    assert "Write a little more" in response.content.decode()


def test_unpublished_cases_are_hidden_everywhere(client, library):
    Case.objects.filter(slug="bus-lanes").update(live=False)
    assert "Faster buses" not in client.get("/cases/").content.decode()
    assert client.get("/cases/bus-lanes/").status_code == 404
    assert "Faster buses" not in client.get("/search/?q=buses").content.decode()
