"""The resource library: facets, search, CSV export, and the curators' CSV import."""

import csv
import io
import re

import pytest

from intersector.library.models import Resource, ResourceImport

GOOD_AND_BAD = (
    "title,authors,publisher,year,type,sectors,partnership_models,issue_areas,url,summary\n"
    "Mapping stakeholders,Ann Lee; Bo Chan,Civic Press,2018,tool,government; business,collective-impact,health,https://example.org/map,How to map.\n"
    ",Nobody,Nowhere,2019,report,,,,,A row without a title.\n"
    "Bad year,X,Y,last year,report,,,,,.\n"
    "Unknown type,X,Y,2020,poster,,,,,.\n"
    "Unknown sector,X,Y,2020,report,aliens,,,,.\n"
    "Partnering guide,Cy Dee,Guide House,2021,Book,Non-profit,Community partnership,Housing,,A guide.\n"
)


def titles(response):
    return re.findall(r'<h3><a href="/resources/[^"]+/">([^<]+)</a></h3>', response.content.decode())


def test_resources_can_be_filtered_by_type_and_searched(client, library):
    assert titles(client.get("/resources/?type=report")) == ["Running partnership workshops"]
    response = client.get("/resources/?q=backbone")
    assert titles(response) == ["Collective Impact"] and "<mark>backbone</mark>" in response.content.decode()
    assert titles(client.get("/resources/?issue=transport&sector=government")) == ["Running partnership workshops"]


def test_the_csv_export_holds_the_filtered_list_in_the_import_columns(client, library):
    response = client.get("/resources/export.csv?model=collective-impact")
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["title"] for row in rows] == ["Collective Impact"]
    assert rows[0]["authors"] == "John Kania; Mark Kramer"
    assert rows[0]["sectors"] == "government; business; non-profit"


def test_only_curators_may_import(client, library, reader):
    assert client.get("/resources/import/").status_code == 302  # to sign in
    client.force_login(reader)
    assert client.get("/resources/import/").status_code in (302, 403)
    upload = ResourceImport.objects.create(filename="x.csv", data="title\nA\n")
    assert client.post(f"/resources/import/{upload.pk}/").status_code in (302, 403)
    assert not ResourceImport.objects.exclude(job=None).exists()


def upload(client, data, name="list.csv"):
    file = io.BytesIO(data.encode())
    file.name = name
    return client.post("/resources/import/", {"file": file})


def test_the_preview_lists_each_bad_row_and_changes_nothing(client, library, curator):
    client.force_login(curator)
    response = upload(client, GOOD_AND_BAD)
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "2 new resources" in preview and "4 rows will be left out" in preview
    for text in ("The title is empty.", "“last year” is not a number", "“poster” is not one of", "“aliens” is not a known value"):
        assert text in preview
    assert Resource.objects.count() == 2


def test_a_file_that_is_not_a_csv_gets_a_clear_message(client, curator):
    client.force_login(curator)
    response = upload(client, "just some words without a title column\n")
    assert response.status_code == 400 and "must be “title”" in response.content.decode()
    assert upload(client, "title\n", name="picture.png").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_the_import_runs_in_the_background_and_reports_rejects_row_by_row(client, curator, run_worker):
    client.force_login(curator)
    preview_url = upload(client, GOOD_AND_BAD)["Location"]
    job_url = client.post(preview_url)["Location"]
    assert job_url.startswith("/jobs/")
    run_worker()
    assert Resource.objects.count() == 2  # the four bad rows did not stop the good ones
    guide = Resource.objects.get(title="Partnering guide")
    assert guide.type == "book" and list(guide.sectors.values_list("key", flat=True)) == ["non-profit"]
    upload_record = ResourceImport.objects.get()
    report = client.get(f"/resources/import/{upload_record.pk}/report/").content.decode()
    assert "2 new, 0 updated, 4 rejected." in report
    assert re.search(r"<td>3</td><td>—</td><td class=\"reject\">The title is empty.", report)
    assert "Bad year" in report

    # The same file again: nothing is duplicated, the good rows are updated in place.
    client.post(upload(client, GOOD_AND_BAD)["Location"])
    run_worker()
    assert Resource.objects.count() == 2
    second = ResourceImport.objects.order_by("-created").first()
    assert second.job.result["updated"] == 2 and second.job.result["created"] == 0


