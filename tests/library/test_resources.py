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
