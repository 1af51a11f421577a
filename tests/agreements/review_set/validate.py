"""Check the scorecard content and the review set agree with SCHEMA-agreements.md.

Run: .venv/bin/python tests/agreements/review_set/validate.py   (from /work/main)
Not a pytest file on purpose: it is a content check for the people writing agreements.
"""
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[3]
SCORECARD = ROOT / "content" / "agreements" / "scorecard.yaml"
REVIEW_SET = pathlib.Path(__file__).resolve().parent
SCALE = ["not-relevant", "not-in-place", "partially", "fully"]
FORMS = ["letter-of-intent", "mou", "detailed"]
FAMILIES = ["who", "why", "what", "when", "how", "what-if"]
ELEMENT_FIELDS = ["key", "title", "question", "why", "good_answer", "example", "importance", "forms", "keywords"]
LABELS = {"addressed", "partial", "missing"}


def check_scorecard(problems):
    card = yaml.safe_load(SCORECARD.read_text())
    for field in ["version", "title", "scale", "forms", "families"]:
        if field not in card:
            problems.append(f"scorecard: missing top-level '{field}'")
    if [s["key"] for s in card["scale"]] != SCALE:
        problems.append("scorecard: scale keys must be exactly " + ", ".join(SCALE))
    if [f["key"] for f in card["forms"]] != FORMS:
        problems.append("scorecard: form keys must be exactly " + ", ".join(FORMS))
    if [f["key"] for f in card["families"]] != FAMILIES:
        problems.append("scorecard: family keys must be exactly " + ", ".join(FAMILIES))
    keys = []
    for family in card["families"]:
        for field in ["key", "title", "summary", "elements"]:
            if not family.get(field):
                problems.append(f"scorecard: family {family.get('key')} lacks '{field}'")
        for element in family["elements"]:
            keys.append(element.get("key"))
            for field in ELEMENT_FIELDS:
                if element.get(field) in (None, "", []):
                    problems.append(f"scorecard: element {element.get('key')} lacks '{field}'")
            if element.get("importance") not in (1, 2, 3):
                problems.append(f"scorecard: element {element['key']} importance must be 1-3")
            if not set(element.get("forms", [])) <= set(FORMS):
                problems.append(f"scorecard: element {element['key']} has an unknown form")
            words = element.get("keywords", [])
            if not 5 <= len(words) <= 12 or len(set(words)) != len(words):
                problems.append(f"scorecard: element {element['key']} needs 5-12 distinct keywords")
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        problems.append(f"scorecard: duplicate element keys {sorted(duplicates)}")
    return card, keys


def check_review_set(keys, problems):
    rows = []
    for text in sorted(REVIEW_SET.glob("*.txt")):
        expected_path = text.with_name(text.stem + ".expected.yaml")
        if not expected_path.exists():
            problems.append(f"{text.name}: no expected file")
            continue
        expected = yaml.safe_load(expected_path.read_text())
        if expected.get("form") not in FORMS or not expected.get("title"):
            problems.append(f"{expected_path.name}: needs a title and a form from {FORMS}")
        labels = expected.get("elements") or {}
        if set(labels) != set(keys):
            problems.append(f"{expected_path.name}: keys differ from scorecard: {sorted(set(labels) ^ set(keys))}")
        bad = {k: v for k, v in labels.items() if v not in LABELS}
        if bad:
            problems.append(f"{expected_path.name}: invalid labels {bad}")
        counts = {label: sum(1 for v in labels.values() if v == label) for label in ("addressed", "partial", "missing")}
        rows.append((text.name, expected.get("form"), len(text.read_text().split()), counts))
    return rows


def main():
    problems = []
    card, keys = check_scorecard(problems)
    for family in card["families"]:
        print(f"{family['title']:<10} {len(family['elements'])} elements")
    print(f"{'total':<10} {len(keys)} elements\n")
    rows = check_review_set(keys, problems)
    print(f"{'agreement':<42} {'form':<17} {'words':>6} {'addr':>5} {'part':>5} {'miss':>5}")
    for name, form, words, c in rows:
        print(f"{name:<42} {form:<17} {words:>6} {c['addressed']:>5} {c['partial']:>5} {c['missing']:>5}")
    print()
    print("\n".join(problems) if problems else "OK: no problems found")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
