"""Name each theme by a short phrase taken from its notes ("Short-term grants", "Slow approvals").

Candidates are runs of 2–6 words inside one note, cut at punctuation, that start and end on a
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

from .labels import EXTRA_STOP_WORDS, _ctfidf, _stop_words, plural_map

MIN_WORDS, MAX_WORDS = 2, 6
LINKING = frozenset("of and for in on with the a an at from by or about across between per".split())
MAX_LINKING = 2
# Words that turn a phrase into a clause or a command: never inside or at either end of a name.
# Verbs rarely used as nouns, with their -s, -ed and -ing forms ("cost", "report" or "fund" are
# left out on purpose: "budget cuts" and "detailed reports" are good names).
_VERB_LEMMAS = """be am is are was were been being can cannot could will would should shall must may might
    do does did done has have had having get got gotten let put keep kept make made take took taken
    give gave given want need know knew known use go went gone come came see saw seen seem feel felt
    try say said ask show shown start stop pay paid run ran sit sat spend spent provide require
    expect prevent create encourage allow avoid save achieve promote stifle intrude eliminate
    announce mention check build built join follow care pass operate deliver rely send sent grow
    grew grown polish approve discriminate slow eat ate eaten lose lost leave left bring brought
    become became think thought tell told find found mean meant believe hold held happen help
    include continue learn change lead led understand reach allow add stay fall fell cut cuts
    offer remember consider appear buy bought wait serve die send expect suggest raise pass sell
    sold decide return explain hope develop carry break broke receive agree support hit produce
    cover catch caught draw drew choose chose chosen cause point listen enable ensure improve
    increase reduce protect harm force forced insist sort matter act rise rose hire stuck spread
    affect attract afford argue benefit compete contribute depend destroy distract earn enforce
    face fail fix gain hate ignore involve kill limit lack miss motivate prefer pressure prove
    push reflect refuse remain remove replace restrict risk suffer threaten violate waste worry
    decrease undermine stunt pigeonhole discourage lowers open alleviate retire drain separate
    manipulate regulate vaccinate abolish ban abandon legalise deter represent""".split()


def _forms(lemma):
    forms = {lemma}
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms |= {lemma + "s", lemma + "es", stem + "ed", lemma + "d", stem + "ing"}
    if lemma.endswith("y") and len(lemma) > 3:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return forms


# A few of these forms are good nouns or adjectives in a theme name: keep them usable.
_NOT_VERBS = {"building", "meeting", "funding", "spending", "limited", "ruling", "change", "changes",
              "support", "help", "risk", "risks", "harm", "waste", "lack", "point", "points", "cover",
              "choice", "care", "hope", "pressure", "benefit", "benefits", "returns", "return",
              "offer", "offers", "pay", "cut", "cuts", "rise", "sort", "act", "force", "need", "needs",
              "matter", "show", "shows", "draw", "hit", "hits", "break", "breaks", "gains", "gain",
              "fix", "limit", "limits", "increase", "increases", "reduce", "stuck", "worry", "worries",
              "lead", "left", "fall", "run", "start", "stop", "use", "hire", "waiting", "savings", "open",
              "opening", "ban", "bans", "drain"}
VERBS = frozenset(f for lemma in _VERB_LEMMAS for f in _forms(lemma)) - _NOT_VERBS
# Verbs made from nouns and adjectives ("subsidize", "legalising"): never in a name.
_IZE = re.compile(r"^\w{3,}(?:ize|ise|izes|ises|ized|ised|izing|ising)$")
_NOT_IZE = frozenset("""expertise exercise exercises enterprise enterprises franchise franchises merchandise otherwise
    premise premises promise promises compromise compromises paradise advertise""".split())
# Words after which the name's next word is the object of a verb ("Fund a project", "Use a gateway
# drug"): a name's second word is never one of these.
DETERMINERS = frozenset("a an the their its our his her your my this these those".split())
# A name ends on a noun: a last word in -ed is a verb or a predicate ("Journalists biased").
_NOUNS_IN_ED = frozenset("""need needs speed greed seed feed breed creed hundred shed bed red bred""".split())
# Nouns that are verbs too: at the start of a name, without a linking word after them, they
# read as a command ("Use cannabis for pain", "Plan long term", "Increases drug").
_AMBIGUOUS = frozenset(w for w in _NOT_VERBS if not w.endswith("ing")) | frozenset(
    "plan plans fund funds report reports work works cost costs end ends demand demands".split())
_LY_NOUNS = frozenset("family supply assembly anomaly monopoly rally ally bully italy july".split())
# The word after one of these in a note is a verb.
MODALS = frozenset("""can cannot could will would should must might can't couldn't won't wouldn't shouldn't
    mustn't don't doesn't didn't""".split())
# Contractions are clauses ("Shouldn't subsidize journalism").
_CONTRACTION = re.compile(r"(?:n't|'re|'ll|'ve|'d|'m)$")
# Words that may not open a name.
NOT_FIRST = frozenset("""able unable sure certain likely unlikely much more most less least very own other
    such same really also even still just only ever never always often already quite rather else
    enough away instead""".split())
# Describing words that may not close a name ("Jobs for young", "Democracy and free").
NOT_LAST = frozenset("""important young younger old older new free blatant good bad big small high low long
    short local public social political private real true false different equal open clear fair
    safe early late full main major whole better best worse worst higher lower total totally
    mandatory necessary possible impossible responsible available willing afraid aware unable
    able likely sure certain various several many few innocent guilty poor rich away back out up down
    off over together apart forward ahead anyway fresh fresher longer healthy healthier""".split())
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
    person partner partners members leaders employees customers""".split()
)
SECTOR_PENALTY = 0.35
# A word in more than this share of all the notes is the board's topic ("journalism" on a board
# about subsidising journalism): it may sit in a name but earns it nothing.
TOPIC_SHARE = 0.3
# With embeddings: this many best phrases per theme are compared in meaning with its notes, and
# the word score (scaled to the theme's best) counts this much beside the cosine.
SHORTLIST = 6
# A word followed by one of these in the note is a verb taking an object ("hear what", "opens
# the door"): a run of words that stops there is not a name.
OBJECT_STARTS = frozenset("the a an their its our his her them it what that your my this these those every any some".split())
STEM = 5  # letters that make two words the same when names are compared
MEANING_WORDS = 0.3
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
    ranked = {c: _candidates(notes, members[c], set(typical.get(c, [])), weights[themes.index(c)], column,
                             stop, sector_words, mapping, topic, verbs) for c in themes}
    if vectors is not None and embed is not None:
        ranked = _by_meaning(ranked, members, vectors, embed)
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