def test_a_second_click_on_start_does_not_start_a_second_import(client, library, curator):
    client.force_login(curator)
    preview_url = upload(client, GOOD_AND_BAD)["Location"]
    first = client.post(preview_url)["Location"]
    assert client.post(preview_url)["Location"] == first


def test_someone_elses_upload_is_not_found(client, library, curator, django_user_model):
    other = django_user_model.objects.create_user("other", "o@example.org", "pw-long-enough-1", is_staff=True)
    theirs = ResourceImport.objects.create(owner=other, filename="x.csv", data="title,type\nA,book\n")
    client.force_login(curator)
    assert client.get(f"/resources/import/{theirs.pk}/").status_code == 404


FORMULA_TITLES = ['=HYPERLINK("http://x","y")', "+1", "@SUM", "-2", "-Partners'", "'=quoted"]


def add_formula_resources():
    from intersector.library import services

    services.ensure_terms()
    for number, title in enumerate(FORMULA_TITLES):
        services.save_resource({
            "slug": f"formula-{number}", "title": title, "authors": "=cmd' /C calc'!A0", "publisher": "",
            "year": 2020, "type": "report", "url": "", "summary": "-sum of parts", "sectors": [],
            "partnership_models": [], "issue_areas": [],
        })


def exported(client, query="?type=report"):
    response = client.get("/resources/export.csv" + query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_export_never_hands_a_spreadsheet_a_formula(client, library):
    add_formula_resources()
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(exported(client)))}
    for number, title in enumerate(FORMULA_TITLES):
        row = rows[f"formula-{number}"]
        # A leading apostrophe makes spreadsheet programs read the cell as text, not run it.
        assert row["title"] == "'" + title
        assert row["authors"].startswith("'=") and row["summary"] == "'-sum of parts"
        assert row["year"] == "2020"  # our own numbers stay numbers
    assert rows["formula-0"]["title"] == "'=HYPERLINK(\"http://x\",\"y\")"


@pytest.mark.django_db(transaction=True)
def test_export_edit_and_reimport_keeps_every_title_exactly(client, curator, run_worker):
    from intersector.library.content import load_library
    from tests.library.conftest import FIXTURES

    load_library(FIXTURES)
    add_formula_resources()
    before = {r.slug: (r.title, r.authors, r.summary) for r in Resource.objects.all()}
    # The curator edits one summary in the file (as a spreadsheet saves it) and imports it again.
    rows = list(csv.DictReader(io.StringIO(exported(client, ""))))
    for row in rows:
        if row["slug"] == "formula-1":
            row["summary"] = "'=1+1 is two"
    edited = io.StringIO()
    writer = csv.DictWriter(edited, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)

    client.force_login(curator)
    preview_url = upload(client, edited.getvalue())["Location"]
    assert "0 rows will be left out" in client.get(preview_url).content.decode()
    client.post(preview_url)
    run_worker()
    assert ResourceImport.objects.get().job.result["updated"] == len(before)
    after = {r.slug: (r.title, r.authors, r.summary) for r in Resource.objects.all()}
    assert after.keys() == before.keys()
    for slug, (title, authors, summary) in before.items():
        expected_summary = "=1+1 is two" if slug == "formula-1" else summary
        assert after[slug] == (title, authors, expected_summary), slug


def test_a_stored_file_that_can_no_longer_be_read_gets_a_message_not_an_error(client, curator):
    broken = ResourceImport.objects.create(owner=curator, filename="x.csv", data="")
    client.force_login(curator)
    response = client.get(f"/resources/import/{broken.pk}/")
    assert response.status_code == 400 and "This file is empty." in response.content.decode()
