"""The demonstration collaborative's reports for funders and the public: they show decisions that
passed with their quorum, never one that did not (the meeting-rhythm vote, quorum not met), with
the demonstration's public commitments, results, indicators and network map beside them; a
demonstration file marking a failed decision public stops loading; a demonstration loaded before
has any such decision taken back to partners only."""

import shutil

import pytest

from intersector.collaboratives.content import load_demonstration
from intersector.collaboratives.models import Collaborative
from tests.collaboratives.conftest import CONTENT
from tests.collaboratives.test_reports import pdf_text, squash

pytestmark = pytest.mark.django_db

FAILED = "Meeting rhythm for the Negotiate step"  # 16 of 48 took part: quorum not met
BLOCKED = "Freight idling limit at distribution centres"


def test_the_demonstrations_public_report_shows_only_decisions_that_passed(client, toolkit):
    load_demonstration(CONTENT.parent)
    c = Collaborative.objects.get(demonstration=True)
    public = list(c.decisions.filter(visibility="public"))
    assert len(public) == 6 and all(d.status == "closed" and d.result in ("agreed", "carried") for d in public)
    assert c.decisions.get(title=FAILED).result == "no-quorum"
    for audience in ("funders", "public"):
        for form in ("update", "detailed"):
            page = client.get(f"/collaborate/{c.slug}/reports/{audience}/{form}/").content.decode()
            assert "Adopt the charter and its decision rules" in page, (audience, form)
            assert "Quorum not met" not in page and "result-no-quorum" not in page, (audience, form)
            assert FAILED not in page and BLOCKED not in page, (audience, form)
            assert "Partner network" in page and "Cleaner air along the pilot corridors" in page, (audience, form)
    text = squash(pdf_text(client.get(f"/collaborate/{c.slug}/reports/public/detailed/pdf/").content))
    assert squash("Quorum not met") not in text and squash("Adopt the charter") in text
    assert squash("Days a year above the ozone standard") in text and squash("Partner network") in text
    # A demonstration loaded before, with a failed decision marked public by hand: loading again
    # takes it back to partners only, and leaves everything else as it was
    failed = c.decisions.get(title=FAILED)
    failed.visibility = "public"
    failed.save(update_fields=["visibility"])
    assert "taken out of its public report" in load_demonstration(CONTENT.parent)
    failed.refresh_from_db()
    assert failed.visibility == "partners"
    assert c.decisions.filter(visibility="public").count() == 6
    assert "Quorum not met" not in client.get(f"/collaborate/{c.slug}/reports/public/detailed/").content.decode()


def test_a_demonstration_file_marking_a_failed_decision_public_stops_loading(toolkit, tmp_path):
    shutil.copytree(CONTENT.parent / "collaboratives", tmp_path / "collaboratives")
    path = tmp_path / "collaboratives" / "demonstration.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(f"- title: {FAILED}\n") == 1
    path.write_text(text.replace(f"- title: {FAILED}\n", f"- title: {FAILED}\n  public: true\n"), encoding="utf-8")
    with pytest.raises(ValueError, match="did not pass"):
        load_demonstration(tmp_path)
    assert not Collaborative.objects.filter(demonstration=True).exists()  # nothing half loaded
