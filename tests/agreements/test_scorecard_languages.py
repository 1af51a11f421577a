"""The scorecard in Spanish: content/agreements/scorecard.es.yaml gives the words, scorecard.yaml the
keys. Both files have the same keys; the active language picks the words wherever the scorecard is
shown (the public scorecard, an agreement, the case simulation's sheet on a phone); stored scores
and keys never change with the language."""

import copy
import shutil

import pytest

from intersector.agreements import scorecard as sc
from intersector.agreements import services
from intersector.agreements.content import load_scorecard, translations
from intersector.agreements.models import ScorecardVersion
from tests.agreements.conftest import PARTNERS, REAL_SCORECARD, load

SPANISH = REAL_SCORECARD.with_name("scorecard.es.yaml")


def with_spanish():
    data = load(REAL_SCORECARD)
    data["translations"] = translations(REAL_SCORECARD)
    return data


@pytest.fixture
def bilingual(db):
    version, _created = services.import_scorecard(with_spanish(), note="shipped")
    return version


def test_the_english_and_spanish_files_have_the_same_keys_in_the_same_order():
    english, spanish = load(REAL_SCORECARD), load(SPANISH)
    assert sc.keys_of(english) == sc.keys_of(spanish)
    sc.validate_translation(english, spanish, "es")
    for family, theirs in zip(english["families"], spanish["families"]):
        assert theirs["title"] != family["title"]
        for element, words in zip(family["elements"], theirs["elements"]):
            for field in sc.TEXT_FIELDS["element"]:
                assert words.get(field, "").strip(), f"{element['key']}: no Spanish {field}"
            assert words["title"] != element["title"] and words["question"] != element["question"]
            assert set(words) <= {"key", *sc.TEXT_FIELDS["element"]}  # words only: no weights, forms or keywords


@pytest.mark.parametrize("change, problem", [
    (lambda t: t["families"][0]["elements"].pop(), "Missing: coordinator"),
    (lambda t: t["families"][1]["elements"].append({"key": "invented", "title": "X"}), "Unknown: invented"),
    (lambda t: t["families"].reverse(), "families must be, in order"),
    (lambda t: t["scale"].pop(0), "scale must have the keys"),
    (lambda t: t["families"][2]["elements"].reverse(), "family 'what' must have the elements, in order"),
])
def test_a_translation_with_other_keys_is_refused_plainly(change, problem):
    data = with_spanish()
    change(data["translations"]["es"])
    with pytest.raises(sc.ScorecardError, match=problem):
        sc.validate(data)


def test_a_card_takes_the_words_of_its_language_and_keeps_everything_else():
    data = sc.validate(with_spanish())
    english, spanish = sc.Scorecard(data, language="en"), sc.Scorecard(data, language="es")
    assert list(spanish.elements) == list(english.elements)
    representatives = spanish.elements["representatives"]
    assert representatives.title == "Representantes en cada etapa"
    assert representatives.question.startswith("¿Quién representará")
    assert representatives.keywords == english.elements["representatives"].keywords
    assert (representatives.importance, representatives.forms) == (english.elements["representatives"].importance,
                                                                  english.elements["representatives"].forms)
    assert spanish.family_by_key["what-if"].title == "¿Y si...?" and spanish.title.startswith("Tabla de evaluación")
    assert spanish.label("partially") == "Incluido en parte" and english.label("partially") == "Partially in place"
    assert [f["label"] for f in spanish.forms][1] == "Memorando de entendimiento"
    assert sc.Scorecard(data, language="fr").elements["representatives"].title == "Representatives at each stage"
    assert sc.Scorecard(data, language="es-MX").elements["vision"].title == "Visión común"


