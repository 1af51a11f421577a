"""PDF text for the review: words keep their spaces, scanned pages are read by text recognition
(Tesseract, English and Spanish) in a background job, damaged text is pointed out, and no PDF
makes a 500. PDFs are made here from our own text with the real tools (tests/agreements/pdf_fixtures.py)."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from intersector.agreements.extract import read_document, reading_warnings, text_damage
from intersector.agreements.models import Review, ReviewScan
from intersector.jobs.models import Job
from tests.agreements.pdf_fixtures import letters_pdf, scanned_pdf, text_pdf, wrap

DEV_TEXT = (Path(__file__).parent / "fixtures" / "dev_agreement.txt").read_text()
TESSERACT = shutil.which("tesseract")
needs_tesseract = pytest.mark.skipif(not TESSERACT or not shutil.which("pdftoppm"),
                                     reason="Debian's tesseract-ocr or poppler-utils is not installed (make system-deps)")
needs_pdftoppm = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils is not installed")

ENGLISH = ("This Memorandum of Understanding is made between the Town of Harbourside and the "
           "Harbourside Food Bank. The partners agree to share information about food waste every "
           "month and to meet four times a year. Either partner may end this memorandum with three "
           "months written notice. Disagreements are first discussed by the coordination group.")
SPANISH = ("Las partes acuerdan compartir la información sobre el programa cada mes. La comisión "
           "de seguimiento se reúne cuatro veces al año y decide por consenso. Cualquiera de las "
           "partes podrá dar por terminado este convenio con un aviso escrito de tres meses.")


@pytest.fixture
def reviewer(client, django_user_model):
    user = django_user_model.objects.create_user("reviewer")
    client.force_login(user)
    return user


def upload(client, name, data):
    return client.post("/agreements/reviews/new/", {
        "title": "", "form": "mou", "document": SimpleUploadedFile(name, data)})


def letter_by_letter(text):
    lines = [line for paragraph in text.splitlines() for line in (wrap(paragraph) or [""])]
    return letters_pdf([lines[i:i + 45] for i in range(0, len(lines), 45)])


def page(text):
    return " ".join(text.split())


@pytest.mark.django_db
def test_a_pdf_written_letter_by_letter_is_read_with_its_spaces(client, reviewer, real_scorecard):
    from pypdf import PdfReader

    data = letter_by_letter(DEV_TEXT)
    # The fixture is like the real MOU: pypdf (what the upload used) runs the words together.
    assert "MEMORANDUMOFUNDERSTANDING" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    response = upload(client, "mac-mou.pdf", data)
    assert response.status_code == 302
    review = Review.objects.get()
    assert "MEMORANDUM OF UNDERSTANDING" in review.text
    assert "The coordination group decides by consensus" in page(review.text)
    assert review.clauses.filter(number="5.2").exists() and review.pages == 2
    assert review.reading["damage"] == [] and review.reading["ocr_pages"] == []
    html = client.get(response["Location"]).content.decode()
    assert "Check the text before you rely on this review" not in html


@pytest.mark.django_db
def test_text_with_words_run_together_gets_a_warning_with_what_to_do(client, reviewer, real_scorecard):
    from pypdf import PdfReader

    # What pypdf read from such a PDF, uploaded as a text file: the review runs, and says why to doubt it.
    glued = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(letter_by_letter(DEV_TEXT))).pages)
    response = upload(client, "glued.txt", glued.encode())
    assert response.status_code == 302
    review = Review.objects.get()
    assert "glued" in review.reading["damage"]
    html = client.get(response["Location"]).content.decode()
    assert "Check the text before you rely on this review" in html
    assert "Many words in the text run together" in html and "upload that instead" in html


def test_damage_signs_are_told_apart():
    clean = page(DEV_TEXT)
    assert text_damage(clean, 2) == []
    assert "glued" in text_damage(clean.replace(" ", "")[:3000], 2)
    assert text_damage(clean[:600], 5) == ["few_words"]
    assert "garbage" in text_damage("t -l I +! ' \\ : , ~ ^ | " * 30 + clean[:2000], 1)
    assert "garbage" in text_damage(("\ufffd\ufffd word " * 200), 1)
    # Word and text files have no real pages: a short one is not 'few words per page'.
    reading = read_document(SimpleUploadedFile("short.txt", clean[:400].encode()))
    assert "few_words" not in reading.notes()["damage"]


def test_every_warning_says_what_to_do():
    notes = {"damage": ["glued", "garbage", "few_words"], "ocr_pages": [2, 3], "unread_pages": [4],
             "words_per_page": 12}
    warnings = reading_warnings(notes)
    assert len(warnings) == 5 and all(headline and advice for headline, advice in warnings)
    assert "Page 4 is a scanned image that this site could not read." in warnings[0][0]
    assert "Pages 2, 3 were scanned images" in warnings[1][0]
    assert "about 12" in warnings[4][0]
    assert reading_warnings({}) == [] and reading_warnings(None) == []


@needs_tesseract
@pytest.mark.django_db(transaction=True)
def test_a_scanned_pdf_is_read_by_text_recognition_in_a_job_with_progress(
        client, reviewer, real_scorecard, run_worker):
    # Page 1 has a text layer; pages 2 (English) and 3 (Spanish) are pictures only.
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in (text_pdf([ENGLISH, ENGLISH]), scanned_pdf(text_pdf([ENGLISH], 14)),
                 scanned_pdf(text_pdf([SPANISH], 14))):
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    response = upload(client, "signed-mou.pdf", out.getvalue())
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.job.kind == "agreements.read_scans" and review.job.status == Job.Status.QUEUED
    assert ReviewScan.objects.get(review=review).pages == [1, 2]
    assert not review.clauses.exists() and review.pages == 3
    html = client.get(response["Location"]).content.decode()
    assert "being read with text recognition" in html and "<progress" in html
    run_worker()   # the OCR job, then the proposals job it queued
    review.refresh_from_db()
    ocr_job = Job.objects.get(kind="agreements.read_scans")
    assert ocr_job.status == Job.Status.DONE and (ocr_job.done, ocr_job.total) == (2, 2)
    assert review.status == "ready" and review.job.kind == "agreements.review"
    text = page(review.text).lower()
    assert "either partner may end this memorandum" in text      # English page, read by OCR
    assert "información" in text and "reúne cuatro veces al año" in text   # Spanish page
    assert review.reading["ocr_pages"] == [2, 3] and review.reading["unread_pages"] == []
    assert not ReviewScan.objects.exists() and review.clauses.exists()
    html = client.get(response["Location"]).content.decode()
    assert "Pages 2, 3 were scanned images: their text was read by text recognition." in html


@needs_pdftoppm
@pytest.mark.django_db
@override_settings(TESSERACT_COMMAND="/nonexistent/tesseract")
def test_without_text_recognition_an_upload_still_works_and_says_which_pages_were_not_read(
        client, reviewer, real_scorecard):
    from pypdf import PdfReader, PdfWriter

    assert "cannot read scanned PDFs" in client.get("/agreements/reviews/new/").content.decode()
    writer = PdfWriter()
    for part in (text_pdf([DEV_TEXT[:2500]]), scanned_pdf(text_pdf([ENGLISH], 14), dpi=100)):
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    response = upload(client, "half-scanned.pdf", out.getvalue())
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.job.kind == "agreements.review" and review.reading["unread_pages"] == [2]
    assert not ReviewScan.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert "Page 2 is a scanned image that this site could not read." in html
    assert "Text recognition is not installed on this server" in html

    response = upload(client, "all-scanned.pdf", scanned_pdf(text_pdf([ENGLISH]), dpi=100))
    assert response.status_code == 400
    assert "this site cannot read scans" in response.content.decode()
    assert Review.objects.count() == 1


def truncated_pdf():
    data = text_pdf([DEV_TEXT[:3000]])
    return data[:len(data) // 2]


def owner_password_pdf():
    """Encrypted with an empty user password (anyone may open it): read like any other."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf([DEV_TEXT[:3000]]))))
    writer.encrypt(user_password="", owner_password="owner-only", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("name,make,status,message", [
    ("truncated.pdf", truncated_pdf, 400, None),
    ("header-only.pdf", lambda: b"%PDF-1.4\n%%EOF\n", 400, "could not be read as a PDF"),
    ("named.pdf", lambda: b"just words " * 40, 400, "could not be read as a PDF"),
    ("owner-password.pdf", owner_password_pdf, 302, None),
])
def test_odd_pdfs_never_give_a_500(client, reviewer, real_scorecard, name, make, status, message):
    response = upload(client, name, make())
    assert response.status_code == status
    if message:
        assert message in response.content.decode()
    if status == 400:
        assert not Review.objects.exists() and not Job.objects.exists()


def test_a_hyphen_at_the_end_of_a_line_stays_a_hyphen():
    from intersector.agreements.extract import read_pdf_pages

    # PDFium joins "password-" at a line's end to "protected" on the next, marking the hyphen
    # with U+0002 (a real data-sharing agreement read "password\x02protected").
    sentence = "Keep all the data on a password-protected, encrypted storage device that sits in a locked office. "
    text = read_pdf_pages(text_pdf([sentence * 3])).text()
    assert "\x02" not in text and text.count("password-protected") == 3


@needs_tesseract
@pytest.mark.django_db(transaction=True)
def test_a_scan_with_nothing_readable_fails_plainly_and_keeps_no_file(client, reviewer, real_scorecard,
                                                                     run_worker):
    from PIL import Image

    white = io.BytesIO()
    Image.new("L", (1654, 2339), 255).save(white, format="PDF", resolution=200.0)
    response = upload(client, "blank-scan.pdf", white.getvalue())
    assert response.status_code == 302
    run_worker()
    review = Review.objects.get()
    job = Job.objects.get(kind="agreements.read_scans")
    assert review.status == "failed" and job.status == Job.Status.FAILED
    assert "No text could be read from the scanned pages" in job.error
    assert not ReviewScan.objects.exists() and not Job.objects.filter(kind="agreements.review").exists()
    html = client.get(response["Location"]).content.decode()
    assert "No text could be read from the scanned pages" in html and "Upload a document" in html
