"""Check the development set's labels (in git) and, where the texts are at hand, their quotes.

Usage: python bench/devsets/agreements/check_labels.py [TEXT_FOLDER]
TEXT_FOLDER (the texts rebuilt by rebuild.py) defaults to $INTERSECTOR_AGREEMENT_DEVSET, else
this file's folder (where only the public-domain item's text is kept).

Checks, for every <slug>.labels.yaml beside this file: every scorecard element is labelled once
with fully / partially / not; fully and partially carry a span [start, end) and a quote hash,
not for "not"; manifest.yaml lists the item and the item has labels. Where TEXT_FOLDER holds
<slug>.txt: its sha256 is the labelled one, each span lies inside the normalised text and still
holds the quote it was given (its hash). Prints the rating grid; exits 1 on any problem.
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import devset  # noqa: E402


def check_item(slug, labels, keys, text_folder):
    problems = []
    elements = labels.get("elements") or {}
    for key in keys:
        if key not in elements:
            problems.append(f"{slug}: {key} not labelled")
    for key, label in elements.items():
        if key not in keys:
            problems.append(f"{slug}: {key} is not a scorecard element")
            continue
        rating = label.get("rating")
        if rating not in devset.RATINGS:
            problems.append(f"{slug}: {key} rating {rating!r}")
        has_span = bool(label.get("span")) and bool(label.get("quote_sha256"))
        if rating in ("fully", "partially") and not has_span:
            problems.append(f"{slug}: {key} is {rating} without a span and quote hash")
        if rating == "not" and label.get("span"):
            problems.append(f"{slug}: {key} is not in place but has a span")
        if "quote" in label:
            problems.append(f"{slug}: {key} has its quote written out (third-party text in git)")
    text_path = Path(text_folder) / f"{slug}.txt"
    if not text_path.exists():
        return problems, False
    if devset.file_sha256(text_path) != labels.get("text_sha256"):
        return problems + [f"{slug}: {text_path} is not the labelled text (sha256)"], True
    norm = devset.normalise(text_path.read_text(encoding="utf-8"))
    for key, label in elements.items():
        if label.get("span"):
            start, end = label["span"]
            if not 0 <= start < end <= len(norm):
                problems.append(f"{slug}: {key} span {label['span']} outside the text")
            elif devset.quote_hash(norm[start:end]) != label.get("quote_sha256"):
                problems.append(f"{slug}: {key} span no longer holds its quote")
    return problems, True


def main():
    text_folder = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "INTERSECTOR_AGREEMENT_DEVSET", str(devset.HERE))
    keys = devset.element_keys()
    listed = {item["slug"] for item in devset.manifest().get("items", [])}
    slugs = sorted(p.name[: -len(".labels.yaml")] for p in devset.HERE.glob("*.labels.yaml"))
    problems, counts, texts = [], {r: 0 for r in devset.RATINGS}, 0
    for slug in slugs:
        labels = devset.load_labels(devset.HERE / f"{slug}.labels.yaml")
        item_problems, had_text = check_item(slug, labels, keys, text_folder)
        problems += item_problems
        texts += had_text
        if slug not in listed:
            problems.append(f"{slug}: not in manifest.yaml")
        ratings = {k: v.get("rating") for k, v in (labels.get("elements") or {}).items()}
        line = " ".join({"fully": "F", "partially": "p", "not": "."}.get(ratings.get(k), "?") for k in keys)
        print(f"{slug[:38]:38} {line}")
        for rating in ratings.values():
            if rating in counts:
                counts[rating] += 1
    problems += [f"{slug}: in manifest.yaml but not labelled" for slug in sorted(listed - set(slugs))]
    print(f"{len(slugs)} items, {len(keys)} elements each; fully {counts['fully']}, "
          f"partially {counts['partially']}, not {counts['not']}; quotes checked against the "
          f"texts of {texts} items in {text_folder}")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