@pytest.mark.django_db
def test_adding_a_translation_updates_the_version_instead_of_making_a_new_one(tmp_path):
    (tmp_path / "agreements").mkdir()
    shutil.copy(REAL_SCORECARD, tmp_path / "agreements" / "scorecard.yaml")
    assert "version 1 created" in load_scorecard(tmp_path)
    shutil.copy(SPANISH, tmp_path / "agreements" / "scorecard.es.yaml")
    assert "translations updated (es)" in load_scorecard(tmp_path)
    assert "unchanged" in load_scorecard(tmp_path)
    assert ScorecardVersion.objects.count() == 1
    assert ScorecardVersion.objects.get().card_in("es").elements["vision"].title == "Visión común"
    # A curator's file without the translation changes nothing: the words stay.
    version, created = services.import_scorecard(load(REAL_SCORECARD))
    assert not created and version.card_in("es").elements["vision"].title == "Visión común"


@pytest.mark.django_db
def test_the_public_scorecard_shows_the_readers_language_and_keeps_the_keys(client, bilingual):
    english = client.get("/agreements/scorecard/").content.decode()
    assert "Representatives at each stage" in english and "Representantes en cada etapa" not in english
    spanish = client.get("/agreements/scorecard/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Representantes en cada etapa" in spanish and "Representatives at each stage" not in spanish
    assert "¿Qué futuro quieren construir juntos los socios?" in spanish and "Incluido en parte" in spanish
    assert 'name="rating-representatives"' in spanish  # the same keys in every language
    client.post("/agreements/scorecard/", {"rating-representatives": "fully"}, HTTP_ACCEPT_LANGUAGE="es")
    assert client.session["agree_self"]["ratings"] == {"representatives": "fully"}
    csv_text = client.get("/agreements/scorecard/self-assessment.csv", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Representantes en cada etapa" in csv_text


@pytest.mark.django_db
def test_an_agreement_shows_its_elements_in_the_readers_language(bilingual, as_partner):
    agreement = services.create_agreement(name="Riverton clean air", purpose="Cleaner air together.",
                                          form="mou", partners=[dict(p) for p in PARTNERS])
    city = as_partner(agreement, 0)
    url = f"/agreements/{agreement.pk}/write/"
    assert "Representatives at each stage" in city.get(url).content.decode()
    spanish = city.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Representantes en cada etapa" in spanish and "Representatives at each stage" not in spanish


@pytest.mark.django_db
def test_old_versions_without_a_translation_still_show(client, db):
    data = copy.deepcopy(load(REAL_SCORECARD))
    services.import_scorecard(data)
    spanish = client.get("/agreements/scorecard/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Representatives at each stage" in spanish  # its own words, rather than nothing


@pytest.mark.django_db
def test_a_curator_uploads_a_new_translation_without_making_a_new_version(client, bilingual, django_user_model):
    import yaml
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = django_user_model.objects.create_user("cora", "cora@example.org", "a-long-pass-42", is_staff=True)
    client.force_login(staff)
    download = client.get(f"/agreements/scorecard/versions/{bilingual.number}.yaml")
    data = yaml.safe_load(b"".join(download.streaming_content) if download.streaming else download.content)
    assert data["translations"]["es"]["families"][0]["elements"][0]["title"] == "Representantes en cada etapa"
    data["translations"]["es"]["families"][0]["elements"][0]["title"] = "Quién representa a cada socio"
    upload = SimpleUploadedFile("scorecard.yaml", yaml.safe_dump(data, allow_unicode=True).encode())
    answer = client.post("/agreements/scorecard/versions/", {"file": upload}, follow=True)
    assert "The translations of version 1 were updated" in answer.content.decode()
    assert ScorecardVersion.objects.count() == 1
    assert ScorecardVersion.objects.get().card_in("es").elements["representatives"].title == \
        "Quién representa a cada socio"
    data["translations"]["es"]["families"][0]["elements"].pop()
    upload = SimpleUploadedFile("scorecard.yaml", yaml.safe_dump(data, allow_unicode=True).encode())
    answer = client.post("/agreements/scorecard/versions/", {"file": upload})
    assert answer.status_code == 400 and "Missing: coordinator" in answer.content.decode()
