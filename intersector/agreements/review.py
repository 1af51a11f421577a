"""Propose a rating for every scorecard element from an agreement's clauses, sentence by sentence.

Method: every clause is cut into sentences (clauses.sentence_spans). Each sentence is compared
by sentence embeddings (TF-IDF when no model is available) with the element's phrasings: its
title and question plus the ways agreements say it (content/agreements/review_phrasings.yaml).
A sentence's score adds how close its whole clause is (the mean of its sentences' vectors), its
clause's heading, and the element's keywords in the sentence and the heading (its keywords in the
scorecard's other languages too: the embeddings know little Spanish, the keywords carry a Spanish
agreement). A very long agreement embeds only the sentences its words make likely
(candidates.py). The best sentence
sets the proposal; the evidence shown first is the best whole sentence about this element (not a
heading, a piece of a sentence, or a sentence far closer to another element), and the best
sentences of other clauses follow it.
"Fully" needs a close match; "partially" a weaker one (an element touched, implied or covered
for one partner only). Weights and thresholds were set on the tuning half of the development set
of real agreements and on tests/agreements/fixtures/dev_agreement.txt; see bench_review_quality.py.
"""

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from intersector import analysis
from intersector.agreements.candidates import worth_embedding
from intersector.agreements.clauses import sentence_spans
from intersector.analysis import model as analysis_model

PHRASINGS = Path(__file__).resolve().parents[2] / "content" / "agreements" / "review_phrasings.yaml"

# Weights and thresholds, per kind of vectors (cosine scales differ between them).
SETTINGS = {
    "embeddings": {"sentence": 1.0, "clause": 0.0, "heading": 0.3, "keyword": 0.4,
                   "heading_keyword": 0.1, "generic": 1.0, "background": 0.0, "full": 0.456, "partial": 0.294},
    "tfidf": {"sentence": 0.6, "clause": 0.4, "heading": 0.0, "keyword": 0.4,
              "heading_keyword": 0.1, "generic": 0.0, "background": 0.0, "full": 0.40, "partial": 0.20},
}
PASSAGES = 3
MAX_SENTENCE = 600   # characters embedded of one very long sentence


@dataclass
class Proposal:
    element: str
    rating: str
    score: float
    passages: list   # [(clause position, score)] best first
    sentences: list = field(default_factory=list)   # [(start, end)] in each passage's clause text


@lru_cache(maxsize=4)
def _phrasings_file(path=PHRASINGS):
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")).get("elements") or {}


def element_phrasings(element):
    """The texts an element is matched with: its title and question, then its phrasings."""
    extra = (_phrasings_file().get(element.key) or {}).get("phrasings") or []
    return [f"{element.title}. {element.question}", *extra]


def element_stricter(element):
    return float((_phrasings_file().get(element.key) or {}).get("stricter") or 0.0)


def element_query(element):
    return f"{element.title}. {element.question}"


def _keyword_patterns(element):
    """[(first word, pattern)]: the word is a cheap test that must pass before the regex."""
    other = (_phrasings_file().get(element.key) or {}).get("other_keywords") or []
    return _compiled_keywords((*element.keywords, *other))


@lru_cache(maxsize=256)
def _compiled_keywords(keywords):
    # Compiled once per process: the 600-odd patterns overflow re's own cache on every review.
    patterns = []
    for keyword in keywords:
        lowered = keyword.lower()
        words = re.escape(lowered).replace(r"\ ", r"[\s-]+")
        patterns.append((lowered.split()[0] if lowered.split() else "",
                         re.compile(rf"\b{words}(?:s|es|ed|ing)?\b")))
    return patterns


def keyword_hits(patterns, text):
    # A substring test is ~50x cheaper than a regex search and rules out most texts.
    return sum(1 for word, pattern in patterns if word in text and pattern.search(text))


STUB_WORDS = 5   # fewer words than this: a heading or a label, not a sentence
LEAD_IN_WORDS = 25   # a line ending in a colon this short introduces a list ("The purpose is:")


def is_stub(text):
    """A sentence that says nothing by itself: a heading ("3. Responsibilities", "Article II:
    Effective Date") or a lead-in to a list ("The purpose of this MoU is:"). It may still count
    toward a rating, but it is poor evidence: a person shown it learns nothing."""
    words = re.findall(r"[A-Za-z]{2,}", text)
    if len(words) < STUB_WORDS and not is_short_task(text, words):
        return True
    if is_label_line(text):
        return True
    stripped = text.rstrip(" \t\n•●▪-–—*_")   # "**between:**" is a lead-in too
    return stripped.endswith(":") and len(words) < LEAD_IN_WORDS


