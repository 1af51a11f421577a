"""A very long agreement is reviewed in time: only the sentences its words make likely are
embedded, and the proposals still come from the sentences that settle each element."""

import random
from pathlib import Path

from intersector.agreements import candidates, review
from intersector.agreements import scorecard as sc
from intersector.agreements.clauses import split_clauses
from tests.agreements.conftest import REAL_SCORECARD, load

DEV = Path(__file__).parent / "fixtures" / "dev_agreement.txt"
ROOMS = ["the north hall", "room 12", "the annex", "the east wing", "the library", "the yard"]
THINGS = ["stools", "tables", "lamps", "boxes", "bicycles", "plants", "shelves", "mirrors"]


def inventory_annex(sentences=700, seed=3):
    """Pages of an inventory that settles no element: what a long annex adds to an agreement."""
    rng = random.Random(seed)
    lines = ["Annex C. Inventory of the premises", ""]
    for n in range(sentences):
        lines.append(f"Item {n}: there are {rng.randint(2, 90)} {rng.choice(THINGS)} in "
                     f"{rng.choice(ROOMS)} next to {rng.randint(2, 90)} {rng.choice(THINGS)}.")
    return "\n".join(lines)


def test_a_long_agreement_embeds_its_likely_sentences_and_keeps_its_proposals(monkeypatch):
    card = sc.Scorecard(load(REAL_SCORECARD))
    text = DEV.read_text(encoding="utf-8")
    long_text = text + "\n\n" + inventory_annex()
    assert len(long_text.split()) > 3 * candidates.EMBED_WORDS
    review.forget_clause_vectors()
    short, _info = review.propose(card, split_clauses(text))
    embedded = []
    real_embed = review.analysis.embed
    monkeypatch.setattr(review.analysis, "embed", lambda texts: embedded.extend(texts) or real_embed(texts))
    review.forget_clause_vectors()
    long, _info = review.propose(card, split_clauses(long_text))
    words = sum(len(t.split()) for t in embedded)
    assert words <= candidates.EMBED_WORDS + 100   # the budget, give or take the last sentence
    # Every sentence of the agreement itself is kept: the annex's lines are the ones left out.
    dev_sentences = {t for t in embedded if t in text}
    assert len(dev_sentences) >= 0.9 * len(set(review._sentences(split_clauses(text))[2]))
    same = sum(a.rating == b.rating for a, b in zip(short, long))
    assert same >= 0.9 * len(short)
    # The evidence shown is the agreement's own text, never an inventory line.
    clauses = {c.position: c for c in split_clauses(long_text)}
    shown = [clauses[p.passages[0][0]] for p in long if p.passages]
    assert len(shown) >= 0.9 * sum(bool(p.passages) for p in short)
    assert all(clause.start < len(text) for clause in shown)
