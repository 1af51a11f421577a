"""A workshop's texts in English and Spanish: the facilitator gives titles and phone texts in both
(the starter agenda comes in both), each phone shows them in the language it is set to (its own
switch, kept in a cookie), falling back to the other language where one is missing; the projector
follows the workshop's projector language."""

import re

import pytest
from django.test import Client

from intersector.workshops import languages, services, texts
from intersector.workshops.models import AgendaItem, Workshop
from tests.workshops.conftest import phone_for

pytestmark = pytest.mark.django_db

PROMPTS_EN = ["Culture", "Motivations and incentives", "Limitations", "Assets"]
PROMPTS_ES = ["Cultura", "Motivaciones e incentivos", "Limitaciones", "Recursos y fortalezas"]
BRAINWRITING_ES = "Estilos de los sectores: lluvia de ideas por escrito y puesta en común"


@pytest.fixture
def writing(brainwriting):
    """The starter's brainwriting, its first round open: phones show the prompts."""
    from intersector.workshops.activities.brainwriting import services as brainwriting_services

    brainwriting_services.open_round(brainwriting)
    return brainwriting


def page_of(phone, workshop, **headers):
    return phone.get(f"/w/{workshop.code}/", **headers).content.decode()


def spanish_phone(participant):
    phone = phone_for(Client, participant)
    phone.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"  # a phone whose browser is in Spanish
    return phone


def item_url(workshop, item):
    return f"/convene/{workshop.pk}/agenda/{item.pk}/"


# --- The starter agenda ----------------------------------------------------------------------


def test_the_starter_agenda_is_written_in_the_facilitators_language_and_comes_in_spanish_too(console):
    console.post("/convene/new/", {"title": "Sector styles", "template": "starter"})
    workshop = Workshop.objects.get()
    assert workshop.language == "en"
    items = list(workshop.items.all())
    assert [item.title for item in items] == [
        "Welcome: why sectors work together", "Sector styles: brainwriting and debrief", "Break",
        "Partnering agreement case simulation and report back", "Questions and close"]
    assert [item.texts["es"]["title"] for item in items] == [
        "Bienvenida: por qué los sectores trabajan juntos", BRAINWRITING_ES, "Pausa",
        "Simulación de caso: el acuerdo de colaboración y la puesta en común", "Preguntas y cierre"]
    brainwriting = workshop.items.get(kind="brainwriting")
    assert brainwriting.config["prompts"] == PROMPTS_EN and brainwriting.texts["es"]["prompts"] == PROMPTS_ES
    pause = workshop.items.get(kind="break")
    assert (pause.config["text"], pause.texts["es"]["text"]) == ("Back in fifteen minutes.", "Volvemos en quince minutos.")


def test_a_facilitator_reading_the_site_in_spanish_gets_a_workshop_written_in_spanish(console):
    console.cookies["django_language"] = "es"
    console.post("/convene/new/", {"title": "Estilos de los sectores", "template": "starter"})
    workshop = Workshop.objects.get()
    assert workshop.language == "es"
    brainwriting = workshop.items.get(kind="brainwriting")
    assert brainwriting.title == BRAINWRITING_ES and brainwriting.config["prompts"] == PROMPTS_ES
    assert brainwriting.texts["en"] == {"title": "Sector styles: brainwriting and debrief", "prompts": PROMPTS_EN}
    # The new-workshop page lists the starter agenda in the reader's language.
    assert BRAINWRITING_ES in console.get("/convene/new/").content.decode()


def test_a_new_brainwriting_item_gets_its_default_prompts_in_both_languages(workshop):
    item = services.add_item(workshop, "Another round", "brainwriting", 20)
    assert item.config["prompts"] == PROMPTS_EN and item.texts == {"es": {"prompts": PROMPTS_ES}}


# --- Phones ----------------------------------------------------------------------------------


def test_a_spanish_phone_sees_spanish_titles_and_prompts_and_an_english_one_english(workshop, writing, join_phone):
    participant, english = join_phone("Ana")
    other, _phone = join_phone("Ben")
    spanish = spanish_phone(other)
    seen_en, seen_es = page_of(english, workshop), page_of(spanish, workshop)
    assert "Sector styles: brainwriting and debrief" in seen_en and "Motivations and incentives" in seen_en
    assert BRAINWRITING_ES in seen_es and "Motivaciones e incentivos" in seen_es
    assert "Motivations and incentives" not in seen_es and "Sector styles: brainwriting" not in seen_es
    assert '<html lang="es">' in seen_es
    # The screen a phone fetches after a live event, and after its own note, is in its language too.
    assert "Recursos y fortalezas" in spanish.get(f"/w/{workshop.code}/now").content.decode()
    answer = spanish.post(f"/w/{workshop.code}/brainwriting/notes/",
                          {"text": "Mucho trámite", "prompt": "1", "about": "government", "key": "k-es-000001"},
                          HTTP_X_CONVENE="fetch")
    assert answer.status_code == 200
    assert "Mucho trámite" in answer.content.decode() and "Motivaciones e incentivos" in answer.content.decode()


