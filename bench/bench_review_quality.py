"""Agree review quality: how well the review's proposals match a person's reading, and how fast.

One command:  .venv/bin/python bench/bench_review_quality.py
Sets: the in-house review set (tests/agreements/review_set: agreements written in-house, labelled
addressed / partial / missing) and the development set of real agreements, from the folders in
INTERSECTOR_AGREEMENT_DEVSET (several joined by ':'; default bench/devsets/agreements): for each
item <slug>.txt and <slug>.labels.yaml with every element fully / partially / not and a quote.
A set's items can be split with --half a|b (a stable split by name: "a" is where phrasings and
thresholds may be tuned, "b" is held out).

Printed per set: precision, recall and F1 of "addressed" (fully or partially) against "not";
recall on elements labelled partially; exact rating agreement; the share of correct "addressed"
proposals whose top evidence (and any evidence) supports the label; and the time of the review
beside the bare work floor (embedding the document's lines once, no scoring), in the same run.

Evidence check (automatic, stated so it can be judged): the labelled quote is found in the text
(whitespace and quotes normalised) and widened to its sentence(s); an evidence passage supports
the label when the part of it the review page SHOWS FIRST overlaps that sentence span. What the
page shows first: the passage's sentence when the review gives one, else the first 60 words of the
clause (the page's truncatewords:60), so a huge clause that merely contains the quote somewhere
past its 60th word does not count. "top" and "any" are this strict check, on the first and on any
of the passages. A second, looser figure says how often the whole clause around the top evidence
(what a person sees on asking for the clause) overlaps the labelled quote's sentence span; it
does not judge whether a different sentence the review shows also supports the label (a labelled
quote is one of possibly several that would), so neither figure is the share that supports it.
That share is counted from a person's marks (bench/devsets/agreements/evidence_marks.yaml: yes/no
per case, keyed by a hash of the evidence shown; `--judge-sample N` prints cases with their lines
for the file), over the marked cases whose evidence the review still shows.
"""

import argparse
import hashlib
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("INTERSECTOR_ENV_FILE", "")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 40)
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402

from intersector import analysis  # noqa: E402
from intersector.agreements import candidates, review  # noqa: E402
from intersector.agreements import scorecard as sc  # noqa: E402
from intersector.agreements.clauses import split_clauses  # noqa: E402

sys.path.insert(0, str(ROOT / "bench" / "devsets" / "agreements"))
import devset  # noqa: E402

IN_HOUSE = ROOT / "tests" / "agreements" / "review_set"
DEVSET_ENV = "INTERSECTOR_AGREEMENT_DEVSET"
DEFAULT_DEVSET = ROOT / "bench" / "devsets" / "agreements"
SCORECARD = ROOT / "content" / "agreements" / "scorecard.yaml"
# Every label spelling seen in the sets, mapped to the scorecard's scale.
RATINGS = {"addressed": "fully", "fully": "fully", "full": "fully", "fully-in-place": "fully",
           "partial": "partially", "partially": "partially", "partially-in-place": "partially",
           "missing": "not-in-place", "not": "not-in-place", "not-in-place": "not-in-place",
           "none": "not-in-place", "no": "not-in-place", "not-relevant": "not-in-place"}


# --- Loading ---------------------------------------------------------------------------------


def half_of(slug):
    """'a' or 'b', stable for a name (tuning half and held-out half)."""
    return "a" if hashlib.sha256(slug.encode()).digest()[0] % 2 == 0 else "b"


def _label(value):
    """(rating, quote) from a label entry in any of the shapes the sets use."""
    quote = ""
    if isinstance(value, dict):
        quote = value.get("quote") or value.get("evidence") or ""
        value = value.get("rating") or value.get("label") or value.get("status") or ""
    if isinstance(value, list):   # [rating, quote]
        value, quote = (value + ["", ""])[:2]
    rating = RATINGS.get(str(value).strip().lower().replace(" ", "-").replace("_", "-"))
    if rating is None:
        raise ValueError(f"unknown label {value!r}")
    if isinstance(quote, list):
        quote = " … ".join(str(q) for q in quote)
    return rating, str(quote or "")


