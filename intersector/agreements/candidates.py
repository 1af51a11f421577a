"""Which sentences of a long agreement are worth embedding: a cheap word match picks them.

Embedding is nearly all of a review's time (about 0.3 ms of CPU per word on one core), so a very
long agreement would take too long. Below EMBED_WORDS words every sentence is embedded, which
covers every agreement in the development set but the longest; above it, each element takes
turns choosing its next most likely sentence by words alone (its keywords, then TF-IDF closeness
to its phrasings) until the budget is spent. A sentence no element would choose by its words is
rarely the one a person would quote, and it is still shown in its clause.
"""

import numpy as np

EMBED_WORDS = 3000   # about 1 s of embedding on one core of the 2-core servers


def words_in(text):
    return len(text.split())


def worth_embedding(texts, keyword_rows, phrasings, budget=None):
    """Boolean mask over `texts`: the sentences to embed. `keyword_rows` holds, per element, each
    sentence's keyword score (0..1); `phrasings` the element's phrasings, in the same order."""
    budget = EMBED_WORDS if budget is None else budget
    # A repeated sentence is embedded once: choose among the distinct texts.
    first = {}
    for i, text in enumerate(texts):
        first.setdefault(text, i)
    unique = list(first.values())
    sizes = [words_in(texts[i]) for i in unique]
    if sum(sizes) <= budget or not keyword_rows:
        return np.ones(len(texts), dtype=bool)
    rows = [np.asarray(k)[unique] for k in keyword_rows]
    rankings = _rankings([texts[i] for i in unique], rows, phrasings)
    chosen = np.zeros(len(unique), dtype=bool)
    spent, heads = 0, [0] * len(rankings)
    while spent < budget and not chosen.all():
        for e, order in enumerate(rankings):   # each element in turn takes its next sentence
            while heads[e] < len(order) and chosen[order[heads[e]]]:
                heads[e] += 1
            if heads[e] < len(order):
                chosen[order[heads[e]]] = True
                spent += sizes[order[heads[e]]]
            if spent >= budget:
                break
    kept = {texts[i] for i, keep in zip(unique, chosen) if keep}
    return np.array([t in kept for t in texts], dtype=bool)


def _rankings(texts, keyword_rows, phrasings):
    """Per element, sentence indexes from the most to the least likely by words."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", strip_accents="unicode",
                                 dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:   # nothing but stop words
        return [np.argsort(-np.asarray(k), kind="stable") for k in keyword_rows]
    queries = vectorizer.transform([p for group in phrasings for p in group])
    closeness = (queries @ matrix.T).toarray()
    rankings, at = [], 0
    for keywords, group in zip(keyword_rows, phrasings):
        best = closeness[at:at + len(group)].max(axis=0)
        at += len(group)
        rankings.append(np.argsort(-(np.asarray(keywords) + best), kind="stable"))
    return rankings
