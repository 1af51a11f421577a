"""A workshop's languages everywhere a person reads it: every phone page has the language switch;
the results page, its PDF and its CSV downloads follow the reader's language; a facilitator gives
any workshop (an old one, an English-only one) a second language from its agenda page."""

import pytest
from django.test import Client

from intersector.workshops import languages, services

pytestmark = pytest.mark.django_db

SWITCH = 'class="phone-language"'


def test_every_phone_page_has_the_language_switch(workshop, client, join_phone):
    assert SWITCH in client.get(f"/w/{workshop.code}/").content.decode()  # join
    ana, first = join_phone("Ana")
    assert SWITCH in first.get(f"/w/{workshop.code}/").content.decode()  # the screen

    # "Is this you?" after joining with the same name, and the page that waits for a yes.
    second = Client()
    same = second.post(f"/w/{workshop.code}/", {"display_name": "Ana", "sector": "government"})
    assert "Is this you?" in same.content.decode() and SWITCH in same.content.decode()
    second.post(f"/w/{workshop.code}/rejoin/ask", {"participant": ana.pk, "display_name": "Ana", "sector": "government"})
    waiting = second.get(f"/w/{workshop.code}/rejoin/")
    assert "Waiting for a yes" in waiting.content.decode() and SWITCH in waiting.content.decode()

    # A pause on the screen, and the end for someone who comes late.
    services.go_to_item(workshop, workshop.items.get(kind="break"))
    assert SWITCH in first.get(f"/w/{workshop.code}/").content.decode()
    services.end_workshop(workshop)
    late = Client().get(f"/w/{workshop.code}/")
    assert late.status_code == 410 and SWITCH in late.content.decode() and 'value="es"' in late.content.decode()


# --- Results, PDF and CSV in the reader's language ------------------------------------------------

BRAINWRITING_EN = "Sector styles: brainwriting and debrief"
BRAINWRITING_ES = "Estilos de los sectores: lluvia de ideas por escrito y puesta en común"


def in_spanish(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"  # what the site's language switch keeps
    return client


@pytest.fixture
def written(workshop, brainwriting, console, join_phone):
    """A workshop written in English with the starter's Spanish, one note on the 'Assets' prompt,
    and one item added later in English only."""
    languages.set_workshop_languages(workshop, "Sector styles", {"es": "Estilos de los sectores"}, "")
    services.add_item(workshop, "Closing words", "break", 5)
    console.post(f"/convene/{workshop.pk}/items/{brainwriting.pk}/brainwriting/round/", {"action": "open"})
    _ana, phone = join_phone()
    response = phone.post(f"/w/{workshop.code}/brainwriting/notes/", {"text": "Plenty of land", "key": "key-lang-0001",
                                                                      "prompt": 3, "about": "government"},
                          HTTP_X_CONVENE="fetch")
    assert response.status_code == 200
    return workshop


def test_the_results_page_follows_the_readers_language(written, console):
    english = console.get(f"/convene/{written.pk}/results/").content.decode()
    assert "Results: Sector styles" in english and BRAINWRITING_EN in english and BRAINWRITING_ES not in english

    spanish = in_spanish(console).get(f"/convene/{written.pk}/results/").content.decode()
    assert "Resultados: Estilos de los sectores" in spanish
    assert BRAINWRITING_ES in spanish and BRAINWRITING_EN not in spanish
    assert "Closing words" in spanish  # given in English only: shown in English, plainly
    assert "Plenty of land" in spanish  # what people wrote is never translated


def test_the_csv_downloads_follow_the_readers_language(written, console):
    import csv
    import io

    def rows(client):
        response = client.get(f"/convene/{written.pk}/exports/brainwriting/notes.csv")
        assert response.status_code == 200
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    english = rows(console)
    assert english[1][:3] == [BRAINWRITING_EN, "1", "Assets"]
    spanish = rows(in_spanish(console))
    assert spanish[0][:3] == ["actividad", "ronda", "indicación"] or spanish[0][0] == "actividad"
    assert spanish[1][:3] == [BRAINWRITING_ES, "1", "Recursos y fortalezas"]
    assert spanish[1][7] == "Plenty of land"


@pytest.mark.django_db(transaction=True)
def test_the_pdf_report_comes_in_the_language_of_whoever_asked(written, console, run_worker):
    import subprocess

    in_spanish(console).post(f"/convene/{written.pk}/report/")
    run_worker()
    report = written.reports.get()
    pdf = console.get(f"/convene/{written.pk}/report/{report.pk}.pdf")
    assert pdf.status_code == 200
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True,
                                   check=True).stdout.decode().split())
    assert "Estilos de los sectores" in text and BRAINWRITING_ES in text and "Código para unirse" in text
    assert "Closing words" in text and BRAINWRITING_EN not in text and "Join code" not in text
    # The results page says which language each PDF is in.
    from django.conf import settings

    console.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "(Spanish)</li>" in console.get(f"/convene/{written.pk}/results/").content.decode()