def _repeats(key, used) -> bool:
    words = set(key.split())
    return key in used or any(words <= set(other.split()) or set(other.split()) <= words for other in used)


def _stem_key(phrase, stop) -> str:
    return " ".join(sorted({w[:STEM] for w in _words(phrase) if w not in stop}))


def _by_meaning(ranked, members, vectors, embed):
    """Re-rank each theme's SHORTLIST best phrases: cosine to the theme's mean note, plus the
    word score scaled to the theme's best (so a phrase must be both typical and distinctive)."""
    shortlists = {c: candidates[:SHORTLIST] for c, candidates in ranked.items()}
    phrases = [phrase for c in shortlists for _key, phrase, _score in shortlists[c]]
    if not phrases:
        return ranked
    try:
        embedded = np.asarray(embed(phrases), dtype=np.float64)
    except Exception:  # the model went away: the word scores alone still name every theme
        return ranked
    matrix = np.asarray(vectors, dtype=np.float64)
    result, row = {}, 0
    for c, shortlist in shortlists.items():
        centre = matrix[members[c]].mean(axis=0)
        centre /= max(np.linalg.norm(centre), 1e-12)
        top = max((score for _k, _p, score in shortlist), default=1.0) or 1.0
        rescored = []
        for key, phrase, score in shortlist:
            rescored.append((key, phrase, float(embedded[row] @ centre) + MEANING_WORDS * score / top))
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


def _board_verbs(notes, stop):
    """Words that follow "can", "should", "don't"... in these notes and never "the", "a", "of"...:
    verbs as this board uses them ("Children can't express themselves", "to eradicate" is not
    needed), so no list of English verbs has to know "express" or "eradicate"."""
    after_modal, after_determiner = set(), set()
    for chunks in notes:
        for chunk in chunks:
            for (before, _s), (word, _w) in zip(chunk, chunk[1:]):
                if before in MODALS:
                    after_modal.add(word)
                elif before in DETERMINERS or before in ("of", "for", "with", "and", "or"):
                    after_determiner.add(word)
    # Words that are nouns as often ("use", "help", "change") keep the rules for those.
    return frozenset(after_modal - after_determiner - stop - _NOT_VERBS - _AMBIGUOUS)


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


