"""The starter-content loader: creates what is missing, marks it, never undoes a curator's work."""

from pathlib import Path

import pytest

from intersector.library.content import ContentError, load_library
from intersector.library.models import Briefing, Case, Resource, Stage, StarterRecord, Tool
from tests.library.conftest import FIXTURES

REAL_CONTENT = Path(__file__).resolve().parents[2] / "content" / "library"


def test_loading_creates_every_item_marked_as_starter(library):
    assert Stage.objects.count() == 4
    assert list(Stage.objects.values_list("slug", flat=True)) == ["diagnosis", "design", "implementation", "assessment"]
    assert Tool.objects.count() == 3
    assert Case.objects.count() == 3
    assert Resource.objects.count() == 2
    assert Briefing.objects.count() == 3
    for model in (Stage, Tool, Case, Resource, Briefing):
        assert not model.objects.filter(starter=False).exists()
        assert not model.objects.filter(live=False).exists()


def test_loading_twice_creates_nothing_more(library):
    summary = load_library(FIXTURES)
    assert "nothing new" in summary
    assert Case.objects.count() == 3 and Resource.objects.count() == 2


def test_a_curators_edit_survives_a_reload(library):
    Case.objects.filter(slug="river-clean-up").update(title="Our own title")
    load_library(FIXTURES)
    assert Case.objects.get(slug="river-clean-up").title == "Our own title"


def test_a_deleted_starter_item_stays_deleted(library):
    Case.objects.filter(slug="bus-lanes").delete()
    load_library(FIXTURES)
    assert not Case.objects.filter(slug="bus-lanes").exists()


def test_tools_and_cases_are_linked_both_ways(library):
    tool = Tool.objects.get(slug="map-the-partners")
    assert tool.example_case.slug == "river-clean-up"
    case = Case.objects.get(slug="river-clean-up")
    assert set(case.tools.values_list("slug", flat=True)) == {"map-the-partners", "shared-facts"}
    assert case.partners.count() == 2 and case.outcomes.get().figure == "12"
    assert "<p>" in case.story


def test_a_case_with_an_unknown_issue_area_is_refused_with_its_file_named(db, tmp_path):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "bad.yaml").write_text(
        "slug: bad\ntitle: Bad\nsummary: s\nissue_area: weather\npartnership_model: collective-impact\n"
    )
    with pytest.raises(ContentError, match="bad.yaml.*weather"):
        load_library(tmp_path)
    assert not StarterRecord.objects.filter(slug="bad").exists()


@pytest.mark.skipif(not (REAL_CONTENT / "toolkit.yaml").exists(), reason="no starter content in content/library yet")
def test_the_shipped_starter_content_loads(db):
    load_library(REAL_CONTENT.parent)
    assert Stage.objects.count() == 4
    assert Tool.objects.count() >= 16
    if (REAL_CONTENT / "cases").is_dir():
        assert Case.objects.count() >= 12
    if (REAL_CONTENT / "resources.yaml").exists():
        assert Resource.objects.count() >= 40
    if (REAL_CONTENT / "briefings.yaml").exists():
        assert Briefing.objects.values("series").distinct().count() == 3
