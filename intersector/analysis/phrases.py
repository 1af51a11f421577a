"""Name each theme by a short phrase taken from its notes ("Short-term grants", "Slow approvals").

Candidates are runs of 2–6 words inside one note, cut at punctuation, that read as a noun phrase
(grammar.py: not a clause, a command or a fragment), start and end on a
word that carries meaning (not "the", "can", "really"...), hold at most two small linking words
("of", "and", "for"...) and no verbs such as "is" or "can", and no abbreviation. Each is scored
by how much its words set the theme apart from the other themes (class-based TF-IDF, as in
label_clusters), by how many of the theme's notes share those words, and a little more when it
comes from one of the theme's most typical notes. Words naming a sector ("council", "charity")
count against a phrase: a theme gathers an idea across sectors and its name should too; so do
words for the people in the notes ("staff", "director").
"""

from __future__ import annotations

import re

import numpy as np

from .grammar import (  # noqa: F401  (_acceptable and _command are used by the tests through here)
    _AMBIGUOUS, DETERMINERS, MAX_WORDS, MIN_WORDS, MODALS, _NOT_VERBS, _abbreviation, _acceptable,
    _command, _cut_inside)
from .labels import EXTRA_STOP_WORDS, _ctfidf, _stop_words, plural_map

# Words that name a sector or its organisations.
SECTOR_WORDS = frozenset(
    """government governments council councils city cities ministry ministries department departments
    agency agencies official officials public sector state county mayor politicians civil servants
    business businesses company companies firm firms corporation corporations corporate startup
    startups industry private employer employers nonprofit nonprofits non-profit non-profits
    charity charities foundation foundations volunteers ngo ngos community communities group groups
    residents environment environmental youth""".split()
) | frozenset(
    # The people in the notes: a theme is about what they face or bring, not who they are
    # ("Short of funding" rather than "Health staff").
    """staff director directors manager managers owner owners office offices officer officers people
    person partner partners members leaders employees customers president presidents vice ceo chief
    boss bosses""".split()
)
SECTOR_PENALTY = 0.35
# A word in more than this share of all the notes is the board's topic ("journalism" on a board
# about subsidising journalism): it may sit in a name but earns it nothing.
TOPIC_SHARE = 0.3
# With embeddings: this many best phrases per theme are compared in meaning with its notes, and
# the word score (scaled to the theme's best) counts this much beside the cosine.
SHORTLIST = 6
MEANING_WORDS = 0.3
# The cosine to the theme's notes counts less this share of the cosine to the nearest other
# theme's: a phrase as near another theme's notes names the board, not this theme (on the
# tuned-on boards 0.5 and 1 named fewer themes the way people would keep than 0.75).
CONTRAST = 0.75
# The word after one of these in a note describes ("it is inhumane", "too costly").
DEGREE_WORDS = frozenset("is are was were be so too very extremely quite".split())
# A word followed by one of these in the note is a verb taking an object ("hear what", "opens
# the door"): a run of words that stops there is not a name.
OBJECT_STARTS = frozenset("the a an their its our his her them it what that your my this these those every any some".split())
# A phrase at least this near the board's topic phrase in meaning names the topic (on the
# tuned-on boards "Death penalties" 0.64, "Marijuana laws" 0.55; kept names at most 0.50).
TOPIC_MEANING = 0.55
STEM = 5  # letters that make two words the same when names are compared
# Each theme's this many best phrases are checked for words that come together in more of the
# other themes' notes than of its own.
BOARD_WORDS_CHECKED = 3 * SHORTLIST
TYPICAL_BONUS = 1.25
CHUNK = re.compile(r"[,.;:!?()\[\]{}\"“”‘’/|…–—]+|\s-\s")
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\S+")


