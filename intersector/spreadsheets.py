"""One CSV writer for the whole site: every cell is safe to open in a spreadsheet program.

A cell that starts with =, +, -, @, a tab or a carriage return would be run as a formula by
Excel, LibreOffice or Google Sheets (e.g. `=HYPERLINK(...)` in a note or a resource title).
Such a cell gets a leading apostrophe, which spreadsheets read as "this is text".
Numbers written by our own code (ints, floats) are left alone: -3 is a number, not a formula.

    return csv_response("resources.csv", header, rows)            # built in memory
    return csv_response("notes.csv", header, rows, stream=True)   # long lists, row by row
"""

import csv
import io
from numbers import Number

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # spreadsheet programs read UTF-8 (accents) correctly with this mark


def _needs_mark(text):
    # Text that already starts with apostrophes before a formula start gets one more, so that
    # plain_cell can take exactly one away and a re-import gives back what was written.
    return text.lstrip("'").startswith(FORMULA_STARTS)


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, Number) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if _needs_mark(text) else text


def plain_cell(text):
    """The text safe_cell was given, from a cell it wrote (a file exported here, edited, and
    imported again): the one apostrophe it added before =, +, -, @, tab or CR comes off."""
    return text[1:] if text.startswith("'") and _needs_mark(text[1:]) else text


def safe_row(values):
    return [safe_cell(value) for value in values]


class _Line:
    """A file-like that hands back what csv.writer writes, one row at a time."""

    def write(self, value):
        return value


def csv_lines(header, rows):
    """The CSV text as a series of lines (BOM first), every cell made safe."""
    writer = csv.writer(_Line())
    yield BOM
    if header is not None:
        yield writer.writerow(safe_row(header))
    for row in rows:
        if isinstance(row, dict):
            row = [row.get(column, "") for column in header]
        yield writer.writerow(safe_row(row))


def csv_text(header, rows):
    return "".join(csv_lines(header, rows))


def csv_response(filename, header, rows, *, stream=False):
    """An attachment download. `rows` are lists (or dicts keyed by the header's names)."""
    lines = csv_lines(header, rows)
    if stream:
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    safe_name = "".join(c for c in filename if c.isalnum() or c in "-_.") or "export.csv"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response


def read_back(text):
    """Parse CSV text written by csv_text (for tests and re-imports): the rows as lists."""
    return list(csv.reader(io.StringIO(text.lstrip(BOM))))


# --- Reading a CSV people upload ----------------------------------------------------------------

MAX_UPLOAD_BYTES = 2_000_000  # as the resource import's form (intersector/library/forms.py)


def read_upload(data, *, required, max_rows):
    """The rows of an uploaded CSV file as (line number, {column: cell}), column names in lower
    case with spaces as underscores, each cell stripped and without the apostrophe safe_cell put
    before a formula-like text (export, edit, import gives back what was written). UTF-8 (with or
    without its mark) or Windows' own encoding; comma, semicolon or tab, as the header line uses.

    Refused (400) in plain words for a file that cannot be read as a whole: too large, not text,
    empty, a missing column, more than `max_rows` rows, broken quoting."""
    from django.utils.translation import gettext as _

    from intersector.refusals import Refused

    if len(data) > MAX_UPLOAD_BYTES:
        raise Refused(_("This file is larger than 2 MB. Split it into smaller files."), status=413)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise Refused(_("This file is not text we can read. Save it as CSV (UTF-8) and try again."),
                          status=400) from None
    text = text.lstrip(BOM)
    if "\x00" in text:  # e.g. saved as "Unicode text" (UTF-16)
        raise Refused(_("This file is not text we can read. Save it as CSV (UTF-8) and try again."), status=400)
    if not text.strip():
        raise Refused(_("This file is empty."), status=400)
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text), strict=True)  # a stray quote is an error
    try:
        header = [(name or "").strip().lower().replace(" ", "_") for name in next(reader)]
        missing = [name for name in required if name not in header]
        if missing:
            raise Refused(_("The first line must name the columns %(needed)s. Columns found: %(found)s.")
                          % {"needed": ", ".join(required), "found": ", ".join(n for n in header if n) or _("none")},
                          status=400)
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, as spreadsheets leave at the end
            if len(rows) >= max_rows:
                raise Refused(_("This file has more than %(max)s rows. Split it into smaller files.")
                              % {"max": max_rows}, status=413)
            row = {name: plain_cell(cell.strip()).strip() for name, cell in zip(header, cells) if name}
            rows.append((reader.line_num, row))
    except csv.Error as error:
        raise Refused(_("This file is not valid CSV: %(problem)s") % {"problem": error}, status=400) from None
    return rows


def _delimiter(text):
    """Comma, semicolon (spreadsheets in many European languages) or tab: whichever the header
    line uses most (guessing from the rows can take our apostrophe for a quote mark)."""
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in ",;\t"}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","
