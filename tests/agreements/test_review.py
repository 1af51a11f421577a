"""Reviewing an existing agreement: upload, clauses, proposals as a job, confirmation, refusals."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from intersector.agreements.clauses import split_clauses
from intersector.agreements.extract import DocumentError, read_document
from intersector.agreements.models import Clause, Proposal, Review
from intersector.jobs.models import Job

FIXTURES = Path(__file__).parent / "fixtures"
DEV_TEXT = (FIXTURES / "dev_agreement.txt").read_text()


def pdf_of(text):
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    return HTML(string=f"<html><body>{paragraphs}</body></html>").write_pdf()


def docx_of(text):
    from docx import Document

    document = Document()
    for line in text.splitlines():
        if line.strip():
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def reviewer(client, django_user_model):
    user = django_user_model.objects.create_user("reviewer")
    client.force_login(user)
    return user


def upload(client, name, data, form="mou"):
    return client.post("/agreements/reviews/new/", {
        "title": "", "form": form, "document": SimpleUploadedFile(name, data)})


def test_clauses_follow_the_numbering_and_keep_their_place_in_the_text():
    clauses = split_clauses(DEV_TEXT)
    numbers = [c.number for c in clauses]
    assert "5.2" in numbers and "7.2" in numbers and "1.1" in numbers
    for clause in clauses:
        assert DEV_TEXT[clause.start:clause.end] == clause.text
    governance = next(c for c in clauses if c.number == "5.2")
    assert governance.heading == "Working Together"
    assert governance.text.startswith("5.2 The coordination group decides by consensus")


def test_text_without_numbers_is_split_into_paragraphs():
    text = "First paragraph about the partners.\nIt goes on.\n\nSecond paragraph about money.\n\nThird."
    clauses = split_clauses(text)
    assert [c.text for c in clauses] == ["First paragraph about the partners.\nIt goes on.",
                                         "Second paragraph about money.", "Third."]


@pytest.mark.django_db(transaction=True)
def test_a_text_agreement_is_reviewed_as_a_job_and_only_confirmed_ratings_count(
        client, reviewer, real_scorecard, run_worker):
    response = upload(client, "harbourside.txt", DEV_TEXT.encode())
    review = Review.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/agreements/reviews/{review.pk}/"
    assert review.clauses.count() >= 20 and review.job.status == Job.Status.QUEUED
    assert "being prepared" in client.get(response["Location"]).content.decode()
    run_worker()
    review.refresh_from_db()
    assert review.status == "ready" and review.job.status == Job.Status.DONE
    assert Proposal.objects.filter(review=review).count() == 31
    assert review.job.result["url"] == f"/agreements/reviews/{review.pk}/"
    html = client.get(f"/agreements/reviews/{review.pk}/").content.decode()
    assert "0 of 31 ratings confirmed" in html and "Overall: nothing rated yet" in html
    representatives = Proposal.objects.get(review=review, element="representatives")
    assert representatives.proposed in ("fully", "partially")
    clause = Clause.objects.get(review=review, position=representatives.passages[0]["clause"])
    assert f'href="#clause-{clause.position}"' in html and f'id="clause-{clause.position}"' in html
    assert "What the document lacks" in html
    client.post(f"/agreements/reviews/{review.pk}/elements/representatives/", {"rating": "partially"})
    html = client.get(f"/agreements/reviews/{review.pk}/").content.decode()
    assert "1 of 31 ratings confirmed" in html and "Overall: 50%" in html
    assert client.post(f"/agreements/reviews/{review.pk}/elements/vision/", {"rating": "?"}).status_code == 302
    assert Proposal.objects.get(review=review, element="vision").confirmed == ""
    client.post(f"/agreements/reviews/{review.pk}/confirm-all/")
    assert not Proposal.objects.filter(review=review, confirmed="").exists()
    assert Proposal.objects.get(review=review, element="representatives").confirmed == "partially"


DISPUTES = ("9. Working together\n\n9.1 The partners value their collaboration and will keep each other "
            "informed of their plans for the coming year. If the partners disagree about this memorandum, "
            "their representatives will first meet to talk it through and, if that fails, ask an "
            "independent mediator to help them settle the dispute. Each partner keeps its own records "
            "of the bins collected.\n")


@pytest.mark.django_db(transaction=True)
def test_the_evidence_is_the_best_sentence_with_its_clause_on_demand(client, reviewer, real_scorecard, run_worker):
    text = DEV_TEXT.replace("Signed for the Town", DISPUTES + "\nSigned for the Town", 1)
    upload(client, "harbourside.txt", text.encode())
    run_worker()
    review = Review.objects.get()
    proposal = Proposal.objects.get(review=review, element="conflict-resolution")
    assert proposal.proposed in ("fully", "partially")
    top = proposal.passages[0]
    clause = Clause.objects.get(review=review, position=top["clause"])
    start, end = top["sentence"]
    assert clause.text[start:end].startswith("If the partners disagree") and "mediator" in clause.text[start:end]
    html = client.get(f"/agreements/reviews/{review.pk}/").content.decode()
    section = html[html.index('id="element-conflict-resolution"'):]
    section = section[:section.index("</form>")]
    # The sentence is the quote; the whole clause is one click away, the sentence marked in it.
    assert "“If the partners disagree about this memorandum" in section
    assert "<details" in section and "Show the whole clause" in section
    assert "<mark>If the partners disagree" in section and "keeps its own records" in section
    assert f'href="#clause-{clause.position}"' in section


RESPONSIBILITIES = ("3. Responsibilities\n"
                    "The town and the club agree to the following tasks for this memorandum:\n"
                    "- The town will empty the recycling bins at the harbour every Monday morning.\n"
                    "- The club will sort the collected bottles and cans before each collection.\n")


@pytest.mark.django_db(transaction=True)
def test_a_heading_or_a_lead_in_is_never_the_evidence_when_a_sentence_says_something(
        client, reviewer, real_scorecard, run_worker):
    from intersector.agreements.review import is_stub

    assert is_stub("3. Responsibilities") and is_stub("Article II: Effective Date")
    assert is_stub("The purpose of this MoU is:")
    assert not is_stub("The town will empty the recycling bins at the harbour every Monday morning.")
    text = DEV_TEXT.replace("Signed for the Town", RESPONSIBILITIES + "\nSigned for the Town", 1)
    upload(client, "harbourside.txt", text.encode())
    run_worker()
    review = Review.objects.get()
    shown = []
    for proposal in Proposal.objects.filter(review=review).exclude(passages=[]):
        top = proposal.passages[0]
        clause = Clause.objects.get(review=review, position=top["clause"])
        start, end = top["sentence"]
        shown.append((proposal.element, clause.text[start:end]))
    # What a person reads first under the tasks is a task, not the heading and lead-in above them.
    roles = dict(shown).get("roles-responsibilities", "")
    assert roles and not is_stub(roles) and not roles.startswith("3. Responsibilities")
    # A heading comes first only when no sentence that says something scores above the floor.
    import numpy as np

    from intersector.agreements.review import _evidence_order

    scores, stubs = np.array([0.9, 0.5, 0.4, 0.1]), np.array([True, False, True, False])
    found = {"stubs": stubs, "fragments": np.zeros(4, dtype=bool)}
    assert _evidence_order(scores, scores, found, 0.3) == [1, 0, 2]
    assert _evidence_order(scores, scores, found, 0.6) == [0]


@pytest.mark.django_db
def test_a_review_stored_before_sentences_still_shows_its_clauses(client, reviewer, real_scorecard):
    from intersector.agreements import services
    from intersector.agreements.review import Proposal as Proposed

    review = services.create_review(owner=reviewer, upload=SimpleUploadedFile("old.txt", DEV_TEXT.encode()))
    clause = review.clauses.get(number="5.2")
    old = [Proposed(key, "partially", 0.5, [(clause.position, 0.5)], [])
           for key in review.scorecard.card.elements]
    services.store_proposals(review, old, method="embeddings: all-MiniLM-L6-v2")
    assert "sentence" not in Proposal.objects.filter(review=review).first().passages[0]
    html = client.get(f"/agreements/reviews/{review.pk}/").content.decode()
    assert clause.text.split()[1] in html and "Show the whole clause" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("name,make", [("agreement.pdf", pdf_of), ("agreement.docx", docx_of)])
def test_pdf_and_word_agreements_are_read_into_clauses(client, reviewer, real_scorecard, name, make):
    response = upload(client, name, make(DEV_TEXT))
    assert response.status_code == 302
    review = Review.objects.get()
    assert "coordination group decides by consensus" in review.text
    assert review.clauses.filter(number="5.2").exists()


def encrypted_pdf():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of(DEV_TEXT))))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_named_docx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photos/readme.txt", "not a word document")
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("name,make,message", [
    ("empty.pdf", lambda: b"", "The file is empty"),
    ("locked.pdf", encrypted_pdf, "protected with a password"),
    ("blank.pdf", blank_pdf, "almost no text to review"),
    ("archive.docx", zip_named_docx, "a zip archive, not a Word document"),
    ("notes.docx", lambda: b"plain words, not a document at all", "not a Word document"),
    ("broken.pdf", lambda: b"%PDF-1.7 garbage", "could not be read as a PDF"),
    ("agreement.odt", lambda: b"some words " * 50, "Only PDF, Word (.docx) and text"),
    ("binary.txt", lambda: b"\x00\x01" * 100, "not a text file"),
])
def test_bad_files_get_a_clear_message_and_nothing_is_kept(client, reviewer, real_scorecard,
                                                             name, make, message):
    response = upload(client, name, make())
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Review.objects.exists() and not Clause.objects.exists() and not Job.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, reviewer, real_scorecard):
    with override_settings(AGREEMENTS_MAX_UPLOAD_BYTES=1000):
        response = upload(client, "big.txt", b"word " * 400)
    assert response.status_code == 413 and "too large" in response.content.decode()
    assert not Review.objects.exists()


def test_a_200_mb_file_is_refused_from_its_size_alone(tmp_path):
    class Unreadable:
        """A 200 MB upload whose content must never be touched."""

        name, size = "huge.pdf", 200 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("the file was read")

    with pytest.raises(DocumentError, match="too large"):
        read_document(Unreadable())


@pytest.mark.django_db
def test_a_document_over_fifty_pages_is_refused(client, reviewer, real_scorecard):
    response = upload(client, "long.txt", ("clause words " * 15000).encode())
    assert response.status_code == 400 and "up to 50" in response.content.decode()


@pytest.mark.django_db
def test_only_the_uploader_sees_a_review(client, reviewer, real_scorecard, django_user_model):
    upload(client, "harbourside.txt", DEV_TEXT.encode())
    review = Review.objects.get()
    other = django_user_model.objects.create_user("other")
    client.force_login(other)
    assert client.get(f"/agreements/reviews/{review.pk}/").status_code == 404
    assert client.post(f"/agreements/reviews/{review.pk}/confirm-all/").status_code == 404
    assert client.post(f"/agreements/reviews/{review.pk}/elements/vision/",
                       {"rating": "fully"}).status_code == 404
    client.logout()
    assert client.get(f"/agreements/reviews/{review.pk}/").status_code == 404
    response = client.get("/agreements/reviews/new/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


@pytest.mark.django_db
def test_an_upload_declared_over_the_limit_is_refused_without_reading_the_body(client, reviewer,
                                                                                real_scorecard):
    response = client.generic("POST", "/agreements/reviews/new/", b"",
                              content_type="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert not Review.objects.exists()
