"""Turn a labeller's working sheet into the label file kept in git (spans, hashes, no quotes).

Usage: python bench/devsets/agreements/label.py SHEET_FOLDER TEXT_FOLDER [SLUG ...]

A working sheet SHEET_FOLDER/<slug>.yaml (kept outside git with the texts: its quotes are
third-party text) has one line per scorecard element:

    representatives: p | The directors of both partners will regularly monitor the progress.
    vision: n
    activities: f | The above goals will be accomplished … deliver the training.

f / p / n is fully / partially / not; the quote is copied from the normalised text, or given as
'head … tail' for a long passage. Each quote is located in TEXT_FOLDER/<slug>.txt and written to
bench/devsets/agreements/<slug>.labels.yaml as its span, with the text's sha256. A quote that is
not found, or an element missing from the sheet, stops with a message.
"""

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import devset  # noqa: E402


def read_sheet(path):
    ratings = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, rest = line.partition(":")
        code, _, quote = rest.strip().partition("|")
        rating = devset.SHORT.get(code.strip())
        if rating is None:
            raise ValueError(f"{path.name}:{number}: rating {code.strip()!r} is not f, p or n")
        if rating != "not" and not quote.strip():
            raise ValueError(f"{path.name}:{number}: {key} is {rating} without a quote")
        ratings[key.strip()] = (rating, quote.strip())
    return ratings


def label_file(slug, sheet, text_path):
    text = text_path.read_text(encoding="utf-8")
    norm = devset.normalise(text)
    keys = devset.element_keys()
    missing = [k for k in keys if k not in sheet]
    unknown = [k for k in sheet if k not in keys]
    if missing or unknown:
        raise ValueError(f"{slug}: missing {missing}, not scorecard elements {unknown}")
    elements = {}
    for key in keys:
        rating, quote = sheet[key]
        entry = {"rating": rating}
        if rating != "not":
            try:
                start, end = devset.find_span(norm, quote)
            except ValueError as error:
                raise ValueError(f"{slug}: {key}: {error}") from None
            entry["span"] = [start, end]
            entry["quote_sha256"] = devset.quote_hash(norm[start:end])
        elements[key] = entry
    return {
        "slug": slug,
        "text_sha256": devset.file_sha256(text_path),
        "normalised_chars": len(norm),
        "spans": "character offsets [start, end) into the normalised text (see devset.py)",
        "elements": elements,
    }


def main():
    sheets, texts = Path(sys.argv[1]), Path(sys.argv[2])
    slugs = sys.argv[3:] or sorted(p.stem for p in sheets.glob("*.yaml"))
    failed = 0
    for slug in slugs:
        try:
            labels = label_file(slug, read_sheet(sheets / f"{slug}.yaml"), texts / f"{slug}.txt")
        except ValueError as error:
            print("PROBLEM:", error)
            failed += 1
            continue
        out = devset.HERE / f"{slug}.labels.yaml"
        out.write_text(yaml.safe_dump(labels, sort_keys=False, width=100), encoding="utf-8")
        counts = [r["rating"] for r in labels["elements"].values()]
        print(f"{slug}: fully {counts.count('fully')}, partially {counts.count('partially')}, "
              f"not {counts.count('not')}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