def is_short_task(text, words):
    """A short list item that says what someone will do: "(b) forecast associated costs", "- verify
    participant eligibility; and". It reads on from its lead-in ("The Company will:"), and is
    evidence, where a heading of as few words ("3. Responsibilities") is not. Headings start with
    a capital; such items start in lower case after their mark."""
    mark = _LEAD_MARK.match(text)
    body = text[mark.end():] if mark else ""
    return (len(words) >= 3 and bool(mark.group().strip(" \t\n_\"'“")) and body[:1].islower()
            and not text.rstrip(" \t\n*_").endswith(":"))


# A word in lower case of three letters or more ("will", "each"), other than the small words of
# names and titles ("Department of Parks and Recreation"): running text has some.
_RUNNING_WORD = re.compile(r"(?<![\w'’-])(?!(?:and|for|the|del|los|las)\b)[a-zà-ÿ]{3,}")
# A word in title case ("Portland", "Address"), as against shouting in capitals.
_TITLE_WORD = re.compile(r"\b[A-ZÀ-Þ][a-zà-ÿ]+")


def is_label_line(text):
    """A line of names, places and numbers with no running text: an address ("Address: 8828 NE
    Schuyler St, Portland OR 97220"), a title ("Col. Tecnológico, Monterrey, Nuevo León 64849"),
    a signature block's labels. It looks like a party's details to the embeddings, but says
    nothing a person could check an element against. A sentence in capitals ("IN NO EVENT SHALL
    EITHER PARTY BE LIABLE...") is running text, not a label."""
    return not _RUNNING_WORD.search(text) and bool(_TITLE_WORD.search(text))


# A list mark or a number before a sentence ("b) ", "• ", "3.1 ", "(iv) "), and emphasis.
_LEAD_MARK = re.compile(r"^[\s\-*•●▪◦‣➢►✓]*(?:\(?(?:[a-z]{1,2}|[ivx]{1,5}|\d{1,2}(?:\.\d{1,2})*)[.)]\s+)?[\s*_\"'“]*")


def is_fragment(text):
    """A piece of a sentence that cannot be read alone: it starts in lower case without a list
    mark ("except to the extent that...", "funds raised to cover..."), is an aside in brackets,
    closes a bracket it did not open, or stops on a word no sentence ends on ("...in a"). Shown
    first, it leaves a person to guess what it belongs to; a whole sentence that says the same is
    better evidence. A list item in lower case ("(b) publish
    a joint report each year") is not one: it reads on from its lead-in, and says its part."""
    text = text.strip()
    if text.startswith("(") and text.rstrip(".;,").endswith(")"):
        return True
    mark = _LEAD_MARK.match(text)
    body = text[mark.end():]
    if not body or body.count(")") > body.count("("):
        return True
    if _CUT_OFF.search(text) and not re.search(r"[.!?;:)\"”'’]$", text):
        return True   # "...will be stored in a locked file cabinet in a": the rest is elsewhere
    return body[0].islower() and not mark.group().strip(" \t\n_\"'“")


# A sentence that stops on a word that cannot end one: a page break or a column cut it off. A
# list item ending "; and" reads on into the next item and is whole.
_CUT_OFF = re.compile(r"(?<![;,])\s(?:the|a|an|of|to|be|and|or|for|with|in|by|on|at|from|as|that|which|"
                      r"may|shall|will|must|is|are|was|were|its|their|this|these|such|any)$", re.IGNORECASE)
_WEB_ADDRESS = re.compile(r"\S*(?:@|https?://|www\.)\S*")
_CASE_FLIP = re.compile(r"[a-z][A-Z]{2}")   # "rHE", "scHEME"; not "GitHub", "NotAlone"
MOSTLY_DAMAGED = 0.2   # share of a document's sentences: more than this, and damage orders nothing
GLUED_WORD = 18   # letters: "IndiaactingthroughMs"; "responsibilities" is 16