def name_themes(texts, labels, typical=None, sectors=None, vectors=None, embed=None) -> dict[int, str]:
    """{theme: phrase} for every theme in ``labels``: 2–6 words from its notes, none repeated.

    With ``vectors`` (the notes' embeddings) and ``embed`` (a function from phrases to
    embeddings), each theme's best few phrases are embedded and the one nearest the theme's notes
    in meaning is preferred.
    """
    labels = [int(c) for c in labels]
    themes = sorted(set(labels))
    if not themes:
        return {}
    typical = typical or {}
    stop = _stop_words() | EXTRA_STOP_WORDS
    sector_words = SECTOR_WORDS | {w for s in (sectors or []) for w in _words(str(s or ""))}
    notes = [_note_words(t) for t in texts]
    mapping = plural_map({w for chunks in notes for chunk in chunks for w, _s in chunk})
    weights, column = _theme_weights(notes, labels, themes, stop, mapping)
    topic = _topic_words(notes, mapping) if len(texts) >= 10 else set()
    sizes = {c: labels.count(c) for c in themes}
    order = sorted(themes, key=lambda c: (-sizes[c], c))
    members = {c: [i for i, label in enumerate(labels) if label == c] for c in themes}
    verbs = _board_verbs(notes, stop)
    # Opening a name, a word used after "to" too, and never after "the", "of"..., is a command:
    # "Quit working", "Honor capital punishment".
    openers = _board_verbs(notes, stop, triggers=MODALS | {"to"})
    clause_words = _after_modals(notes) | openers
    describing = _board_describing_words(notes, stop)
    ranked = {c: _candidates(notes, members[c], set(typical.get(c, [])), weights[themes.index(c)], column,
                             stop, sector_words, mapping, topic, verbs, clause_words, openers, describing)
              for c in themes}
    if len(themes) >= 3:
        ranked = _without_board_words(ranked, notes, labels, mapping, stop)
    if vectors is not None and embed is not None:
        ranked = _by_meaning(ranked, members, vectors, embed, _topic_phrase(notes, topic, stop | sector_words))
    names, used = {}, set()
    for c in order:
        # Two themes never get names made of the same words ("Subsidies for journalism" and
        # "Subsidizing journalism" count as the same).
        # Nor a name whose words all sit in an earlier one ("Younger generations" after "Younger
        # generation of workers"): the second theme would read as the first.
        name = next((phrase for _key, phrase, _score in ranked[c] if not _repeats(_stem_key(phrase, stop), used)), None)
        if name is None:
            name = _fallback(texts, members[c], typical.get(c), stop, used)
        used.add(_stem_key(name, stop))
        names[c] = name
    return names


def _without_board_words(ranked, notes, labels, mapping, stop):
    """Each theme's best phrases without those whose words come together in a larger share of
    the other themes' notes than of its own: they name the board ("Mandatory retirement" on a
    board about it), not one of its themes."""
    holders: dict[str, set[int]] = {}
    for i, chunks in enumerate(notes):
        for w in {_base(w, mapping) for chunk in chunks for w, _s in chunk}:
            holders.setdefault(w, set()).add(i)
    sizes = {}
    for c in labels:
        sizes[c] = sizes.get(c, 0) + 1
    result = {}
    for c, candidates in ranked.items():
        head = []
        for entry in candidates[:BOARD_WORDS_CHECKED]:
            content = [w for w in entry[0].split() if w not in stop]
            holding = set.intersection(*(holders.get(w, set()) for w in content)) if content else set()
            inside = sum(labels[i] == c for i in holding)
            if inside / sizes[c] > (len(holding) - inside) / max(len(labels) - sizes[c], 1):
                head.append(entry)
        result[c] = (head + candidates[BOARD_WORDS_CHECKED:]) or candidates
    return result


def _repeats(key, used) -> bool:
    words = set(key.split())
    return key in used or any(words <= set(other.split()) or set(other.split()) <= words for other in used)


def _stem_key(phrase, stop) -> str:
    return " ".join(sorted({w[:STEM] for w in _words(phrase) if w not in stop}))


def _by_meaning(ranked, members, vectors, embed, topic_phrase=""):
    """Re-rank each theme's SHORTLIST best phrases: cosine to the theme's mean note, plus the
    word score scaled to the theme's best (so a phrase must be both typical and distinctive).
    A phrase that means the board's topic (``topic_phrase``) goes to the back of its list."""
    shortlists = {c: candidates[:SHORTLIST] for c, candidates in ranked.items()}
    phrases = [phrase for c in shortlists for _key, phrase, _score in shortlists[c]]
    if not phrases:
        return ranked
    try:
        embedded = np.asarray(embed(phrases + [topic_phrase or "-"]), dtype=np.float64)
    except Exception:  # the model went away: the word scores alone still name every theme
        return ranked
    topic = embedded[-1] / max(np.linalg.norm(embedded[-1]), 1e-12) if topic_phrase else None
    matrix = np.asarray(vectors, dtype=np.float64)
    centres = {}
    for c in shortlists:
        centre = matrix[members[c]].mean(axis=0)
        centres[c] = centre / max(np.linalg.norm(centre), 1e-12)
    result, row = {}, 0
    for c, shortlist in shortlists.items():
        others = [centres[d] for d in shortlists if d != c]
        top = max((score for _k, _p, score in shortlist), default=1.0) or 1.0
        rescored = []
        for key, phrase, score in shortlist:
            near = float(embedded[row] @ centres[c])
            # A phrase as near another theme's notes names the board, not this theme ("Death
            # penalty" on a board about capital punishment).
            if others and CONTRAST:
                near -= CONTRAST * max(float(embedded[row] @ o) for o in others)
            # "Death penalties" or "Marijuana laws" on a board about legalising cannabis or capital
            # punishment names the board in other words: last, after every other phrase.
            says_topic = topic is not None and float(embedded[row] @ topic) >= TOPIC_MEANING
            rescored.append((key, phrase, near + MEANING_WORDS * score / top - (10.0 if says_topic else 0.0)))
            row += 1
        rescored.sort(key=lambda entry: -entry[2])
        result[c] = rescored + ranked[c][SHORTLIST:]
    return result


