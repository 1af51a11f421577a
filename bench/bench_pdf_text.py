"""PDF text extractors on real agreement PDFs: words recovered against a reference reading,
glued words ("MemorandumofUnderstanding") and time per page, with Tesseract OCR beside them.

    .venv/bin/python bench/bench_pdf_text.py [--dir /work/devsets/pdfs] [--no-ocr]

The PDFs are real, publicly posted agreements that may not be redistributed, so they stay out
of the repository: the folder (PDF_DEVSET_DIR, default /work/devsets/pdfs) holds them with
sources.yaml and ref/, one reference reading per file (ref/<name>.txt) or for one page of it
(ref/<name>.p<N>.txt). A folder without ref/ (the agreement development set,
INTERSECTOR_AGREEMENT_DEVSET) pairs each <slug>.pdf with its <slug>.txt. Without PDFs the bench
says so and stops.

Extractors that are not installed are skipped (pypdfium2 and pdfminer.six are not project
dependencies; put them on PYTHONPATH to compare). "intersector" is what the upload does now
(intersector.agreements.extract), OCR of pages without a usable text layer included.

Figures per extractor: words recovered (the reference's words found, as a multiset, over the
reference's word count), glued (the share of the extractor's words that are two or more
reference words run together and not a reference word themselves), ms per page.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORD = re.compile(r"\w+", re.UNICODE)


def words(text):
    return [w.lower() for w in WORD.findall(text or "")]


# --- extractors: each returns a list of page texts -----------------------------------------


def with_pypdf(path):
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def with_pypdf_layout(path):
    from pypdf import PdfReader

    return [page.extract_text(extraction_mode="layout") or "" for page in PdfReader(path).pages]


def with_pypdfium2(path):
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return [document[i].get_textpage().get_text_bounded() for i in range(len(document))]
    finally:
        document.close()


def with_pdfminer(path):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    return ["\n".join(el.get_text() for el in page if isinstance(el, LTTextContainer))
            for page in extract_pages(path)]


def with_pdftotext(path):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True, timeout=120).stdout.decode("utf-8", "replace")
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def with_intersector(path):
    from intersector.agreements import extract

    reading = extract.read_pdf_pages(Path(path).read_bytes())
    return extract.ocr_pages(Path(path).read_bytes(), reading, progress=None)


def with_ocr_only(path):
    """Tesseract on every page, whatever its text layer: what OCR alone reads."""
    from intersector.agreements import extract

    data = Path(path).read_bytes()
    reading = extract.read_pdf_pages(data)
    reading.pages = [""] * len(reading.pages)
    reading.scanned = list(range(len(reading.pages)))
    return extract.ocr_pages(data, reading, progress=None)


def available():
    found = {"pypdf (before)": with_pypdf, "pypdf layout": with_pypdf_layout}
    for name, module, fn in (("pypdfium2", "pypdfium2", with_pypdfium2),
                             ("pdfminer.six", "pdfminer", with_pdfminer)):
        try:
            __import__(module)
        except ImportError:
            print(f"  ({name} not installed: skipped)")
            continue
        found[name] = fn
    try:
        subprocess.run(["pdftotext", "-v"], capture_output=True, check=False)
        found["pdftotext"] = with_pdftotext
    except FileNotFoundError:
        print("  (pdftotext not installed: skipped)")
    found["intersector"] = with_intersector
    return found


# --- figures ----------------------------------------------------------------------------------


def glued(tokens, vocabulary):
    @lru_cache(maxsize=None)
    def splits(word, start=0):
        if start == len(word):
            return 0
        best = None
        for end in range(start + 2, len(word) + 1):
            if word[start:end] in vocabulary:
                rest = splits(word, end)
                if rest is not None and (best is None or rest + 1 < best):
                    best = rest + 1
        return best

    count = 0
    for token in tokens:
        if len(token) >= 5 and token not in vocabulary and not token.isdigit():
            parts = splits(token)
            if parts is not None and parts >= 2:
                count += 1
    return count


def score(pages, reference, only_page=None):
    if only_page is not None:
        pages = pages[only_page - 1:only_page]
    got = words("\n".join(pages))
    ref = words(reference)
    found = sum((Counter(got) & Counter(ref)).values())
    vocabulary = frozenset(w for w in ref if len(w) >= 2) | {"a", "i", "y", "o"}
    return {"recovered": found / max(1, len(ref)), "glued": glued(got, vocabulary) / max(1, len(got)),
            "words": len(got), "ref_words": len(ref)}


def references(folder):
    if not (folder / "ref").is_dir():
        # The agreement development set's layout: <slug>.pdf beside <slug>.txt (its pdftotext).
        for pdf in sorted(folder.glob("*.pdf")):
            if pdf.with_suffix(".txt").exists():
                yield pdf, pdf.with_suffix(".txt").read_text(encoding="utf-8"), None
        return
    for ref in sorted((folder / "ref").glob("*.txt")):
        match = re.match(r"(.+?)(?:\.p(\d+))?\.txt$", ref.name)
        pdf = folder / f"{match.group(1)}.pdf"
        if pdf.exists():
            yield pdf, ref.read_text(encoding="utf-8"), int(match.group(2)) if match.group(2) else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default=os.environ.get("PDF_DEVSET_DIR", "/work/devsets/pdfs"))
    parser.add_argument("--no-ocr", action="store_true", help="leave out Tesseract (slow)")
    args = parser.parse_args()
    folder = Path(args.dir)
    if not (folder / "ref").is_dir() and not list(folder.glob("*.pdf")):
        print(f"No development PDFs in {folder}: nothing to measure.")
        return
    if not (folder / "ref").is_dir():
        print("(references: the .txt beside each PDF; where that is pdftotext's reading, "
              "pdftotext scores 1.000 by construction)")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import django_setup  # noqa: F401  (the tests' environment, a throwaway database)
    from intersector.agreements import extract

    extractors = available()
    if not args.no_ocr and extract.tesseract_languages():
        extractors["tesseract (all pages)"] = with_ocr_only
    elif not args.no_ocr:
        print("  (tesseract not installed: OCR skipped)")
    if args.no_ocr:
        extractors.pop("intersector")
    totals = {name: Counter() for name in extractors}
    print(f"{'file':58} {'extractor':22} {'recovered':>9} {'glued':>7} {'ms/page':>8}")
    for pdf, reference, only_page in references(folder):
        label = pdf.name if only_page is None else f"{pdf.name} p{only_page}"
        for name, fn in extractors.items():
            started = time.perf_counter()
            try:
                pages = fn(pdf)
            except Exception as error:  # a bench reports a failing extractor, it does not stop
                print(f"{label[:58]:58} {name:22} failed: {type(error).__name__}: {error}"[:160])
                continue
            seconds = time.perf_counter() - started
            figures = score(pages, reference, only_page)
            per_page = 1000 * seconds / max(1, len(pages))
            print(f"{label[:58]:58} {name:22} {figures['recovered']:9.3f} {figures['glued']:7.3f} {per_page:8.1f}")
            total = totals[name]
            total["found"] += figures["recovered"] * figures["ref_words"]
            total["ref"] += figures["ref_words"]
            total["glued"] += figures["glued"] * figures["words"]
            total["words"] += figures["words"]
            total["ms"] += 1000 * seconds
            total["pages"] += len(pages)
            total["files"] += 1
    print("\nall files (words pooled)")
    print(f"{'extractor':22} {'files':>5} {'recovered':>9} {'glued':>7} {'ms/page':>8}")
    for name, total in totals.items():
        if total["files"]:
            print(f"{name:22} {total['files']:5} {total['found'] / total['ref']:9.3f} "
                  f"{total['glued'] / max(1, total['words']):7.3f} {total['ms'] / total['pages']:8.1f}")


if __name__ == "__main__":
    main()
