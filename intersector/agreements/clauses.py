"""Split an agreement's text into clauses by its structure, with offsets; and clauses into sentences.

Real agreements come in many shapes: numbered articles and sections, bulleted or lettered
obligations, Markdown headings, one-paragraph letters, web pages with one paragraph per line, and
PDF text wrapped at a fixed width. A clause is one block of the document:
- a paragraph (blank lines between paragraphs; when the text has almost no blank lines, a line
  that ends a sentence or is short ends a paragraph: web pages and some PDFs have no blank lines);
- a numbered item ("3.", "3.1", "Article 4", "Section 2.3", "IV.", "3)");
- a bulleted or lettered item ("-", "•", "(a)", "a)", "(iv)") on its own;
- a heading ("# Governance", "3. Governance" with nothing under it, a short line without a full
  stop, an upper-case line) names the clauses that follow instead of being a clause itself.
A paragraph that continues a numbered clause keeps its number; an item keeps its parent's number
("4.2(a)"). Very long blocks are cut between sentences so that each passage stays readable.
"""

import re
from dataclasses import dataclass

NUMBERED = re.compile(
    r"^[ \t]*(?P<num>(?:(?i:article|section|clause|part|schedule|annex)[ \t]+)?"
    r"(?:\d{1,2}(?:\.\d{1,2}){0,3}[.)]?|[IVX]{1,5}[.)]|[A-Z][.)]))(?:[ \t]*[-–—:.][ \t]*|[ \t]+)"
    r"(?P<rest>[\"'“(A-Za-z].*)$",
)
ITEM = re.compile(
    r"^[ \t]*(?P<mark>[-*•●▪◦‣➢►✓]|o(?=[ \t])|\((?:[a-z]{1,2}|[ivx]{1,5}|\d{1,2})\)|(?:[a-z]|[ivx]{1,5})[.)])"
    r"[ \t]+(?P<rest>\S.*)$"
)
MARKDOWN_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?P<rest>.+?)[ \t#]*$")
MAX_CLAUSE = 1500
# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = {"e.g", "i.e", "etc", "inc", "ltd", "co", "corp", "no", "nos", "mr", "mrs", "ms", "dr",
                 "st", "art", "sec", "para", "vs", "u.s", "u.k", "p", "pp", "jr", "sr", "dept", "approx",
                 "fig", "op", "cf", "al", "govt", "assn", "univ", "ave", "rd"}


@dataclass
class Clause:
    position: int
    number: str
    heading: str
    text: str
    start: int
    end: int

    @property
    def for_matching(self):
        return f"{self.heading}. {self.text}" if self.heading else self.text


def _lines(text):
    offset = 0
    for line in text.splitlines(keepends=True):
        yield offset, line.rstrip("\r\n")
        offset += len(line)


def _heading_like(line):
    words = line.split()
    if not words or len(line) >= 90 or line[-1] in ".,;:" or not line[0].isupper():
        return False
    if "://" in line or "@" in line or re.search(r"\w: ", line):
        return False   # an address or a "Label: value" line, not a heading
    letters = [c for c in line if c.isalpha()]
    upper = letters and sum(c.isupper() for c in letters) / len(letters) > 0.8
    return len(words) <= 8 or (upper and len(words) <= 14)


def _few_blank_lines(lines):
    """True when paragraphs are not separated by blank lines (web pages, some PDF text)."""
    filled = sum(1 for _, line in lines if line.strip())
    blank_runs = sum(1 for i, (_, line) in enumerate(lines)
                     if not line.strip() and i and lines[i - 1][1].strip())
    return filled >= 6 and blank_runs * 6 < filled


def _blocks(text):
    """[(start, end, kind, number, rest)]: kind is numbered, item, heading or paragraph."""
    lines = list(_lines(text))
    by_line = _few_blank_lines(lines)
    widths = sorted(len(line) for _, line in lines if line.strip())
    wide = widths[int(len(widths) * 0.8)] if widths else 0
    blocks = []
    current = None   # [start, end, kind, number, rest]
    previous_blank = True
    previous_line = ""
    for offset, line in lines:
        stripped = line.strip()
        end = offset + len(line)
        if not stripped:
            previous_blank = True
            current = None
            continue
        markdown = MARKDOWN_HEADING.match(line)
        numbered = NUMBERED.match(line) if not markdown else None
        item = ITEM.match(line) if not (markdown or numbered) else None
        # Without blank lines, a line that ends a sentence or is short ends its paragraph.
        ended = by_line and (previous_line.rstrip()[-1:] in ".:;!?\"”" or len(previous_line) < wide * 0.6)
        starts_block = previous_blank or ended or current is None
        if markdown:
            blocks.append([offset, end, "heading", "", markdown["rest"].strip().strip("*_ ")])
            current = None
        elif numbered:
            current = [offset, end, "numbered", numbered["num"].rstrip(".)"), numbered["rest"].strip()]
            blocks.append(current)
        elif item:
            current = [offset, end, "item", item["mark"], item["rest"].strip()]
            blocks.append(current)
        elif (_heading_like(stripped) and (starts_block or previous_line[-1:] in ".!?")
              and (previous_blank or by_line or _upper(stripped) or previous_line[-1:] in ".!?")):
            blocks.append([offset, end, "heading", "", stripped.strip("*_ ")])
            current = None
        elif starts_block and not (current and current[2] == "item" and not previous_blank):
            current = [offset, end, "paragraph", "", ""]
            blocks.append(current)
        else:
            current[1] = end
        previous_blank = False
        previous_line = stripped
    return _tables_as_paragraphs(text, blocks)