def is_garbled(text):
    """Text that came out of a PDF damaged: words glued together ("Presidentof
    IndiaactingthroughMs Amita Sharma", "Quinixwillreciprocatebyoutsourcingprojects") or capitals
    out of place in two words or more ("rHE scHEME"). A person cannot read it as evidence; shown, it
    says the review read nonsense. (A web or e-mail address and a brand such as "GitHub" are not.)"""
    words = re.findall(r"[^\W\d_]+", _WEB_ADDRESS.sub(" ", text))
    glued = any(len(w) >= GLUED_WORD for w in words)
    return glued or len({w for w in words if _CASE_FLIP.search(w)}) >= 2


# A clause number or list mark opening a sentence: "4.1 ", "12. ", "(c) ", "iv) ", "B. ", "• ".
_NUMBERING = re.compile(r"^[\s\-*•●▪◦‣➢►✓]*(?:(?:\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivx]{1,5}|[A-Z])[.)]"
                        r"|\d{1,3}(?:\.\d{1,3})+)\s+)?")


def without_number(text):
    """The sentence as it is embedded: without the clause number or list mark that opens it. A
    number says nothing about the element, yet "4.1 Each party will designate a staff member to
    serve as its liaison" is 0.08-0.11 less like the phrasings for representatives than the same
    sentence without "4.1": real agreements number nearly every clause."""
    mark = _NUMBERING.match(text)
    return text[mark.end():] if mark and mark.end() < len(text) else text


def _sentences(clauses):
    """(owner clause index per sentence, (start, end) per sentence, sentence texts)."""
    owners, spans, texts = [], [], []
    for index, clause in enumerate(clauses):
        for start, end in sentence_spans(clause.text) or [(0, len(clause.text))]:
            owners.append(index)
            spans.append((start, end))
            texts.append(clause.text[start:end][:MAX_SENTENCE])
    return np.array(owners, dtype=int), spans, texts


def propose(card, clauses, progress=None, settings=None):
    """[Proposal] for every element of `card`, from `clauses` (objects with .text, .heading and
    .position). `progress(done)` is called after each element."""
    found = features(card, clauses)
    tune = dict(SETTINGS["embeddings" if found["info"].kind == "embeddings" else "tfidf"])
    tune.update(settings or {})
    return proposals_from(found, tune, progress), found["info"]


def features(card, clauses, budget=None):
    """Everything the proposals are made from, per element: the similarities and keyword hits of
    every sentence, its clause and its heading (kept apart so that a bench can weigh them).
    A long agreement embeds only the sentences its words make likely (candidates.py, `budget`
    words); "embedded" says which."""
    clauses = list(clauses)
    owners, spans, texts = _sentences(clauses)
    headings = [c.heading or "" for c in clauses]
    elements = list(card.elements.values())
    lowered = [t.lower() for t in texts]
    lowered_headings = [h.lower() for h in headings]
    keywords, in_heading = [], []
    for element in elements:
        patterns = _keyword_patterns(element)
        keywords.append(np.array([min(keyword_hits(patterns, t), 2) / 2 for t in lowered]))
        in_heading.append(np.array([1.0 if h and keyword_hits(patterns, h) else 0.0
                                    for h in lowered_headings]))
    phrasings = [element_phrasings(e) for e in elements]
    said = [without_number(t) for t in texts]
    scores, info, embedded = _similarities(said, owners, len(clauses), headings, phrasings,
                                           lambda: worth_embedding(said, keywords, phrasings, budget))
    per_element = [{"element": element, "sentence": sentence_sim, "clause": clause_sim,
                    "heading": heading_sim, "keywords": keyword_row, "in_heading": heading_row}
                   for element, (sentence_sim, clause_sim, heading_sim), keyword_row, heading_row
                   in zip(elements, scores, keywords, in_heading)]
    # How much a sentence looks like every element at once ("the partners will cooperate closely
    # to achieve their common objectives"): such goodwill says little about any one element.
    generic_sentence = np.mean([e["sentence"] for e in per_element], axis=0) if per_element else 0
    generic_clause = np.mean([e["clause"] for e in per_element], axis=0) if per_element else 0
    # Damaged text is evidence as poor as a heading: both go last. When much of the document is
    # damaged (a poor scan) the page already warns, and the damaged sentences are what there is:
    # putting them last would only bring up its headings.
    garbled = np.array([is_garbled(t) for t in texts], dtype=bool)
    if len(texts) and garbled.mean() > MOSTLY_DAMAGED:
        garbled[:] = False
    stubs = np.array([is_stub(t) for t in texts], dtype=bool) | garbled
    fragments = np.array([is_fragment(t) for t in texts], dtype=bool)
    return {"clauses": clauses, "owners": owners, "spans": spans, "n": len(texts), "info": info,
            "stubs": stubs, "fragments": fragments, "embedded": embedded,
            "elements": per_element, "generic_sentence": generic_sentence,
            "generic_clause": generic_clause}


