"""Clause vectors are kept between reviews in a worker: a revised upload must get exactly the
proposals a first review of it would get."""

from pathlib import Path

import pytest

from intersector.agreements import review
from intersector.agreements import scorecard as sc
from intersector.agreements.clauses import split_clauses
from tests.agreements.conftest import REAL_SCORECARD, load

DEV = Path(__file__).parent / "fixtures" / "dev_agreement.txt"


def proposals_of(card, text):
    proposals, _info = review.propose(card, split_clauses(text))
    return [(p.element, p.rating, p.score, p.passages) for p in proposals]


def same_but_rounding(proposals):
    return [(element, rating, [index for index, _score in passages]) for element, rating, _s, passages in proposals]


def test_a_revised_upload_gets_the_same_proposals_as_a_first_review():
    card = sc.Scorecard(load(REAL_SCORECARD))
    text = DEV.read_text(encoding="utf-8")
    revised = text.replace("\n\n", "\n\nThe partners will meet every month to review progress.\n\n", 1)
    review.forget_clause_vectors()
    first = proposals_of(card, revised)
    review.forget_clause_vectors()
    proposals_of(card, text)            # fills the cache with the original's clauses
    again = proposals_of(card, revised)  # only the changed clause is embedded now
    # The same elements, ratings and evidence passages; scores equal but for the last float bits
    # (a batch's make-up changes the sums' rounding on some CPUs: 0.484 against 0.485).
    assert same_but_rounding(again) == same_but_rounding(first)
    for kept, fresh in zip(again, first):
        assert kept[2] == pytest.approx(fresh[2], abs=0.005)
        assert [score for _i, score in kept[3]] == pytest.approx([score for _i, score in fresh[3]], abs=0.005)
    assert revised != text
