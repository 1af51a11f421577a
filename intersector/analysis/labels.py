"""Short names for clusters: the words that set each cluster apart (class-based TF-IDF)."""

from __future__ import annotations

import re

import numpy as np

# Words that say nothing about a theme in workshop notes, on top of English stop words.
EXTRA_STOP_WORDS = frozenset(
    """also can could get gets getting just like lot lots make makes many may might much must
    need needs one really said say says see seem seems thing things think way ways well will
    would yes etc eg ie via till anyway anyways""".split()
)
WORD = re.compile(r"[^\W\d_]{2,}")  # letters only: digits and punctuation are dropped
FALLBACK_WORDS = 6


def _stop_words() -> frozenset:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | EXTRA_STOP_WORDS


def words(text: str, stop_words: frozenset) -> list[str]:
    return [w for w in WORD.findall(str(text or "").lower()) if w not in stop_words]


def plural_map(vocabulary) -> dict[str, str]:
    """Map simple plurals to a singular that also occurs ("permits" -> "permit").

    Only merges when the shorter form is in the texts, so "process" or "business" stay whole.
    """
    vocab = set(vocabulary)
    mapping = {}
    for word in vocab:
        if len(word) < 4 or not word.endswith("s") or word.endswith("ss"):
            continue
        for singular in (word[:-3] + "y" if word.endswith("ies") else None, word[:-1], word[:-2]):
            if singular and singular in vocab and singular != word:
                mapping[word] = singular
                break
    return mapping


def label_clusters(texts, labels, n_words: int = 3, merge_plurals: bool = True, vectors=None):
    """{cluster: "word, word, word"} for every cluster in ``labels``; never an empty label.

    c-TF-IDF as in BERTopic: each cluster's texts form one document; a word's weight is its
    share of the cluster's words times log(1 + average words per cluster / its count in all
    clusters), so words common to every cluster score low.
    """
    texts = ["" if t is None else str(t) for t in texts]
    labels = [int(c) for c in labels]
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    clusters = sorted(set(labels))
    if not clusters:
        return {}
    stop = _stop_words()
    tokens = [words(t, stop) for t in texts]
    if merge_plurals:
        mapping = plural_map({w for ws in tokens for w in ws})
        tokens = [[mapping.get(w, w) for w in ws] for ws in tokens]
    vocabulary = sorted({w for ws in tokens for w in ws})
    column = {w: i for i, w in enumerate(vocabulary)}
    counts = np.zeros((len(clusters), max(len(vocabulary), 1)), dtype=np.float64)
    row = {c: i for i, c in enumerate(clusters)}
    for ws, c in zip(tokens, labels):
        for w in ws:
            counts[row[c], column[w]] += 1
    scores = _ctfidf(counts)
    names = {}
    for c in clusters:
        r = scores[row[c]]
        order = sorted((i for i in np.flatnonzero(r > 0)), key=lambda i: (-r[i], vocabulary[i]))
        chosen = [vocabulary[i] for i in order[:n_words]]
        names[c] = ", ".join(chosen) if chosen else _fallback(texts, labels, c, vectors)
    return names


def _ctfidf(counts: np.ndarray) -> np.ndarray:
    totals = counts.sum(axis=1, keepdims=True)
    tf = counts / np.where(totals > 0, totals, 1.0)
    average_words = counts.sum(axis=1).mean()
    frequency = counts.sum(axis=0)
    idf = np.log(1.0 + average_words / np.where(frequency > 0, frequency, 1.0))
    return tf * idf


def _fallback(texts, labels, cluster, vectors) -> str:
    """First words of the cluster's most central note (or its first note with any words)."""
    members = [i for i, c in enumerate(labels) if c == cluster]
    if vectors is not None and len(members) > 1:
        matrix = np.asarray(vectors, dtype=np.float64)[members]
        centre = matrix.mean(axis=0)
        members = sorted(members, key=lambda i: -float(np.asarray(vectors)[i] @ centre))
    for i in members:
        first = texts[i].split()[:FALLBACK_WORDS]
        if first:
            return " ".join(first) + ("…" if len(texts[i].split()) > FALLBACK_WORDS else "")
    return f"Theme {cluster + 1}"
