"""Read the text of an uploaded agreement (PDF, Word .docx or plain text), with plain refusals."""

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

MAX_PAGES = 50
WORDS_PER_PAGE = 500   # for Word and text files, which have no fixed pages


def max_bytes():
    return int(getattr(settings, "AGREEMENTS_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


class DocumentError(Exception):
    """The file cannot be reviewed; the message tells the person why and what to do."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


def read_document(upload):
    """(text, pages) of an uploaded file. The size is checked before anything is read."""
    size = upload.size
    if not size:
        raise DocumentError(_("The file is empty (0 bytes). Choose the file again."))
    if size > max_bytes():
        raise DocumentError(_("The file is too large (%(size)s MB). The limit is %(limit)s MB; an agreement of up to 50 pages fits well within it.")
                            % {"size": round(size / 1048576), "limit": round(max_bytes() / 1048576)})
    name = (upload.name or "").lower()
    head = upload.read(5)
    upload.seek(0)
    if name.endswith(".pdf") or head.startswith(b"%PDF"):
        return _read_pdf(upload)
    if name.endswith(".docx"):
        return _read_docx(upload)
    if name.endswith((".txt", ".text", ".md")):
        return _read_text(upload)
    raise DocumentError(_("Only PDF, Word (.docx) and text (.txt) files can be reviewed."))


def _too_long(pages):
    if pages > MAX_PAGES:
        raise DocumentError(_("The document has about %(n)s pages; the review takes up to %(max)s. Upload the agreement without its annexes.")
                            % {"n": pages, "max": MAX_PAGES})


def _read_pdf(upload):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                raise DocumentError(_("The PDF is protected with a password. Save a copy without the password and upload that."))
        pages = len(reader.pages)
        _too_long(pages)
        text = "\n\n".join((page.extract_text() or "") for page in reader.pages)
    except DocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError):
        raise DocumentError(_("The file could not be read as a PDF. It may be damaged; try saving it again as PDF."))
    if len(text.split()) < 20:
        raise DocumentError(_("The PDF has no text we can read: it looks like scanned images. Upload a PDF made from the original document, or a Word or text file."))
    return text, pages


def _read_docx(upload):
    data = upload.read()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocumentError(_("The file is not a Word document, although its name ends in .docx."))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "word/document.xml" not in archive.namelist():
            raise DocumentError(_("The file is a zip archive, not a Word document. Open it in Word and save it as .docx."))
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except Exception:
        raise DocumentError(_("The Word document could not be read. It may be damaged; try saving it again."))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    text = "\n\n".join(line for line in lines if line.strip())
    if len(text.split()) < 20:
        raise DocumentError(_("The Word document has almost no text to review."))
    pages = max(1, len(text.split()) // WORDS_PER_PAGE + 1)
    _too_long(pages)
    return text, pages


def _read_text(upload):
    data = upload.read()
    if b"\x00" in data[:4096]:
        raise DocumentError(_("The file is not a text file. Upload a PDF, Word or text file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if len(text.split()) < 20:
        raise DocumentError(_("The text file has almost no text to review."))
    pages = max(1, len(text.split()) // WORDS_PER_PAGE + 1)
    _too_long(pages)
    return text, pages
