import pytest

"""Reading the toolkit: stages in order, tools with questions and an example case, printing."""

from intersector.library.models import Tool


def test_the_toolkit_lists_the_four_stages_with_their_questions_and_tools(client, library):
    page = client.get("/toolkit/").content.decode()
    positions = [page.index(name) for name in ("Diagnosis", "Design", "Implementation", "Assessment")]
    assert positions == sorted(positions)
    assert "Is working across sectors the right way" in page
    assert 'href="/toolkit/tools/map-the-partners/"' in page


def test_a_tool_page_shows_definition_questions_and_its_example_case(client, library):
    page = client.get("/toolkit/tools/map-the-partners/").content.decode()
    assert "List who holds a stake" in page
    assert page.count("<li>Who ") == 3 and "Who has data?" in page
    assert 'href="/cases/river-clean-up/"' in page
    assert 'href="/toolkit/tools/shared-facts/"' in page  # next tool


def test_a_case_page_links_back_to_the_tools_it_illustrates(client, library):
    page = client.get("/cases/river-clean-up/").content.decode()
    assert 'href="/toolkit/tools/map-the-partners/"' in page
    assert "uses this case as its example" in page


def test_an_unpublished_tool_is_not_shown(client, library):
    Tool.objects.filter(slug="pick-a-manager").update(live=False)
    assert client.get("/toolkit/tools/pick-a-manager/").status_code == 404
    assert "Pick a manager" not in client.get("/toolkit/").content.decode()


def test_an_unknown_stage_or_tool_is_a_friendly_404(client, library):
    assert client.get("/toolkit/nowhere/").status_code == 404
    assert client.get("/toolkit/tools/nothing/").status_code == 404


def test_the_print_page_puts_each_tool_on_its_own_page(client, library):
    page = client.get("/toolkit/print/").content.decode()
    assert page.count('class="tool-page"') == 3


@pytest.mark.django_db(transaction=True)
def test_the_whole_toolkit_downloads_as_one_pdf_made_in_the_background(client, library, run_worker, settings, tmp_path):
    from io import BytesIO

    from pypdf import PdfReader

    settings.MEDIA_ROOT = tmp_path
    waiting = client.get("/toolkit/intersector-toolkit.pdf")
    assert waiting.status_code == 202 and "making the PDF" in waiting.content.decode()
    assert "every 2s" in client.get("/toolkit/pdf-status/").content.decode()
    client.get("/toolkit/intersector-toolkit.pdf")  # a second reader shares the same job
    from intersector.jobs.models import Job

    assert Job.objects.filter(kind="library.toolkit_pdf").count() == 1
    run_worker()
    assert "Download the toolkit PDF" in client.get("/toolkit/pdf-status/").content.decode()
    response = client.get("/toolkit/intersector-toolkit.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) >= 4  # the overview, then one page per tool
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Map the partners" in text and "Who has data?" in text


def test_editing_a_tool_makes_a_new_pdf(library, settings, tmp_path):
    from intersector.library import pdf

    settings.MEDIA_ROOT = tmp_path
    before = pdf.pdf_path()
    tool = Tool.objects.get(slug="pick-a-manager")
    tool.title = "Choose a manager"
    tool.save()
    assert pdf.pdf_path() != before


def test_a_new_pdf_removes_the_pdf_of_the_old_toolkit_only(library, settings, tmp_path):
    from intersector.library import pdf

    settings.MEDIA_ROOT = tmp_path
    first = pdf.build("en")
    other_language = first.with_name(first.name.replace("toolkit-en-", "toolkit-es-"))
    other_language.write_bytes(b"%PDF kept")
    tool = Tool.objects.get(slug="pick-a-manager")
    tool.title = "Choose a manager"
    tool.save()
    second = pdf.build("en")
    assert second != first and second.exists() and not first.exists()
    assert other_language.exists()  # each language's newest stays
