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
from intersector.analysis.clustering import _prepare  # noqa: E402


def grouping(notes, vectors, info, ideas, oracle):
    """ARI of make_themes' grouping (the same steps, no names) and its themes per prompt: with the
    number chosen by itself, or the people's number per prompt."""
    from sklearn.metrics import adjusted_rand_score

    texts = [x for _p, _s, _t, x in notes]
    prompts = [p for p, _s, _t, _x in notes]
    sectors = [s for _p, s, _t, _x in notes]
    truth = [f"{p}/{t}" for p, _s, t, _x in notes]
    people = (lambda members: len({truth[i] for i in members})) if oracle else None
    labels, _space, counts = T._group(texts, _prepare(vectors, info), prompts, sectors, None, ideas, info,
                                      count_for=people)
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
