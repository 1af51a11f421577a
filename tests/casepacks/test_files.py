"""A whole pack as one file: import it on /case-packs/ (every problem listed, 413 when too large,
the same key and language replaced only when asked, the version going up) and download it back
exactly as `export` writes it. Only staff allowed to edit case packs get in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from intersector import casepacks
from intersector.casepacks import library
from intersector.casepacks.models import StoredPack
from tests.casepacks.conftest import STARTER, STARTER_ES

pytestmark = pytest.mark.django_db
PAGE = "/case-packs/"


def upload(text, name="pack.yaml"):
    return SimpleUploadedFile(name, text.encode("utf-8") if isinstance(text, str) else text,
                              content_type="application/x-yaml")


def test_a_good_file_is_imported_and_downloads_as_the_same_pack(editor_client, starter_text):
    response = editor_client.post(PAGE, {"file": upload(starter_text)}, follow=True)
    assert "is imported as version 1" in response.content.decode()
    stored = StoredPack.objects.get(key="sacramento", language="en")
    assert stored.data == casepacks.to_data(casepacks.load(starter_text))
    download = editor_client.get(f"{PAGE}{stored.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="sacramento.yaml"'
    assert download["Cache-Control"] == "no-store"
    text = download.content.decode()
    assert text == casepacks.export(casepacks.load(starter_text))
    assert casepacks.load(text) == casepacks.load(starter_text)


def test_a_spanish_file_downloads_under_its_language(editor_client):
    editor_client.post(PAGE, {"file": upload(STARTER_ES.read_bytes())})
    stored = StoredPack.objects.get(language="es")
    download = editor_client.get(f"{PAGE}{stored.pk}/download/")
    assert download["Content-Disposition"] == 'attachment; filename="sacramento.es.yaml"'
    assert "Mover la región" in download.content.decode()


def test_a_bad_file_lists_every_problem_and_imports_nothing(editor_client, starter_text):
    bad = starter_text.replace("sector: business", "sector: government").replace(
        "elements: [coordinator,", "elements: [cordinator,")
    response = editor_client.post(PAGE, {"file": upload(bad)})
    assert response.status_code == 400
    text = response.content.decode().replace("&#x27;", "'")
    assert "The pack was not imported" in text
    assert "no role is in the sector 'business'" in text
    assert "'cordinator' is not an element of the scorecard. Did you mean 'coordinator'?" in text
    assert "Line " in text
    assert not StoredPack.objects.exists()
    for junk, says in ((b"\xff\xfe not text", "not UTF-8"), (b"key: [unclosed", "not readable YAML"),
                       (b"", "Choose a case pack file")):
        response = editor_client.post(PAGE, {"file": upload(junk)} if junk else {})
        assert response.status_code == 400 and says in response.content.decode(), says


def test_a_file_too_large_is_refused_with_413(editor_client, starter_text):
    big = starter_text + "#" * (casepacks.MAX_FILE_BYTES + 10)
    response = editor_client.post(PAGE, {"file": upload(big)})
    assert response.status_code == 413
    assert "a case pack may be at most 512 KB" in response.content.decode()
    assert not StoredPack.objects.exists()


def test_the_same_pack_again_is_replaced_only_when_asked_and_its_version_goes_up(editor_client,
                                                                                stored, starter_text):
    changed = starter_text.replace("You work for the city manager", "You work for the mayor")
    response = editor_client.post(PAGE, {"file": upload(changed)})
    assert response.status_code == 409
    assert "Tick" in response.content.decode() and "version will go up to 2" in response.content.decode()
    stored.refresh_from_db()
    assert stored.version == 1
    response = editor_client.post(PAGE, {"file": upload(changed), "replace": "on"}, follow=True)
    assert "is replaced; it is now version 2" in response.content.decode()
    stored.refresh_from_db()
    assert stored.version == 2 and StoredPack.objects.count() == 1
    pack = library.get_pack("sacramento")
    assert pack.version == 2 and pack.roles[0].brief.startswith("You work for the mayor")
    # The form's rows follow the file too.
    assert stored.role_rows.first().brief.startswith("You work for the mayor")
    # The same content once more changes nothing.
    response = editor_client.post(PAGE, {"file": upload(changed), "replace": "on"}, follow=True)
    assert "Nothing changed" in response.content.decode()
    stored.refresh_from_db()
    assert stored.version == 2


def test_anonymous_visitors_are_sent_to_sign_in(client, stored):
    for url in (PAGE, f"{PAGE}{stored.pk}/download/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login") + "?next=")
    response = client.post(PAGE, {"file": upload(STARTER.read_bytes()), "replace": "on"})
    assert response.status_code == 302 and StoredPack.objects.get().version == 1


def test_signed_in_people_without_the_permission_are_refused(client, stored, django_user_model,
                                                             starter_text):
    from django.contrib.auth.models import Permission

    member = django_user_model.objects.create_user("member", "m@example.org", "a-long-pass-42")
    viewer = django_user_model.objects.create_user("viewer", "v@example.org", "a-long-pass-42",
                                                   is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_storedpack"))
    staff = django_user_model.objects.create_user("staff", "s@example.org", "a-long-pass-42",
                                                  is_staff=True)
    changed = starter_text.replace("You work for the city manager", "Hijacked")
    for user in (member, staff):
        client.force_login(user)
        for url in (PAGE, f"{PAGE}{stored.pk}/download/"):
            response = client.get(url)
            assert response.status_code == 403, (user, url)
            assert "city manager" not in response.content.decode()
    for user in (member, staff, viewer):   # viewing is not importing
        client.force_login(user)
        response = client.post(PAGE, {"file": upload(changed), "replace": "on"})
        assert response.status_code == 403
    assert StoredPack.objects.get().version == 1
    client.force_login(viewer)
    assert client.get(f"{PAGE}{stored.pk}/download/").status_code == 200
    assert "Import a pack file" not in client.get(PAGE).content.decode()


def test_the_command_imports_and_exports(tmp_path, capsys, starter_text):
    call_command("casepack", "import", str(STARTER_ES))
    assert "sacramento (es): created, version 1" in capsys.readouterr().out
    call_command("casepack", "export", "sacramento", "--language", "es")
    assert capsys.readouterr().out == casepacks.export(casepacks.load_file(STARTER_ES))
    changed = tmp_path / "changed.yaml"
    changed.write_text(STARTER_ES.read_text().replace("version: 1", "version: 7"))
    call_command("casepack", "import", str(changed), "--replace")
    assert StoredPack.objects.get().version == 1     # only the version differs: nothing changed
    bad = tmp_path / "bad.yaml"
    bad.write_text(starter_text.replace("sector: business", "sector: government"))
    from django.core.management import CommandError
    with pytest.raises(CommandError, match="no role is in the sector 'business'"):
        call_command("casepack", "import", str(bad))