def combined_scores(found, entry, tune):
    """Each sentence's score for one element; a sentence left unembedded can never be chosen."""
    owners = found["owners"]
    sentence = (entry["sentence"] - tune["generic"] * found["generic_sentence"]
                - tune["background"] * entry["sentence"].mean())
    clause = entry["clause"] - tune["generic"] * found["generic_clause"]
    combined = (tune["sentence"] * sentence + tune["clause"] * clause[owners]
                + tune["heading"] * entry["heading"][owners] + tune["keyword"] * entry["keywords"]
                + tune["heading_keyword"] * entry["in_heading"][owners])
    return np.where(found["embedded"], combined, -np.inf)


def proposals_from(found, tune, progress=None):
    owners, clauses = found["owners"], found["clauses"]
    proposals = []
    every = [combined_scores(found, entry, tune) if found["n"] else np.zeros(0) for entry in found["elements"]]
    for done, (entry, combined) in enumerate(zip(found["elements"], every), start=1):
        element = entry["element"]
        best = float(combined.max()) if len(combined) else 0.0
        stricter = element_stricter(element)
        if best >= tune["full"] + stricter:
            rating = "fully"
        elif best >= tune["partial"] + stricter:
            rating = "partially"
        else:
            rating = "not-in-place"
        passages, sentences = [], []
        if rating != "not-in-place":
            ranked = (combined - ELSEWHERE * _closer_elsewhere(every, done - 1)
                      - KEYWORD_DISCOUNT * entry["keywords"])
            order = _evidence_order(combined, ranked, found, tune["partial"] + stricter)
            for i in order:
                if len(passages) == PASSAGES:
                    break
                position = int(clauses[owners[i]].position)
                if any(p == position for p, _s in passages):
                    continue   # one sentence per clause: the others would repeat its context
                passages.append((position, round(float(combined[i]), 3)))
                sentences.append(found["spans"][i])
        proposals.append(Proposal(element.key, rating, round(best, 3), passages, sentences))
        if progress:
            progress(done)
    return proposals


# How much a sentence's lead for another element counts against it as this element's evidence.
ELSEWHERE = 0.5
# How much less the element's keywords count in choosing the evidence than in rating: "responsible"
# makes a sentence likely to be about roles, but of two sentences that both mean it, the one that
# says it (by meaning) reads better than the one that only has the word. Set on the tuning half.
KEYWORD_DISCOUNT = 0.2


def _closer_elsewhere(every, index):
    """Per sentence: how much better it matches its best other element than element `index`
    (0 when this element is its best). "Either partner may terminate with six months' notice"
    touches the timeline but says ending the partnership: a sentence mainly about another element
    is poor evidence for this one."""
    if len(every) < 2 or not len(every[index]):
        return np.zeros(len(every[index]))
    others = np.delete(np.array(every), index, axis=0).max(axis=0)
    mine = np.nan_to_num(every[index], neginf=-1e9)
    return np.maximum(0.0, np.nan_to_num(others, neginf=-1e9) - mine)


def _evidence_order(combined, ranked, found, floor):
    """Sentences whose score (`combined`) is above the floor, in the order of `ranked` (their
    score less what makes them poor evidence, see proposals_from); whole sentences before
    fragments, and both before headings and lead-ins (a heading shown as evidence tells a person
    nothing; the best sentence that says something by itself does)."""
    stubs, fragments = found["stubs"], found["fragments"]
    order = [int(i) for i in np.argsort(-ranked, kind="stable") if combined[i] >= floor]
    return ([i for i in order if not stubs[i] and not fragments[i]]
            + [i for i in order if not stubs[i] and fragments[i]] + [i for i in order if stubs[i]])


