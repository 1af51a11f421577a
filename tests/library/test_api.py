"""The read API: the same filters and search as the pages, paginated, no token needed."""


def test_cases_api_filters_searches_and_counts_like_the_page(client, library):
    data = client.get("/api/cases", {"sector": "business", "sort": "title"}).json()
    assert data["count"] == 2 and [c["slug"] for c in data["results"]] == ["bus-lanes", "river-clean-up"]
    sectors = next(f for f in data["facets"] if f["param"] == "sector")
    assert {o["key"]: o["count"] for o in sectors["options"]}["non-profit"] == 2
    found = client.get("/api/cases", {"q": "workshop"}).json()
    assert [c["slug"] for c in found["results"]] == ["river-clean-up"] and found["sort"] == "relevance"
    assert "workshops" in found["results"][0]["snippet"] and "<mark>" not in found["results"][0]["snippet"]


def test_cases_api_is_paginated_with_links(client, library):
    first = client.get("/api/cases", {"page_size": 2}).json()
    assert first["pages"] == 2 and first["previous"] is None and "page=2" in first["next"]
    second = client.get("/api/cases", {"page_size": 2, "page": 2}).json()
    assert len(second["results"]) == 1
    missing = client.get("/api/cases", {"page": 9})
    assert missing.status_code == 404 and "last page is 1" in missing.json()["detail"]
    assert client.get("/api/cases", {"page": "two"}).status_code == 422
    zero = client.get("/api/cases", {"page": 0})
    assert zero.status_code == 422
    assert zero.json()["detail"] == "Some of what you sent is not valid. page (in the query): This must be 1 or more."


def test_resources_api_filters_by_type_and_lists_terms(client, library):
    data = client.get("/api/resources", {"type": "article"}).json()
    assert [r["slug"] for r in data["results"]] == ["collective-impact-2011"]
    assert data["results"][0]["authors"] == ["John Kania", "Mark Kramer"]
    assert [t["key"] for t in data["results"][0]["partnership_models"]] == ["collective-impact"]


def test_toolkit_api_lists_stages_in_order_with_tools(client, library):
    data = client.get("/api/toolkit").json()
    assert [s["slug"] for s in data["stages"]] == ["diagnosis", "design", "implementation", "assessment"]
    tool = data["stages"][0]["tools"][0]
    assert tool["slug"] == "map-the-partners" and len(tool["questions"]) == 3
    assert tool["example_case"].endswith("/cases/river-clean-up/")
    searched = client.get("/api/toolkit", {"q": "manager"}).json()
    assert [t["slug"] for s in searched["stages"] for t in s["tools"]] == ["pick-a-manager"]


def test_the_api_description_lists_the_learn_addresses(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/cases", "/api/resources", "/api/toolkit"} <= set(paths)
