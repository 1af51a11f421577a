"""Themes for brainwriting notes: the same idea gathered across sectors, named by a phrase.

A facilitator asks which ideas recur across sectors. Sentence embeddings of notes such as "The
council takes months to approve a permit" and "Grant reports eat weeks of charity staff time" lie
closer to other notes about the same sector than to each other, so plain clustering returns the
sectors. What the platform knows fixes that:

- notes are grouped within their prompt (people answered different questions);
- within a prompt, each sector's average direction is taken out of its notes (shrunk towards
  nothing for a sector with few notes), then the prompt's own average, so what is left is what a
  note says beyond "this is about government" and "this answers the limitations prompt";
- the words a prompt's notes keep repeating (in more than 30 % of them: the prompt restated, as
  in "We should subsidize journalism because...") are taken out of each note and what is left is
  embedded too: half of each note's vector is then what it says beyond the prompt's own words, so
  notes gather by their reason rather than by how much of the prompt they repeat;
- Ward clustering on those vectors (on a prompt of 40 notes or more, on each note's likeness
  to all its prompt's notes: see _along_main_directions); k per prompt is the smallest k whose silhouette is within
  0.01 of the best over 2..1.5·√n (a slightly coarser cut than the best score, which tends to
  split off near-duplicate pairs when the scores are low and flat);
- each theme is named by a phrase of 2–6 words taken from its notes (see phrases.py), and its two
  most typical notes (nearest the theme's centre) are given with it.

Measured on development boards with people's themes: bench/bench_themes_quality.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from . import vectors as _v
from .clustering import _distances, _guess_info, _prepare, _silhouette
from .phrases import name_themes
from .threads import limit_threads

# A sector with n notes has n / (n + SHRINK) of its average direction taken out: one lone note
# about a sector keeps most of what it says.
SHRINK = 2.0
# k is the smallest number of themes whose silhouette is within this of the best one.
SILHOUETTE_TOLERANCE = 0.01
K_PER_SQRT = 1.5
TYPICAL_NOTES = 2
# At most this many themes when the notes decide (a facilitator may ask for 2 to 15): more
# columns than that do not fit a wall or a phone's vote list.
MAX_THEMES = 15
# A word (its first STEM letters) in more than this share of a prompt's notes is the prompt
# restated; IDEA_WEIGHT of each note's vector is then the embedding of the note without such words.
REPEATED_SHARE = 0.3
IDEA_WEIGHT = 0.5
# A prompt with at least this many notes is grouped on each note's likeness to all the others
# (_along_main_directions); with fewer, those rows are too short to be steady (tuned-on boards:
# mean ARI 0.39 -> 0.42 from 25 to 60 alike; the workshop boards' 15-30-note prompts lost with it).
PROFILE_MIN_NOTES = 40
STEM = 5
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass(frozen=True)
class Themes:
    labels: list[int]  # theme per note; theme 0 is the largest
    k: int
    names: dict[int, str]  # theme -> a short phrase from its notes
    typical: dict[int, list[int]] = field(default_factory=dict)  # theme -> positions of its most typical notes
    kind: str = "embeddings"  # or "tfidf"

    @property
    def sizes(self) -> list[int]:
        return [self.labels.count(c) for c in range(self.k)]


def make_themes(texts, prompts=None, sectors=None, k=None, vectors=None, info=None, idea_vectors=None) -> Themes:
    """Group notes into themes and name them.

    ``prompts``: the prompt each note answers (any hashable; None = all the same prompt).
    ``sectors``: the sector each note is about ("" or None = none). ``k``: how many themes the
    facilitator asked for (None: chosen per prompt). Every note gets a theme. ``idea_vectors``:
    the embeddings of ``idea_texts(texts, prompts)`` if already made (else made here, with the
    model; None of this without it).
    """
    texts = _v._as_texts(texts)
    n = len(texts)
    prompts = _column(prompts, n, "prompts")
    sectors = _column(sectors, n, "sectors")
    if vectors is None:
        vectors, info = _v.vectorize(texts)
    elif info is None:
        info = _guess_info(vectors)
    limit_threads()
    if n == 0:
        return Themes([], 0, {}, {}, info.kind)
    matrix = _prepare(vectors, info)
    if len(matrix) != n:
        raise ValueError(f"{n} texts but {len(matrix)} vectors")
    labels, space, _counts = _group(texts, matrix, prompts, sectors, k, idea_vectors, info)
    labels = _order_by_size(labels)
    k_found = int(labels.max()) + 1
    typical = {c: _typical(space, np.flatnonzero(labels == c)) for c in range(k_found)}
    embed = _v.embed if info.uses_embeddings else None
    names = name_themes(texts, labels.tolist(), typical, sectors, vectors=matrix if embed else None, embed=embed)
    return Themes([int(c) for c in labels], k_found, names, typical, info.kind)


def _group(texts, matrix, prompts, sectors, k, idea_vectors, info, count_for=None):
    """(a theme per note, the space they were grouped in, the number of themes per prompt): the
    notes grouped within their prompt, on what they say beyond their sector and the prompt.
    ``count_for(members)`` replaces the number chosen by silhouette (bench/bench_themes_k.py gives
    the people's number, to see what a better choice would gain)."""
    n = len(texts)
    groups = _by_prompt(prompts)
    if k is not None and int(k) < len(groups):
        groups = [list(range(n))]  # fewer themes asked for than prompts: group across prompts
    space = np.zeros_like(matrix)
    for members in groups:
        space[members] = _without_sector_and_prompt(matrix[members], [sectors[i] for i in members])
    if k is not None:
        counts = _share_out(k, [len(m) for m in groups])
    else:
        counts = [(count_for or (lambda m: _choose_k(space[m])))(members) for members in groups]
        if sum(counts) > MAX_THEMES:
            counts = _share_out(max(MAX_THEMES, len(groups)), counts, weights=counts)
    ideas = _idea_matrix(texts, [prompts[i] for i in range(n)] if len(groups) > 1 else None, matrix,
                         idea_vectors, info)
    if ideas is not None:
        # k stays the one chosen above: silhouette on the mixed vectors picks too many themes.
        mixed = _v.normalise_rows(IDEA_WEIGHT * ideas + (1 - IDEA_WEIGHT) * matrix).astype(np.float64)
        for members in groups:
            space[members] = _without_sector_and_prompt(mixed[members], [sectors[i] for i in members])
    labels = np.zeros(n, dtype=int)
    next_theme = 0
    for members, count in zip(groups, counts):
        local = _cluster(space[members], count)
        labels[members] = local + next_theme
        next_theme += int(local.max()) + 1
    return labels, space, counts


def idea_texts(texts, prompts=None) -> list[str]:
    """Each note without the words its prompt's notes keep repeating (see REPEATED_SHARE); a note
    made only of such words stays whole."""
    from .labels import _stop_words

    texts = _v._as_texts(texts)
    prompts = _column(prompts, len(texts), "prompts")
    stop = _stop_words()

    def stems(text):
        return {w.lower()[:STEM] for w in _WORD.findall(text) if len(w) > 2 and w.lower() not in stop}

    result = list(texts)
    for members in _by_prompt(prompts):
        counts: dict[str, int] = {}
        for i in members:
            for stem in stems(texts[i]):
                counts[stem] = counts.get(stem, 0) + 1
        repeated = {stem for stem, count in counts.items() if count > REPEATED_SHARE * len(members)}
        if not repeated:
            continue
        for i in members:
            kept = [w for w in _WORD.findall(texts[i]) if w.lower()[:STEM] not in repeated or w.lower() in stop
                    or len(w) <= 2]
            if kept and len(kept) < len(_WORD.findall(texts[i])):
                result[i] = " ".join(kept)
    return result


def _idea_matrix(texts, prompts, matrix, idea_vectors, info):
    """Unit rows for idea_texts (the note's own vector where nothing was taken out), or None."""
    if idea_vectors is not None:
        ideas = _prepare(idea_vectors, info)
        if ideas.shape != matrix.shape:
            raise ValueError(f"{len(matrix)} vectors but {len(ideas)} idea vectors of another size")
        return ideas
    if not info.uses_embeddings or len(texts) < 3:
        return None
    stripped = idea_texts(texts, prompts)
    changed = [i for i, (a, b) in enumerate(zip(texts, stripped)) if a != b]
    if not changed:
        return None
    try:
        embedded = _prepare(_v.embed([stripped[i] for i in changed]), info)
    except Exception:  # the model went away: the notes' own vectors still make themes
        return None
    if embedded.shape[1] != matrix.shape[1]:
        return None
    ideas = matrix.copy()
    ideas[changed] = embedded
    return ideas


def _column(values, n, what):
    if values is None:
        return [""] * n
    values = ["" if v is None else str(v) for v in values]
    if len(values) != n:
        raise ValueError(f"{n} texts but {len(values)} {what}")
    return values


def _by_prompt(prompts) -> list[list[int]]:
    groups: dict[str, list[int]] = {}
    for i, prompt in enumerate(prompts):
        groups.setdefault(prompt, []).append(i)
    return list(groups.values())


def _without_sector_and_prompt(matrix: np.ndarray, sectors) -> np.ndarray:
    """Take each sector's average direction (shrunk) out of its notes, then the group's average."""
    result = matrix.astype(np.float64, copy=True)
    if len(result) < 2:
        return result
    overall = result.mean(axis=0)
    named = [s for s in set(sectors) if s]
    if len(named) >= 2 or (named and "" in sectors):
        for sector in named:
            rows = [i for i, s in enumerate(sectors) if s == sector]
            weight = len(rows) / (len(rows) + SHRINK)
            result[rows] -= weight * (result[rows].mean(axis=0) - overall)
    result -= result.mean(axis=0)
    return _v.normalise_rows(result).astype(np.float64)


def _share_out(k, sizes, weights=None) -> list[int]:
    """k themes shared among groups in proportion to their notes, or to ``weights`` (each group
    at least 1, at most its size)."""
    weights = weights or sizes
    k = max(len(sizes), min(int(k), sum(sizes)))
    exact = [k * w / sum(weights) for w in weights]
    counts = [max(1, min(s, int(e))) for s, e in zip(sizes, exact)]
    order = sorted(range(len(sizes)), key=lambda g: -(exact[g] - int(exact[g])))
    while sum(counts) < k:
        grew = False
        for g in order:
            if sum(counts) < k and counts[g] < sizes[g]:
                counts[g] += 1
                grew = True
        if not grew:
            break
    while sum(counts) > k:
        g = max(range(len(sizes)), key=lambda g: counts[g])
        counts[g] -= 1
    return counts


def _choose_k(matrix: np.ndarray) -> int:
    """The smallest k whose silhouette is within SILHOUETTE_TOLERANCE of the best in 2..1.5·√n."""
    from .clustering import _cut, _ward_tree

    n = len(matrix)
    distinct = len(np.unique(np.round(matrix, 5), axis=0))
    high = min(n - 1, distinct, math.ceil(K_PER_SQRT * math.sqrt(n)))
    if n < 3 or high < 2:
        return 1
    merges = _ward_tree(matrix)
    distances = _distances(matrix)
    scores = [(_silhouette(distances, _cut(merges, n, c)), c) for c in range(2, high + 1)]
    best = max(score for score, _c in scores)
    return min(c for score, c in scores if score >= best - SILHOUETTE_TOLERANCE)


def _cluster(matrix: np.ndarray, count: int) -> np.ndarray:
    from .clustering import _cut, _ward_tree

    n = len(matrix)
    count = max(1, min(int(count), n))
    if count == 1 or n < 2:
        return np.zeros(n, dtype=int)
    if n >= PROFILE_MIN_NOTES:
        matrix = _along_main_directions(matrix)
    return _cut(_ward_tree(matrix), n, count)


def _along_main_directions(matrix: np.ndarray) -> np.ndarray:
    """Each note by how alike it is to every other note of its prompt (its row of cosines, less
    the column means), as unit rows: the same distances as the note's coordinates on the
    prompt's main directions, each scaled by how much the notes vary along it. Directions in
    which many notes differ (their reasons) then count more than the small ones a few notes
    share (one note's wording)."""
    centred = matrix - matrix.mean(axis=0)
    _u, spread, directions = np.linalg.svd(matrix, full_matrices=False)
    return _v.normalise_rows((centred @ directions.T) * spread).astype(np.float64)


def _typical(space: np.ndarray, members: np.ndarray) -> list[int]:
    centre = space[members].mean(axis=0)
    ranked = sorted(members.tolist(), key=lambda i: (-float(space[i] @ centre), i))
    return ranked[:TYPICAL_NOTES]


def _order_by_size(labels: np.ndarray) -> np.ndarray:
    from .clustering import _order_by_size as order

    return order(labels)
