"""Without the language model everything still works, on shared words (TF-IDF)."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from intersector import analysis

from .notes import IDEAS, TEXTS
from .test_index import CASES


def test_the_screen_is_told_why_in_plain_words(without_model):
    info = analysis.model_info()
    assert info.kind == "tfidf" and info.name == "TF-IDF"
    assert info.reason.startswith("Themes and matches are based on shared words, because")
    assert "/" not in info.reason and "INTERSECTOR" not in info.reason


def test_embeddings_are_refused_without_the_model(without_model):
    with pytest.raises(analysis.ModelUnavailable):
        analysis.embed(["anything"])


def test_vectorize_falls_back_to_unit_length_word_vectors(without_model):
    vectors, info = analysis.vectorize(TEXTS)
    assert info.kind == "tfidf"
    assert vectors.dtype == np.float32 and vectors.shape[0] == len(TEXTS)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_themes_still_group_notes_that_share_words(without_model):
    result = analysis.cluster_texts(TEXTS)
    assert result.kind == "tfidf"
    assert 2 <= result.k <= 7
    assert adjusted_rand_score(IDEAS, result.labels) > 0.05
    permit_notes = [c for t, c in zip(TEXTS, result.labels) if "permit" in t]
    assert len(set(permit_notes)) == 1
    names = analysis.label_clusters(TEXTS, result.labels)
    assert "permit" in names[permit_notes[0]]


def test_themes_from_notes_with_only_common_words_do_not_crash(without_model):
    result = analysis.cluster_texts(["it is", "was it", "the", "", "and so"])
    assert len(result.labels) == 5
    assert all(analysis.label_clusters(["it is", "was it", "the", "", "and so"], result.labels).values())


def test_search_by_words_still_finds_cases(without_model):
    index = analysis.TextIndex.build(CASES)
    assert index.info.kind == "tfidf"
    assert index.search("sharing patient data", top_k=1)[0][0] == 2


def test_stored_embeddings_fall_back_to_words_when_the_model_is_gone(without_model):
    stored = np.zeros((len(CASES), 384), dtype=np.float32)
    embeddings = analysis.ModelInfo(kind="embeddings", name="all-MiniLM-L6-v2")
    index = analysis.TextIndex.from_vectors(stored, embeddings, texts=CASES)
    assert index.info.kind == "tfidf"
    assert index.search("polluted river", top_k=1)[0][0] == 3


def test_word_vectors_passed_without_their_info_are_reported_as_words(without_model):
    from itertools import product
    from string import ascii_lowercase

    # 384 different one-word notes: as many TF-IDF columns as an embedding has numbers.
    texts = ["zq" + a + b for a, b in product(ascii_lowercase, repeat=2)][:384]
    vectors, _ = analysis.vectorize(texts)
    assert vectors.shape == (384, 384)
    result = analysis.cluster_texts(texts, vectors=vectors)
    assert result.kind == "tfidf"
