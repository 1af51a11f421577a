"""What the simulation asks for (casepacks.library), and the starter packs loaded by setup."""

import pytest
from django.core.management import call_command

from intersector import casepacks
from intersector.casepacks import library, services
from intersector.casepacks.library import PackMissing
from intersector.casepacks.models import StoredPack
from intersector.refusals import Refused
from tests.casepacks.conftest import STARTER, STARTER_ES

pytestmark = pytest.mark.django_db


def test_with_no_pack_in_the_database_the_starter_files_are_used():
    assert not StoredPack.objects.exists()
    choices = library.available_packs()
    assert [(c.id, c.key, c.language, c.version) for c in choices] == [
        (None, "sacramento", "en", 1), (None, "sacramento", "es", 1)]
    assert choices[1]["title"].startswith("Mover la región")
    assert library.get_pack("sacramento", "es") == casepacks.load_file(STARTER_ES)
    assert library.get_pack("sacramento") == casepacks.load_file(STARTER)
    assert set(library.pack_languages("sacramento")) == {"en", "es"}


def test_a_missing_language_falls_back_to_another_one_and_a_missing_key_is_a_404():
    assert library.get_pack("sacramento", "fr").language == "en"
    with pytest.raises(PackMissing) as missing:
        library.get_pack("harbour")
    assert isinstance(missing.value, Refused) and missing.value.status == 404
    assert isinstance(missing.value, LookupError)
    assert library.pack_languages("harbour") == {}


def test_stored_packs_are_what_the_simulation_gets(stored):
    choices = library.available_packs()
    assert [(c.id, c.key, c.language, c.title) for c in choices] == [
        (stored.pk, "sacramento", "en", stored.title)]
    # Only the English pack is stored: Spanish phones fall back to it.
    assert library.get_pack("sacramento", "es").language == "en"
    assert set(library.pack_languages("sacramento")) == {"en"}
    services.store(casepacks.load_file(STARTER_ES))
    languages = library.pack_languages("sacramento")
    assert set(languages) == {"en", "es"}
    assert languages["es"].roles[0].key == languages["en"].roles[0].key
    assert languages["es"].roles[0].brief != languages["en"].roles[0].brief


def test_an_edited_pack_is_read_again_at_its_new_version(stored, starter_text):
    assert library.get_pack("sacramento").title.startswith("Moving the region")
    pack = casepacks.load(starter_text.replace("Moving the region", "Moving the valley"))
    services.store(pack, replace=True)
    got = library.get_pack("sacramento")
    assert got.title.startswith("Moving the valley") and got.version == 2


def test_setup_loads_the_starter_packs_once_and_keeps_staff_edits(starter_text):
    call_command("load_content")
    assert sorted(StoredPack.objects.values_list("language", "version", "starter")) == [
        ("en", 1, True), ("es", 1, True)]
    english = StoredPack.objects.get(language="en")
    assert english.data == casepacks.to_data(casepacks.load(starter_text))
    assert english.role_rows.count() == 15
    # Staff change the English pack and delete the Spanish one.
    services.store(casepacks.load(starter_text.replace("Moving the region", "Our region")),
                   replace=True)
    StoredPack.objects.filter(language="es").delete()
    call_command("load_content")
    assert list(StoredPack.objects.values_list("language", "title")) == [
        ("en", "Our region: a partnering agreement for transportation and clean air")]


def test_a_pack_staff_imported_before_setup_is_left_as_it_is(starter_text):
    services.store(casepacks.load(starter_text.replace("Moving the region", "Imported")))
    call_command("load_content")
    english = StoredPack.objects.get(language="en")
    assert english.title.startswith("Imported") and not english.starter
    assert StoredPack.objects.filter(language="es", starter=True).exists()