def load_item(text_path, labels_path):
    data = yaml.safe_load(labels_path.read_text(encoding="utf-8")) or {}
    text = text_path.read_text(encoding="utf-8")
    elements = data.get("elements") or data.get("labels") or {}
    if isinstance(elements, list):   # [{key:, rating:, quote:}]
        elements = {e.get("key") or e.get("element"): e for e in elements}
    if any(isinstance(v, dict) and v.get("span") for v in elements.values()):
        # The labels kept in git: quotes as spans into the normalised text (devsets/agreements/devset.py).
        if devset.file_sha256(text_path) != data.get("text_sha256"):
            raise ValueError("the text is not the one labelled (sha256 differs); run rebuild.py")
        elements = {k: {"rating": r, "quote": q} for k, (r, q) in devset.quotes(data, text).items()}
    labels = {key: _label(value) for key, value in elements.items()}
    return {"slug": text_path.stem, "text": text, "labels": labels,
            "kind": data.get("kind") or data.get("form") or ""}


def load_in_house():
    return [load_item(p, p.with_suffix(".expected.yaml")) for p in sorted(IN_HOUSE.glob("*.txt"))]


def load_devset():
    folders = [Path(f) for f in os.environ.get(DEVSET_ENV, "").split(os.pathsep) if f.strip()]
    items, seen = [], set()
    for folder in folders or [DEFAULT_DEVSET]:
        for labels_path in sorted(folder.glob("*.labels.yaml")):
            slug = labels_path.name[: -len(".labels.yaml")]
            text_path = folder / f"{slug}.txt"
            if slug in seen or not text_path.exists():
                continue
            try:
                item = load_item(text_path, labels_path)
            except (ValueError, yaml.YAMLError, AttributeError) as error:
                print(f"  skipped {slug}: {error}")
                continue
            seen.add(slug)
            items.append(item)
    return items, folders or [DEFAULT_DEVSET]


# --- Evidence check --------------------------------------------------------------------------

SENTENCE_END = re.compile(r"[.;:!?](?=\s)|\n\s*\n|\n(?=\s*(?:[-*•●▪]|\(?[a-z0-9]{1,3}[.)])\s)")


def _normalise(text):
    """Lower case, one space, plain quotes and dashes; with a map back to offsets in text."""
    out, offsets = [], []
    last_space = True
    for i, ch in enumerate(text):
        ch = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"}.get(ch, ch).lower()
        if ch.isspace():
            if last_space:
                continue
            ch = " "
            last_space = True
        else:
            last_space = False
        out.append(ch)
        offsets.append(i)
    return "".join(out), offsets


def quote_span(text, quote, normalised=None):
    """(start, end) of the labelled quote in text, widened to whole sentences; None if absent."""
    norm, offsets = normalised or _normalise(text)
    spans = []
    for part in re.split(r"\s*(?:…|\.\.\.)\s*", quote):
        needle, _ = _normalise(part.strip(" \"'“”"))
        needle = needle.strip()
        if len(needle) < 8:
            continue
        at = norm.find(needle)
        if at < 0 and len(needle) > 60:   # a label may have trimmed or retyped the ends
            at = norm.find(needle[10:50])
            if at >= 0:
                at = max(0, at - 10)
        if at >= 0:
            spans.append((offsets[at], offsets[min(at + len(needle), len(offsets)) - 1] + 1))
    if not spans:
        return None
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    return _widen(text, start, end)


def _widen(text, start, end):
    """Widen (start, end) to the sentence(s) around it."""
    before = [m.end() for m in SENTENCE_END.finditer(text, 0, start)]
    s = before[-1] if before else 0
    after = SENTENCE_END.search(text, end)
    e = after.end() if after else len(text)
    return s, e


def shown_span(clause, passage):
    """The part of a passage the review page shows first (see the module docstring)."""
    if passage.get("sentence"):
        start, end = passage["sentence"]
        return clause.start + start, clause.start + end
    words = list(re.finditer(r"\S+", clause.text))
    end = words[min(59, len(words) - 1)].end() if words else 0
    return clause.start, clause.start + end


