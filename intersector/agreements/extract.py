"""Read the text of an uploaded agreement (PDF, Word .docx or plain text), with plain refusals."""

import io
import os
import re
import subprocess
import threading
from dataclasses import dataclass, field

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
    """The `Reading` of an uploaded file. The size is checked before anything is read."""
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
    data = upload.read()
    reading = read_pdf_pages(data)
    reading.pdf = data
    text = reading.text()
    if reading.scanned and not tesseract_languages():
        if len(text.split()) < 20:
            raise DocumentError(_("The PDF is scanned pages, and this site cannot read scans (text recognition is not installed on the server). Upload a PDF made from the original document, or a Word or text file."))
        reading.unread = list(reading.scanned)
        reading.scanned = []
    elif not reading.scanned and len(text.split()) < 20:
        raise DocumentError(_("The PDF has almost no text to review. Upload a PDF made from the original document, or a Word or text file."))
    return reading


# --- PDF pages: the text layer (PDFium), and OCR (Tesseract) for pages without a usable one ---
#
# PDFium reads the spaces that pypdf lost on some real PDFs ("MemorandumofUnderstanding": a Mac's
# PDFs place each letter and write no space). bench/bench_pdf_text.py measured, on 9 real
# agreement PDFs (3 of them scans): words recovered 0.81 (pypdf 0.59), glued words 0.1 % (pypdf
# 4.4 %), about 20 times faster than pypdf; poppler's pdftotext matched it on born-digital files
# but ran a scanner's text layer together (0.45 of the words). With OCR of the scans: 0.996.

# PDFium is not thread-safe, and pages are served from a pool of threads: one document at a time.
_PDFIUM = threading.Lock()
OCR_DPI = 300
OCR_SECONDS_PER_PAGE = 180   # a stuck Tesseract must not hold the worker forever
SCAN_COVER = 0.5             # an image over half the page, with little or bad text on it: a scan
SCAN_WORDS = 15              # fewer words than this on an image page: its text layer is no use


@dataclass
class Reading:
    """A document's text page by page (Word and text files: one 'page' and an estimated count).
    `scanned`: 0-based PDF pages to read by OCR (until then, whatever text layer they have);
    `unread`: scanned pages this server could not read; `ocr`: pages read by OCR."""
    pages: list
    scanned: list = field(default_factory=list)
    unread: list = field(default_factory=list)
    ocr: list = field(default_factory=list)
    counted: int = 0
    pdf: bytes = b""

    def text(self):
        return "\n\n".join(page.strip() for page in self.pages if page.strip())

    @property
    def page_count(self):
        return self.counted or len(self.pages)

    def notes(self):
        """What the review page tells the person about how the text was read (JSON)."""
        notes = {"ocr_pages": [n + 1 for n in self.ocr], "unread_pages": [n + 1 for n in self.unread]}
        # Word and text files have no real pages: words per page is a PDF's measure only.
        read_pages = 0 if self.counted else self.page_count - len(self.unread)
        notes["damage"] = text_damage(self.text(), read_pages)
        notes["words_per_page"] = round(len(self.text().split()) / max(1, read_pages))
        return notes


def read_pdf_pages(data):
    """The PDF's text layer, page by page, and which pages need OCR. Refuses plainly what cannot
    be opened: a damaged file, a password, too many pages."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    with _PDFIUM:
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as error:
            if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
                raise DocumentError(_("The PDF is protected with a password. Save a copy without the password and upload that.")) from None
            raise DocumentError(_("The file could not be read as a PDF. It may be damaged; try saving it again as PDF.")) from None
        try:
            count = len(document)
            _too_long(count)
            if count == 0:
                raise DocumentError(_("The PDF has no pages."))
            pages, scanned = [], []
            for number in range(count):
                text, is_scan = _page_text(document[number], pdfium_c)
                pages.append(text)   # a scan's own text layer stays until OCR reads the page better
                if is_scan:
                    scanned.append(number)
        except pypdfium2.PdfiumError:
            raise DocumentError(_("The file could not be read as a PDF. It may be damaged; try saving it again as PDF.")) from None
        finally:
            document.close()
    return Reading(pages=pages, scanned=scanned)


def _page_text(page, pdfium_c):
    """(text, is_scan). A page that is mostly one picture is a scan when its text is thin,
    damaged, or all invisible: a scanner's own text recognition, laid invisibly over the
    picture, is often poor ('THEPRESIDENT', '+!'; 0.80 of the words on a real scanned MOU page
    against Tesseract's 0.91, bench_pdf_text.py)."""
    try:
        text = page.get_textpage().get_text_bounded()
        width, height = page.get_size()
        covered = 0.0
        for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = image.get_bounds()
            covered = max(covered, (right - left) * (top - bottom) / max(1.0, width * height))
        visible = covered >= SCAN_COVER and any(
            pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) != pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], max_depth=2))
    finally:
        page.close()
    # PDFium marks a hyphen it took for a line-end one with U+0002, even mid-line
    # ("password\x02protected" on a real data-sharing agreement): it is a hyphen.
    text = text.replace("\r\n", "\n").replace("\x00", "").replace("\x02", "-")
    if covered < SCAN_COVER:
        return text, False
    return text, not visible or len(text.split()) < SCAN_WORDS or bool(text_damage(text, 1))