def test_the_phone_switches_language_and_keeps_it_after_a_reload(workshop, writing, join_phone):
    _participant, phone = join_phone()
    page = page_of(phone, workshop)
    assert 'action="/i18n/setlang/"' in page and 'value="es" lang="es"' in page  # the switch, on the phone
    answer = phone.post("/i18n/setlang/", {"language": "es", "next": f"/w/{workshop.code}/"})
    assert answer.status_code == 302 and answer["Location"] == f"/w/{workshop.code}/"
    cookie = phone.cookies["django_language"]
    assert cookie.value == "es" and int(cookie["max-age"]) >= 300 * 24 * 3600  # not just this browser session
    assert BRAINWRITING_ES in page_of(phone, workshop)
    assert BRAINWRITING_ES in page_of(phone, workshop)  # a reload: still Spanish
    assert "Recursos y fortalezas" in phone.get(f"/w/{workshop.code}/now").content.decode()
    phone.post("/i18n/setlang/", {"language": "en", "next": f"/w/{workshop.code}/"})
    assert "Sector styles: brainwriting and debrief" in page_of(phone, workshop, HTTP_ACCEPT_LANGUAGE="es")


def test_the_rooms_shared_screen_comes_in_the_language_the_phone_switched_to(workshop, writing, join_phone):
    """After a console change phones fetch one screen for the whole room (workshops/screens.py):
    the address a phone gets with its page names its language, and that screen is in it."""
    from intersector.live import current_event_id

    _participant, phone = join_phone()
    phone.post("/i18n/setlang/", {"language": "es", "next": f"/w/{workshop.code}/"})
    address = re.search(r'data-screens="([^"]+)"', page_of(phone, workshop)).group(1)
    assert address.endswith("/es/")
    shared = phone.get(address + current_event_id(workshop.phone_topic())).content.decode()
    assert BRAINWRITING_ES in shared and "Motivaciones e incentivos" in shared and "Motivations" not in shared


def test_the_join_page_has_the_switch_and_the_workshops_title_in_the_phones_language(workshop, client):
    languages.set_workshop_languages(workshop, "Sector styles", {"es": "Estilos de los sectores"}, "")
    assert "Estilos de los sectores" in client.get(f"/w/{workshop.code}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    english = client.get(f"/w/{workshop.code}/").content.decode()
    assert "<h1>Sector styles</h1>" in english and 'action="/i18n/setlang/"' in english


def test_a_text_missing_in_spanish_falls_back_to_english_and_the_other_way_round(console, workshop, join_phone):
    pause = workshop.items.get(kind="break")
    console.post(item_url(workshop, pause), {"action": "save", "title": "Coffee", "kind": "break", "minutes": "15",
                                            "text": "Back at eleven.", "title_es": "", "text_es": ""})
    services.go_to_item(workshop, pause)
    participant, english = join_phone()
    spanish = spanish_phone(participant)
    seen = page_of(spanish, workshop)
    assert "<h1>Coffee</h1>" in seen and "Back at eleven." in seen
    # Only the Spanish text given: English phones read it rather than nothing.
    console.post(item_url(workshop, pause), {"action": "save", "title": "Coffee", "kind": "break", "minutes": "15",
                                            "text": "", "text_es": "Volvemos a las once."})
    assert "Volvemos a las once." in page_of(english, workshop)


def test_a_prompt_missing_in_spanish_falls_back_to_english_one_by_one(workshop, writing, join_phone):
    AgendaItem.objects.filter(pk=writing.pk).update(texts={"es": {"prompts": ["Cultura", "", "Limitaciones", ""]}})
    participant, _phone = join_phone()
    seen = page_of(spanish_phone(participant), workshop)
    assert "Cultura" in seen and "Motivations and incentives" in seen and "Assets" in seen


# --- The set-up forms ------------------------------------------------------------------------


def test_the_agenda_form_saves_both_languages(console, workshop, join_phone):
    item = workshop.items.get(kind="presentation")
    page = console.get(f"/convene/{workshop.pk}/agenda/").content.decode()
    assert f'name="title_es"' in page and f'id="text-{item.pk}-es"' in page and "Title (Spanish)" in page
    answer = console.post(item_url(workshop, item), {
        "action": "save", "title": "Welcome", "kind": "presentation", "minutes": "20", "text": "Listen in.",
        "title_es": "Bienvenida", "text_es": "Escuche."})
    assert answer.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.config["text"]) == ("Welcome", "Listen in.")
    assert item.texts["es"] == {"title": "Bienvenida", "text": "Escuche."}
    assert 'value="Bienvenida"' in console.get(f"/convene/{workshop.pk}/agenda/").content.decode()
    services.go_to_item(workshop, item)
    participant, _phone = join_phone()
    seen = page_of(spanish_phone(participant), workshop)
    assert "<h1>Bienvenida</h1>" in seen and "Escuche." in seen


