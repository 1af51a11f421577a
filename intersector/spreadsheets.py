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
