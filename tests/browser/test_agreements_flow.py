"""Agree in a real browser: two representatives write a short MOU, rate it differently, see the
disagreement, settle it, sign off and export; another person reviews an uploaded PDF."""

import re
import signal
import subprocess
from pathlib import Path

import pytest
import yaml
from django.core import mail
from django.core.management import call_command

from intersector.agreements import services
from tests.conftest import SCREENSHOTS, check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture
def scorecard(db):
    data = yaml.safe_load((ROOT / "content" / "agreements" / "scorecard.yaml").read_text())
    return services.import_scorecard(data)[0]


def no_streams(page):
    """pytest-django's live server is WSGI: a Server-Sent Events stream would hold one of its
    threads for an hour. Refuse the stream; live.js then falls back to polling, a plain request."""
    page.route(re.compile(r".*/live/(\?.*)?$"), lambda route: route.abort())
    return page


def run_worker():
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0",
                     verbosity=0)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def save_element(page, key, *, text=None, rating):
    form = page.locator(f"#element-{key}")
    if text is not None:
        form.locator("textarea").fill(text)
    form.get_by_label(rating, exact=True).check()
    form.get_by_role("button", name="Save").click()
    page.locator(f"#saved-{key}").filter(has_text="Saved.").wait_for()


def test_two_partners_write_rate_settle_sign_and_export_an_mou(live_server, new_page, scorecard):
    city = no_streams(new_page())
    city.goto(live_server.url + "/agree/")
    city.get_by_role("link", name="Write an agreement").click()
    city.get_by_label("Name of the partnership").fill("Riverton clean air partnership")
    city.get_by_label("Purpose").fill("Cut traffic pollution near the east-side schools.")
    city.get_by_label("Memorandum of understanding").check()
    for i, (name, sector, rep) in enumerate([("City of Riverton", "government", "Ana Ruiz"),
                                             ("Clean Air Now", "non-profit", "Dana Smith")]):
        city.fill(f"#id_partner-{i}-name", name)
        city.select_option(f"#id_partner-{i}-sector", sector)
        city.fill(f"#id_partner-{i}-representative", rep)
    city.fill("#id_partner-1-email", "dana@cleanair.example")
    check_accessibility(city)
    city.get_by_role("button", name="Start the agreement").click()
    # The link goes to the invitee by e-mail; the person who invites sees it this once.
    city.get_by_text("It will not be shown again").wait_for()
    check_accessibility(city)
    screenshot(city, "agree-invitations-shown-once")
    city.set_viewport_size({"width": 360, "height": 740})
    assert city.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(city, "agree-invitations-shown-once-phone")
    city.set_viewport_size({"width": 1280, "height": 900})
    invite = re.search(r"https?://\S+/agreements/join/\S+/", mail.outbox[-1].body).group(0)
    assert mail.outbox[-1].to == ["dana@cleanair.example"]
    assert city.get_by_label("Private invitation link for Clean Air Now").input_value() == invite
    city.reload()
    assert "/agreements/join/" not in city.content()
    city.get_by_role("link", name="Go to the agreement").click()
    city.get_by_text("You are taking part as City of Riverton").wait_for()
    assert "/agreements/join/" not in city.content()

    ngo = no_streams(new_page(width=360, height=740, is_mobile=True, has_touch=True))
    ngo.goto(invite)
    ngo.get_by_text("You are taking part as Clean Air Now").first.wait_for()
    check_accessibility(ngo)
    assert ngo.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(ngo, "agree-overview-phone")
    city.reload()
    assert "Taking part since" in city.content()
    screenshot(city, "agree-overview-desktop")

    # The city picks the families to address first, then writes and rates.
    for family in ("Who?", "Why?", "What?"):
        city.get_by_label(family, exact=True).check()
    city.get_by_role("button", name="Save and start writing").click()
    city.wait_for_url(re.compile(r".*/write/$"))
    save_element(city, "vision", text="Children on the east side breathe clean air on their way "
                 "to school by 2030.", rating="Fully in place")
    # The panel is swapped in by the save's response (the rating may arrive in a second save).
    city.locator("#score-panel").filter(has_text="Overall: 100%").wait_for()
    save_element(city, "activities", text="Car-free school streets at drop-off times; "
                 "monthly air measurements near five schools.", rating="Fully in place")
    check_accessibility(city)
    screenshot(city, "agree-editor-desktop")

    # The non-profit rates the vision differently, on a phone.
    ngo.goto(live_server.url + ngo.url.split(live_server.url)[1].rstrip("/") + "/write/")
    save_element(ngo, "vision", rating="Partially in place")
    save_element(ngo, "activities", rating="Fully in place")
    assert ngo.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(ngo, "agree-editor-phone")

    # Both publish their ratings and see where they differ.
    for page in (city, ngo):
        page.get_by_role("link", name="Compare ratings").click()
        page.get_by_role("button", name="Publish my ratings to the other partners").click()
        page.get_by_text("The other partners can now see your ratings.").wait_for()
    city.reload()
    vision = city.locator("#element-vision")
    assert "Partners differ" in vision.inner_text()
    assert "Partners agree" in city.locator("#element-activities").inner_text()
    assert "Nobody has addressed this" in city.locator("#element-governance").inner_text()
    ngo.locator("#comment-vision").fill("Can we add a measure of what clean means?")
    ngo.locator("#element-vision").get_by_role("button", name="Add comment").click()
    check_accessibility(city)
    screenshot(city, "agree-compare")

    # They settle: the city adds the measure, the non-profit now rates it fully in place.
    city.get_by_role("link", name="Write and rate").click()
    save_element(city, "vision", text="Children on the east side breathe clean air on their way "
                 "to school by 2030: nitrogen dioxide below the WHO guideline at all five schools.",
                 rating="Fully in place")
    ngo.get_by_role("link", name="Write and rate").click()
    save_element(ngo, "vision", rating="Fully in place")
    city.get_by_role("link", name="Compare ratings").click()
    assert "Partners agree" in city.locator("#element-vision").inner_text()
    assert "Can we add a measure" in city.locator("#element-vision").inner_text()

    # Both sign; the text locks.
    for page, name in ((city, "Ana Ruiz"), (ngo, "Dana Smith")):
        page.get_by_role("link", name="Overview").click()
        page.get_by_label("Name of the person signing").fill(name)
        page.get_by_role("button", name="Sign off this version").click()
    ngo.get_by_text("All partners have signed. The text is now locked.").wait_for()
    city.reload()
    assert "Signed by all partners" in city.content()
    assert "Signed by Dana Smith on" in city.content() and "opened in this browser" in city.content()
    screenshot(city, "agree-signed")

    # Someone else's browser opening the non-profit's link is refused, and sees nothing of it.
    intruder = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    response = intruder.goto(invite)
    assert response.status == 403 and "already opened" in intruder.content()
    assert "Clean Air Now" not in intruder.content()
    check_accessibility(intruder)
    assert intruder.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(intruder, "agree-invitation-refused-phone")
    intruder.set_viewport_size({"width": 1280, "height": 900})
    screenshot(intruder, "agree-invitation-refused")

    # Exports: PDF (rendered to PNG and looked at) and Word.
    with city.expect_download() as download:
        city.get_by_role("link", name="Agreement (PDF)").click()
    pdf = SCREENSHOTS / "agree-mou.pdf"
    download.value.save_as(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf),
                    str(SCREENSHOTS / "agree-mou-pdf")], check=True)
    assert list(SCREENSHOTS.glob("agree-mou-pdf*.png"))
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert "Riverton clean air partnership" in text and "nitrogen dioxide" in text
    assert "Dana Smith" in text and "Signatures" in text
    with city.expect_download() as download:
        city.get_by_role("link", name="Agreement (Word)").click()
    docx_path = SCREENSHOTS / "agree-mou.docx"
    download.value.save_as(docx_path)
    from docx import Document

    paragraphs = [p.text for p in Document(str(docx_path)).paragraphs]
    assert "Riverton clean air partnership" in paragraphs
    assert any("nitrogen dioxide" in p for p in paragraphs)