@pytest.mark.parametrize("field, value, message", [
    ("title_es", "t" * 201, "The title in Spanish is too long: 201 characters. Please keep it under 200."),
    ("text_es", "x" * 2001, "The text on the phones in Spanish is too long: 2001 characters. Please keep it under 2000."),
    ("text", "x" * 2001, "The text on the phones is too long: 2001 characters. Please keep it under 2000."),
])
def test_overlong_text_is_refused_with_a_clear_message_and_nothing_is_saved(console, workshop, field, value, message):
    item = workshop.items.get(kind="presentation")
    before = (item.title, item.config, item.texts)
    answer = console.post(item_url(workshop, item), {
        "action": "save", "title": "Changed", "kind": "presentation", "minutes": "20", "text": "Listen.", field: value})
    assert answer.status_code == 400 and message in answer.content.decode()
    item.refresh_from_db()
    assert (item.title, item.config, item.texts) == before


def test_the_brainwriting_set_up_saves_the_prompts_in_both_languages(console, workshop, join_phone):
    item = workshop.items.get(kind="brainwriting")
    panel = console.get(f"/convene/{workshop.pk}/").content.decode()
    services.go_to_item(workshop, item)
    panel = console.get(f"/convene/{workshop.pk}/").content.decode()
    assert "Culture\nMotivations and incentives\nLimitations\nAssets</textarea>" in panel
    assert "Cultura\nMotivaciones e incentivos\nLimitaciones\nRecursos y fortalezas</textarea>" in panel
    url = f"/convene/{workshop.pk}/items/{item.pk}/brainwriting/settings/"
    form = {"prompts": "Habits\nHopes", "sectors": ["government", "business"], "mode": "blind",
            "round_minutes": "5", "votes": "3"}
    answer = console.post(url, {**form, "prompts_es": "Hábitos\nEsperanzas"})
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.config["prompts"] == ["Habits", "Hopes"] and item.texts["es"]["prompts"] == ["Hábitos", "Esperanzas"]
    from intersector.workshops.activities.brainwriting import services as brainwriting_services

    brainwriting_services.open_round(item)
    participant, _phone = join_phone()
    assert "Esperanzas" in page_of(spanish_phone(participant), workshop)
    # Not as many Spanish prompts as English ones: notes point at a prompt by its place in the list.
    answer = console.post(url, {**form, "prompts_es": "Hábitos"})
    assert answer.status_code == 400
    assert "Give the prompts in Spanish in the same order as the others, one per line: 2 prompts, not 1." in \
        answer.content.decode()
    answer = console.post(url, {**form, "prompts_es": "Hábitos\n" + "e" * 121})
    assert answer.status_code == 400 and "Keep each prompt under 120 characters" in answer.content.decode()
    item.refresh_from_db()
    assert item.texts["es"]["prompts"] == ["Hábitos", "Esperanzas"]
    # Emptied: the Spanish prompts are gone and Spanish phones read the English ones.
    console.post(url, {**form, "prompts_es": ""})
    item.refresh_from_db()
    assert "prompts" not in item.texts["es"]


def test_changing_an_items_kind_keeps_its_spanish_title(console, workshop):
    item = workshop.items.get(kind="presentation")
    console.post(item_url(workshop, item), {"action": "save", "title": "Talk", "kind": "discussion", "minutes": "20",
                                           "title_es": "Charla"})
    item.refresh_from_db()
    assert item.kind == "discussion" and item.texts["es"]["title"] == "Charla"
    assert "text" not in item.texts["es"]  # the presentation's Spanish text went with its kind


def test_a_duplicated_workshop_keeps_both_languages(console, workshop):
    languages.set_workshop_languages(workshop, "Sector styles", {"es": "Estilos de los sectores"}, texts.BOTH)
    copy = services.duplicate_workshop(workshop.created_by, Workshop.objects.get(pk=workshop.pk))
    assert (copy.language, copy.projector_language) == ("en", "both")
    assert copy.title == "Sector styles (copy)" and copy.texts == {"es": {"title": "Estilos de los sectores (copia)"}}
    assert copy.items.get(kind="break").texts["es"]["text"] == "Volvemos en quince minutos."


