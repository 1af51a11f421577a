"""Similarity search over a fixed set of texts ("cases like this one")."""

from __future__ import annotations

import numpy as np

from . import vectors as _v
from .model import ModelUnavailable
from .threads import limit_threads
from .vectors import EMBEDDINGS, ModelInfo


class TextIndex:
    """Texts (or their stored vectors) and a way to put a new query in the same space.

    With embeddings a query is embedded with the same model. With TF-IDF the fitted vectorizer
    is kept, so a query's words are weighed with the corpus' vocabulary.
    """

    def __init__(self, matrix, info: ModelInfo, texts=None, vectorizer=None):
        self._matrix = matrix  # dense float32 (embeddings) or sparse CSR (TF-IDF)
        self._dense = None
        self.info = info
        self.texts = texts
        self._vectorizer = vectorizer

    # --- construction -----------------------------------------------------------------------

    @classmethod
    def build(cls, texts) -> "TextIndex":
        texts = _v._as_texts(texts)
        try:
            return cls(_v.embed(texts), EMBEDDINGS, texts)
        except ModelUnavailable as error:
            return cls._tfidf(texts, _v.tfidf_info(error))

    @classmethod
    def _tfidf(cls, texts, info) -> "TextIndex":
        matrix, vectorizer = _v.fit_tfidf(texts)
        return cls(matrix, info, texts, vectorizer)

    @classmethod
    def from_vectors(cls, vectors, info: ModelInfo, texts=None) -> "TextIndex":
        """Rebuild from stored vectors (e.g. from_bytes of a BinaryField per row).

        Stored embeddings are used as they are. If they are TF-IDF rows, or the model has gone
        missing since they were stored, the texts (when given) are re-fitted with TF-IDF so
        text queries still work; without texts only vector queries are possible.
        """
        texts = None if texts is None else _v._as_texts(texts)
        if info.kind == "embeddings":
            current = _v.model_info()
            if current.kind == "embeddings" or texts is None:
                return cls(_v.normalise_rows(vectors), info, texts)
            return cls._tfidf(texts, current)
        if texts is not None:
            return cls._tfidf(texts, info)
        return cls(_v.normalise_rows(vectors), info, None)

    # --- access -----------------------------------------------------------------------------

    @property
    def vectors(self) -> np.ndarray:
        """The corpus matrix, dense float32 (n, d)."""
        if isinstance(self._matrix, np.ndarray):
            return self._matrix
        if self._dense is None:
            self._dense = np.asarray(self._matrix.toarray(), dtype=np.float32)
        return self._dense

    def __len__(self) -> int:
        return self._matrix.shape[0]

    def vector_for(self, text: str):
        """The query vector of ``text`` in this index' space (1, d)."""
        if self.info.kind == "embeddings":
            return _v.embed([text])
        if self._vectorizer is None:
            if self.texts is None:
                raise ModelUnavailable("this index has no texts to compare words with")
            # Index had no usable vocabulary: nothing can match.
            return np.zeros((1, self._matrix.shape[1]), dtype=np.float32)
        return self._vectorizer.transform([text]).astype(np.float32)

    def scores(self, query) -> np.ndarray:
        """Cosine similarity of the query (text or vector) with every text, shape (n,)."""
        if isinstance(query, str):
            query = self.vector_for(query)
        elif hasattr(query, "toarray") and isinstance(self._matrix, np.ndarray):
            query = query.toarray()
        if not hasattr(query, "nnz"):
            query = _v.normalise_rows(query)
        if query.shape[1] != self._matrix.shape[1]:
            raise ValueError(
                f"query has {query.shape[1]} dimensions, the index has {self._matrix.shape[1]}"
            )
        limit_threads()
        result = self._matrix @ query.T
        if hasattr(result, "toarray"):
            result = result.toarray()
        return np.asarray(result, dtype=np.float32).ravel()

    def similar_to(self, position: int, top_k: int = 5) -> list[tuple[int, float]]:
        """Texts most like the text at ``position`` ("cases like this one"), itself left out."""
        return self.search(self._matrix[position], top_k=top_k, exclude=position)

    def search(self, query, top_k: int = 5, exclude=None) -> list[tuple[int, float]]:
        """The ``top_k`` closest texts as (position, cosine score), best first.

        ``exclude``: a position or a collection of positions to leave out (e.g. the case
        itself). Ties are broken by position so results are stable.
        """
        if len(self) == 0 or top_k <= 0:
            return []
        scores = self.scores(query).astype(np.float64)
        if exclude is not None:
            skip = [exclude] if isinstance(exclude, (int, np.integer)) else list(exclude)
            skip = [int(i) for i in skip if 0 <= int(i) < len(scores)]
            scores[skip] = -np.inf
        k = min(top_k, len(scores))
        # argpartition first: a full sort of thousands of rows per query is wasted work.
        candidates = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(k)
        best = sorted(candidates, key=lambda i: (-scores[i], i))
        return [(int(i), float(scores[i])) for i in best if np.isfinite(scores[i])]
