"""The development set's label format: ratings and quotes as offsets, no third-party text.

A label file (<slug>.labels.yaml, in git) holds, per scorecard element, the rating and, for
fully / partially, the quote as a character span [start, end) into the NORMALISED text of
<slug>.txt, plus a short hash of the quoted text; the file's `text_sha256` is the sha256 of the
.txt file's bytes. The texts themselves are third parties' and stay outside git: rebuild.py makes
them again from the fetched sources and checks the hashes, so the set can be rebuilt anywhere.

Normalised text: the .txt decoded as UTF-8 with every run of whitespace (spaces, line breaks,
form feeds) read as one space, and no space at either end. Nothing else changes (glued words,
ligatures and Markdown stay as extracted), so a span is the text a person reads.
"""

import hashlib
import re
import unicodedata
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SCORECARD = HERE.parents[2] / "content" / "agreements" / "scorecard.yaml"
RATINGS = ("fully", "partially", "not")
SHORT = {"f": "fully", "p": "partially", "n": "not"}


def element_keys():
    card = yaml.safe_load(SCORECARD.read_text(encoding="utf-8"))
    return [e["key"] for f in card["families"] for e in f["elements"]]


def normalise(text):
    return re.sub(r"\s+", " ", text).strip()


def file_sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def quote_hash(quote):
    """A short hash of a quote: enough to notice a span that no longer points at it."""
    return hashlib.sha256(quote.encode("utf-8")).hexdigest()[:16]


def manifest(folder=HERE):
    return yaml.safe_load((Path(folder) / "manifest.yaml").read_text(encoding="utf-8")) or {}


def load_labels(path):
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def quotes(labels, text):
    """{element: (rating, quote)} from a label file's spans and the item's .txt text.

    Raises ValueError when a span's quote hash does not match (the text is not the one labelled).
    """
    norm = normalise(text)
    out = {}
    for key, label in (labels.get("elements") or {}).items():
        rating = label.get("rating")
        quote = ""
        if label.get("span"):
            start, end = label["span"]
            quote = norm[start:end]
            if label.get("quote_sha256") and quote_hash(quote) != label["quote_sha256"]:
                raise ValueError(f"{key}: span [{start}, {end}) no longer holds the labelled quote")
        elif label.get("quote"):   # an older label with its quote written out
            quote = label["quote"]
        out[key] = (rating, quote)
    return out


# --- Finding a typed quote in the text (for the labeller; see label.py) -----------------------


def _folded(text):
    """text with ligatures and typographic quotes folded, and a map back to text offsets."""
    out, offsets = [], []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch)
        folded = folded.translate(str.maketrans("’‘“”", "''\"\""))
        for piece in folded:
            out.append(piece)
            offsets.append(i)
    return "".join(out), offsets


def find_span(norm, quote):
    """[start, end) of a typed quote in the normalised text; 'head … tail' spans both parts.

    The exact text is tried first; then with ligatures and curly quotes folded on both sides.
    The first place the head occurs is taken (the tail is looked for after it): a labeller
    quoting a sentence that occurs twice (a table of contents) quotes enough to tell them apart.
    Raises ValueError when it is not found.
    """
    parts = [normalise(p) for p in quote.split("…")]
    if len(parts) > 2 or not all(parts):
        raise ValueError(f"quote must be 'text' or 'head … tail': {quote[:60]!r}")
    for haystack, offsets in ((norm, None), _folded(norm)):
        needles = parts if offsets is None else [_folded(p)[0] for p in parts]
        at = haystack.find(needles[0])
        if at < 0:
            continue
        end = at + len(needles[0])
        if len(needles) == 2:
            tail = haystack.find(needles[1], end)
            if tail < 0:
                continue
            end = tail + len(needles[1])
        if offsets is None:
            return at, end
        return offsets[at], offsets[end - 1] + 1
    raise ValueError(f"quote not found: {quote[:70]!r}")
