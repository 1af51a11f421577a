"""Rebuild the development set's texts from fetched sources and check them against the labels.

Usage:
    python bench/devsets/agreements/rebuild.py OUT_FOLDER --sources FOLDER
    python bench/devsets/agreements/rebuild.py OUT_FOLDER --git-mirrors FOLDER

This script fetches nothing. Bring each manifest item's source onto the machine first, either
  --sources FOLDER      the files themselves, named <slug>.<ext> (the extension of source.path:
                        .pdf, .md); an item with source.text_path also needs <slug>.text.<ext>;
  --git-mirrors FOLDER  local clones of the source repositories, as FOLDER/<owner>+<name> (a
                        bare or normal clone, or one with a repo/ folder inside) or
                        FOLDER/<owner>/<name>; the file is read with `git show <commit>:<path>`.
Items kept in git (in_git: true) are copied from this folder.

For each item it writes to OUT_FOLDER: <slug>.txt (a PDF: `pdftotext` of it, poppler's default
reading-order mode; a Markdown file: its bytes as published), <slug>.pdf when the manifest keeps
the PDF, and <slug>.labels.yaml with every label's quote written out from its span (so
bench_review_quality.py and a person can read them; that folder is outside git). It checks each
.txt against the sha256 in the labels and each quote against its hash, copies manifest.yaml,
and exits 1 when anything is missing or differs (another poppler version can extract a PDF
differently: the message says which item).

Then:  INTERSECTOR_AGREEMENT_DEVSET=OUT_FOLDER .venv/bin/python bench/bench_review_quality.py
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import devset  # noqa: E402


def from_sources(folder, slug, path, text=False):
    ext = Path(path).suffix.lower()
    candidate = folder / f"{slug}{'.text' if text else ''}{ext}"
    return candidate.read_bytes() if candidate.exists() else None


def from_mirrors(folder, source, path):
    owner, name = source["repo"].split("/")
    for repo in (folder / f"{owner}+{name}" / "repo", folder / f"{owner}+{name}", folder / owner / name):
        if not repo.exists():
            continue
        done = subprocess.run(["git", "-C", str(repo), "show", f"{source['commit']}:{path}"],
                              capture_output=True)
        if done.returncode == 0:
            return done.stdout
    return None


def pdf_to_text(data):
    with tempfile.TemporaryDirectory() as tmp:
        pdf, txt = Path(tmp) / "in.pdf", Path(tmp) / "out.txt"
        pdf.write_bytes(data)
        subprocess.run(["pdftotext", str(pdf), str(txt)], check=True, capture_output=True)
        return txt.read_bytes()


def poppler_version():
    try:
        done = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True)
    except FileNotFoundError:
        return None
    return (done.stderr or done.stdout).splitlines()[0].strip()


def rebuild_item(item, args, out):
    """Write the item's files; return a list of problems."""
    slug, source = item["slug"], item["source"]
    if item.get("in_git"):
        shutil.copyfile(devset.HERE / f"{slug}.txt", out / f"{slug}.txt")
    else:
        def read(path, text=False):
            if args.sources:
                return from_sources(Path(args.sources), slug, path, text)
            return from_mirrors(Path(args.git_mirrors), source, path)

        original = read(source["path"])
        if original is None:
            return [f"{slug}: source not found ({source.get('repo')}/{source['path']})"]
        text_source = read(source["text_path"], text=True) if source.get("text_path") else original
        if text_source is None:
            return [f"{slug}: text source not found ({source['text_path']})"]
        is_pdf = (source.get("text_path") or source["path"]).lower().endswith(".pdf")
        (out / f"{slug}.txt").write_bytes(pdf_to_text(text_source) if is_pdf else text_source)
        if item.get("pdf"):
            (out / f"{slug}.pdf").write_bytes(original)
    return check_item(slug, out)


def check_item(slug, out):
    labels_path = devset.HERE / f"{slug}.labels.yaml"
    if not labels_path.exists():
        return [f"{slug}: no labels in git ({labels_path.name})"]
    labels = devset.load_labels(labels_path)
    text_path = out / f"{slug}.txt"
    if devset.file_sha256(text_path) != labels["text_sha256"]:
        return [f"{slug}: {text_path.name} differs from the labelled text (sha256); "
                "the spans cannot be trusted (another extractor or source version?)"]
    try:
        resolved = devset.quotes(labels, text_path.read_text(encoding="utf-8"))
    except ValueError as error:
        return [f"{slug}: {error}"]
    elements = {key: ({"rating": rating, "quote": quote} if quote else {"rating": rating})
                for key, (rating, quote) in resolved.items()}
    written = {"slug": slug, "text_sha256": labels["text_sha256"],
               "note": "written by rebuild.py from the span labels in git; quotes are the "
                       "third-party text and stay outside git", "elements": elements}
    (out / f"{slug}.labels.yaml").write_text(
        yaml.safe_dump(written, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sources")
    where.add_argument("--git-mirrors")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = devset.manifest()
    wanted = manifest.get("poppler")
    have = poppler_version()
    if have is None:
        print("pdftotext (poppler-utils) is not installed")
        return 1
    if wanted and wanted != have:
        print(f"note: the labels were made with {wanted}; this machine has {have}")
    problems = []
    for item in manifest["items"]:
        problems += rebuild_item(item, args, out)
    shutil.copyfile(devset.HERE / "manifest.yaml", out / "manifest.yaml")
    good = len(manifest["items"]) - len(problems)
    print(f"{good} of {len(manifest['items'])} items rebuilt and verified in {out}")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
