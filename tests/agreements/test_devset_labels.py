"""The development set of real agreements in git stays usable and publishable: every item of the
manifest is labelled on every scorecard element, each quote kept as a span with a hash and never
as text; only redistributable texts are committed; the committed text's spans still hold their
quotes; a broken span or a quote written out is reported."""

import importlib.util
import sys
from pathlib import Path

import yaml

DEVSET = Path(__file__).resolve().parents[2] / "bench" / "devsets" / "agreements"


def module(name):
    sys.path.insert(0, str(DEVSET))
    try:
        spec = importlib.util.spec_from_file_location(name, DEVSET / f"{name}.py")
        loaded = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(loaded)
        return loaded
    finally:
        sys.path.remove(str(DEVSET))


def test_every_item_is_labelled_with_spans_and_the_committed_text_matches():
    check, devset = module("check_labels"), module("devset")
    keys = devset.element_keys()
    assert len(keys) == 31
    manifest = devset.manifest()
    slugs = sorted(p.name[: -len(".labels.yaml")] for p in DEVSET.glob("*.labels.yaml"))
    assert slugs == sorted(item["slug"] for item in manifest["items"])
    assert len(slugs) >= 20
    checked_texts = 0
    for slug in slugs:
        labels = devset.load_labels(DEVSET / f"{slug}.labels.yaml")
        problems, had_text = check.check_item(slug, labels, keys, DEVSET)
        assert problems == [], problems
        checked_texts += had_text
    assert checked_texts >= 1, "the public-domain item's text is committed and checked"


def test_only_redistributable_texts_are_committed():
    manifest = yaml.safe_load((DEVSET / "manifest.yaml").read_text(encoding="utf-8"))
    listed = {item["slug"]: item for item in manifest["items"]}
    assert manifest["count"] == len(listed) >= 20
    for path in DEVSET.glob("*.txt"):
        item = listed[path.stem]
        assert item["redistributable"] is True and item["in_git"] is True, path.name
    for path in DEVSET.glob("*.pdf"):
        assert listed[path.stem]["redistributable"] is True
        assert path.stat().st_size < 1_000_000


def test_checker_reports_a_moved_span_and_a_quote_written_out(tmp_path):
    check, devset = module("check_labels"), module("devset")
    keys = devset.element_keys()
    text = "The partners meet every month.\nWork starts in May.\n"
    (tmp_path / "x.txt").write_text(text, encoding="utf-8")
    norm = devset.normalise(text)
    start, end = devset.find_span(norm, "The partners meet every month.")
    elements = {key: {"rating": "not"} for key in keys}
    elements["governance"] = {"rating": "fully", "span": [start, end],
                              "quote_sha256": devset.quote_hash(norm[start:end])}
    elements["timeline"] = {"rating": "partially", "span": [start + 4, end],
                            "quote_sha256": devset.quote_hash("Work starts in May.")}
    elements["vision"] = {"rating": "fully"}
    elements["milestones"] = {"rating": "not", "quote": "Work starts in May."}
    labels = {"slug": "x", "text_sha256": devset.file_sha256(tmp_path / "x.txt"), "elements": elements}
    problems, had_text = check.check_item("x", labels, keys, tmp_path)
    assert had_text
    assert problems == ["x: vision is fully without a span and quote hash",
                        "x: milestones has its quote written out (third-party text in git)",
                        "x: timeline span no longer holds its quote"]


def test_a_typed_quote_is_found_across_line_breaks_ligatures_and_head_tail():
    devset = module("devset")
    norm = devset.normalise("Funding is raised per\nproject. The ﬁnal report is due in May.\n")
    assert norm[slice(*devset.find_span(norm, "raised per project."))] == "raised per project."
    assert norm[slice(*devset.find_span(norm, "The final report"))] == "The ﬁnal report"
    start, end = devset.find_span(norm, "Funding is … in May.")
    assert norm[start:end] == norm


def test_evidence_marks_name_only_agreements_elements_and_hashes():
    # A person's yes/no on the evidence shown first (bench_review_quality reports them): each mark
    # names an agreement of the manifest and a scorecard element, and keeps no text of the agreement.
    devset = module("devset")
    keys = set(devset.element_keys())
    slugs = {item["slug"] for item in devset.manifest()["items"]}
    marks = yaml.safe_load((DEVSET / "evidence_marks.yaml").read_text(encoding="utf-8"))["marks"]
    assert len(marks) >= 80
    for mark in marks:
        assert set(mark) == {"item", "element", "shown", "supports"}, mark
        assert mark["item"] in slugs and mark["element"] in keys, mark
        assert len(mark["shown"]) == 16 and int(mark["shown"], 16) >= 0, mark
        assert isinstance(mark["supports"], bool), mark
    assert len({(m["item"], m["element"], m["shown"]) for m in marks}) == len(marks)
