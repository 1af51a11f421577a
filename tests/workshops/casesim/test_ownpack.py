"""A facilitator brings their own (licensed) case pack to one simulation item (ownpack.py):
uploaded on the set-up, kept for that item only, never in the library or another workshop."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from intersector import casepacks
from intersector.content import CONTENT_DIR
from intersector.workshops import services
from intersector.workshops.activities.casesim import state
from intersector.workshops.activities.casesim.models import ItemPack, RoleSeat

MARKER = "LICENSED-MARKER-7731"


def licensed(language="en", title="Licensed harbour case"):
    """The Sacramento pack renamed to key "licensed-case", a marker planted in every brief."""
    from pathlib import Path

    name = "sacramento.yaml" if language == "en" else f"sacramento.{language}.yaml"
    text = (Path(CONTENT_DIR) / "simulations" / name).read_text(encoding="utf-8")
    text = text.replace("key: sacramento", "key: licensed-case", 1)
    text = re.sub(r"(?m)^title: .*$", f'title: "{title}"', text, count=1)
    text = text.replace("    brief: |-\n", f"    brief: |-\n      {MARKER} for {language}.\n")
    return text


def as_file(text, name="licensed.yaml"):
    return SimpleUploadedFile(name, text.encode("utf-8") if isinstance(text, str) else text,
                              content_type="application/x-yaml")


@pytest.fixture
def pack_text():
    text = licensed()
    casepacks.load(text)  # the file itself is a valid pack
    return text


def console_setup(console, workshop, item):
    """The console with the item current but not started: its set-up form shows."""
    workshop.current_item = item
    workshop.save()
    return console.get(f"/convene/{workshop.pk}/").content.decode()


def url(workshop, item):
    return f"/convene/{workshop.pk}/items/{item.pk}/casesim/setup/pack/"


def test_upload_choose_start_and_a_phone_gets_its_brief(console, workshop, simulation_item, people, pack_text,
                                                        phone_of):
    answer = console.post(url(workshop, simulation_item), {"file": as_file(pack_text)})
    assert answer.status_code == 302
    simulation_item.refresh_from_db()
    assert simulation_item.config["pack"] == "licensed-case"
    for page in (console_setup(console, workshop, simulation_item),
                 console.get(f"/convene/{workshop.pk}/agenda/").content.decode()):
        assert "Your own pack: Licensed harbour case (en)" in page
        assert 'enctype="multipart/form-data"' in page
        assert "uploaded by fiona" in page
        assert MARKER not in page
    assert '<option value="licensed-case" selected>' in console_setup(console, workshop, simulation_item)
    workshop.current_item = None
    workshop.save()
    # The set-up form keeps the own pack when saved again.
    assert console.post(f"/convene/{workshop.pk}/items/{simulation_item.pk}/casesim/setup/",
                        {"pack": "licensed-case", "prefer": "own", "extra": "mirror"}).status_code == 302
    services.set_table_count(workshop, 2)
    assert console.post(f"/convene/{workshop.pk}/control/", {"action": "go", "item": simulation_item.pk}).status_code == 302
    simulation = state.simulation_of(simulation_item)
    assert simulation.pack_key == "licensed-case"
    assert list(simulation.packs) == ["en"]
    seat = RoleSeat.objects.get(simulation=simulation, participant=people[0])
    phone = phone_of(people[0]).get(f"/w/{workshop.code}/").content.decode()
    assert f"{MARKER} for en." in phone
    # The facilitator's guide shows the briefs; after the start, uploading and removing are refused.
    assert MARKER in console.get(f"/convene/{workshop.pk}/items/{simulation_item.pk}/casesim/guide/").content.decode()
    assert console.post(url(workshop, simulation_item), {"file": as_file(pack_text)}).status_code == 409
    assert console.post(url(workshop, simulation_item), {"action": "remove"}).status_code == 409
    assert seat.role_key in simulation.cast


def test_a_second_language_of_the_same_pack_reaches_phones_in_that_language(console, workshop, simulation_item,
                                                                            pack_text):
    spanish = licensed("es", "Caso licenciado")
    assert console.post(url(workshop, simulation_item), {"file": as_file(pack_text)}).status_code == 302
    assert console.post(url(workshop, simulation_item), {"file": as_file(spanish, "es.yaml")}).status_code == 302
    assert sorted(ItemPack.objects.filter(item=simulation_item).values_list("language", flat=True)) == ["en", "es"]
    simulation_item.refresh_from_db()
    services.go_to_item(workshop, simulation_item)
    simulation = state.simulation_of(simulation_item)
    assert sorted(simulation.packs) == ["en", "es"]
    assert MARKER + " for es." in state.pack_data(simulation, "es")["roles"][0]["brief"]


def test_the_pack_stays_confidential(client, console, workshop, simulation_item, pack_text, django_user_model):
    from django.contrib.auth.models import Permission

    assert console.post(url(workshop, simulation_item), {"file": as_file(pack_text)}).status_code == 302
    # Staff with every case-pack permission: not in /case-packs/, nor the library.
    staff = django_user_model.objects.create_user("staff", "s@example.org", "a-long-pass-42", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_storedpack", "add_storedpack",
                                                                        "change_storedpack"]))
    client.force_login(staff)
    page = client.get("/case-packs/").content.decode()
    assert client.get("/case-packs/").status_code == 200
    assert "licensed-case" not in page and "Licensed harbour case" not in page and MARKER not in page
    from intersector.casepacks import library
    assert "licensed-case" not in {choice.key for choice in library.available_packs()}
    # Another facilitator: not in their own workshop's set-up; this workshop's URLs are 404.
    other = django_user_model.objects.create_user("otto", "o@example.org", "a-long-pass-42")
    theirs = services.create_workshop(other, "Another room", "starter")
    client.force_login(other)
    their_item = theirs.items.get(kind="casesim")
    page = console_setup(client, theirs, their_item) + client.get(f"/convene/{theirs.pk}/agenda/").content.decode()
    assert "Use your own case pack" in page
    assert "Licensed harbour case" not in page and "licensed-case" not in page and MARKER not in page
    assert client.get(f"/convene/{workshop.pk}/").status_code == 404
    assert client.post(url(workshop, simulation_item), {"file": as_file(pack_text)}).status_code == 404
    assert client.post(url(workshop, simulation_item), {"action": "remove"}).status_code == 404
    assert ItemPack.objects.filter(item=simulation_item).count() == 1
    # A phone of this workshop cannot reach the facilitator's URL.
    phone = services.join(workshop, "Kim", "business")
    from tests.workshops.conftest import phone_for
    from django.test import Client
    assert phone_for(Client, phone).post(url(workshop, simulation_item),
                                         {"file": as_file(pack_text)}).status_code in (302, 403, 404)


def test_duplicating_the_workshop_copies_the_own_pack_for_the_copy_only(console, workshop, simulation_item,
                                                                        pack_text, facilitator, django_user_model):
    from django.test import Client

    spanish = licensed("es", "Caso licenciado")
    assert console.post(url(workshop, simulation_item), {"file": as_file(pack_text)}).status_code == 302
    assert console.post(url(workshop, simulation_item), {"file": as_file(spanish, "es.yaml")}).status_code == 302
    copy = services.duplicate_workshop(facilitator, workshop)
    item = copy.items.get(kind="casesim")
    assert item.config["pack"] == "licensed-case" and item.config["own_pack"] is True
    rows = {row.language: row for row in ItemPack.objects.filter(item=item)}
    originals = {row.language: row for row in ItemPack.objects.filter(item=simulation_item)}
    assert sorted(rows) == ["en", "es"] and all(rows[lang].data == originals[lang].data for lang in rows)
    assert rows["en"].uploaded_by == facilitator
    page = console_setup(console, copy, item)
    assert "Your own pack: Licensed harbour case (en)" in page and MARKER not in page
    assert '<option value="licensed-case" selected>' in page
    # Still private: another facilitator's workshop lists nothing of it, and reaches none of the copy's pages.
    other = django_user_model.objects.create_user("otto", "o@example.org", "a-long-pass-42")
    theirs = services.create_workshop(other, "Another room", "starter")
    client = Client()
    client.force_login(other)
    their_page = console_setup(client, theirs, theirs.items.get(kind="casesim"))
    assert "licensed-case" not in their_page and "Licensed harbour case" not in their_page
    assert client.get(f"/convene/{copy.pk}/agenda/").status_code == 404
    # The copy plays the pack; removing it there leaves the original's alone.
    for n in range(6):
        services.join(copy, f"Copy {n}", ["government", "business", "non-profit"][n % 3])
    workshop_copy_item = copy.items.get(kind="casesim")
    services.go_to_item(copy, workshop_copy_item)
    simulation = state.simulation_of(workshop_copy_item)
    assert simulation.pack_key == "licensed-case" and sorted(simulation.packs) == ["en", "es"]
    assert MARKER in state.pack_data(simulation, "en")["roles"][0]["brief"]
    second = services.duplicate_workshop(facilitator, workshop)
    second_item = second.items.get(kind="casesim")
    assert console.post(url(second, second_item), {"action": "remove"}).status_code == 302
    assert ItemPack.objects.filter(item=simulation_item).count() == 2


def test_a_copy_whose_own_pack_is_gone_goes_back_to_the_library(workshop, simulation_item, facilitator):
    simulation_item.config.update(pack="licensed-case", own_pack=True)  # chosen, but its rows were lost
    simulation_item.save()
    copy = services.duplicate_workshop(facilitator, workshop)
    item = copy.items.get(kind="casesim")
    assert item.config["pack"] == state.DEFAULT_PACK and "own_pack" not in item.config


@pytest.mark.parametrize("name, content, problem", [
    ("notes.txt", "key: x", "choose a .yaml file"),
    ("latin1.yaml", "title: caf\xe9".encode("latin-1"), "not UTF-8"),
    ("broken.yaml", "key: licensed-case\ntitle: [unclosed\n", "YAML"),
    ("empty-roles.yaml", "format: intersector-case-pack/1\nkey: licensed-case\nlanguage: en\ntitle: T\n", "roles"),
])
def test_a_bad_file_lists_its_problems_on_the_set_up(console, workshop, simulation_item, name, content, problem):
    answer = console.post(url(workshop, simulation_item), {"file": as_file(content, name)})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert problem in page
    assert "This file cannot be used" in page and 'enctype="multipart/form-data"' in page
    assert not ItemPack.objects.exists()
    simulation_item.refresh_from_db()
    assert simulation_item.config["pack"] == "sacramento"


def test_no_file_is_refused(console, workshop, simulation_item):
    assert console.post(url(workshop, simulation_item), {}).status_code == 400


def test_a_too_large_file_is_refused_with_413(console, workshop, simulation_item, pack_text):
    big = pack_text + "\n# " + "x" * (casepacks.MAX_FILE_BYTES + 10) + "\n"
    answer = console.post(url(workshop, simulation_item), {"file": as_file(big)})
    assert answer.status_code == 413
    assert "KB" in answer.content.decode()


def test_the_agenda_page_uploads_and_comes_back_to_the_agenda(console, workshop, simulation_item, pack_text):
    answer = console.post(url(workshop, simulation_item), {"file": as_file(pack_text), "back": "agenda"})
    assert answer.status_code == 302 and answer["Location"].endswith(f"/agenda/#item-{simulation_item.pk}")
    bad = console.post(url(workshop, simulation_item), {"file": as_file("key: [", "x.yaml"), "back": "agenda"})
    assert bad.status_code == 400 and "Back to the agenda" in bad.content.decode()
    answer = console.post(url(workshop, simulation_item), {"action": "remove", "back": "agenda"})
    assert answer.status_code == 302 and "/agenda/" in answer["Location"]


def test_remove_goes_back_to_the_library(console, workshop, simulation_item, pack_text):
    assert console.post(url(workshop, simulation_item), {"file": as_file(pack_text)}).status_code == 302
    assert console.post(url(workshop, simulation_item), {"action": "remove"}).status_code == 302
    simulation_item.refresh_from_db()
    assert simulation_item.config["pack"] == "sacramento" and not ItemPack.objects.exists()
    assert "Your own pack:" not in console_setup(console, workshop, simulation_item)
    workshop.current_item = None
    workshop.save()
    simulation_item.refresh_from_db()
    services.go_to_item(workshop, simulation_item)
    assert state.simulation_of(simulation_item).pack_key == "sacramento"
