"""Similarity search: cases like this one, and free-text "cases like mine"."""

import numpy as np
import pytest

from intersector import analysis

CASES = [
    "A city council and a builder shortened permit approvals for affordable housing",
    "A food bank and a supermarket chain shared surplus stock with volunteers",
    "A health ministry and a tech firm agreed rules for sharing patient data",
    "A river trust, farmers and the environment agency cleaned up a polluted river",
    "A bank funded a charity's debt advice service for low-income families",
    "The transport department and a startup piloted on-demand rural buses",
]


def test_free_text_finds_the_case_about_the_same_thing(model):
    index = analysis.TextIndex.build(CASES)
    assert index.info.kind == "embeddings"
    results = index.search("we want faster building consent from local government", top_k=3)
    assert results[0][0] == 0
    assert [score for _, score in results] == sorted((s for _, s in results), reverse=True)


def test_cases_like_this_one_leave_the_case_itself_out(model):
    index = analysis.TextIndex.build(CASES)
    results = index.search(index.vectors[2], top_k=10, exclude=2)
    assert 2 not in [position for position, _ in results]
    assert len(results) == len(CASES) - 1
    both = index.search(index.vectors[2], top_k=10, exclude=[2, 0])
    assert {p for p, _ in both} == set(range(len(CASES))) - {0, 2}
    assert index.search(index.vectors[2], top_k=1)[0] == (2, pytest.approx(1.0, abs=1e-5))


def test_stored_vectors_search_like_a_fresh_index(model):
    index = analysis.TextIndex.build(CASES)
    blobs = [analysis.to_bytes(row) for row in index.vectors]
    stored = analysis.TextIndex.from_vectors([analysis.from_bytes(b) for b in blobs], index.info)
    query = "volunteers and donated food"
    fresh, again = index.search(query, top_k=3), stored.search(query, top_k=3)
    assert [p for p, _ in again] == [p for p, _ in fresh]
    np.testing.assert_allclose([s for _, s in again], [s for _, s in fresh], atol=1e-6)


def test_vectors_round_trip_through_bytes_exactly():
    vector = np.random.default_rng(0).standard_normal(384).astype(np.float32)
    blob = analysis.to_bytes(vector)
    assert isinstance(blob, bytes) and len(blob) == 384 * 4
    assert np.array_equal(analysis.from_bytes(blob), vector)
    matrix = np.vstack([vector, -vector])
    assert np.array_equal(analysis.from_bytes(analysis.to_bytes(matrix), 384), matrix)
    assert np.array_equal(analysis.from_bytes(memoryview(blob)), vector)


def test_a_query_of_the_wrong_size_is_refused(model):
    index = analysis.TextIndex.build(CASES)
    with pytest.raises(ValueError):
        index.search(np.ones(10, dtype=np.float32))


def test_an_empty_index_finds_nothing(model):
    assert analysis.TextIndex.build([]).search("anything") == []


def test_word_index_transforms_queries_with_its_own_vocabulary():
    from intersector.analysis.index import TextIndex
    from intersector.analysis.vectors import tfidf_info

    index = TextIndex._tfidf(CASES, tfidf_info(analysis.ModelUnavailable("test")))
    results = index.search("patient data rules", top_k=2)
    assert results[0][0] == 2 and results[0][1] > 0
    assert index.vectors.shape[0] == len(CASES)
    assert index.search("zzz unknown words", top_k=2) == [(0, 0.0), (1, 0.0)]


def test_cases_like_this_one_by_position(model):
    index = analysis.TextIndex.build(CASES)
    results = index.similar_to(0, top_k=3)
    assert 0 not in [p for p, _ in results] and len(results) == 3
    assert results == index.search(index.vectors[0], top_k=3, exclude=0)


def test_word_index_finds_cases_like_this_one_without_a_dense_copy():
    from intersector.analysis.index import TextIndex
    from intersector.analysis.vectors import tfidf_info

    texts = CASES + ["A charity and a bank set up debt advice for families on low incomes"]
    index = TextIndex._tfidf(texts, tfidf_info(analysis.ModelUnavailable("test")))
    assert index.similar_to(len(texts) - 1, top_k=1)[0][0] == 4
    assert index._dense is None
