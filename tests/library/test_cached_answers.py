"""Answers kept between requests (counts, ranked results, filter panels, similar cases) follow a
curator's edits at once: every kept answer is named after the library's current version."""

from intersector.library.models import Case, Term

from .test_cases import facet_count, titles


def similar_section(client, slug):
    return client.get(f"/cases/{slug}/").content.decode().split('id="similar-heading"')[1]


def test_search_counts_and_results_follow_a_curators_edit(client, library):
    first = client.get("/cases/?q=river")
    assert titles(first) == ["River clean-up partnership"]
    assert facet_count(first, "sector", "business") == 1
    assert titles(client.get("/cases/?q=river&sector=business")) == ["River clean-up partnership"]

    case = Case.objects.get(slug="river-clean-up")
    case.sectors = list(Term.objects.filter(vocabulary="sector", key="non-profit"))
    case.save()
    after = client.get("/cases/?q=river")
    assert facet_count(after, "sector", "business") is None
    assert facet_count(after, "sector", "non-profit") == 1
    assert titles(client.get("/cases/?q=river&sector=business")) == []

    case.live = False
    case.save()
    assert titles(client.get("/cases/?q=river")) == []


def test_a_second_identical_search_gives_the_same_page(client, library):
    def answer(response):
        page = response.content.decode()
        start = page.index('<div class="learn-layout">')
        return page[start:page.index("</form>", start)]

    first = client.get("/cases/?q=river&sector=government")
    second = client.get("/cases/?q=river&sector=government")
    assert answer(first) == answer(second)
    assert titles(second) == ["River clean-up partnership"]
    assert "polluted <mark>river</mark>" in answer(second) and facet_count(second, "issue", "environment") == 1


def test_the_filter_panel_keeps_the_words_and_the_language_it_was_made_for(client, library):
    english = client.get("/cases/?q=river&sector=business").content.decode()
    spanish = client.get("/cases/?q=river&sector=business", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<legend>Issue area</legend>" in english
    assert "<legend>Área temática</legend>" in spanish and "<legend>Issue area</legend>" not in spanish
    # Same filters and matches, other words typed: "Clear all filters" keeps the words typed.
    assert 'href="?q=river">' in english
    assert 'href="?q=River">' in client.get("/cases/?q=River&sector=business").content.decode()


def test_similar_cases_follow_an_edit_of_a_listed_case(client, library):
    assert "/cases/bus-lanes/" in similar_section(client, "river-clean-up")
    case = Case.objects.get(slug="bus-lanes")
    case.city = "Shelbyville"
    case.save()
    assert "Shelbyville, WA" in similar_section(client, "river-clean-up")


def test_search_follows_the_search_index_when_it_catches_up_after_an_edit(client, library):
    from intersector.library.services import index_now

    assert titles(client.get("/cases/?q=ferries")) == []
    case = Case.objects.get(slug="river-clean-up")
    case.summary += " Ferries now run on the cleaned river."
    case.save()  # the search index is updated by a queued task, not yet run here
    assert titles(client.get("/cases/?q=ferries")) == []
    index_now(case)  # what the task does when the worker runs it
    response = client.get("/cases/?q=ferries")
    assert titles(response) == ["River clean-up partnership"]
    assert facet_count(response, "issue", "environment") == 1


def test_a_case_page_follows_edits_of_the_case_its_tools_and_their_stages(client, library):
    from intersector.library.models import Tool

    assert "Valley Paper Mill" in client.get("/cases/river-clean-up/").content.decode()
    case = Case.objects.get(slug="river-clean-up")
    partner = case.partners.get(name="Valley Paper Mill")
    partner.name = "Valley Paper Company"
    partner.save()
    case.save()  # the content admin saves the case with its partners
    page = client.get("/cases/river-clean-up/").content.decode()
    assert "Valley Paper Company" in page and "Valley Paper Mill" not in page

    tool = Tool.objects.get(slug="shared-facts")
    tool.title = "Facts everyone trusts"
    tool.save()
    assert '">Facts everyone trusts</a>' in client.get("/cases/river-clean-up/").content.decode()
    stage = tool.stage
    stage.title = "Getting going"
    stage.save()
    assert "(Getting going)" in client.get("/cases/river-clean-up/").content.decode()
    tool.live = False
    tool.save()
    assert "Facts everyone trusts" not in client.get("/cases/river-clean-up/").content.decode()


def test_a_case_page_in_another_language_is_not_served_from_the_english_copy(client, library):
    english = client.get("/cases/river-clean-up/").content.decode()
    spanish = client.get("/cases/river-clean-up/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<dt>Issue area</dt>" in english
    assert "<dt>Área temática</dt>" in spanish


def test_searches_count_filters_in_memory_exactly_as_the_database_does(library):
    """A search counts its filters and filters its results with sets kept in memory; the same
    question answered by the database queries (as browsing does) gives the same answer."""
    from django.http import QueryDict

    from intersector.library import listings

    for make in (listings.case_listing, listings.resource_listing, listings.briefing_listing):
        for question in ("q=river", "q=river&sector=business", "q=buses&sector=non-profit&issue=transport",
                         "q=partnering&type=book&sector=government&sector=business", "q=collaboration&sector=business",
                         "q=vegetables&state=TX&tool=shared-facts", "q=partners&model=collective-impact"):
            in_memory, in_database = make(QueryDict(question)), make(QueryDict(question))
            in_database._facet_sets = None  # as if there were too many matches to count in memory
            assert in_memory.facet_sets() is not None
            assert in_memory.count_facets() == in_database.count_facets(), (make.__name__, question)
            assert sorted(in_memory.filtered_ids()) == sorted(in_database.filtered_ids()), (make.__name__, question)