def _words(text):
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def _note_words(text):
    """The note as chunks (between punctuation) of (normalised word, word as written)."""
    chunks = []
    for piece in CHUNK.split(str(text or "")):
        words = [(w.lower().replace("’", "'"), w) for w in WORD.findall(piece)]
        if words:
            chunks.append(words)
    return chunks


def _base(word, mapping):
    word = word[:-2] if word.endswith("'s") else word
    return mapping.get(word, word)


def _theme_weights(notes, labels, themes, stop, mapping):
    vocabulary = sorted({_base(w, mapping) for chunks in notes for chunk in chunks for w, _s in chunk
                         if w not in stop and w.isalpha()})
    column = {w: i for i, w in enumerate(vocabulary)}
    counts = np.zeros((len(themes), max(len(vocabulary), 1)))
    row = {c: i for i, c in enumerate(themes)}
    for chunks, c in zip(notes, labels):
        for w in {_base(w, mapping) for chunk in chunks for w, _s in chunk}:
            if w in column:
                counts[row[c], column[w]] += 1
    return _ctfidf(counts), column


def _board_verbs(notes, stop, triggers=MODALS):
    """Words that follow "can", "should", "don't"... in these notes and never "the", "a", "of"...:
    verbs as this board uses them ("Children can't express themselves", "to eradicate" is not
    needed), so no list of English verbs has to know "express" or "eradicate"."""
    after_modal, after_determiner = _words_after(notes, triggers, ("of", "for", "with", "and", "or"))
    # Words that are nouns as often ("use", "help", "change") keep the rules for those.
    return frozenset(after_modal - after_determiner - stop - _NOT_VERBS - _AMBIGUOUS)


def _board_describing_words(notes, stop):
    """Words that follow "is", "so", "too", "very"... in these notes and never "the", "a", "of"...:
    describing words as this board uses them ("it is inhumane"), which cannot end a name
    ("Cruel and inhumane")."""
    after_degree, after_determiner = _words_after(notes, DEGREE_WORDS, ("of", "for", "with", "in", "on"))
    return frozenset(after_degree - after_determiner - stop)


def _words_after(notes, triggers, noun_markers):
    """({words right after one of `triggers`}, {words right after a determiner or one of
    `noun_markers`}) in these notes: a word only in the first set is used as the triggers' kind."""
    after_trigger, after_determiner = set(), set()
    for chunks in notes:
        for chunk in chunks:
            for (before, _s), (word, _w) in zip(chunk, chunk[1:]):
                if before in triggers:
                    after_trigger.add(word)
                elif before in DETERMINERS or before in noun_markers:
                    after_determiner.add(word)
    return after_trigger, after_determiner


def _after_modals(notes):
    """Words that follow "can", "should", "don't"... somewhere in these notes: verbs at least there."""
    found = set()
    for chunks in notes:
        for chunk in chunks:
            for (before, _s), (word, _w) in zip(chunk, chunk[1:]):
                if before in MODALS:
                    found.add(word)
    return frozenset(found)


def _topic_phrase(notes, topic, leave_out) -> str:
    """The board's topic in its own words, one per stem, commonest first ("punishment capital
    crime"): what a name should not just say again in other words."""
    counts = {}
    for chunks in notes:
        for w in {w for chunk in chunks for w, _s in chunk if w in topic and w not in leave_out and w.isalpha()}:
            counts[w] = counts.get(w, 0) + 1
    chosen = {}
    for w in sorted(counts, key=lambda w: (-counts[w], w)):
        chosen.setdefault(w[:STEM], w)
    return " ".join(chosen.values())


def _topic_words(notes, mapping):
    """Words whose stem is in more than TOPIC_SHARE of the notes: "subsidize", "subsidies" and
    "subsidizing" are one topic word on a board about subsidising journalism."""
    counts, stems = {}, {}
    for chunks in notes:
        words = {_base(w, mapping) for chunk in chunks for w, _s in chunk}
        for stem in {w[:STEM] for w in words if len(w) >= STEM}:
            counts[stem] = counts.get(stem, 0) + 1
        for w in words:
            stems.setdefault(w, w[:STEM] if len(w) >= STEM else None)
    return {w for w, stem in stems.items() if stem and counts[stem] > TOPIC_SHARE * len(notes)}


