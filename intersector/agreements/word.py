"""The text of a Word (.docx) document, read as a stream from a checked zip.

python-docx builds the whole document as a tree with a Python object per paragraph: 6 MB of
empty paragraphs cost it 320 MB. Here word/document.xml is parsed as it inflates and every
element is dropped once its text is taken, so memory follows the text, not the markup. The
text is what python-docx gives (tests/agreements/test_zip_reader.py compares them): the body's
paragraphs, then each table row as "cell | cell", a merged cell repeated for each column it
spans, runs inside tracked changes and content controls left out as python-docx leaves them.
"""

import posixpath

from lxml import etree

from intersector import uploads

NAMESPACES = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",   # Word
              "http://purl.oclc.org/ooxml/wordprocessingml/main")                # ISO strict
OFFICE_DOCUMENT = "/officeDocument"
BODY = ["document", "body"]
CELL = ["document", "body", "tbl", "tr", "tc"]
RUN_SYMBOLS = {"tab": "\t", "ptab": "\t", "cr": "\n", "noBreakHyphen": "-"}


class NotWord(Exception):
    """The zip holds no Word document."""


def main_part(upload):
    """The name of the document's main part, from the package's relationships."""
    if "_rels/.rels" not in upload:
        raise NotWord
    # A package's list of parts is a few hundred bytes; 64 KB is plenty and keeps its tree small.
    root = etree.fromstring(upload.read("_rels/.rels", xml=True, limit=64 * 1024), safe_parser())
    for relation in root:
        if (relation.get("Type", "").endswith(OFFICE_DOCUMENT)
                and relation.get("TargetMode") != "External"):
            name = posixpath.normpath(relation.get("Target", "").lstrip("/"))
            if name in upload:
                return name
    raise NotWord


def safe_parser():
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)


def text_of(upload):
    """Lines of text (paragraphs, then table rows) of the Word document in `upload`."""
    with upload.open(main_part(upload), xml=True) as stream:
        reader = _Reader()
        events = etree.iterparse(stream, events=("start", "end"), resolve_entities=False,
                                 load_dtd=False, no_network=True)
        for event, element in events:
            if event == "start":
                reader.start(element)
            else:
                reader.end(element)
                # Drop what is read: the tree never holds more than the open elements.
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    return reader.paragraphs + reader.rows


def _local(element):
    namespace, _, name = element.tag.rpartition("}")
    return name if namespace[1:] in NAMESPACES else ""


def _value(element, default=None):
    namespace = element.tag.rpartition("}")[0]
    return element.get(f"{namespace}}}val", default)


class _Reader:
    """Follows the open elements and keeps the text python-docx would give."""

    def __init__(self):
        self.path = []
        self.paragraphs, self.rows = [], []
        self.runs = None          # the pieces of the paragraph being read, if it counts
        self.depth = 0            # where that paragraph sits in `path`
        self.cell = None          # the cell being read: its paragraphs, span and merge
        self.row = None           # cells of the row being read
        self.above = {}           # grid column -> (text, span) of the row above

    def start(self, element):
        self.path.append(_local(element))
        name, path = self.path[-1], self.path
        if name == "p" and path[:-1] in (BODY, CELL):
            self.runs, self.depth = [], len(path)
        elif name == "tbl" and path == BODY + ["tbl"]:
            self.above = {}
        elif name == "tr" and path == CELL[:4]:
            self.row = {"before": 0, "cells": []}
        elif name == "tc" and path == CELL:
            self.cell = {"paragraphs": [], "span": 1, "merge": None}

    def end(self, element):
        name, path = self.path[-1], self.path
        if self.runs is not None and self._in_run(path):
            self.runs.append(self._symbol(name, element))
        elif name == "p" and self.runs is not None and len(path) == self.depth:
            self._paragraph_done(path)
        elif path[:-2] == CELL[:4] and path[-2] == "trPr" and name == "gridBefore":
            self.row["before"] = _number(_value(element))
        elif path[:-2] == CELL and path[-2] == "tcPr" and name == "gridSpan":
            self.cell["span"] = max(1, _number(_value(element), 1))
        elif path[:-2] == CELL and path[-2] == "tcPr" and name == "vMerge":
            self.cell["merge"] = _value(element, "continue")
        elif name == "tc" and path == CELL:
            self.row["cells"].append(self.cell)
            self.cell = None
        elif name == "tr" and path == CELL[:4]:
            self._row_done()
        self.path.pop()

    def _in_run(self, path):
        """A run's text element, the run straight in the paragraph or in its hyperlink."""
        d = self.depth
        return ((len(path) == d + 2 and path[d] == "r")
                or (len(path) == d + 3 and path[d] == "hyperlink" and path[d + 1] == "r"))

    @staticmethod
    def _symbol(name, element):
        if name == "t":
            return element.text or ""
        if name == "br":
            kind = element.get(element.tag.rpartition("}")[0] + "}type", "textWrapping")
            return "\n" if kind == "textWrapping" else ""
        return RUN_SYMBOLS.get(name, "")

    def _paragraph_done(self, path):
        text = "".join(self.runs)
        self.runs = None
        if path[:-1] == BODY:
            if text.strip():
                self.paragraphs.append(text)
        elif self.cell is not None:
            self.cell["paragraphs"].append(text)

    def _row_done(self):
        column, texts, grid = self.row["before"], [], {}
        for cell in self.row["cells"]:
            if cell["merge"] == "continue":   # the cell above, carried down
                text, span = self.above.get(column, ("", cell["span"]))
            else:
                text, span = "\n".join(cell["paragraphs"]), cell["span"]
            texts.extend([text] * span)
            grid[column] = (text, span)
            column += cell["span"]
        line = " | ".join(texts)
        if line.strip():
            self.rows.append(line)
        self.above, self.row = grid, None


def _number(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def read(data, limits):
    """Lines of text of the .docx in `data`; uploads.Refused or NotWord when it cannot be read."""
    upload = uploads.ZipUpload(data, **limits)
    return text_of(upload)
