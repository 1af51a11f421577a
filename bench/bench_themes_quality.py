"""Automatic themes against people's themes: adjusted Rand index per development board.

One command: `.venv/bin/python bench/bench_themes_quality.py [--boards DIR] [--labels] [--only tuned|held]`.
Plain Python, no Django. Boards are text files, one note a line: `prompt | sector | theme | note`
(see bench/devsets/boards/ for the format and the boards written for the project). Boards from
public datasets that may not be redistributed, or that we keep out of git, are read from
`--boards` or $INTERSECTOR_THEMES_BOARDS (default /work/devsets/boards when it exists).

For each board it prints ARI against the human themes for:
- before: what the brainwriting kind did until now (notes' texts only: Ward on the embeddings,
  k by silhouette in 2..12),
- plain Ward at the human number of themes (an oracle k: a reference, not something we can use),
- after: analysis.make_themes with each note's prompt and sector (k chosen by itself),
- ceiling: each note put in the people's theme (of its prompt) whose average embedding is nearest,
  knowing the people's themes (on the notes' vectors or on those make_themes groups, whichever
  scores higher): roughly the best any grouping of these vectors can do, so a low
  ceiling says the embedding model, not the clustering, is what holds a board back.
With `--labels`, every board (tuned-on and held-out alike; each board's line says which) is
followed by its automatic themes: the name, how many notes it holds, the human theme most of
them carry and its share (and the runner-up when the group is mixed), and the theme's two most
typical notes, so that "needs no rename" can be counted on every board.

How "needs no rename" is counted (rule fixed on 2026-12-02 before any held-out board's names were
printed; judged from the printed lines only, one mark per automatic theme):
1. The name is 2-6 words taken from the notes (the generator guarantees this; a fallback that is
   a note's opening words counts like any other name).
2. It reads as a noun phrase with a noun at its head: not a clause, a command, a verb fragment
   or a phrase cut before its object or ending on a describing word.
3. No filler words ("really", "actually", "lot", "thing") and no abbreviation.
4. It names what the majority human theme is about: someone reading only the name would expect
   that theme's idea (a narrower part of it that the two typical notes share counts). A name that
   says only the board's topic ("Journalism subsidies" on the journalism board) or a detail of
   one note does not.
5. A mixed group (the majority human theme holds under half of its notes) must not be misled
   by its name: the name must name the majority theme's idea or an idea the group's notes share;
   naming a minority theme's idea needs a rename.
Borderline cases count as needing a rename.
The marks are kept in bench/devsets/boards/name_marks.yaml (board, name, main people's theme, keep
or not); each --labels theme ends with its line for that file, and the bench prints how many
marked names would be kept, held-out and tuned-on boards apart.

Then the time to make themes for 1,000 notes once their vectors are there (the model loaded and
the notes embedded), beside the embedding itself. BERTopic is not run: it does not install from
PyPI here without torch and sentence-transformers (and their models are fetched at run time).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intersector import analysis  # noqa: E402

HERE_BOARDS = ROOT / "bench" / "devsets" / "boards"
DEFAULT_EXTERNAL = Path("/work/devsets/boards")
# Boards looked at while tuning; every other board is held out (its figures are the honest ones).
TUNED_ON = {"sector_styles", "transport_air", "argkp_journalism", "argkp_retirement", "argkp_cannabis",
            "argkp_space", "argkp_child_actors", "argkp_homeschooling", "argkp_compulsory_voting",
            "argkp_capital_punishment", "argkp_vocational", "argkp_urbanization", "argkp_marriage"}


def read_board(path):
    """{'name', 'prompts': {id: text}, 'notes': [(prompt, sector, theme, text)]}."""
    prompts, notes = {}, []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("prompt ") and "=" in line:
            key, text = line[len("prompt "):].split("=", 1)
            prompts[key.strip()] = text.strip()
            continue
        parts = [p.strip() for p in line.split("|", 3)]
        if len(parts) == 4 and parts[3]:
            notes.append(tuple(parts))
    return {"name": Path(path).stem, "prompts": prompts, "notes": notes}


def find_boards(extra=None):
    folders = [HERE_BOARDS]
    external = extra or os.environ.get("INTERSECTOR_THEMES_BOARDS") or (
        str(DEFAULT_EXTERNAL) if DEFAULT_EXTERNAL.is_dir() else "")
    if external:
        folders.append(Path(external))
    paths = sorted({p.resolve() for folder in folders for p in Path(folder).glob("*.txt")})
    return [read_board(p) for p in paths]


def ari(truth, labels):
    from sklearn.metrics import adjusted_rand_score

    return adjusted_rand_score(truth, labels)


def before(texts, vectors, info):
    """The brainwriting kind's call until now (tasks.group_notes)."""
    upper = max(2, min(12, len(texts) - 1))
    return analysis.cluster_texts(texts, k_range=(2, upper), vectors=vectors, info=info).labels


