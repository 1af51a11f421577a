"""Turn texts into vectors: sentence embeddings when the model is there, else TF-IDF."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import model as _model
from .model import MODEL_NAME, ModelUnavailable


@dataclass(frozen=True)
class ModelInfo:
    kind: str  # "embeddings" or "tfidf"
    name: str  # "all-MiniLM-L6-v2" or "TF-IDF"
    reason: str = ""  # a plain sentence for the screen when kind == "tfidf"

    @property
    def uses_embeddings(self) -> bool:
        return self.kind == "embeddings"


EMBEDDINGS = ModelInfo(kind="embeddings", name=MODEL_NAME, reason="")


def tfidf_info(error: Exception) -> ModelInfo:
    return ModelInfo(
        kind="tfidf",
        name="TF-IDF",
        reason=f"Themes and matches are based on shared words, because {error}.",
    )


def model_info() -> ModelInfo:
    """Which method is in use (loads the model on first call)."""
    try:
        _model.get_encoder()
    except ModelUnavailable as error:
        return tfidf_info(error)
    return EMBEDDINGS


def embed(texts) -> np.ndarray:
    """Sentence embeddings, float32 (n, 384), unit rows; raises ModelUnavailable."""
    return _model.get_encoder().encode(_as_texts(texts))


def vectorize(texts) -> tuple[np.ndarray, ModelInfo]:
    """Unit-length float32 rows: embeddings if possible, else TF-IDF fitted on ``texts``."""
    texts = _as_texts(texts)
    try:
        return embed(texts), EMBEDDINGS
    except ModelUnavailable as error:
        matrix, _ = fit_tfidf(texts)
        return np.asarray(matrix.toarray(), dtype=np.float32), tfidf_info(error)


# --- TF-IDF ---------------------------------------------------------------------------------


def make_tfidf(stop_words="english", max_features=20000):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        sublinear_tf=True,
        stop_words=stop_words,
        ngram_range=(1, 2),
        norm="l2",
        dtype=np.float32,
        max_features=max_features,
        strip_accents="unicode",
    )


def fit_tfidf(texts: list[str]):
    """(sparse matrix, fitted vectorizer); copes with texts made only of stop words."""
    from scipy import sparse

    for stop_words in ("english", None):
        vectorizer = make_tfidf(stop_words=stop_words)
        try:
            return vectorizer.fit_transform(texts).astype(np.float32).tocsr(), vectorizer
        except ValueError:  # empty vocabulary
            continue
    # Nothing but blanks or punctuation: one empty column keeps shapes working.
    return sparse.csr_matrix((len(texts), 1), dtype=np.float32), None


# --- storage --------------------------------------------------------------------------------


def to_bytes(vector) -> bytes:
    """float32 little-endian bytes of a vector (or a matrix, row after row)."""
    if hasattr(vector, "toarray"):
        vector = vector.toarray()
    return np.ascontiguousarray(vector, dtype="<f4").tobytes()


def from_bytes(blob, dimension: int | None = None) -> np.ndarray:
    """The float32 vector stored by to_bytes (a matrix of rows when ``dimension`` is given)."""
    array = np.frombuffer(bytes(blob), dtype="<f4").astype(np.float32)
    return array.reshape(-1, dimension) if dimension else array


def _as_texts(texts) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("pass a list of texts, not a single string")
    return ["" if t is None else str(t) for t in texts]


def normalise_rows(matrix) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :] if matrix.size else matrix.reshape(0, 0)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)
