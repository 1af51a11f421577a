"""A phone switches the workshop to Spanish in Chromium: the titles and prompts the facilitator gave
in both languages follow it, after a reload and on every screen the live stream brings; a phone
whose browser is in Spanish gets Spanish from the start. Screens at 360 px in both languages."""

import httpx
import pytest
from django.urls import reverse

from intersector.workshops import languages, services
from tests.conftest import check_accessibility, screenshot
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]
CSRF = "l" * 32
WELCOME_ES = "Bienvenida: por qué los sectores trabajan juntos"
BRAINWRITING_ES = "Estilos de los sectores: lluvia de ideas por escrito y puesta en común"


@pytest.fixture
def server():
    from django.db import connection

    server = Server("convene-languages", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


@pytest.fixture
def workshop(django_user_model):
    facilitator = django_user_model.objects.create_user("lena", "lena@example.org", "a-long-pass-phrase-42")
    workshop = services.create_workshop(facilitator, "Sector styles", language="en")
    languages.set_workshop_languages(workshop, "Sector styles", {"es": "Estilos de los sectores"}, "")
    services.next_item(workshop)  # the welcome talk
    return workshop


def console_post(server, workshop, path, data):
    """A facilitator's button, from outside the browser (their signed-in session's cookie)."""
    from django.test import Client

    board = Client()
    board.force_login(workshop.facilitators.get().user)
    response = httpx.post(f"{server.url}{path}", data=data, timeout=10, headers={
        "Cookie": f"sessionid={board.cookies['sessionid'].value}; csrftoken={CSRF}", "X-CSRFToken": CSRF})
    assert response.status_code in (200, 302), response.text[:300]


def join(phone, server, workshop, name, sector):
    phone.goto(f"{server.url}/w/{workshop.code}/")
    phone.get_by_role("textbox").first.fill(name)
    phone.get_by_role("radio", name=sector).check()
    phone.locator("form[method=post] button[type=submit]").last.click()
    phone.locator("#screen-content").wait_for()


def test_a_phone_switches_to_spanish_and_keeps_it_through_reloads_and_live_changes(server, new_page, workshop):
    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True, locale="en-GB")
    phone.set_default_timeout(20_000)
    join(phone, server, workshop, "Ana", "Government")
    assert phone.get_by_role("heading", name="Welcome: why sectors work together").is_visible()
    assert phone.get_by_role("form", name="Language").is_visible()
    screenshot(phone, "languages-phone-en")
    check_accessibility(phone)

    with phone.expect_navigation():
        phone.get_by_role("button", name="Español").click()
    assert phone.evaluate("document.documentElement.lang") == "es"
    assert phone.get_by_role("heading", name=WELCOME_ES).is_visible()
    assert phone.get_by_role("button", name="English").is_visible()
    assert phone.get_by_text("Escuche con atención").is_visible()
    screenshot(phone, "languages-phone-es")
    check_accessibility(phone)

    phone.reload()
    assert phone.get_by_role("heading", name=WELCOME_ES).is_visible()

    # The facilitator moves on and opens a round: the screens the stream brings are in Spanish too.
    phone.wait_for_function("document.getElementById('live').dataset.liveState === 'live'")
    console_post(server, workshop, reverse("workshops:control", args=[workshop.pk]), {"action": "next"})
    phone.get_by_role("heading", name=BRAINWRITING_ES).wait_for()
    item = workshop.items.get(kind="brainwriting")
    console_post(server, workshop, reverse("workshops:brainwriting:round", args=[workshop.pk, item.pk]),
                 {"action": "open"})
    prompts = phone.locator("#note-prompt")
    prompts.wait_for()
    assert prompts.locator("option").all_inner_texts() == [
        "Cultura", "Motivaciones e incentivos", "Limitaciones", "Recursos y fortalezas"]
    screenshot(phone, "languages-phone-es-brainwriting")
    check_accessibility(phone)

    with phone.expect_navigation():
        phone.get_by_role("button", name="English").click()
    assert phone.get_by_role("heading", name="Sector styles: brainwriting and debrief").is_visible()
    assert "Motivations and incentives" in prompts.locator("option").all_inner_texts()
    screenshot(phone, "languages-phone-en-brainwriting")


def test_a_phone_whose_browser_is_in_spanish_joins_in_spanish(server, new_page, workshop):
    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True, locale="es-ES")
    phone.set_default_timeout(20_000)
    phone.goto(f"{server.url}/w/{workshop.code}/")
    assert phone.get_by_role("heading", name="Estilos de los sectores").is_visible()
    screenshot(phone, "languages-join-es")
    check_accessibility(phone)
    join(phone, server, workshop, "Beto", "Empresas")
    assert phone.get_by_role("heading", name=WELCOME_ES).is_visible()


def sign_in(page, server):
    page.goto(f"{server.url}/accounts/sign-in/")
    page.get_by_label("User name or e-mail address").fill("lena")
    page.get_by_label("Password").fill("a-long-pass-phrase-42")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_the_facilitator_gives_a_spanish_text_and_the_projector_shows_both(server, new_page, workshop):
    console = new_page(width=1280, height=900)
    console.set_default_timeout(20_000)
    sign_in(console, server)
    console.goto(f"{server.url}/convene/{workshop.pk}/agenda/")
    item = workshop.items.get(kind="presentation")  # the welcome talk, running
    welcome = console.locator(f"#item-{item.pk}")
    welcome.get_by_label("Text on the phones (Spanish)").fill("Escuche: el teléfono cambia solo.")
    welcome.get_by_role("button", name="Save").click()
    console.wait_for_load_state()
    item.refresh_from_db()
    assert item.texts["es"]["text"] == "Escuche: el teléfono cambia solo."
    screenshot(console, "languages-agenda-desktop")
    check_accessibility(console)

    console.get_by_label("Language of the projector").select_option("both")
    console.get_by_role("button", name="Save title and languages").click()
    console.wait_for_load_state()
    projector = new_page(width=1280, height=720)
    projector.set_default_timeout(20_000)
    sign_in(projector, server)
    projector.goto(f"{server.url}/w/{workshop.code}/screen")
    assert projector.get_by_role("heading", name=f"Welcome: why sectors work together / {WELCOME_ES}").is_visible()
    assert projector.get_by_text("Escuche: el teléfono cambia solo.").is_visible()
    screenshot(projector, "languages-projector-both")

    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True, locale="es-ES")
    phone.set_default_timeout(20_000)
    join(phone, server, workshop, "Beto", "Empresas")
    assert phone.get_by_text("Escuche: el teléfono cambia solo.").is_visible()

    # The brainwriting set-up on the console: the prompts in each language, one box each.
    console_post(server, workshop, reverse("workshops:control", args=[workshop.pk]), {"action": "next"})
    console.goto(f"{server.url}/convene/{workshop.pk}/")
    console.get_by_text("Set-up: prompts, sectors, mode, round length, votes").click()
    spanish = console.get_by_label("Prompts in Spanish (optional): one per line, in the same order")
    assert spanish.input_value() == "Cultura\nMotivaciones e incentivos\nLimitaciones\nRecursos y fortalezas"
    spanish.fill("Cultura\nMotivaciones\nLimitaciones\nRecursos")
    console.get_by_role("button", name="Save set-up").click()
    console.wait_for_load_state()
    assert workshop.items.get(kind="brainwriting").texts["es"]["prompts"][1] == "Motivaciones"
    console.get_by_text("Set-up: prompts, sectors, mode, round length, votes").click()
    console.locator("#bw-setup").screenshot(path=str(screenshot(console, "languages-console-setup").with_name(
        "languages-console-setup-form.png")))