def _similarities(texts, owners, n_clauses, headings, queries, choose):
    """[(sentence similarity, clause similarity, heading similarity)] per element (each the best
    over the element's phrasings), the kind of vectors used, and which sentences were embedded
    (`choose()` says which; unembedded ones get zero vectors)."""
    try:
        analysis_model.get_encoder()
        embedded = choose()
        vectors = np.zeros((len(texts), analysis_model.get_encoder().dimension), dtype=np.float32)
        if embedded.any():
            vectors[embedded] = _sentence_vectors([t for t, keep in zip(texts, embedded) if keep])
        query_vectors = _query_vectors([q for group in queries for q in group])
        heading_list = list(dict.fromkeys(h for h in headings if h))
        heading_vectors = _sentence_vectors(heading_list) if heading_list else np.zeros((0, vectors.shape[1]))
        info = analysis.model_info()
    except analysis.ModelUnavailable:
        return (*_tfidf_similarities(texts, owners, n_clauses, queries), np.ones(len(texts), dtype=bool))
    clause_vectors = np.zeros((n_clauses, vectors.shape[1]), dtype=np.float32)
    np.add.at(clause_vectors, owners, vectors)
    norms = np.linalg.norm(clause_vectors, axis=1, keepdims=True)
    clause_vectors /= np.maximum(norms, 1e-9)
    heading_row = {h: i for i, h in enumerate(heading_list)}
    sentence_all = query_vectors @ vectors.T
    clause_all = query_vectors @ clause_vectors.T
    heading_all = query_vectors @ heading_vectors.T if heading_list else None
    out, at = [], 0
    for group in queries:
        rows = slice(at, at + len(group))
        at += len(group)
        heading_sim = np.zeros(n_clauses)
        if heading_all is not None:
            best_heading = heading_all[rows].max(axis=0)
            heading_sim = np.array([best_heading[heading_row[h]] if h else 0.0 for h in headings])
        out.append((sentence_all[rows].max(axis=0), clause_all[rows].max(axis=0), heading_sim))
    return out, info, embedded


def _tfidf_similarities(texts, owners, n_clauses, queries):
    index = analysis.TextIndex.build(texts)   # TF-IDF, fitted on this agreement's sentences
    clause_texts = [" ".join(t for t, o in zip(texts, owners) if o == c) for c in range(n_clauses)]
    clause_index = analysis.TextIndex.build(clause_texts)
    out = []
    for group in queries:
        sentence_sim = np.max([index.scores(q) for q in group], axis=0) if texts else np.zeros(0)
        clause_sim = np.max([clause_index.scores(q) for q in group], axis=0) if n_clauses else np.zeros(0)
        out.append((sentence_sim, clause_sim, np.zeros(n_clauses)))
    return out, index.info


# Sentence vectors of recent reviews, by text: a revised upload of the same agreement embeds only
# the sentences that changed. 20,000 vectors of 384 float32 are about 30 MB.
_CLAUSE_CACHE = OrderedDict()
_CLAUSE_CACHE_SIZE = 20000
_cache_owner = [None]   # the encoder the cached vectors came from
_cache_lock = threading.Lock()   # a worker may run reviews in several threads


def _sentence_vectors(texts):
    encoder = analysis_model.get_encoder()
    with _cache_lock:
        if _cache_owner[0] is not encoder:
            _CLAUSE_CACHE.clear()
            _cache_owner[0] = encoder
        known = {t: _CLAUSE_CACHE[t] for t in texts if t in _CLAUSE_CACHE}
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    if missing:   # embedded outside the lock: other reviews need not wait
        known.update(zip(missing, analysis.embed(missing)))
    vectors = np.array([known[t] for t in texts], dtype=np.float32).reshape(len(texts), encoder.dimension)
    with _cache_lock:
        for text, vector in known.items():
            _CLAUSE_CACHE[text] = vector
            _CLAUSE_CACHE.move_to_end(text)
        while len(_CLAUSE_CACHE) > _CLAUSE_CACHE_SIZE:
            _CLAUSE_CACHE.popitem(last=False)
    return vectors


def forget_clause_vectors():
    """Empty the sentence cache (benchmarks and tests measure a first review with this)."""
    with _cache_lock:
        _CLAUSE_CACHE.clear()


# The phrasings depend only on the scorecard and the phrasings file: embedded once per process.
_QUERY_CACHE = {}
_QUERY_CACHE_SIZE = 8


def _query_vectors(queries):
    encoder = analysis_model.get_encoder()
    key = tuple(queries)
    cached = _QUERY_CACHE.get(key)
    if cached is not None and cached[0] is encoder:
        return cached[1]
    vectors = analysis.embed(queries)
    vectors.setflags(write=False)
    if len(_QUERY_CACHE) >= _QUERY_CACHE_SIZE:
        _QUERY_CACHE.pop(next(iter(_QUERY_CACHE)))
    _QUERY_CACHE[key] = (encoder, vectors)
    return vectors
