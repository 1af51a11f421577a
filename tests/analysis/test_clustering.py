"""Workshop notes about the same idea land in the same theme; results are stable."""

import numpy as np
import pytest
from sklearn.cluster import AgglomerativeClustering
from sklearn.metrics import adjusted_rand_score

from intersector import analysis

from .notes import IDEAS, TEXTS


def majority_cluster(labels, idea):
    picked = [c for c, i in zip(labels, IDEAS) if i == idea]
    return max(set(picked), key=picked.count)


def test_notes_about_the_same_idea_mostly_land_together(model):
    result = analysis.cluster_texts(TEXTS)
    assert result.kind == "embeddings"
    assert 3 <= result.k <= 7
    assert adjusted_rand_score(IDEAS, result.labels) >= 0.5
    assert result.silhouette is not None and result.silhouette > 0


def test_three_themes_recover_the_three_sectors(model):
    result = analysis.cluster_texts(TEXTS, k=3)
    assert result.k == 3
    assert adjusted_rand_score(IDEAS, result.labels) >= 0.8


def test_theme_labels_use_the_words_of_each_sector(model):
    result = analysis.cluster_texts(TEXTS, k=3)
    names = analysis.label_clusters(TEXTS, result.labels)
    expected = {
        "government pace": {"approval", "permit", "public", "department", "officials", "election"},
        "business drive": {"company", "firm", "profit", "capital", "investor", "market", "data"},
        "non-profit mission": {"charity", "nonprofit", "volunteer", "community", "donation"},
    }
    for idea, words in expected.items():
        label = names[majority_cluster(result.labels, idea)]
        assert words & set(label.split(", ")), (idea, label)


def test_same_notes_give_the_same_themes_every_time(model):
    first = analysis.cluster_texts(TEXTS)
    again = analysis.cluster_texts(list(TEXTS))
    assert first == again


def test_theme_zero_is_the_largest(model):
    result = analysis.cluster_texts(TEXTS)
    assert result.sizes == sorted(result.sizes, reverse=True)
    assert sorted(set(result.labels)) == list(range(result.k))


def test_clusters_are_the_ones_sklearn_ward_finds(model):
    vectors, _ = analysis.vectorize(TEXTS)
    for k in (3, 5):
        ours = analysis.cluster_texts(TEXTS, k=k, vectors=vectors).labels
        sklearn = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(vectors)
        assert adjusted_rand_score(ours, sklearn) == pytest.approx(1.0)


def test_stored_vectors_give_the_same_themes_as_texts(model):
    vectors, _ = analysis.vectorize(TEXTS)
    stored = analysis.from_bytes(analysis.to_bytes(vectors), 384)
    assert analysis.cluster_texts(TEXTS, vectors=stored) == analysis.cluster_texts(TEXTS)


def test_a_chosen_number_of_themes_is_respected(model):
    assert analysis.cluster_texts(TEXTS, k=5).k == 5
    assert analysis.cluster_texts(TEXTS[:4], k=10).k == 4
    assert analysis.cluster_texts(TEXTS, k=1).labels == [0] * len(TEXTS)


@pytest.mark.parametrize("count", [0, 1, 2])
def test_fewer_than_three_notes_make_at_most_one_theme(model, count):
    result = analysis.cluster_texts(TEXTS[:count])
    assert result.labels == [0] * count
    assert result.k == min(count, 1)
    assert result.silhouette is None


def test_duplicate_notes_are_grouped_without_errors(model):
    same = analysis.cluster_texts(["Permits are slow"] * 6)
    assert same.k == 1 and same.labels == [0] * 6
    two = analysis.cluster_texts(["Permits are slow"] * 4 + ["Volunteers are tired"] * 3)
    assert two.k == 2 and two.labels == [0] * 4 + [1] * 3


def test_k_range_is_clipped_to_what_the_notes_allow(model):
    result = analysis.cluster_texts(TEXTS[:5], k_range=(2, 50))
    assert 2 <= result.k <= 4
    assert len(result.labels) == 5


def test_mismatched_vectors_are_refused(model):
    with pytest.raises(ValueError):
        analysis.cluster_texts(TEXTS[:3], vectors=np.eye(4, 384, dtype=np.float32))


def test_silhouette_is_the_one_sklearn_computes(model):
    from sklearn.metrics import silhouette_score

    from intersector.analysis.clustering import _distances, _silhouette

    vectors, _ = analysis.vectorize(TEXTS)
    matrix = vectors.astype(np.float64)
    distances = _distances(matrix)
    for k in (2, 5, 12):
        labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(matrix)
        expected = silhouette_score(distances, labels, metric="precomputed")
        assert _silhouette(distances, labels) == pytest.approx(expected, abs=1e-9)
