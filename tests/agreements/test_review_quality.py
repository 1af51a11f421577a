"""How good are the review's proposals? Precision and recall of "addressed or not" on the review
set (agreements written and labelled by hand, independently of the method). The weights and
thresholds were set on tests/agreements/fixtures/dev_agreement.txt and on the tuning half of the
development set of real agreements (bench/tune_review.py), never on this set. Only a modest floor
is asserted; the figures are printed (run with -s to see them); bench/bench_review_quality.py
prints them for every set."""

from pathlib import Path

import yaml

from intersector.agreements import review
from intersector.agreements import scorecard as sc
from intersector.agreements.clauses import split_clauses
from tests.agreements.conftest import REAL_SCORECARD, load

REVIEW_SET = Path(__file__).parent / "review_set"


def precision_recall(pairs):
    tp = sum(1 for expected, got in pairs if expected and got)
    fp = sum(1 for expected, got in pairs if not expected and got)
    fn = sum(1 for expected, got in pairs if expected and not got)
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def test_review_proposals_find_what_agreements_address():
    card = sc.Scorecard(load(REAL_SCORECARD))
    lenient, strict, lines = [], [], []
    files = sorted(REVIEW_SET.glob("*.txt"))
    assert len(files) >= 6, "the review set has at least six agreements"
    for path in files:
        expected = yaml.safe_load(path.with_suffix(".expected.yaml").read_text())["elements"]
        proposals, info = review.propose(card, split_clauses(path.read_text(encoding="utf-8")))
        got = {p.element: p.rating for p in proposals}
        pairs = [(expected[key] != "missing", got[key] in ("partially", "fully")) for key in card.elements]
        strict_pairs = [(expected[key] == "addressed", got[key] == "fully") for key in card.elements]
        lenient += pairs
        strict += strict_pairs
        p, r = precision_recall(pairs)
        lines.append(f"{path.stem:40s} precision {p:.2f} recall {r:.2f}")
    p, r = precision_recall(lenient)
    sp, sr = precision_recall(strict)
    print(f"\nReview quality ({info.kind}: {info.name}), {len(files)} agreements, "
          f"{len(lenient)} element judgements")
    print("\n".join(lines))
    print(f"ALL addressed-or-partial: precision {p:.2f} recall {r:.2f}")
    print(f"ALL strict (fully == addressed): precision {sp:.2f} recall {sr:.2f}")
    assert p >= 0.6 and r >= 0.5


def test_the_review_still_proposes_ratings_without_the_language_model(tmp_path, monkeypatch):
    from intersector import analysis
    from intersector.analysis.model import DIR_ENV

    monkeypatch.setenv(DIR_ENV, str(tmp_path))
    analysis.reset_model()
    try:
        card = sc.Scorecard(load(REAL_SCORECARD))
        text = (Path(__file__).parent / "fixtures" / "dev_agreement.txt").read_text()
        proposals, info = review.propose(card, split_clauses(text))
    finally:
        monkeypatch.delenv(DIR_ENV)
        analysis.reset_model()
    assert info.kind == "tfidf"
    got = {p.element: p.rating for p in proposals}
    assert len(got) == len(card.elements)
    assert got["duration-review"] == "fully" and got["milestones"] == "not-in-place"


def test_goodwill_is_not_read_as_a_way_to_settle_disputes():
    card = sc.Scorecard(load(REAL_SCORECARD))
    base = (Path(__file__).parent / "fixtures" / "dev_agreement.txt").read_text()

    def conflict_resolution(clause):
        text = base.replace("Signed for the Town", clause + "\n\nSigned for the Town", 1)
        proposals, _info = review.propose(card, split_clauses(text))
        return next(p for p in proposals if p.element == "conflict-resolution")

    goodwill = conflict_resolution(
        "9. Spirit of the partnership\n\n9.1 The partners will work together in good faith, in a spirit "
        "of mutual respect and cooperation, and keep their shared goals in view.")
    disputes = conflict_resolution(
        "9. Disagreements\n\n9.1 If the partners disagree about this memorandum, their representatives "
        "will meet to settle the disagreement and, failing that, ask a mediator.")
    assert goodwill.rating == "not-in-place"
    assert disputes.rating in ("fully", "partially")
