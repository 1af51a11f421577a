"""Group texts into themes: Ward agglomerative clustering, k chosen by silhouette."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import vectors as _v
from .threads import limit_threads
from .vectors import ModelInfo

# Above this many TF-IDF columns, reduce to LSA components before clustering: distances in a
# 10,000-word space are slow to compute and mostly noise.
MAX_DENSE_DIMENSIONS = 512
LSA_COMPONENTS = 100


@dataclass(frozen=True)
class Clustering:
    labels: list[int]  # cluster per text; cluster 0 is the largest
    k: int
    silhouette: float | None  # None when it cannot be computed (k == 1 or k == n)
    kind: str  # "embeddings" or "tfidf"

    @property
    def sizes(self) -> list[int]:
        return [self.labels.count(c) for c in range(self.k)]


def cluster_texts(texts, k=None, k_range=(2, 12), vectors=None, info: ModelInfo | None = None):
    """Cluster ``texts`` (or their given ``vectors``) into ``k`` themes, or the best k in range.

    The same input always gives the same labels. Cluster numbers are ordered by size, largest
    first (ties: the cluster whose first text comes first).
    """
    texts = _v._as_texts(texts)
    if vectors is None:
        vectors, info = _v.vectorize(texts)
    elif info is None:
        info = _guess_info(vectors)
    limit_threads()
    return _cluster(texts, k, k_range, vectors, info)


def _cluster(texts, k, k_range, vectors, info) -> Clustering:
    matrix = _prepare(vectors, info)
    n = matrix.shape[0]
    if n != len(texts) and texts:
        raise ValueError(f"{len(texts)} texts but {n} vectors")
    if n == 0:
        return Clustering([], 0, None, info.kind)
    distinct = len(np.unique(np.round(matrix, 5), axis=0))
    if k is not None:
        k = max(1, min(int(k), n))
        return _result(matrix, _ward_cut(matrix, k), info)
    low = max(2, int(k_range[0]))
    # More than about sqrt(n) themes is rarely useful to people, and silhouette on sparse
    # TF-IDF vectors keeps rising with k, so it would always pick the largest k allowed.
    high = min(int(k_range[1]), n - 1, distinct, max(low, math.ceil(math.sqrt(n))))
    if n < 3 or high < low:
        return _result(matrix, np.zeros(n, dtype=int), info)
    merges = _ward_tree(matrix)
    distances = _distances(matrix)
    best = None
    for candidate in range(low, high + 1):
        labels = _cut(merges, n, candidate)
        score = _silhouette(distances, labels)
        # Strictly greater: on a tie the smaller, simpler k wins.
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    return _result(matrix, best[1], info, distances)


def _guess_info(vectors) -> ModelInfo:
    """Best guess when vectors come without their ModelInfo: 384 columns from a process whose
    model has not failed are embeddings; anything else is TF-IDF. Pass ``info`` to be sure."""
    from . import model as _model

    width = vectors.shape[-1] if getattr(vectors, "ndim", np.ndim(vectors)) == 2 else 0
    encoder = _model._state.get("encoder")
    if width == (encoder.dimension if encoder else 384) and "error" not in _model._state:
        return _v.EMBEDDINGS
    error = _model._state.get("error")
    return _v.tfidf_info(error) if error else ModelInfo(kind="tfidf", name="TF-IDF", reason="")


def _prepare(vectors, info=None) -> np.ndarray:
    if hasattr(vectors, "toarray"):
        vectors = vectors.toarray()
    matrix = np.asarray(vectors, dtype=np.float64)
    if matrix.ndim != 2:
        matrix = matrix.reshape(len(matrix), -1)
    # Only wide TF-IDF rows are reduced: embeddings (384 or 768 numbers) are used as they are.
    wide_tfidf = info is None or info.kind != "embeddings"
    if wide_tfidf and matrix.shape[1] > MAX_DENSE_DIMENSIONS and matrix.shape[0] > 2:
        from sklearn.decomposition import TruncatedSVD

        components = min(LSA_COMPONENTS, matrix.shape[0] - 1, matrix.shape[1] - 1)
        svd = TruncatedSVD(n_components=components, algorithm="arpack", random_state=0)
        matrix = svd.fit_transform(matrix)
    return _v.normalise_rows(matrix).astype(np.float64)


def _ward_tree(matrix: np.ndarray) -> np.ndarray:
    # The same tree sklearn's AgglomerativeClustering(linkage="ward") builds (it calls scipy's
    # ward for unstructured data); built once so every k is just a different cut.
    from scipy.cluster.hierarchy import ward

    return ward(matrix)


def _cut(merges: np.ndarray, n: int, k: int) -> np.ndarray:
    """Labels after the first n - k merges of the tree: always exactly k clusters."""
    parent = list(range(2 * n - 1))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for step in range(n - k):
        a, b = int(merges[step, 0]), int(merges[step, 1])
        parent[root(a)] = n + step
        parent[root(b)] = n + step
    roots = [root(i) for i in range(n)]
    numbering: dict[int, int] = {}
    return np.array([numbering.setdefault(r, len(numbering)) for r in roots])


def _ward_cut(matrix: np.ndarray, k: int) -> np.ndarray:
    if k == 1 or matrix.shape[0] < 2:
        return np.zeros(matrix.shape[0], dtype=int)
    return _cut(_ward_tree(matrix), matrix.shape[0], k)


def _distances(matrix: np.ndarray) -> np.ndarray:
    # Rows are unit length, so |a - b|^2 = 2 - 2 a.b.
    squared = np.maximum(2.0 - 2.0 * (matrix @ matrix.T), 0.0)
    np.fill_diagonal(squared, 0.0)
    return np.sqrt(squared)


def _silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette, as sklearn.metrics.silhouette_score(metric="precomputed") computes it
    (a test checks they agree), without importing sklearn.metrics (~1 s on first use)."""
    labels = np.asarray(labels)
    clusters, index = np.unique(labels, return_inverse=True)
    members = np.zeros((len(labels), len(clusters)))
    members[np.arange(len(labels)), index] = 1.0
    sums = distances @ members  # distance from each text to all texts of each cluster
    counts = members.sum(axis=0)
    own = np.arange(len(labels)), index
    own_size = counts[index]
    inside = sums[own] / np.maximum(own_size - 1, 1)
    means = sums / counts
    means[own] = np.inf
    nearest = means.min(axis=1)
    scores = (nearest - inside) / np.maximum(np.maximum(inside, nearest), 1e-12)
    scores[own_size == 1] = 0.0  # a text alone in its cluster scores 0, as in sklearn
    return float(scores.mean())


def _result(matrix, labels, info, distances=None) -> Clustering:
    labels = _order_by_size(np.asarray(labels))
    k = int(labels.max()) + 1 if len(labels) else 0
    score = None
    if 2 <= k <= len(labels) - 1:
        score = _silhouette(distances if distances is not None else _distances(matrix), labels)
    return Clustering([int(c) for c in labels], k, score, info.kind)


def _order_by_size(labels: np.ndarray) -> np.ndarray:
    clusters = list(dict.fromkeys(labels.tolist()))  # in order of first appearance
    counts = {c: int((labels == c).sum()) for c in clusters}
    ranked = sorted(clusters, key=lambda c: (-counts[c], clusters.index(c)))
    mapping = {c: new for new, c in enumerate(ranked)}
    return np.array([mapping[c] for c in labels.tolist()], dtype=int)
