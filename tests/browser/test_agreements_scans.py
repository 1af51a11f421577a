"""Agree in a real browser: a scanned PDF is read page by page with its progress shown, and the
review warns, with what to do, about scanned pages and words run together; at 360 px and on a
desktop, axe-clean."""

import io
import re
import shutil
from pathlib import Path

import pytest

from tests.agreements.pdf_fixtures import letters_pdf, scanned_pdf, text_pdf, wrap
from tests.browser.test_agreements_flow import PASSWORD, no_streams, run_worker, scorecard  # noqa: F401
from tests.conftest import check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not shutil.which("tesseract") or not shutil.which("pdftoppm"),
                                 reason="Debian's tesseract-ocr or poppler-utils is not installed")]

ROOT = Path(__file__).resolve().parent.parent.parent
DEV_TEXT = (ROOT / "tests" / "agreements" / "fixtures" / "dev_agreement.txt").read_text()


def both_widths(page, name):
    check_accessibility(page)
    screenshot(page, name)
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def half_scanned_pdf():
    from pypdf import PdfReader, PdfWriter

    paragraphs = [p for p in DEV_TEXT.split("\n\n") if p.strip()]
    writer = PdfWriter()
    for part in (text_pdf(paragraphs[:6]), scanned_pdf(text_pdf(paragraphs[6:10], 13))):
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_scanned_agreement_is_read_with_progress_and_the_review_says_what_to_check(
        live_server, new_page, scorecard, django_user_model, tmp_path):  # noqa: F811
    from pypdf import PdfReader

    django_user_model.objects.create_user("rosa", "rosa@example.org", PASSWORD)
    page = no_streams(new_page())
    page.goto(live_server.url + "/agreements/reviews/new/")
    page.get_by_label("User name or e-mail address").fill("rosa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/agreements/reviews/new/$"))
    page.get_by_text("Scanned PDFs are read with text recognition").wait_for()
    both_widths(page, "agree-review-upload")

    scan = tmp_path / "signed-mou.pdf"
    scan.write_bytes(half_scanned_pdf())
    page.get_by_label("Agreement file").set_input_files(str(scan))
    page.get_by_role("button", name="Upload and review").click()
    page.get_by_text("The scanned pages are being read with text recognition").wait_for()
    assert page.locator("progress#scan-progress").count() == 1
    both_widths(page, "agree-review-reading-scans")
    run_worker()   # reads the scanned page, then makes the proposals
    page.get_by_text("ratings confirmed").wait_for(timeout=30_000)   # the page updates itself
    page.get_by_text("Page 2 was a scanned image: its text was read by text recognition.").wait_for()
    both_widths(page, "agree-review-scanned-warning")

    # Text whose words run together (what pypdf made of a Mac's PDF), uploaded as a text file.
    lines = [line for paragraph in DEV_TEXT.splitlines() for line in (wrap(paragraph) or [""])]
    glued = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(letters_pdf([lines[:45]]))).pages)
    glued_file = tmp_path / "glued.txt"
    glued_file.write_text(glued)
    page.goto(live_server.url + "/agreements/reviews/new/")
    page.get_by_label("Agreement file").set_input_files(str(glued_file))
    page.get_by_role("button", name="Upload and review").click()
    page.get_by_text("Many words in the text run together").wait_for()
    both_widths(page, "agree-review-glued-warning")
