"""Themes a facilitator keeps: name rules found by reading the tuned-on boards' names by hand
(analysis/phrases.py and grammar.py) and how a big prompt's notes are grouped (themes.py), each
shown on a small planted board."""

import numpy as np

from intersector.analysis import phrases
from intersector.analysis.labels import _stop_words
from intersector.analysis.phrases import _acceptable, name_themes

# A board about capital punishment: "capital" and "punishment" are in every note (its topic).
# Themes: executions break human rights; they deter crime; they cost less than prison; the innocent.
TOPIC_BOARD = (
    ["Capital punishment is the death penalty and breaks human rights",
     "Capital punishment, the death penalty, is wrong: human rights for all",
     "The death penalty as capital punishment has no place, human rights say so",
     "Capital punishment deters crime in big cities",
     "Murderers fear capital punishment so crime deters",
     "Capital punishment deters crime where it is used",
     "Capital punishment costs less than prison for life",
     "Prison for life costs more than capital punishment",
     "Taxes pay for prison for life, not for capital punishment",
     "Capital punishment kills innocent people by mistake",
     "Innocent people die under capital punishment",
     "Capital punishment cannot give innocent people their life back"],
    [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3],
)


def _two_themes(first, second):
    """The names of two themes made of these notes."""
    return name_themes(first + second, [0] * len(first) + [1] * len(second))


def _embed_by_keyword(texts):
    """A stand-in model: "penalty" and the topic's own words mean the board's topic, "rights"
    the first theme's idea, anything else the other themes' ideas."""
    rows = []
    for text in texts:
        text = text.lower()
        if "penalty" in text or "punishment" in text or "capital" in text:
            rows.append([1.0, 0.0, 0.0, 0.0])
        elif "rights" in text:
            rows.append([0.0, 1.0, 0.0, 0.0])
        else:
            rows.append([0.0, 0.0, 0.0, 1.0])
    return np.array(rows)


def _topic_board_names():
    texts, labels = TOPIC_BOARD
    # Each theme's notes lie near its idea and a little towards the topic: "Death penalty" is
    # nearer the first theme's notes than "Human rights" is.
    vectors = np.array([[0.8, 0.6, 0.0, 0.0] if label == 0 else [0.0, 0.0, 0.0, 1.0] for label in labels])
    return name_themes(texts, labels, vectors=vectors, embed=_embed_by_keyword)


def test_a_name_that_says_the_boards_topic_in_other_words_loses(monkeypatch):
    """'Death penalty' on a board about capital punishment names the board, not a theme, though
    no word of it is a topic word: a phrase as near the topic's own words in meaning goes last."""
    assert _topic_board_names()[0] == "Human rights"
    monkeypatch.setattr(phrases, "TOPIC_MEANING", 1.01)  # the rule off: the topic wins
    assert _topic_board_names()[0] == "Death penalty"


def test_the_topic_phrase_is_the_boards_commonest_words_one_per_stem():
    texts, _labels = TOPIC_BOARD
    notes = [phrases._note_words(t) for t in texts]
    topic = phrases._topic_words(notes, {})
    assert phrases._topic_phrase(notes, topic, _stop_words()) == "capital punishment"


def test_a_pair_after_of_is_not_cut_from_its_head():
    """'Time and money' out of 'a waste of time and money' loses its head: the name is a whole
    phrase, never the pair alone."""
    names = _two_themes(["Space travel is a waste of time and money",
                         "Rockets are a loss of time and money while people starve",
                         "Think of the cost of time and money on rockets"],
                        ["Rockets bring new science and better satellites",
                         "New science from space helps medicine",
                         "Satellites and new science come from space research"])
    assert not names[0].lower().startswith("time and money"), names


def test_a_name_does_not_end_on_past_or_hold_till_or_filler():
    """'Trucks speeding past', 'Murderer till the end' and 'Ends in divorce anyways' (seen on
    tuned boards) are no names."""
    def ok(phrase):
        return _acceptable([(w.lower(), w) for w in phrase.split()], _stop_words())

    for bad in ("Trucks speeding past", "Murderer till the end", "Cheating again", "Divorce anyways",
                "Robots anyway"):
        assert not ok(bad), bad
    # A plural then an -ing verb is a clause cut short; an -ing noun is not.
    for bad in ("Younger generations looking", "Students spending"):
        assert not ok(bad), bad
    for good in ("Rush hour traffic", "Eye for an eye", "Past mistakes", "Cuts in funding", "Affordable housing"):
        assert ok(good), good


def test_people_after_a_describing_word_is_a_name_but_a_role_is_not():
    """'Innocent people' says whom the theme is about and may name it; 'Executive director' only
    says who, and counts against a name as sector words do."""
    names = _two_themes(["Innocent people are executed by mistake",
                         "Innocent people have been put to death",
                         "Courts convict innocent people and cannot undo it"],
                        ["The executive director approves every statement",
                         "The executive director signs off every plan",
                         "Nothing leaves without the executive director approving it"])
    assert names[0] == "Innocent people", names
    assert phrases._describes_people([("innocent", "Innocent"), ("people", "people")])
    assert not phrases._describes_people([("disincentives", "Disincentives"), ("people", "people")])


def _crossed_pairs(pairs=24, idea=0.6, wording=1.0, seed=3):
    """Notes on two ideas (+/- the first direction); each note shares its wording (a direction of
    its own pair) with one note of the other idea: the nearest note is always on the other side."""
    rng = np.random.default_rng(seed)
    rows, ideas = [], []
    for p in range(pairs):
        for side in (1.0, -1.0):
            row = np.zeros(2 * pairs + 8)
            row[0] = side * idea
            row[1 + p] = wording
            row[1 + pairs:] = rng.normal(0, 0.05, 7 + pairs)
            rows.append(row / np.linalg.norm(row))
            ideas.append(int(side > 0))
    return np.array(rows), ideas


def test_a_big_prompt_groups_by_what_many_notes_differ_in_not_by_wording_pairs():
    """Ward on the notes' own vectors pairs each note with its wording twin across ideas; on the
    prompt's main directions (each note's likeness to all the others) the two ideas come back."""
    from sklearn.metrics import adjusted_rand_score

    from intersector.analysis import themes
    from intersector.analysis.clustering import _cut, _ward_tree

    matrix, ideas = _crossed_pairs()
    assert len(matrix) >= themes.PROFILE_MIN_NOTES
    plain = _cut(_ward_tree(matrix), len(matrix), 2)
    assert adjusted_rand_score(ideas, plain) < 0.2
    assert adjusted_rand_score(ideas, themes._cluster(matrix, 2)) == 1.0


def test_main_directions_keep_the_distances_of_each_notes_row_of_likeness():
    """The cheap form (coordinates on the main directions times their spread) is the same
    grouping as rows of cosines less their column means, at any number of notes."""
    from intersector.analysis import themes

    matrix, _ideas = _crossed_pairs(pairs=10)
    likeness = matrix @ matrix.T
    rows = likeness - likeness.mean(axis=0)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    fast = themes._along_main_directions(matrix)
    assert np.allclose(fast @ fast.T, rows @ rows.T, atol=1e-9)
