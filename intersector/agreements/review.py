"""Propose a rating for every scorecard element from an agreement's clauses.

Method: each clause is compared with the element's title and question by sentence
embeddings (TextIndex; TF-IDF when no model is available), plus the element's keywords found in
the clause and in its heading. The best clause's combined score sets the proposal; the best few
clauses are the supporting passages. Thresholds were set on a separate development agreement
(tests/agreements/fixtures/dev_agreement.txt), never on the review test set.
Query: the element's title and question (adding the guidance or example did worse there).
"""

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from intersector import analysis
from intersector.analysis import model as analysis_model

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
    """[(first word, pattern)]: the word is a cheap test that must pass before the regex."""
    patterns = []
    for keyword in element.keywords:
        lowered = keyword.lower()
        words = re.escape(lowered).replace(r"\ ", r"[\s-]+")
        patterns.append((lowered.split()[0] if lowered.split() else "",
                         re.compile(rf"\b{words}(?:s|es|ed|ing)?\b")))
    return patterns


def keyword_hits(patterns, text):
    # A substring test is ~50x cheaper than a regex search and rules out most clauses.
    return sum(1 for word, pattern in patterns if word in text and pattern.search(text))


def propose(card, clauses, progress=None, settings=None):
    """[Proposal] for every element of `card`, from `clauses` (objects with .for_matching and
    .heading). `progress(done)` is called after each element."""
    texts = [c.for_matching for c in clauses]
    index = _clause_index(texts)
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


# Clause vectors of recent reviews, by text: a revised upload of the same agreement embeds only
# the clauses that changed. 4,000 vectors of 384 float32 are about 6 MB.
_CLAUSE_CACHE = OrderedDict()
_CLAUSE_CACHE_SIZE = 4000
_cache_owner = [None]   # the encoder the cached vectors came from
_cache_lock = threading.Lock()   # a worker may run reviews in several threads


def _clause_index(texts):
    try:
        encoder = analysis_model.get_encoder()
    except analysis.ModelUnavailable:
        return analysis.TextIndex.build(texts)   # TF-IDF, fitted on this agreement
    with _cache_lock:
        if _cache_owner[0] is not encoder:
            _CLAUSE_CACHE.clear()
            _cache_owner[0] = encoder
        known = {t: _CLAUSE_CACHE[t] for t in texts if t in _CLAUSE_CACHE}
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    if missing:   # embedded outside the lock: other reviews need not wait
        known.update(zip(missing, analysis.embed(missing)))
    vectors = np.array([known[t] for t in texts], dtype=np.float32).reshape(
        len(texts), encoder.dimension)
    with _cache_lock:
        for text, vector in known.items():
            _CLAUSE_CACHE[text] = vector
            _CLAUSE_CACHE.move_to_end(text)
        while len(_CLAUSE_CACHE) > _CLAUSE_CACHE_SIZE:
            _CLAUSE_CACHE.popitem(last=False)
    return analysis.TextIndex.from_vectors(vectors, analysis.model_info(), texts)


def forget_clause_vectors():
    """Empty the clause cache (benchmarks and tests measure a first review with this)."""
    with _cache_lock:
        _CLAUSE_CACHE.clear()


# The element queries depend only on the scorecard: embed them once per process and model.
_QUERY_CACHE = {}
_QUERY_CACHE_SIZE = 8


def _query_vectors(queries):
    encoder = analysis_model.get_encoder()
    key = tuple(queries)
    cached = _QUERY_CACHE.get(key)
    if cached is not None and cached[0] is encoder:
        return cached[1]
    vectors = analysis.embed(queries)
    vectors.setflags(write=False)
    if len(_QUERY_CACHE) >= _QUERY_CACHE_SIZE:
        _QUERY_CACHE.pop(next(iter(_QUERY_CACHE)))
    _QUERY_CACHE[key] = (encoder, vectors)
    return vectors


def _all_scores(index, queries, n):
    """(elements x clauses) similarities; the queries are embedded in one batch when possible."""
    if index.info.kind == "embeddings":
        try:
            query_vectors = _query_vectors(queries)
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