def plain_ward(texts, vectors, info, k):
    return analysis.cluster_texts(texts, k=k, vectors=vectors, info=info).labels


def after(board, texts, vectors, info, idea_vectors=None):
    prompts = [p for p, _s, _t, _x in board["notes"]]
    sectors = [s for _p, s, _t, _x in board["notes"]]
    return analysis.make_themes(texts, prompts=prompts, sectors=sectors, vectors=vectors, info=info,
                                idea_vectors=idea_vectors)


def idea_vectors(board, texts, vectors, info):
    """The vectors make_themes clusters on, before its per-sector centring: half the note, half
    the note without the words its prompt's notes repeat (analysis.idea_texts)."""
    import numpy as np

    from intersector.analysis import themes as _themes

    ideas = analysis.idea_texts(texts, [p for p, _s, _t, _x in board["notes"]])
    changed = [i for i, (a, b) in enumerate(zip(texts, ideas)) if a != b]
    ideas_matrix = np.array(vectors, dtype=np.float64)
    if changed and info.uses_embeddings:
        ideas_matrix[changed] = analysis.embed([ideas[i] for i in changed])
    mixed = _themes.IDEA_WEIGHT * ideas_matrix + (1 - _themes.IDEA_WEIGHT) * np.asarray(vectors, dtype=np.float64)
    return ideas_matrix, mixed / np.linalg.norm(mixed, axis=1, keepdims=True)


def ceiling(board, vectors, truth):
    """Nearest people's-theme centre within the note's prompt (an oracle, for reference)."""
    import numpy as np

    matrix = np.asarray(vectors, dtype=np.float64)
    themes = sorted(set(truth))
    centres = {t: matrix[[i for i, x in enumerate(truth) if x == t]].mean(axis=0) for t in themes}
    labels = []
    for i, (prompt, *_rest) in enumerate(board["notes"]):
        mine = [t for t in themes if t.split("/", 1)[0] == prompt]
        labels.append(max(mine, key=lambda t: float(matrix[i] @ centres[t])))
    return labels


def report_quality(boards, show_labels=False):
    rows = []
    marks = load_name_marks()
    judged = {True: [], False: []}   # held out or not -> [keep or not, per marked name]
    unmarked = 0
    print(f"{'board':<26}{'notes':>6}{'themes':>7}  {'before':>7}{'Ward@k*':>8}{'after':>7}{'ceiling':>8}"
          "  k after  held out")
    for board in boards:
        texts = [x for _p, _s, _t, x in board["notes"]]
        truth = [f"{p}/{t}" for p, _s, t, _x in board["notes"]]
        vectors, info = analysis.vectorize(texts)
        k_true = len(set(truth))
        ideas, mixed = idea_vectors(board, texts, vectors, info)
        themes = after(board, texts, vectors, info, ideas)
        # The ceiling is taken on the vectors make_themes groups (the better of the two, so it
        # stays a reference for "before" too).
        row = (ari(truth, before(texts, vectors, info)), ari(truth, plain_ward(texts, vectors, info, k_true)),
               ari(truth, themes.labels), max(ari(truth, ceiling(board, vectors, truth)),
                                              ari(truth, ceiling(board, mixed, truth))))
        held = board["name"] not in TUNED_ON
        rows.append((board["name"], held) + row)
        print(f"{board['name']:<26}{len(texts):>6}{k_true:>7}  {row[0]:7.2f}{row[1]:8.2f}{row[2]:7.2f}{row[3]:8.2f}"
              f"  {themes.k:>7}  {'yes' if held else 'no'}", flush=True)
        found = name_marks_of(board, themes, truth, marks)
        judged[held] += [m for m in found if m is not None]
        unmarked += sum(1 for m in found if m is None)
        if show_labels:
            print_labels(board, themes, truth, held, marks)
    for title, chosen in (("mean, all boards", rows), ("mean, held out", [r for r in rows if r[1]]),
                          ("mean, tuned on", [r for r in rows if not r[1]])):
        if chosen:
            means = [statistics.mean(r[i] for r in chosen) for i in (2, 3, 4, 5)]
            print(f"{title:<39}  {means[0]:7.2f}{means[1]:8.2f}{means[2]:7.2f}{means[3]:8.2f}  ({len(chosen)} boards)")
    if judged[True] or judged[False]:
        parts = [f"{label} {sum(judged[held])} of {len(judged[held])}"
                 for label, held in (("held out", True), ("tuned on", False)) if judged[held]]
        print(f"names a person would keep as they are ({NAME_MARKS.name}): " + ", ".join(parts)
              + f"; {unmarked} names not marked yet (--labels prints their lines)")


def theme_summaries(themes, truth):
    """Per automatic theme: (its notes, its people's themes from the most common, their counts)."""
    out = []
    for c in range(themes.k):
        members = [i for i, label in enumerate(themes.labels) if label == c]
        counts = {}
        for i in members:
            counts[truth[i]] = counts.get(truth[i], 0) + 1
        out.append((members, sorted(counts, key=lambda t: (-counts[t], t)), counts))
    return out