def test_a_reviewer_uploads_a_pdf_agreement_and_confirms_the_proposals(
        live_server, new_page, scorecard, django_user_model, tmp_path):
    from weasyprint import HTML

    django_user_model.objects.create_user("rosa", "rosa@example.org", PASSWORD)
    text = (ROOT / "tests" / "agreements" / "review_set" / "youth-pathways-mou.txt").read_text()
    body = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    pdf = tmp_path / "youth-pathways-mou.pdf"
    HTML(string=f"<html><body>{body}</body></html>").write_pdf(str(pdf))

    page = new_page()
    page.goto(live_server.url + "/agreements/reviews/new/")
    page.get_by_label("User name or e-mail address").fill("rosa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/agreements/reviews/new/$"))
    page.get_by_label("Agreement file").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload and review").click()
    page.get_by_text("This page updates by itself").wait_for()
    run_worker()
    page.get_by_text("ratings confirmed").wait_for(timeout=15_000)   # the page updates itself
    assert "0 of 31 ratings confirmed" in page.content()
    assert page.locator("blockquote.passage").count() > 0
    check_accessibility(page)
    screenshot(page, "agree-review")
    # The evidence is a sentence; its whole clause opens on demand, the sentence marked in it.
    first = page.locator("details.passage-clause").first
    first.locator("summary").click()
    assert first.locator("mark").is_visible()
    check_accessibility(page)
    first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "agree-review-clause-open.png"))
    page.set_viewport_size({"width": 360, "height": 780})
    first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "agree-review-clause-open-phone.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    # Change one proposal, then accept the rest.
    vision = page.locator("#element-vision")
    vision.get_by_label("Partially in place", exact=True).check()
    vision.get_by_role("button", name="Confirm this rating").click()
    page.get_by_text("1 of 31 ratings confirmed").wait_for()
    page.get_by_role("button", name="Confirm all remaining proposals as proposed").click()
    page.get_by_text("31 of 31 ratings confirmed").wait_for()
    assert "Confirmed: Partially in place" in page.locator("#element-vision").inner_text()
