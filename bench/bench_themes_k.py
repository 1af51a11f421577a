"""Where the themes' gap is: k chosen by make_themes vs the people's number of themes (oracle k).

`.venv/bin/python bench/bench_themes_k.py [--seeds 6]` (tuned-on boards only; ~2 min).
For each tuned-on board: ARI of make_themes' grouping (the same steps, no names) with k chosen by
itself, and with k per prompt = the people's number of themes there (capped at 15 in all, as
make_themes does). Beside the full board, the mean over `--seeds` random 90 % subsets of its notes
(fixed seeds): a change that wins only on the full boards and not on the subsets is noise.
"""

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_themes_quality import TUNED_ON, find_boards, idea_vectors  # noqa: E402

from intersector import analysis  # noqa: E402
from intersector.analysis import themes as T  # noqa: E402
from intersector.analysis import vectors as V  # noqa: E402
from intersector.analysis.clustering import _prepare  # noqa: E402


def grouping(notes, vectors, info, ideas, oracle):
    """make_themes' labels without naming (k chosen, or the people's per prompt)."""
    from sklearn.metrics import adjusted_rand_score

    prompts = [p for p, _s, _t, _x in notes]
    sectors = [s for _p, s, _t, _x in notes]
    truth = [f"{p}/{t}" for p, _s, t, _x in notes]
    matrix = _prepare(vectors, info)
    mixed = V.normalise_rows(T.IDEA_WEIGHT * ideas + (1 - T.IDEA_WEIGHT) * matrix).astype(np.float64)
    groups = T._by_prompt(prompts)
    own, mix = np.zeros_like(mixed), np.zeros_like(mixed)
    for m in groups:
        own[m] = T._without_sector_and_prompt(matrix[m], [sectors[i] for i in m])
        mix[m] = T._without_sector_and_prompt(mixed[m], [sectors[i] for i in m])
    counts = ([len({truth[i] for i in m}) for m in groups] if oracle else [T._choose_k(own[m]) for m in groups])
    if sum(counts) > T.MAX_THEMES:
        counts = T._share_out(max(T.MAX_THEMES, len(groups)), [len(m) for m in groups] if oracle else counts,
                              weights=counts)
    labels, following = np.zeros(len(notes), dtype=int), 0
    for m, count in zip(groups, counts):
        local = T._cluster(mix[m], count)
        labels[m] = local + following
        following += int(local.max()) + 1
    return adjusted_rand_score(truth, labels), counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=6)
    args = parser.parse_args()
    boards = [b for b in find_boards() if b["name"] in TUNED_ON]
    print(f"{'board':<26}{'auto':>6}{'oracle':>7}  {'auto 90%':>9}{'oracle 90%':>11}  k auto / people's")
    rows = []
    for board in boards:
        notes = board["notes"]
        texts = [x for _p, _s, _t, x in notes]
        vectors, info = analysis.vectorize(texts)
        ideas, _mixed = idea_vectors(board, texts, vectors, info)
        vectors = np.asarray(vectors)
        full = [grouping(notes, vectors, info, ideas, oracle) for oracle in (False, True)]
        subsets = []
        for seed in range(args.seeds):
            rng = np.random.RandomState(seed)
            keep = np.sort(rng.choice(len(notes), int(0.9 * len(notes)), replace=False))
            subsets.append([grouping([notes[i] for i in keep], vectors[keep], info, ideas[keep], oracle)[0]
                            for oracle in (False, True)])
        row = (full[0][0], full[1][0], float(np.mean([s[0] for s in subsets])), float(np.mean([s[1] for s in subsets])))
        rows.append(row)
        print(f"{board['name']:<26}{row[0]:6.2f}{row[1]:7.2f}  {row[2]:9.2f}{row[3]:11.2f}  {full[0][1]} / {full[1][1]}",
              flush=True)
    means = np.mean(rows, axis=0)
    print(f"{'mean':<26}{means[0]:6.3f}{means[1]:7.3f}  {means[2]:9.3f}{means[3]:11.3f}  ({len(rows)} boards)")


if __name__ == "__main__":
    main()