# --- Names judged by a person ------------------------------------------------------------------

NAME_MARKS = HERE_BOARDS / "name_marks.yaml"


def load_name_marks(path=NAME_MARKS):
    """{(board, name, the people's theme most of its notes carry): kept as it is}. A mark stops
    counting when the theme's name or its main people's theme changes: it is then not yet judged."""
    import yaml

    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {(m["board"], m["name"], m["theme"]): bool(m["keep"])
            for m in data.get("marks") or [] if m.get("keep") is not None}


def name_marks_of(board, themes, truth, marks):
    """[True / False / None (not judged)] per automatic theme of a board."""
    return [marks.get((board["name"], themes.names[c], ranked[0]))
            for c, (_members, ranked, _counts) in enumerate(theme_summaries(themes, truth))]


def print_labels(board, themes, truth, held, marks=None):
    """Each automatic theme's name beside the human themes of its notes and its typical notes,
    and its line for the marks file (name_marks.yaml), "keep:" empty until a person judges it."""
    marks = marks or {}
    print(f"  names on {board['name']} ({'HELD OUT' if held else 'tuned on'}):")
    for c, (members, ranked, counts) in enumerate(theme_summaries(themes, truth)):
        human, share = ranked[0], counts[ranked[0]] / len(members)
        print(f"    {themes.names[c]!r:<44} {len(members):>3} notes, {share:4.0%} human: {human.split('/', 1)[1]!r}")
        if share < 0.5 and len(ranked) > 1:  # a mixed group: its name must not mislead
            runner = ranked[1]
            print(f"    {'':<44} {'':>9} {counts[runner] / len(members):4.0%} human: {runner.split('/', 1)[1]!r}")
        for i in themes.typical[c]:
            print(f"        - {board['notes'][i][3][:110]}")
        mark = marks.get((board["name"], themes.names[c], human))
        print(f"        mark: {{board: {board['name']}, name: {json.dumps(themes.names[c])}, "
              f"theme: {json.dumps(human)}, keep: {'' if mark is None else str(mark).lower()}}}")


def report_speed(count=1000, repeats=3):
    from bench_analysis import make_notes

    rng = random.Random(5)
    notes = make_notes(count)
    prompts = [rng.randint(1, 4) for _ in notes]
    sectors = [n.split()[1].lower() for n in notes]  # enough variety to exercise the centring
    started = time.perf_counter()
    vectors, info = analysis.vectorize(notes)
    embed_seconds = time.perf_counter() - started
    # The notes without the words their prompt's notes repeat are embedded too (make_themes does
    # it when not given them): embedding work, timed here beside the notes' own.
    started = time.perf_counter()
    ideas = analysis.idea_texts(notes, prompts)
    changed = [i for i, (a, b) in enumerate(zip(notes, ideas)) if a != b]
    idea_vectors = vectors.copy()
    if changed and info.uses_embeddings:
        idea_vectors[changed] = analysis.embed([ideas[i] for i in changed])
    ideas_seconds = time.perf_counter() - started
    runs, cpu, old = [], [], []
    for _ in range(repeats):
        wall, process = time.perf_counter(), time.process_time()
        themes = analysis.make_themes(notes, prompts=prompts, sectors=sectors, vectors=vectors, info=info,
                                        idea_vectors=idea_vectors)
        runs.append(time.perf_counter() - wall)
        cpu.append(time.process_time() - process)
        wall = time.perf_counter()
        result = analysis.cluster_texts(notes, k_range=(2, 12), vectors=vectors, info=info)
        analysis.label_clusters(notes, result.labels)
        old.append(time.perf_counter() - wall)
    print(f"themes for {count} notes after embedding ({info.kind}; load average {os.getloadavg()[0]:.1f}): "
          f"make_themes {statistics.median(runs):.2f} s wall, {statistics.median(cpu):.2f} s CPU "
          f"(k={themes.k}); before (cluster_texts + label_clusters) {statistics.median(old):.2f} s; "
          f"embedding the notes {embed_seconds:.2f} s and {len(changed)} of them without their prompt's repeated "
          f"words {ideas_seconds:.2f} s (done once; median of {repeats}); floor: 1 s of work after embedding")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--boards", help="folder of extra boards (default $INTERSECTOR_THEMES_BOARDS "
                        "or /work/devsets/boards)")
    parser.add_argument("--labels", action="store_true", help="print each theme's name and typical notes")
    parser.add_argument("--only", choices=("tuned", "held"), help="only the tuned-on or the held-out boards")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    info = analysis.model_info()
    print(f"Vectors: {info.name}. ARI against people's themes (1 = the same grouping, 0 = chance):")
    boards = find_boards(args.boards)
    if args.only:
        boards = [b for b in boards if (b["name"] in TUNED_ON) == (args.only == "tuned")]
    report_quality(boards, show_labels=args.labels)
    if not args.no_speed:
        report_speed()


if __name__ == "__main__":
    main()