def _candidates(notes, members, typical, weights, column, stop, sector_words, mapping, topic, verbs=frozenset()):
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
                        acceptable[seen] = _acceptable(span, stop, verbs)
                    if not acceptable[seen] or (end < len(chunk) and chunk[end][0] in OBJECT_STARTS):
                        continue
                    # "Serial killings or child [abuse]": a name joining two things ends where
                    # the second one does.
                    if end < len(chunk) and chunk[end][0] not in stop and any(w in ("and", "or") for w, _s in span):
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
        # A name mostly made of the board's topic words says little ("End mandatory retirement").
        meaningful = [w for w, _s in span if w not in stop]
        weight *= len(content) / max(len(meaningful), 1)
        hits = holds[:, [local.get(w, len(local)) for w in content]].sum(axis=1)
        shared = float(np.mean(hits / len(content) >= 0.5))
        score = weight * (0.5 + shared) * bonus * min(len(content), 3) ** 0.5
        if any(w in sector_words for w, _s in span):
            score *= SECTOR_PENALTY
        ranked.append((-score, len(span), key, _written(span)))
    ranked.sort()
    return [(key, phrase, -score) for score, _n, key, phrase in ranked]


def _acceptable(span, stop, verbs=frozenset()) -> bool:
    """``verbs``: words used as verbs on this board (see _board_verbs), beside VERBS."""
    words = [w for w, _s in span]
    first, last = words[0], words[-1]
    if first in stop or first in VERBS or first in NOT_FIRST:
        return False
    if last in stop or last in VERBS or last in NOT_LAST or (last.endswith(("ous", "ful", "less")) and len(last) > 5):
        return False
    if not _letters(first) or not _letters(last):
        return False
    if any(w in VERBS or w in verbs for w in words) or any(w.endswith("ly") and len(w) > 4 and w not in _LY_NOUNS for w in words):
        return False
    if any(_CONTRACTION.search(w) for w in words) or words[1] in DETERMINERS:
        return False
    # A word that is a noun or a verb ("use", "cut", "plan") opening a name is a verb unless a
    # linking word follows it: "Lack of funding", "Waste of money", not "Use cannabis for pain".
    if first in _AMBIGUOUS and words[1] not in LINKING:
        return False
    # ... and one right after a plural is a clause: "Buses stop running", "Prices rise" (not "Budget cuts").
    if any(b in _AMBIGUOUS and not b.endswith("s") and _plural(a) and a not in stop for a, b in zip(words, words[1:])):
        return False
    # A verb in -s inside a name is a clause: "Cannabis increases drug" (not "Budget cuts for schools").
    if any(_AMBIGUOUS_S(b) and c not in LINKING for b, c in zip(words[1:-1], words[2:])):
        return False
    # ... and so is one of these after "and" or "or": "Work or stop work".
    if any(a in ("and", "or") and b in _VERB_AFTER_AND and c not in LINKING for a, b, c in zip(words, words[1:], words[2:])):
        return False
    # "Educated and schools", "Teach and the kids": two unlike things joined.
    if any(a in ("and", "or") and b in DETERMINERS for a, b in zip(words, words[1:])):
        return False
    if first.endswith("ed") and first not in _NOUNS_IN_ED and words[1] in ("and", "or"):
        return False
    if any(_IZE.match(w) and w not in _NOT_IZE for w in words):
        return False
    if last.endswith("ed") and len(last) > 3 and last not in _NOUNS_IN_ED:
        return False
    if any(_abbreviation(s) for _w, s in span) or any(not w.replace("-", "").replace("'", "").isalpha()
                                                       for w in words):
        return False
    inside = [w for w in words[1:-1] if w in stop]
    return len(inside) <= MAX_LINKING and all(w in LINKING for w in inside)


# Words that are verbs right after "and" / "or" when a noun follows them ("stop work", "use drugs").
_VERB_AFTER_AND = frozenset("stop start use run help fix hire leave open".split())


def _AMBIGUOUS_S(word) -> bool:
    return word.endswith("s") and (word in _AMBIGUOUS or word in VERBS) and not word.endswith("ss")


def _plural(word) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _letters(word) -> bool:
    return word.replace("-", "").replace("'", "").isalpha()


def _abbreviation(word) -> bool:
    letters = word.replace("-", "")
    return (letters.isupper() and 1 < len(letters) <= 5) or "." in word


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