def clause_span(clause):
    return clause.start, clause.end


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


# --- Running the review -----------------------------------------------------------------------


def run_item(card, item):
    start = time.process_time()
    clauses = split_clauses(item["text"])
    proposals, info = review.propose(card, clauses)
    cpu = time.process_time() - start
    by_position = {c.position: c for c in clauses}
    return {p.element: p for p in proposals}, by_position, info, cpu


def passages_of(proposal):
    """[{'clause': pos, 'score': s, 'sentence': (start, end)?}] whatever Proposal holds."""
    sentences = list(getattr(proposal, "sentences", None) or [])
    out = []
    for i, (position, score) in enumerate(proposal.passages):
        entry = {"clause": position, "score": score}
        if i < len(sentences) and sentences[i]:
            entry["sentence"] = sentences[i]
        out.append(entry)
    return out


# --- Evidence judged by a person ----------------------------------------------------------------

MARKS = ROOT / "bench" / "devsets" / "agreements" / "evidence_marks.yaml"


def shown_text(item, clauses, proposal):
    """What the review page shows first for a proposal (None without evidence)."""
    top = passages_of(proposal)[:1]
    if not top or top[0]["clause"] not in clauses:
        return None
    start, end = shown_span(clauses[top[0]["clause"]], top[0])
    return " ".join(item["text"][start:end].split())[:400]


def shown_key(text):
    """A mark's key for the evidence it judged: when the review shows other evidence, the mark no
    longer applies and the case counts as not yet judged."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_marks(path=MARKS):
    """{(agreement, element, shown key): supports} from the marks file (see its header)."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {(m["item"], m["element"], m["shown"]): bool(m["supports"])
            for m in data.get("marks") or [] if m.get("supports") is not None}


