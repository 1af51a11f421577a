"""Split an agreement's text into clauses: numbered headings and paragraphs, with offsets.

A clause starts at a numbered line ("3.", "3.1", "Article 4", "Section 2.3", "IV.") or at a short
heading-like line after a blank line. A numbered line with nothing under it before the next number
("3. Governance" then "3.1 ...") is a section heading: it names the clauses that follow.
Text without any numbering is split into paragraphs.
"""

import re
from dataclasses import dataclass

NUMBERED = re.compile(
    r"^[ \t]*(?P<num>(?:(?:article|section|clause|part)[ \t]+)?"
    r"(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[IVX]{1,5}\.))[ \t]+(?P<rest>[\"'“(A-Za-z].*)$",
    re.IGNORECASE,
)
MAX_CLAUSE = 2500


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
    return (0 < len(words) <= 8 and len(line) < 70 and line[-1] not in ".,;:" and line[0].isupper())


def split_clauses(text):
    starts = []   # (offset, number, rest of the line)
    previous_blank = True
    for offset, line in _lines(text):
        stripped = line.strip()
        match = NUMBERED.match(line)
        if match:
            starts.append((offset, match["num"].rstrip("."), match["rest"].strip()))
        elif stripped and previous_blank and _heading_like(stripped):
            starts.append((offset, "", stripped))
        previous_blank = not stripped
    if len(starts) < 3:
        return _paragraphs(text)
    segments = []
    if text[: starts[0][0]].strip():
        segments.append((0, starts[0][0], "", ""))
    for index, (offset, number, rest) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        segments.append((offset, end, number, rest))
    return _clauses_from(text, segments)


def _clauses_from(text, segments):
    clauses = []
    section = ""
    for start, end, number, rest in segments:
        remainder = text[start:end].partition("\n")[2]
        is_heading = bool(rest) and len(rest) < 80 and rest[-1] not in ".;:,"
        top_level = "." not in number
        if is_heading and not remainder.strip():
            section = rest   # a heading alone names the clauses that follow
            continue
        heading = rest if is_heading else ""
        if heading and top_level:
            section = heading
        context = section if heading in ("", section) else f"{section} – {heading}".strip(" –")
        for piece_start, piece_end in _pieces(text, start, end):
            clauses.append(Clause(len(clauses), number, context, text[piece_start:piece_end].strip(),
                                  piece_start, piece_end))
    return [c for c in clauses if c.text]


def _pieces(text, start, end):
    """Long clauses are cut at blank lines so that each passage stays quotable."""
    if end - start <= MAX_CLAUSE:
        return [_trim(text, start, end)]
    pieces, piece_start = [], start
    for match in re.finditer(r"\n\s*\n", text[start:end]):
        cut = start + match.end()
        if cut - piece_start >= MAX_CLAUSE // 2:
            pieces.append(_trim(text, piece_start, cut))
            piece_start = cut
    pieces.append(_trim(text, piece_start, end))
    return pieces


def _trim(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _paragraphs(text):
    clauses = []
    for match in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text):
        start, end = _trim(text, match.start(), match.end())
        for piece_start, piece_end in _pieces(text, start, end):
            clauses.append(Clause(len(clauses), "", "", text[piece_start:piece_end].strip(),
                                  piece_start, piece_end))
    return clauses
