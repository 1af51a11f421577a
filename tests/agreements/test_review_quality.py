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


SPANISH_AGREEMENT = """Memorando de entendimiento entre la Cooperativa de Agua del Valle y el Ayuntamiento de San Lucas

1. Objeto: Las partes acuerdan trabajar juntos para mejorar el acceso al agua potable en los barrios del norte.

2. Duración: Este memorando tendrá una vigencia de dos años desde su firma y podrá renovarse de mutuo acuerdo.

3. Confidencialidad: Los datos de los hogares que se compartan durante el proyecto se mantendrán confidenciales y solo se usarán para sus fines.

4. Resolución de conflictos: Cualquier disputa que surja de este memorando se resolverá mediante negociación entre las partes y, si no hay acuerdo, con un mediador.

5. Modificaciones: Cualquier modificación de este memorando se hará por escrito y con la firma de ambas partes.
"""


def test_an_agreement_written_in_spanish_is_read_for_what_it_says():
    """The sentence embeddings know little Spanish: the elements' Spanish keywords
    (content/agreements/review_phrasings.yaml, other_keywords) find what a Spanish agreement settles,
    with its sentence as the evidence, and leave what it never mentions as not in place."""
    card = sc.Scorecard(load(REAL_SCORECARD))
    clauses = split_clauses(SPANISH_AGREEMENT)
    proposals, _info = review.propose(card, clauses)
    got = {p.element: p for p in proposals}
    by_position = {c.position: c for c in clauses}
    for key, words in [("duration-review", "vigencia de dos años"), ("conflict-resolution", "disputa"),
                       ("amendments", "por escrito"), ("information-sharing", "confidenciales")]:
        assert got[key].rating in ("fully", "partially"), key
        (position, _score), (start, end) = got[key].passages[0], got[key].sentences[0]
        assert words in by_position[position].text[start:end], key
    for key in ("finances", "governance", "milestones", "liability", "representatives"):
        assert got[key].rating == "not-in-place", key
