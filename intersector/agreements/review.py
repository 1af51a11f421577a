"""Propose a rating for every scorecard element from an agreement's clauses.

Method: each clause is compared with the element's title and question by sentence
embeddings (TextIndex; TF-IDF when no model is available), plus the element's keywords found in
the clause and in its heading. The best clause's combined score sets the proposal; the best few
clauses are the supporting passages. Thresholds were set on a separate development agreement
(tests/agreements/fixtures/dev_agreement.txt), never on the review test set.
Query: the element's title and question (adding the guidance or example did worse there).
"""

import re
from dataclasses import dataclass

import numpy as np

from intersector import analysis

# Weights and thresholds, per kind of vectors (cosine scales differ between them).
SETTINGS = {
    # Set on the development agreement (AUC of "addressed or partial" 0.79 there): the title and
    # question as the query worked better than adding the guidance or the example.
    "embeddings": {"keyword": 0.40, "heading": 0.0, "full": 0.58, "partial": 0.44},
    # Without the model (TF-IDF), set on the same development agreement.
    "tfidf": {"keyword": 0.40, "heading": 0.0, "full": 0.40, "partial": 0.195},
}
PASSAGES = 3


@dataclass
class Proposal:
    element: str
    rating: str
    score: float
    passages: list   # [(clause position, score)] best first


def element_query(element):
    return f"{element.title}. {element.question}"


def _keyword_patterns(element):
    patterns = []
    for keyword in element.keywords:
        words = re.escape(keyword.lower()).replace(r"\ ", r"[\s-]+")
        patterns.append(re.compile(rf"\b{words}(?:s|es|ed|ing)?\b"))
    return patterns


def keyword_hits(patterns, text):
    return sum(1 for pattern in patterns if pattern.search(text))


def propose(card, clauses, progress=None, settings=None):
    """[Proposal] for every element of `card`, from `clauses` (objects with .for_matching and
    .heading). `progress(done)` is called after each element."""
    texts = [c.for_matching for c in clauses]
    index = analysis.TextIndex.build(texts)
    tune = dict(SETTINGS["embeddings" if index.info.kind == "embeddings" else "tfidf"])
    tune.update(settings or {})
    lowered = [t.lower() for t in texts]
    headings = [(c.heading or "").lower() for c in clauses]
    elements = list(card.elements.values())
    all_scores = _all_scores(index, [element_query(e) for e in elements], len(texts))
    proposals = []
    for done, element in enumerate(elements, start=1):
        similarity = all_scores[done - 1]
        patterns = _keyword_patterns(element)
        keywords = np.array([min(keyword_hits(patterns, t), 2) / 2 for t in lowered])
        in_heading = np.array([1.0 if keyword_hits(patterns, h) else 0.0 for h in headings])
        combined = similarity + tune["keyword"] * keywords + tune["heading"] * in_heading
        order = np.argsort(-combined)[:PASSAGES]
        best = float(combined[order[0]]) if len(order) else 0.0
        if best >= tune["full"]:
            rating = "fully"
        elif best >= tune["partial"]:
            rating = "partially"
        else:
            rating = "not-in-place"
        passages = [(int(clauses[i].position), round(float(combined[i]), 3)) for i in order
                    if combined[i] >= tune["partial"]] if rating != "not-in-place" else []
        proposals.append(Proposal(element.key, rating, round(best, 3), passages))
        if progress:
            progress(done)
    return proposals, index.info


def _all_scores(index, queries, n):
    """(elements x clauses) similarities; the queries are embedded in one batch when possible."""
    if index.info.kind == "embeddings":
        try:
            query_vectors = analysis.embed(queries)
            return np.asarray(query_vectors @ np.asarray(index.vectors).T, dtype=float)
        except analysis.ModelUnavailable:
            pass
    return np.array([np.asarray(_scores(index, q, n), dtype=float) for q in queries])


def _scores(index, query, n):
    if hasattr(index, "scores"):
        return index.scores(query)
    scores = np.zeros(n)
    for position, score in index.search(query, top_k=n):
        scores[position] = score
    return scores