def measure(card, items, show_items=False):
    marks = load_marks()
    judged_yes = judged_no = unjudged = 0
    tp = fp = fn = tn = 0
    partial_total = partial_found = 0
    exact = total = 0
    top_ok = any_ok = clause_ok = checked = unlocated = 0
    cpu_total = 0.0
    misses = {}
    for item in items:
        proposals, clauses, info, cpu = run_item(card, item)
        cpu_total += cpu
        normalised = _normalise(item["text"])
        item_tp = item_fp = item_fn = 0
        for key in card.elements:
            if key not in item["labels"]:
                continue
            expected, quote = item["labels"][key]
            proposal = proposals[key]
            said = proposal.rating in ("fully", "partially")
            wanted = expected in ("fully", "partially")
            total += 1
            exact += proposal.rating == expected
            if said and wanted:
                tp += 1
                item_tp += 1
            elif said:
                fp += 1
                item_fp += 1
                misses.setdefault(key, [0, 0])[0] += 1
            elif wanted:
                fn += 1
                item_fn += 1
                misses.setdefault(key, [0, 0])[1] += 1
            else:
                tn += 1
            if expected == "partially":
                partial_total += 1
                partial_found += said
            if said and wanted:
                shown = shown_text(item, clauses, proposal)
                mark = marks.get((item["slug"], key, shown_key(shown))) if shown else None
                judged_yes += mark is True
                judged_no += mark is False
                unjudged += mark is None
            if said and wanted and quote:
                target = quote_span(item["text"], quote, normalised)
                if target is None:
                    unlocated += 1
                    continue
                shown = [shown_span(clauses[p["clause"]], p) for p in passages_of(proposal)
                         if p["clause"] in clauses]
                checked += 1
                top_ok += bool(shown) and overlaps(shown[0], target)
                any_ok += any(overlaps(s, target) for s in shown)
                top = passages_of(proposal)[:1]
                clause_ok += bool(top) and overlaps(clause_span(clauses[top[0]["clause"]]), target)
        if show_items:
            p, r, f = prf(item_tp, item_fp, item_fn)
            print(f"    {item['slug'][:44]:44s} P {p:.2f} R {r:.2f} F1 {f:.2f}  ({cpu:.2f} s CPU)")
    p, r, f = prf(tp, fp, fn)
    return {"items": len(items), "judgements": total, "precision": p, "recall": r, "f1": f,
            "partial_recall": partial_found / partial_total if partial_total else float("nan"),
            "partial_n": partial_total, "exact": exact / total if total else float("nan"),
            "top_quote": top_ok / checked if checked else float("nan"),
            "any_quote": any_ok / checked if checked else float("nan"), "quotes_checked": checked,
            "top_clause": clause_ok / checked if checked else float("nan"),
            "quotes_unlocated": unlocated, "cpu": cpu_total, "misses": misses, "tp": tp, "fp": fp,
            "fn": fn, "tn": tn, "judged_yes": judged_yes, "judged_no": judged_no, "unjudged": unjudged,
            "method": f"{info.kind}: {info.name}" if items else ""}


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(name, m):
    print(f"\n{name}: {m['items']} agreements, {m['judgements']} element judgements "
          f"(TP {m['tp']} FP {m['fp']} FN {m['fn']} TN {m['tn']})")
    if not m["items"]:
        return
    print(f"  addressed (fully or partially) vs not: precision {m['precision']:.2f}  "
          f"recall {m['recall']:.2f}  F1 {m['f1']:.2f}")
    print(f"  recall on 'partially' labels: {m['partial_recall']:.2f} (of {m['partial_n']});  "
          f"exact rating agreement {m['exact']:.2f}")
    if m["quotes_checked"]:
        print(f"  evidence shown is the labelled quote (strict): top {m['top_quote']:.2f}, any {m['any_quote']:.2f} "
              f"(of {m['quotes_checked']} correct proposals with a located quote; "
              f"{m['quotes_unlocated']} quotes not found in the text)")
        print(f"  looser: the top evidence's whole clause (shown on demand) holds the labelled quote: "
              f"{m['top_clause']:.2f}")
    else:
        print("  evidence: no labelled quotes in this set")
    judged = m["judged_yes"] + m["judged_no"]
    if judged:
        print(f"  evidence shown first, judged by a person ({MARKS.name}): supports the proposal in "
              f"{m['judged_yes']} of {judged} marked cases ({m['judged_yes'] / judged:.2f}); "
              f"{m['unjudged']} correct proposals show evidence not marked yet (--judge-sample)")
    worst = sorted(m["misses"].items(), key=lambda kv: -(kv[1][0] + kv[1][1]))[:8]
    print("  most wrong elements (false +, missed): "
          + ", ".join(f"{k} {a}/{b}" for k, (a, b) in worst))
    print(f"  review CPU: {m['cpu']:.2f} s for the set ({m['cpu'] / m['items']:.2f} s per agreement)")


def timing(card):
    """The 20-page review beside the floor: embedding the document's lines once, in one run."""
    from bench.bench_agreements import twenty_page_agreement

    text = twenty_page_agreement()
    lines = [line for line in text.splitlines() if line.strip()]
    review.propose(card, split_clauses("1. Parties\n2. Purpose\n3. Vision\n"))   # warm
    floors, runs = [], []
    for _ in range(3):
        start = time.process_time()
        analysis.embed(lines)
        floors.append(time.process_time() - start)
        review.forget_clause_vectors()
        start = time.process_time()
        wall = time.perf_counter()
        review.propose(card, split_clauses(text))
        runs.append((time.process_time() - start, time.perf_counter() - wall))
    floor = statistics.median(floors)
    cpu = statistics.median(r[0] for r in runs)
    wall = statistics.median(r[1] for r in runs)
    print(f"\n20-page review ({len(text.split())} words): CPU {cpu:.2f} s, wall {wall:.2f} s "
          f"(target < 5 s); floor (embedding its {len(lines)} lines once) CPU {floor:.2f} s; "
          f"ratio {cpu / floor:.2f}")
    found = review.features(card, split_clauses(text))
    texts = {t for t, keep in zip(sentence_texts(found), found["embedded"]) if keep}
    everything = set(sentence_texts(found))
    print(f"  it embeds {sum(len(t.split()) for t in texts)} of the {sum(len(t.split()) for t in everything)} "
          f"words of its {len(everything)} distinct sentences (budget {candidates.EMBED_WORDS} words, "
          "agreements/candidates.py); the floor embeds every line, so the review can be under it")