# --- Giving any workshop a second language from its agenda page ------------------------------------

WELCOME_EN = "Welcome: why sectors work together"
WELCOME_ES = "Bienvenida: por qué los sectores trabajan juntos"


@pytest.fixture
def old_workshop(workshop):
    """A workshop as one made before languages existed: its texts in English only."""
    from intersector.workshops.models import AgendaItem, Workshop

    Workshop.objects.filter(pk=workshop.pk).update(other_languages=[], texts={})
    AgendaItem.objects.filter(workshop=workshop).update(texts={})
    workshop.refresh_from_db()
    return workshop


def test_an_old_workshop_is_given_spanish_from_its_agenda_page(old_workshop, console, join_phone):
    workshop = old_workshop
    agenda = f"/convene/{workshop.pk}/agenda/"
    choose = f"/convene/{workshop.pk}/languages/choose/"
    brainwriting = workshop.items.get(kind="brainwriting")
    talk = workshop.items.get(title=WELCOME_EN)
    # The facilitator had renamed one starter item: that one gets no starter Spanish.
    discussion = workshop.items.filter(kind="discussion").first()
    services.update_item(discussion, "Our own talk", "discussion", discussion.minutes)
    services.go_to_item(workshop, talk)
    _ana, phone = join_phone()
    in_spanish(phone)
    assert WELCOME_EN in phone.get(f"/w/{workshop.code}/").content.decode()  # English only so far

    page = console.get(agenda).content.decode()
    assert "in English only" in page and 'name="add" value="es"' in page and 'name="title_es"' not in page

    added = console.post(choose, {"add": "es"})
    assert added.status_code == 302 and added["Location"].endswith("#languages")
    page = console.get(agenda).content.decode()
    assert 'name="remove" value="es"' in page and 'name="title_es"' in page
    assert f'value="{BRAINWRITING_ES}"' in page  # the starter's Spanish, filled in
    brainwriting.refresh_from_db()
    assert brainwriting.texts["es"]["prompts"] == ["Cultura", "Motivaciones e incentivos", "Limitaciones",
                                                   "Recursos y fortalezas"]
    discussion.refresh_from_db()
    assert "title" not in (discussion.texts.get("es") or {})
    assert WELCOME_ES in phone.get(f"/w/{workshop.code}/").content.decode()

    # The facilitator writes their own Spanish, then takes Spanish away: phones get English again,
    # and what was written is kept; added again, it comes back as it was typed.
    console.post(f"/convene/{workshop.pk}/agenda/{talk.pk}/", {"title": WELCOME_EN, "kind": talk.kind,
                                                               "minutes": talk.minutes, "title_es": "Hola a todos"})
    assert "Hola a todos" in phone.get(f"/w/{workshop.code}/").content.decode()
    assert console.post(choose, {"remove": "es"}).status_code == 302
    assert WELCOME_EN in phone.get(f"/w/{workshop.code}/").content.decode()
    page = console.get(agenda).content.decode()
    assert 'name="title_es"' not in page and 'name="add" value="es"' in page
    console.post(choose, {"add": "es"})
    screen = phone.get(f"/w/{workshop.code}/").content.decode()
    assert "Hola a todos" in screen and WELCOME_ES not in screen


@pytest.mark.parametrize("data, problem", [
    ({"add": "fr"}, "Choose one of the languages offered."),
    ({"add": "en"}, "Choose one of the languages offered."),  # its own language
    ({"add": "es"}, "Choose one of the languages offered."),  # given already
    ({"remove": "de"}, "This workshop is not given in that language."),
    ({}, "This workshop is not given in that language."),
])
def test_a_language_that_cannot_be_added_or_removed_is_refused_plainly(workshop, console, data, problem):
    response = console.post(f"/convene/{workshop.pk}/languages/choose/", data)
    assert response.status_code == 400 and problem in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.other_languages == ["es"]


def test_the_migration_gives_each_workshop_the_languages_it_has_texts_in(workshop, facilitator):
    import importlib

    from django.apps import apps

    from intersector.workshops.models import AgendaItem, Workshop

    migration = importlib.import_module("intersector.workshops.migrations.0007_workshop_other_languages")
    old = services.create_workshop(facilitator, "Before languages", "starter")
    AgendaItem.objects.filter(workshop=old).update(texts={})
    Workshop.objects.update(other_languages=[])
    migration.given_languages(apps, None)
    assert Workshop.objects.get(pk=workshop.pk).other_languages == ["es"]  # its starter items' Spanish
    assert Workshop.objects.get(pk=old.pk).other_languages == []