SHORT_RUN = 4


def _tables_as_paragraphs(text, blocks):
    """A run of short blocks (a table's cells, a list of contents, a signature block) is one
    paragraph, not a string of headings: the heading before the run still names it, and a
    heading at its end names what follows."""
    out, run = [], []

    def flush(followed):
        last = run.pop() if followed and len(run) > SHORT_RUN and run[-1][2] == "heading" else None
        if len(run) > SHORT_RUN and run[0][2] == "heading":
            out.append(run.pop(0))   # the table's own heading
        if len(run) >= SHORT_RUN:
            out.append([run[0][0], run[-1][1], "paragraph", "", ""])
        else:
            out.extend(run)
        if last:
            out.append(last)
        run.clear()

    for block in blocks:
        words = text[block[0]:block[1]].split()
        if block[2] in ("heading", "paragraph") and len(words) <= 6 and block[1] - block[0] < 50:
            run.append(block)
        else:
            flush(followed=True)
            out.append(block)
    flush(followed=False)
    return out


def _upper(line):
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def split_clauses(text):
    blocks = _blocks(text)
    clauses = []
    section = ""      # the heading of the current top-level part
    subheading = ""   # a heading below it
    number = ""       # the number of the last numbered clause, kept by its continuations
    for index, (start, end, kind, mark, rest) in enumerate(blocks):
        nothing_under = (index + 1 == len(blocks) or blocks[index + 1][2] in ("numbered", "heading")
                         or (kind == "numbered" and blocks[index + 1][2] == "item"
                             and rest[-1:] not in ":"))
        title_like = bool(rest) and len(rest) < 80 and rest[-1] not in ".;:,"
        one_line = "\n" not in text[start:end].strip()  # "1. Purpose" with its text below is a clause
        if kind == "heading" or (kind == "numbered" and title_like and one_line and end - start < 90 + len(mark)
                                 and nothing_under):
            number = mark if kind == "numbered" else ""
            if kind == "heading" or "." not in mark:
                section, subheading = rest, ""
            else:
                subheading = rest
            continue
        if kind == "numbered":
            number = mark
            top_level = "." not in mark
            if title_like and top_level:
                section, subheading = rest, ""
        label = number
        if kind == "item" and (mark[:1].isalnum() or mark[:1] == "("):
            label = f"{number}{mark if mark.startswith('(') else '(' + mark.rstrip('.)') + ')'}"
        context = f"{section} – {subheading}" if section and subheading else (section or subheading)
        for piece_start, piece_end in _pieces(text, start, end):
            piece = text[piece_start:piece_end].strip()
            if piece:
                clauses.append(Clause(len(clauses), label[:30], context, piece, piece_start, piece_end))
    return clauses


def _pieces(text, start, end):
    """Long blocks are cut between sentences so that each passage stays quotable."""
    start, end = _trim(text, start, end)
    if end - start <= MAX_CLAUSE:
        return [(start, end)]
    pieces, piece_start = [], start
    for s_start, s_end in sentence_spans(text[start:end]):
        if start + s_end - piece_start >= MAX_CLAUSE * 2 // 3:
            pieces.append(_trim(text, piece_start, start + s_end))
            piece_start = start + s_end
    if piece_start < end:
        pieces.append(_trim(text, piece_start, end))
    return [p for p in pieces if p[1] > p[0]]


def _trim(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


SENTENCE_BREAK = re.compile(
    r"(?<=[.!?;])[\"'”’)]*\s+(?=[\"'“(\[]?[A-Z0-9])"   # a full stop (or ;) then a capital
    r"|(?<=[:;])\s*\n\s*(?=\S)"                          # a list after a colon or semicolon
    r"|\n\s*\n"                                          # a blank line
    r"|\n(?=[ \t]*(?:[-*•●▪◦‣]|\(?[a-z0-9ivx]{1,4}[.)])[ \t])"   # a new item
)
MIN_SENTENCE = 20


def _table_like(text):
    """Mostly short lines without full stops: a table's cells, read as one passage."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    short = sum(1 for line in lines if len(line) < 30 and line[-1:] not in ".;")
    return len(lines) >= 6 and short >= 0.7 * len(lines)


def sentence_spans(text):
    """[(start, end)] of the sentences of a clause's text (offsets into text)."""
    if _table_like(text):
        return [_trim(text, 0, len(text))]
    spans, start = [], 0
    for match in SENTENCE_BREAK.finditer(text):
        before = text[start:match.start()].rstrip()
        word = re.search(r"([A-Za-z.]+)\.$", before)
        if word and (word[1].lower() in ABBREVIATIONS or len(word[1]) == 1 or "." in word[1]):
            continue   # "e.g.", "Inc.", an initial: not the end of a sentence
        if len(text[start:match.start()].strip()) < MIN_SENTENCE:
            continue   # a fragment ("Article 2.", a table's cell) joins the next sentence
        spans.append(_trim(text, start, match.start()))
        start = match.end()
    spans.append(_trim(text, start, len(text)))
    return [s for s in spans if s[1] > s[0]]