def tesseract_languages():
    """The languages this server's Tesseract reads, of English and Spanish ("eng+spa"), or ""."""
    command = _tesseract()
    if command not in _LANGUAGES:
        try:
            listed = subprocess.run([command, "--list-langs"], capture_output=True, timeout=30,
                                    check=False).stdout.decode("utf-8", "replace").split()
        except (OSError, subprocess.SubprocessError):
            listed = []
        _LANGUAGES[command] = "+".join(code for code in ("eng", "spa") if code in listed)
    return _LANGUAGES[command]


_LANGUAGES = {}   # asked once per process (per command, so a test can name a missing one)


# One core per Tesseract: it would take them all, and the web server shares the machine.
_ONE_THREAD = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _tesseract():
    return getattr(settings, "TESSERACT_COMMAND", "tesseract")


def ocr_pages(data, reading, progress=None):
    """Read the scanned pages with Tesseract (English and Spanish); returns every page's text.
    `progress(done, total)` is called after each page."""
    import pypdfium2

    languages = tesseract_languages()
    pages = list(reading.pages)
    if not reading.scanned:
        return pages
    if not languages:
        reading.unread = list(reading.scanned)
        return pages
    for done, number in enumerate(reading.scanned, start=1):
        with _PDFIUM:
            document = pypdfium2.PdfDocument(data)
            try:
                page = document[number]
                image = page.render(scale=OCR_DPI / 72, grayscale=True).to_pil()
                page.close()
            finally:
                document.close()
        png = io.BytesIO()
        image.save(png, format="PNG")
        try:
            result = subprocess.run([_tesseract(), "stdin", "stdout", "-l", languages, "--dpi", str(OCR_DPI)],
                                    input=png.getvalue(), capture_output=True, env=_ONE_THREAD,
                                    timeout=OCR_SECONDS_PER_PAGE, check=False)
        except (OSError, subprocess.SubprocessError):
            result = None
        if result is not None and result.returncode == 0:
            pages[number] = result.stdout.decode("utf-8", "replace")
            reading.ocr.append(number)
        else:
            reading.unread.append(number)
        if progress:
            progress(done, len(reading.scanned))
    return pages


# --- Damaged text: what the review page warns about --------------------------------------------

LONG_WORD = 20        # letters; "MemorandumofUnderstanding" is 25, "responsibilities" 16
ODD = re.compile(r"[^\w\s.,;:!?'\"()\[\]{}\-–—/\\&%$€£@#*°º§+=<>«»¿¡…’‘“”•·|]", re.UNICODE)


def text_damage(text, pages):
    """Signs that the text did not come out right: ["glued", "few_words", "garbage"]."""
    words = text.split()
    found = []
    letters = [w for w in re.findall(r"[^\W\d_]+", text)]
    if letters:
        long_share = sum(1 for w in letters if len(w) >= LONG_WORD) / len(letters)
        mean = sum(len(w) for w in letters) / len(letters)
        if long_share > 0.03 or mean > 8:
            found.append("glued")
    if pages and len(words) / pages < 40:
        found.append("few_words")
    visible = [c for c in text if not c.isspace()]
    odd = len(ODD.findall(text)) + text.count("\ufffd") + text.count("(cid:")
    singles = sum(1 for w in words if len(w) == 1 and not w.isalnum())
    if visible and (odd / len(visible) > 0.03 or (words and singles / len(words) > 0.15)):
        found.append("garbage")
    return found


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
    return _one_page(text)


def _one_page(text):
    pages = max(1, len(text.split()) // WORDS_PER_PAGE + 1)
    _too_long(pages)
    return Reading(pages=[text], counted=pages)


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
    return _one_page(text)


def reading_warnings(notes):
    """What the review page tells the person about the text it read: [(headline, what to do)]."""
    from django.utils.translation import ngettext

    notes = notes or {}
    damage = notes.get("damage") or []
    warnings = []
    unread = notes.get("unread_pages") or []
    if unread:
        warnings.append((
            ngettext("Page %(pages)s is a scanned image that this site could not read.",
                     "Pages %(pages)s are scanned images that this site could not read.", len(unread))
            % {"pages": _page_list(unread)},
            _("Text recognition is not installed on this server, so for those pages the review has only the text a scanner may have stored in them, often none. To have every page reviewed, upload a PDF made from the original document, or a Word or text file.")))
    ocr = notes.get("ocr_pages") or []
    if ocr:
        warnings.append((
            ngettext("Page %(pages)s was a scanned image: its text was read by text recognition.",
                     "Pages %(pages)s were scanned images: their text was read by text recognition.", len(ocr))
            % {"pages": _page_list(ocr)},
            _("Text recognition can misread words, especially handwriting, stamps and faint copies. Check the quoted passages against your copy before you confirm a rating.")))
    if "glued" in damage:
        warnings.append((
            _("Many words in the text run together (like “MemorandumofUnderstanding”), so the review can miss what the agreement says."),
            _("If you have the original Word file, upload that instead; or save the PDF again from the program it was written in, and upload the new PDF.")))
    if "garbage" in damage:
        warnings.append((
            _("Part of the text came out as stray symbols, so some passages cannot be read."),
            _("Compare “The document” at the end of this page with your copy. If much is missing, upload a PDF made from the original document, or a Word or text file.")))
    if "few_words" in damage:
        warnings.append((
            _("The document has very few words per page (about %(n)s), so parts of it may be pictures that could not be read.") % {"n": notes.get("words_per_page", 0)},
            _("Compare “The document” at the end of this page with your copy before you confirm the ratings.")))
    return warnings


def _page_list(numbers):
    shown = ", ".join(str(n) for n in numbers[:12])
    return shown + (" …" if len(numbers) > 12 else "")
