"""Theme labels: the words that set a theme apart, never empty."""

from intersector import analysis


def test_label_picks_words_that_set_the_cluster_apart():
    texts = [
        "Permits wait for council approval",
        "The permit approval took months",
        "Each volunteer needs more training",
        "Training volunteers takes time",
    ]
    names = analysis.label_clusters(texts, [0, 0, 1, 1], n_words=2)
    assert set(names[0].split(", ")) == {"permit", "approval"}
    assert set(names[1].split(", ")) == {"volunteer", "training"}


def test_words_shared_by_every_theme_rank_below_distinctive_ones():
    texts = [
        "project slow approval",
        "project slow approval permit",
        "project volunteers trust",
        "project volunteers trust",
    ]
    names = analysis.label_clusters(texts, [0, 0, 1, 1], n_words=2)
    assert names == {0: "approval, slow", 1: "trust, volunteers"}


def test_plurals_are_merged_with_their_singular():
    texts = ["Charities rely on donations", "A charity needs one donation", "Firms chase profit"]
    names = analysis.label_clusters(texts, [0, 0, 1], n_words=2)
    assert names[0] == "charity, donation"


def test_words_like_process_and_business_are_not_cut_short():
    texts = ["The business process", "business process", "trust matters"]
    names = analysis.label_clusters(texts, [0, 0, 1], n_words=2)
    assert set(names[0].split(", ")) == {"business", "process"}


def test_digits_punctuation_and_stop_words_are_left_out():
    names = analysis.label_clusters(["In 2024, the permit!!! was 3 weeks late...", "ok"], [0, 1])
    words = names[0].split(", ")
    assert "permit" in words and "2024" not in names[0]
    assert not {"the", "in", "was"} & set(words)


def test_a_theme_without_usable_words_still_gets_a_label():
    names = analysis.label_clusters(["It is what it is", "123 456", "", "Permits are slow"], [0, 1, 2, 3])
    assert names[0] == "It is what it is"
    assert names[1] == "123 456"
    assert names[2] == "Theme 3"
    assert all(names.values())


def test_fallback_label_uses_the_most_central_note_when_vectors_are_given():
    import numpy as np

    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.7, 0.7]])
    texts = ["it is so", "and we were", "they had been there"]
    names = analysis.label_clusters(texts, [0, 0, 0], vectors=vectors)
    assert names[0] == "they had been there"


def test_number_of_words_is_respected():
    texts = ["slow permit approval council months", "fast profit firm capital market"]
    names = analysis.label_clusters(texts, [0, 1], n_words=4)
    assert all(len(label.split(", ")) == 4 for label in names.values())


def test_no_notes_give_no_labels():
    assert analysis.label_clusters([], []) == {}