def _candidates(notes, members, typical, weights, column, stop, sector_words, mapping, topic, verbs=frozenset(),
                clause_words=frozenset(), openers=frozenset(), describing=frozenset()):
    """[(key, phrase)] best first."""
    present = [{_base(w, mapping) for chunk in notes[i] for w, _s in chunk} for i in members]
    # Which member note holds which word, as a table: how many notes share a phrase's words is
    # then one look-up per phrase, not a pass over every note (1,000 long notes: ~1 s less).
    local = {w: j for j, w in enumerate(sorted(set().union(*present)))}
    holds = np.zeros((len(members), len(local) + 1), dtype=np.int32)  # last column: a word no note holds
    for row, words in enumerate(present):
        holds[row, [local[w] for w in words]] = 1
    found, acceptable = {}, {}
    for i in members:
        for chunk in notes[i]:
            for start in range(len(chunk)):
                for end in range(start + MIN_WORDS, min(start + MAX_WORDS, len(chunk)) + 1):
                    span = chunk[start:end]
                    seen = tuple(span)
                    if seen not in acceptable:
                        acceptable[seen] = (_acceptable(span, stop, verbs) and not _command(span, openers)
                                            and span[-1][0] not in describing)
                    if not acceptable[seen] or (end < len(chunk) and chunk[end][0] in OBJECT_STARTS):
                        continue
                    # A run that stops before a word carrying meaning, other than a verb, is cut
                    # inside its noun phrase: "Help with medical [issues]", "Use of harder [drugs]".
                    if end < len(chunk) and _cut_inside(chunk[end][0], stop, clause_words):
                        continue
                    # "Serial killings or child [abuse]": a name joining two things ends where
                    # the second one does.
                    if end < len(chunk) and chunk[end][0] not in stop and any(w in ("and", "or") for w, _s in span):
                        continue
                    # ... and one that follows "of" has lost its head: "[Waste of] time and money",
                    # "[Power of] life and death".
                    if start > 0 and chunk[start - 1][0] == "of" and any(w in ("and", "or") for w, _s in span):
                        continue
                    key = " ".join(_base(w, mapping) for w, _s in span)
                    if key in found:
                        found[key][1] = max(found[key][1], TYPICAL_BONUS if i in typical else 1.0)
                        continue
                    found[key] = [span, TYPICAL_BONUS if i in typical else 1.0]
    ranked = []
    for key, (span, bonus) in found.items():
        content = [_base(w, mapping) for w, _s in span if w not in stop and _base(w, mapping) not in topic]
        if not content:
            continue
        weight = float(np.mean([weights[column[w]] if w in column else 0.0 for w in content]))
        # A name mostly made of the board's topic words says little ("Use of child actors" on a
        # board about child actors): out when they are more than half of it, else it scores less.
        meaningful = [w for w, _s in span if w not in stop]
        if 2 * len(content) < len(meaningful):
            continue
        weight *= len(content) / max(len(meaningful), 1)
        hits = holds[:, [local.get(w, len(local)) for w in content]].sum(axis=1)
        shared = float(np.mean(hits / len(content) >= 0.5))
        score = weight * (0.5 + shared) * bonus * min(len(content), 3) ** 0.5

        who = [w for w, _s in span if _base(w, {}) in sector_words]
        if who:
            # "people" after a describing word says whom a theme is about ("Innocent people"):
            # it counts against the name a quarter as much.
            score *= SECTOR_PENALTY ** (0.25 if _describes_people(span) else 1.0)
        ranked.append((-score, len(span), key, _written(span)))
    ranked.sort()
    return [(key, phrase, -score) for score, _n, key, phrase in ranked]


def _describes_people(span) -> bool:
    """ "Innocent people", "Younger people": two words, a describing word and "people"."""
    return len(span) == 2 and span[1][0] in ("people", "person") and not span[0][0].endswith("s")


def _written(span) -> str:
    words = [s for _w, s in span]
    first = words[0]
    if not _abbreviation(first):
        first = first[0].upper() + first[1:]
    return " ".join([first] + words[1:])


def _fallback(texts, members, typical, stop, used) -> str:
    """The opening words of the most typical note, cut to end on a meaningful word."""
    for i in list(typical or []) + members:
        words = str(texts[i]).split()[:MAX_WORDS]
        while words and words[-1].lower().strip(".,;:!?") in stop:
            words.pop()
        phrase = " ".join(words).strip(".,;:!?")
        if phrase and _stem_key(phrase, stop) not in used:
            return phrase[0].upper() + phrase[1:]
    return f"Theme {len(used) + 1}"
