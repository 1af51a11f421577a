"""Curators edit Learn in the content admin, with drafts, revisions and preview."""

from intersector.library.models import Briefing, Case, Resource, Tool


def test_curators_find_every_collection_in_the_content_admin(admin_client, library):
    for model in ("stage", "tool", "case", "resource", "briefing", "subscriber"):
        assert admin_client.get(f"/cms/snippets/library/{model}/").status_code == 200, model
    case = Case.objects.get(slug="river-clean-up")
    edit = admin_client.get(f"/cms/snippets/library/case/edit/{case.pk}/")
    assert edit.status_code == 200 and "River clean-up partnership" in edit.content.decode()


def test_a_saved_draft_does_not_change_the_public_page_until_published(client, library):
    case = Case.objects.get(slug="river-clean-up")
    case.title = "A draft title"
    revision = case.save_revision()
    assert "River clean-up partnership" in client.get("/cases/river-clean-up/").content.decode()
    revision.publish()
    assert "A draft title" in client.get("/cases/river-clean-up/").content.decode()
    assert Case.objects.get(pk=case.pk).revisions.count() == 1


def test_preview_shows_the_item_as_the_public_page_would(library):
    for obj, text in (
        (Case.objects.get(slug="river-clean-up"), "Valley Paper Mill"),
        (Tool.objects.get(slug="map-the-partners"), "Who has data?"),
        (Resource.objects.get(slug="collective-impact-2011"), "backbone"),
        (Briefing.objects.get(slug="backbone-research"), "Fund the backbone"),
    ):
        response = obj.make_preview_request()
        assert response.status_code == 200 and text in response.content.decode(), obj


def test_people_without_staff_rights_cannot_open_the_content_admin(client, library, reader):
    client.force_login(reader)
    response = client.get("/cms/snippets/library/case/")
    assert response.status_code in (302, 403)