def test_a_copy_made_for_one_viewers_language_is_never_saved(workshop):
    item = workshop.items.get(kind="break")
    shown = texts.shown_in(item, "es")
    assert (shown.title, shown.config["text"]) == ("Pausa", "Volvemos en quince minutos.")
    assert (item.title, item.config["text"]) == ("Break", "Back in fifteen minutes.")  # the row's own: untouched
    with pytest.raises(ValueError):
        shown.save()


# --- The projector ---------------------------------------------------------------------------


def test_the_projector_follows_the_workshops_projector_language_or_shows_both(console, workshop):
    pause = workshop.items.get(kind="break")
    services.go_to_item(workshop, pause)
    screen = f"/w/{workshop.code}/screen"
    shown = console.get(screen).content.decode()
    assert "<h1>Break</h1>" in shown and "Join on your phone at" in shown
    answer = console.post(f"/convene/{workshop.pk}/languages/", {"title": "Sector styles", "title_es": "Estilos",
                                                                 "projector_language": "es"})
    assert answer.status_code == 302
    shown = console.get(screen).content.decode()
    assert "<h1>Pausa</h1>" in shown and "Volvemos en quince minutos." in shown
    assert "Únase desde su teléfono en" in shown and '<html lang="es">' in shown
    console.post(f"/convene/{workshop.pk}/languages/", {"title": "Sector styles", "projector_language": "both"})
    shown = console.get(f"/w/{workshop.code}/screen/now").content.decode()
    assert "Break / Pausa" in shown and "Back in fifteen minutes.<br><br>Volvemos en quince minutos." in shown
    bad = console.post(f"/convene/{workshop.pk}/languages/", {"title": "Sector styles", "projector_language": "fr"})
    assert bad.status_code == 400 and "Choose one of the projector&#x27;s languages" in bad.content.decode()


def test_the_projector_offers_spanish_only_when_the_workshop_has_spanish_texts(console, workshop):
    def offered():
        page = console.get(f"/convene/{workshop.pk}/agenda/").content.decode()
        select = re.search(r'<select id="projector-language".*?</select>', page, re.S).group(0)
        return re.findall(r'<option value="([^"]*)"', select)

    assert offered() == ["", "es", "both"]  # the starter workshop is given in Spanish too
    assert console.post(f"/convene/{workshop.pk}/languages/choose/", {"remove": "es"}).status_code == 302
    assert offered() == [""]  # English only: nothing else to show
    refused = console.post(f"/convene/{workshop.pk}/languages/", {"title": "Sector styles", "projector_language": "es"})
    assert refused.status_code == 400 and Workshop.objects.get(pk=workshop.pk).projector_language == ""
    both = console.post(f"/convene/{workshop.pk}/languages/", {"title": "Sector styles", "projector_language": "both"})
    assert both.status_code == 400
    # A choice made before (an older workshop set to Spanish) stays offered until changed.
    Workshop.objects.filter(pk=workshop.pk).update(projector_language="es")
    assert offered() == ["", "es"]
    assert console.post(f"/convene/{workshop.pk}/languages/", {"title": "Renamed", "projector_language": "es"}).status_code == 302


def test_the_workshops_title_form_refuses_an_overlong_spanish_title(console, workshop):
    answer = console.post(f"/convene/{workshop.pk}/languages/", {"title": "Sector styles", "title_es": "e" * 201})
    assert answer.status_code == 400 and "The title in Spanish is too long: 201 characters" in answer.content.decode()
    assert Workshop.objects.get(pk=workshop.pk).texts == {}


# --- The case simulation ---------------------------------------------------------------------


def test_a_phone_set_to_spanish_reads_the_spanish_case_pack(workshop):
    from intersector.workshops.activities.casesim.models import RoleSeat

    people = [services.join(workshop, f"Person {n}", ["government", "business", "non-profit"][n % 3]) for n in range(4)]
    services.set_table_count(workshop, 1)
    services.go_to_item(workshop, workshop.items.get(kind="casesim"))
    seated = RoleSeat.objects.filter(participant__in=people).values_list("participant", flat=True)
    reader = next(person for person in people if person.pk in set(seated))
    phone = phone_for(Client, reader)
    assert "Moving the region" in page_of(phone, workshop)
    phone.post("/i18n/setlang/", {"language": "es", "next": f"/w/{workshop.code}/"})
    seen = page_of(phone, workshop)
    assert "Mover la región" in seen and "Moving the region" not in seen
