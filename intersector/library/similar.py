""""Cases like this one" and "cases like mine": text similarity over the published cases.

Each case's vector is stored on the case. Vectors are computed in the background (the job
`refresh_case_vectors`, started when cases are loaded or saved with new text), never while a
page waits: until a case's vector is ready, its page says its similar cases are being prepared.
The matrix of all published cases' vectors is kept in memory until a case or a vector changes.
With no sentence model available, the cases are compared by shared words (TF-IDF), and pages say so.
"""

import datetime
import hashlib
import logging
import threading

import numpy as np
from django.db import transaction
from django.db.models import Count, Max, Q

from intersector import analysis
from intersector.library.models import Case

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_cache = {}
MIN_SCORE_FOR_TEXT = 0.05
VECTORS_JOB_KIND = "library.case_vectors"
EMBED_BATCH = 64  # texts embedded between two progress reports


def _model_prefix(info):
    return info.name + ":"


def _signature():
    """Changes when a published case is added, edited or removed, and when vectors are stored."""
    info = analysis.model_info()
    state = Case.objects.filter(live=True).aggregate(
        # Columns of the (live, updated, vector_model) index only, so that it alone answers.
        n=Count("*"), last=Max("updated"),
        vectors=Count("vector_model", filter=Q(vector_model__startswith=_model_prefix(info))),
    )
    return (info.name, state["n"], state["last"], state["vectors"])


def fragment_key(case):
    """Names the rendered "cases like this one" of a case. It changes whenever any published case
    is added, edited or removed, or a vector is stored, so a cached list is never stale."""
    from django.utils.translation import get_language

    return hashlib.sha1(repr((case.pk, _signature(), get_language())).encode()).hexdigest()


def cases_pending():
    """How many published cases still wait for their vector (0 without a sentence model)."""
    info = analysis.model_info()
    if info.kind != "embeddings":
        return 0
    _name, published, _last, with_vectors = _signature()
    return max(0, published - with_vectors)


def vectors_pending(case):
    """True while this case's vector for the sentence model is not computed yet."""
    info = analysis.model_info()
    return info.kind == "embeddings" and not (case.vector_model or "").startswith(_model_prefix(info))


def store_missing_vectors(queryset=None, progress=None):
    """Compute and store vectors for published cases that have none, or one for an older text.

    Run by the background job; `progress` (optional) is the job's progress reporter.
    """
    info = analysis.model_info()
    if info.kind != "embeddings":
        return 0
    queryset = queryset if queryset is not None else Case.objects.filter(live=True)
    candidates = queryset.only("pk", "title", "summary", "story", "vector_model")
    # The digest check also catches a vector computed from a text edited while the job ran.
    cases = [case for case in candidates if case.vector_model != f"{info.name}:{case.text_digest()}"]
    if progress is not None:
        progress.update(done=0, total=len(cases))
    for start in range(0, len(cases), EMBED_BATCH):
        _store_batch(cases[start : start + EMBED_BATCH], info)
        if progress is not None:
            progress.update(done=min(start + EMBED_BATCH, len(cases)))
    return len(cases)


def _store_batch(cases, info):
    texts = [case.text_for_similarity() for case in cases]
    unique = list(dict.fromkeys(texts))  # identical texts are embedded once
    by_text = dict(zip(unique, analysis.embed(unique)))
    with transaction.atomic():
        for case, text in zip(cases, texts):
            # update(), not save(): storing a vector is not an edit and must not touch `updated`.
            Case.objects.filter(pk=case.pk).update(
                vector=analysis.to_bytes(by_text[text]), vector_model=f"{info.name}:{case.text_digest()}"
            )


RETRY_AFTER_FAILURE = datetime.timedelta(minutes=10)


def schedule_refresh(from_page=False):
    """Start the background job that stores missing vectors, unless one is already waiting.

    A page that finds a vector missing (`from_page`) also leaves a running job to finish, and
    does not retry a job that failed in the last few minutes: readers must not start one per visit.
    Returns the job, or None when none was started (or there is no sentence model to use).
    """
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from intersector.jobs.models import Job
    from intersector.jobs.services import start_job
    from intersector.library.tasks import refresh_case_vectors

    if analysis.model_info().kind != "embeddings":
        return None
    jobs = Job.objects.filter(kind=VECTORS_JOB_KIND)
    waiting = jobs.filter(status=Job.Status.QUEUED).first()
    if waiting is not None:
        return waiting
    if from_page and (
        jobs.filter(status=Job.Status.RUNNING).exists()
        or jobs.filter(status=Job.Status.FAILED, created__gte=timezone.now() - RETRY_AFTER_FAILURE).exists()
    ):
        return None
    return start_job(refresh_case_vectors, label=_("Preparing “cases like this one”"), kind=VECTORS_JOB_KIND)


def schedule_refresh_quietly():
    """schedule_refresh() after a save: a problem here must never undo or fail the curator's save."""
    try:
        schedule_refresh()
    except Exception:
        logger.exception("Could not start computing the case vectors")


def _build():
    info = analysis.model_info()
    if info.kind == "embeddings":
        # Only vectors already stored: computing them is the background job's work, never a page's.
        rows = list(
            Case.objects.filter(live=True, vector__isnull=False, vector_model__startswith=_model_prefix(info))
            .order_by("pk").values_list("pk", "vector")
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
    by_pk = Case.objects.filter(pk__in=[ids[pos] for pos, _score in matches]).defer("vector", "story").select_related(
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