def judge_sample(card, items, count, seed=20261202):
    """Print `count` correct "addressed" proposals at random, each with what the page shows first
    as its evidence, numbered for a person's yes/no: does this support the element being in place?
    Judged by reading the question and the evidence only (not the labelled quote). Each case ends
    with its line for the marks file (evidence_marks.yaml), "supports:" left empty until judged."""
    import random

    marks = load_marks()
    cases = []
    for item in items:
        proposals, clauses, _info, _cpu = run_item(card, item)
        for key in card.elements:
            expected, _quote = item["labels"].get(key, ("not-in-place", ""))
            proposal = proposals[key]
            if proposal.rating in ("fully", "partially") and expected in ("fully", "partially"):
                shown = shown_text(item, clauses, proposal)
                if shown:
                    cases.append((item["slug"], key, proposal.rating, shown))
    random.Random(seed).shuffle(cases)
    print(f"\n{min(count, len(cases))} of {len(cases)} correct 'addressed' proposals, at random (seed {seed}):")
    for number, (slug, key, rating, shown) in enumerate(cases[:count], 1):
        element = card.elements[key]
        mark = marks.get((slug, key, shown_key(shown)))
        print(f"\n[{number}] {slug} / {element.title} ({rating})\n    question: {element.question}\n"
              f"    shown first: {shown}\n"
              f"    mark: {{item: {slug}, element: {key}, shown: {shown_key(shown)}, "
              f"supports: {'' if mark is None else str(mark).lower()}}}")


def sentence_texts(found):
    clauses, owners = found["clauses"], found["owners"]
    return [clauses[o].text[s:e][:review.MAX_SENTENCE] for o, (s, e) in zip(owners, found["spans"])]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=["a", "b"], help="only this half of the development set")
    parser.add_argument("--items", action="store_true", help="figures per agreement too")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--judge-sample", type=int, metavar="N",
                        help="print N correct 'addressed' proposals drawn at random (fixed seed) from the chosen "
                             "half or the whole set, each with its element's question and the evidence the page "
                             "shows first, for a person to judge whether it supports the proposal (the issue's "
                             "own measure: a sample read by hand), then stop")
    parser.add_argument("--embed-words", type=int, metavar="N",
                        help="embed at most about N words of each agreement (default "
                             f"{candidates.EMBED_WORDS}); a small N shows what the word-match "
                             "choice of sentences costs on agreements it rarely touches")
    args = parser.parse_args()
    if args.embed_words:
        candidates.EMBED_WORDS = args.embed_words
    card = sc.Scorecard(yaml.safe_load(SCORECARD.read_text(encoding="utf-8")))
    print(f"scorecard: {len(card.elements)} elements; method: {analysis.model_info().kind}")
    in_house = load_in_house()
    report("In-house set (tests/agreements/review_set)", measure(card, in_house, args.items))
    dev, folders = load_devset()
    where = ", ".join(str(f) for f in folders)
    halves = {"a": [i for i in dev if half_of(i["slug"]) == "a"],
              "b": [i for i in dev if half_of(i["slug"]) == "b"]}
    if args.judge_sample:
        return judge_sample(card, halves[args.half] if args.half else dev, args.judge_sample)
    if args.half:
        report(f"Development set, half {args.half} ({where})", measure(card, halves[args.half], args.items))
    else:
        report(f"Development set, all ({where})", measure(card, dev, args.items))
        for half, items in halves.items():
            label = "tuning half" if half == "a" else "held-out half"
            report(f"Development set, half {half} ({label})", measure(card, items))
    if not args.no_timing:
        timing(card)


if __name__ == "__main__":
    main()
