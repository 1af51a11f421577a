"""Read the text of an uploaded agreement (PDF, Word .docx or plain text), with plain refusals."""

from django.conf import settings
from django.utils.translation import gettext as _

from intersector import uploads
from intersector.refusals import Refused

MAX_PAGES = 50
WORDS_PER_PAGE = 500   # for Word and text files, which have no fixed pages
# What a 50-page Word agreement may unpack to. 50 pages are about 25,000 words. python-docx
# writes ~12 bytes of XML per word; Word, with a run, formatting and revision marks around
# every few words, writes 50 to 150, and 260 when every word has its own formatted run. 400
# bytes a word gives 10 MB for the main text (word/document.xml), room for any real 50-page
# document. Nothing else is unpacked but the package's list of parts: pictures, embedded files,
# styles and headers never are (the review reads the body's text only).
WORD_LIMITS = {"member_bytes": 10 * uploads.MB, "total_bytes": 11 * uploads.MB}


def max_bytes():
    return int(getattr(settings, "AGREEMENTS_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


class DocumentError(Refused):
    """The file cannot be reviewed; the message tells the person why and what to do.

    A `Refused` (400, or 413 when too large): the review form shows it beside the file field,
    and anywhere else the site answers it like every other refusal.
    """

    def __init__(self, message, status=400):
        super().__init__(message, status)


def read_document(upload):
    """(text, pages) of an uploaded file. The size is checked before anything is read."""
    size = upload.size
    if not size:
        raise DocumentError(_("The file is empty (0 bytes). Choose the file again."))
    if size > max_bytes():
        raise DocumentError(_("The file is too large (%(size)s MB). The limit is %(limit)s MB; an agreement of up to 50 pages fits well within it.")
                            % {"size": round(size / 1048576), "limit": round(max_bytes() / 1048576)},
                            status=413)
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
    from lxml.etree import LxmlError

    from intersector.agreements import word

    data = upload.read()
    if not uploads.is_zip(data):
        raise DocumentError(_("The file is not a Word document, although its name ends in .docx."))
    try:
        lines = word.read(data, WORD_LIMITS)
    except word.NotWord:
        raise DocumentError(_("The file is a zip archive, not a Word document. Open it in Word and save it as .docx.")) from None
    except Refused as refusal:
        raise DocumentError(refusal.message, refusal.status) from None
    except LxmlError:
        raise DocumentError(_("The Word document could not be read. It may be damaged; try saving it again.")) from None
    text = "\n\n".join(lines)
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
