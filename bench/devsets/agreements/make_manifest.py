"""Bring manifest.yaml up to date with the labels in git: each item's text hash and rating counts.

Usage: python bench/devsets/agreements/make_manifest.py
manifest.yaml is the record of every item's source (repository, path, commit or URL), licence,
kind, sectors and whether it may be redistributed; that part is written by hand when an item is
added. This script adds to each item the sha256 of its text and its counts of fully / partially /
not from <slug>.labels.yaml, the poppler version the PDFs were read with, and the totals, and
says which labelled items the manifest lacks (and the reverse).
"""
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import devset  # noqa: E402
from rebuild import poppler_version  # noqa: E402


def main():
    path = devset.HERE / "manifest.yaml"
    manifest = devset.manifest()
    items = manifest.get("items") or []
    listed = {item["slug"] for item in items}
    labelled = {p.name[: -len(".labels.yaml")] for p in devset.HERE.glob("*.labels.yaml")}
    for item in items:
        if item["slug"] not in labelled:
            continue
        labels = devset.load_labels(devset.HERE / f"{item['slug']}.labels.yaml")
        ratings = [e["rating"] for e in labels["elements"].values()]
        item["text_sha256"] = labels["text_sha256"]
        item["ratings"] = {r: ratings.count(r) for r in devset.RATINGS}
        item.setdefault("language", "en")
        item.setdefault("in_git", False)
    manifest["count"] = len(items)
    manifest["redistributable_count"] = sum(1 for item in items if item.get("redistributable"))
    manifest["in_git_count"] = sum(1 for item in items if item.get("in_git"))
    manifest["poppler"] = manifest.get("poppler") or poppler_version()
    ordered = {k: manifest[k] for k in ("about", "count", "redistributable_count", "in_git_count",
                                        "poppler") if k in manifest}
    ordered["items"] = items
    path.write_text(yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100),
                    encoding="utf-8")
    print(f"manifest.yaml: {len(items)} items")
    for slug in sorted(labelled - listed):
        print(f"PROBLEM: {slug} is labelled but not in manifest.yaml (add its source and licence)")
    for slug in sorted(listed - labelled):
        print(f"PROBLEM: {slug} is in manifest.yaml but has no labels")
    return 1 if labelled ^ listed else 0


if __name__ == "__main__":
    sys.exit(main())
