"""GET /api/agreements/scorecard in English or Spanish: `?lang=es`, or the request's
Accept-Language. Only the words change: keys, importance and forms are the same in both."""

import pytest

from intersector.agreements import services
from intersector.agreements.content import translations
from tests.agreements.conftest import REAL_SCORECARD, load

URL = "/api/agreements/scorecard"


@pytest.fixture
def bilingual(db):
    data = load(REAL_SCORECARD)
    data["translations"] = translations(REAL_SCORECARD)
    version, _created = services.import_scorecard(data, note="shipped")
    return version


def shape(card):
    """Everything but the words: what must be the same in every language."""
    return ([s["key"] for s in card["scale"]], [f["key"] for f in card["forms"]],
            [(f["key"], [(e["key"], e["importance"], e["forms"]) for e in f["elements"]]) for f in card["families"]])


def test_the_scorecard_comes_in_spanish_by_lang_or_by_accept_language_with_the_same_keys(client, bilingual):
    english = client.get(URL)
    assert english.status_code == 200 and english["Content-Language"] == "en"
    english = english.json()
    assert english["language"] == "en" and english["families"][0]["title"] == "Who?"

    spanish = client.get(URL, {"lang": "es"})
    assert spanish.status_code == 200 and spanish["Content-Language"] == "es"
    spanish = spanish.json()
    assert spanish["language"] == "es"
    assert spanish["families"][0]["title"] == "¿Quién?"
    assert spanish["families"][1]["elements"][0]["question"] != english["families"][1]["elements"][0]["question"]
    assert shape(spanish) == shape(english) and spanish["version"] == english["version"]

    by_header = client.get(URL, headers={"Accept-Language": "es-MX,es;q=0.9"}).json()
    assert by_header == spanish
    # ?lang wins over the header: a script asks for what it wants.
    assert client.get(URL, {"lang": "en"}, headers={"Accept-Language": "es"}).json() == english
    assert client.get(URL, headers={"Accept-Language": "fr"}).json() == english


def test_an_unknown_language_is_refused_plainly(client, bilingual):
    response = client.get(URL, {"lang": "fr"})
    assert response.status_code == 422
    assert "lang" in response.json()["detail"]


def test_the_openapi_document_names_the_languages(client, bilingual):
    operation = client.get("/api/openapi.json").json()["paths"][URL]["get"]
    lang = next(p for p in operation["parameters"] if p["name"] == "lang")
    assert "es" in str(lang["schema"]) and "Accept-Language" in operation["description"]
