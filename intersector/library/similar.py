""""Cases like this one" and "cases like mine": text similarity over the published cases.

Each case's vector is stored on the case (computed once per text, see Case.save), and the
matrix of all published cases is kept in memory until a case changes. With no sentence model
available, the cases are compared by shared words (TF-IDF), and pages say so.
"""

import threading

import numpy as np
from django.db.models import Count, Max

from intersector import analysis
from intersector.library.models import Case

_lock = threading.Lock()
_cache = {}
MIN_SCORE_FOR_TEXT = 0.05


def _signature():
    state = Case.objects.filter(live=True).aggregate(n=Count("pk"), last=Max("updated"))
    return (state["n"], state["last"])


def store_missing_vectors(queryset=None):
    """Compute and store vectors for published cases that have none (or an outdated one)."""
    info = analysis.model_info()
    if info.kind != "embeddings":
        return 0
    cases = list(
        (queryset if queryset is not None else Case.objects.filter(live=True))
        .exclude(vector_model__startswith=info.name + ":")
    )
    if not cases:
        return 0
    texts = [case.text_for_similarity() for case in cases]
    unique = list(dict.fromkeys(texts))  # identical texts are embedded once
    by_text = dict(zip(unique, analysis.embed(unique)))
    for case, text in zip(cases, texts):
        vector = by_text[text]
        # update(), not save(): storing a vector is not an edit and must not touch `updated`.
        Case.objects.filter(pk=case.pk).update(
            vector=analysis.to_bytes(vector), vector_model=f"{info.name}:{case.text_digest()}"
        )
    return len(cases)


def _build():
    info = analysis.model_info()
    if info.kind == "embeddings":
        store_missing_vectors()
        rows = list(
            Case.objects.filter(live=True, vector__isnull=False).order_by("pk").values_list("pk", "vector")
        )
        ids = [pk for pk, _vector in rows]
        if not rows:
            return ids, None
        matrix = np.vstack([analysis.from_bytes(vector) for _pk, vector in rows])
        return ids, analysis.TextIndex.from_vectors(matrix, info)
    cases = list(Case.objects.filter(live=True).order_by("pk"))
    ids = [case.pk for case in cases]
    if not cases:
        return ids, None
    return ids, analysis.TextIndex.build([case.text_for_similarity() for case in cases])


def case_index():
    """(case ids, TextIndex) for the published cases, rebuilt only when a case has changed."""
    signature = _signature()
    cached = _cache.get("index")
    if cached and cached[0] == signature:
        return cached[1], cached[2]
    with _lock:
        cached = _cache.get("index")
        if cached and cached[0] == signature:
            return cached[1], cached[2]
        ids, index = _build()
        _cache["index"] = (_signature(), ids, index)
        return ids, index


def forget():
    _cache.clear()


def _cases(matches, ids):
    by_pk = Case.objects.filter(pk__in=[ids[pos] for pos, _score in matches]).select_related(
        "issue_area"
    ).in_bulk()
    return [(by_pk[ids[pos]], score) for pos, score in matches if ids[pos] in by_pk]


def cases_like(case, count=4):
    """The published cases closest to this one, best first, as (case, score)."""
    ids, index = case_index()
    if index is None or case.pk not in ids:
        return []
    position = ids.index(case.pk)
    query = index.vectors[position : position + 1]
    return _cases(index.search(query, top_k=count, exclude=position), ids)


def cases_like_text(text, count=6):
    """The published cases closest to a reader's description of their own situation."""
    ids, index = case_index()
    if index is None or not text.strip():
        return []
    matches = [(pos, score) for pos, score in index.search(text, top_k=count) if score > MIN_SCORE_FOR_TEXT]
    return _cases(matches, ids)


def method():
    """Which comparison is in use, for the page to say: ModelInfo(kind, name, reason)."""
    return analysis.model_info()
