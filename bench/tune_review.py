"""Set the review's weights and thresholds on the TUNING half of the development set (half a,
see bench_review_quality.half_of) and on tests/agreements/fixtures/dev_agreement.txt; never on
half b or on the in-house review set, which stay held out.

Run: .venv/bin/python bench/tune_review.py [least precision, 0.88]   (INTERSECTOR_AGREEMENT_DEVSET as
for the bench)
Prints the best settings found on a small grid (F1 of "addressed", with precision >= 0.85, then
how often the top evidence sentence supports the labelled quote) and their figures.
"""

import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_review_quality as bench  # noqa: E402

from intersector.agreements import review  # noqa: E402

GRID = {
    "sentence": [0.6, 0.8, 1.0],
    "clause": [0.0, 0.2],
    "heading": [0.0, 0.15, 0.3],
    "keyword": [0.2, 0.3, 0.4],
    "heading_keyword": [0.1],
    "generic": [0.6, 0.8, 1.0, 1.2],
    "background": [0.0, 0.5, 1.0],
}


def tuning_items():
    dev, _folders = bench.load_devset()
    fixture = bench.ROOT / "tests" / "agreements" / "fixtures" / "dev_agreement.txt"
    items = [i for i in dev if bench.half_of(i["slug"]) == "a"]
    return items + [bench.load_item(fixture, fixture.with_suffix(".expected.yaml"))]


def prepare(card, items):
    prepared = []
    for item in items:
        found = review.features(card, bench.split_clauses(item["text"]))
        normalised = bench._normalise(item["text"])
        targets = {}
        for key, (rating, quote) in item["labels"].items():
            targets[key] = bench.quote_span(item["text"], quote, normalised) if quote else None
        prepared.append((item, found, targets))
    return prepared


def evaluate(prepared, tune):
    """(per judgement: best score, wanted, full wanted, top sentence supports or None)."""
    rows = []
    for item, found, targets in prepared:
        owners, clauses = found["owners"], found["clauses"]
        for entry in found["elements"]:
            key = entry["element"].key
            if key not in item["labels"] or not found["n"]:
                continue
            combined = review.combined_scores(found, entry, tune)
            top = int(np.argmax(combined))
            best = float(combined[top]) - review.element_stricter(entry["element"])
            expected = item["labels"][key][0]
            target = targets.get(key)
            supports = None
            if target is not None:
                c = clauses[owners[top]]
                s, e = found["spans"][top]
                supports = bench.overlaps((c.start + s, c.start + e), target)
            rows.append((best, expected != "not-in-place", expected == "fully", supports))
    return rows


def best_threshold(rows, min_precision=0.88):
    scores = sorted({round(r[0], 3) for r in rows})
    best = (-1, 0, 0, 0, None)
    for t in scores:
        tp = sum(1 for r in rows if r[0] >= t and r[1])
        fp = sum(1 for r in rows if r[0] >= t and not r[1])
        fn = sum(1 for r in rows if r[0] < t and r[1])
        p, r, f = bench.prf(tp, fp, fn)
        if p >= min_precision and f > best[0]:
            best = (f, p, r, t, None)
    return best


def main():
    min_precision = float(sys.argv[1]) if len(sys.argv) > 1 else 0.88
    card = bench.sc.Scorecard(bench.yaml.safe_load(bench.SCORECARD.read_text(encoding="utf-8")))
    items = tuning_items()
    print(f"tuning on {len(items)} agreements: " + ", ".join(i["slug"] for i in items))
    prepared = prepare(card, items)
    results = []
    keys = list(GRID)
    for values in itertools.product(*(GRID[k] for k in keys)):
        tune = dict(zip(keys, values))
        rows = evaluate(prepared, tune)
        f, p, r, t, _ = best_threshold(rows, min_precision)
        support = [row[3] for row in rows if row[1] and row[0] >= t and row[3] is not None]
        top = sum(support) / len(support) if support else 0
        results.append((round(f, 3) + 0.5 * top, f, p, r, t, top, tune))
    results.sort(key=lambda x: -x[0])
    for _score, f, p, r, t, top, tune in results[:10]:
        print(f"F1 {f:.3f} P {p:.2f} R {r:.2f} partial>= {t:.3f} top quote {top:.2f}  {tune}")
    # The "fully" threshold: the best exact agreement between fully and partially, for the winner.
    tune, t = results[0][6], results[0][4]
    rows = evaluate(prepared, tune)
    best_full = max(sorted({round(x[0], 3) for x in rows if x[0] >= t}) or [t],
                    key=lambda u: sum(1 for x in rows if x[0] >= t and x[1] and (x[0] >= u) == x[2]))
    print(f"fully >= {best_full:.3f}")


if __name__ == "__main__":
    main()
