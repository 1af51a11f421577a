"""Languages in Chromium, at 360 px. A late phone on "This workshop has ended" can switch it to
Spanish like any other phone page: the switch is there, works without scripts, the page comes back
in Spanish (the workshop's Spanish title too). A facilitator adds Spanish to an old workshop from
its agenda page. Axe finds nothing on any of them."""

import pytest

from intersector.workshops import languages, services
from tests.conftest import check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ended(django_user_model):
    facilitator = django_user_model.objects.create_user("lena", "lena@example.org", "a-long-pass-phrase-42")
    workshop = services.create_workshop(facilitator, "Sector styles", language="en")
    languages.set_workshop_languages(workshop, "Sector styles", {"es": "Estilos de los sectores"}, "")
    services.next_item(workshop)
    services.end_workshop(workshop)
    return workshop


def test_the_ended_page_has_the_language_switch_at_360_px(live_server, new_page, ended):
    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True, locale="en-GB")
    response = phone.goto(f"{live_server.url}/w/{ended.code}/")
    assert response.status == 410
    assert phone.get_by_text("This workshop has ended.").is_visible()
    switch = phone.get_by_role("form", name="Language")
    assert switch.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    screenshot(phone, "lang-ended-en-360")
    check_accessibility(phone)

    with phone.expect_navigation():
        switch.get_by_role("button", name="Español").click()
    assert phone.evaluate("document.documentElement.lang") == "es"
    assert phone.get_by_role("heading", name="Estilos de los sectores").is_visible()
    assert phone.get_by_text("Este taller finalizó.").is_visible()
    assert phone.get_by_role("form", name="Idioma").get_by_role("button", name="English").is_visible()
    assert phone.get_by_role("form", name="Idioma").get_by_role("button", name="English").bounding_box()["height"] >= 24
    screenshot(phone, "lang-ended-es-360")
    check_accessibility(phone)

    # Back to English, by keyboard alone.
    phone.get_by_role("button", name="English").focus()
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert phone.get_by_role("heading", name="Sector styles").is_visible()


def test_a_facilitator_adds_spanish_to_an_old_workshop_on_a_phone_sized_screen(live_server, new_page, django_user_model):
    """A workshop made before languages existed: 'Add Spanish' on its agenda page, and the starter's
    Spanish titles are in their boxes at once; nothing wider than 360 px."""
    from django.test import Client

    from intersector.workshops.models import AgendaItem, Workshop

    user = django_user_model.objects.create_user("omar", "omar@example.org", "a-long-pass-phrase-42")
    workshop = services.create_workshop(user, "Clean air for Riverton", language="en")
    Workshop.objects.filter(pk=workshop.pk).update(other_languages=[], texts={})
    AgendaItem.objects.filter(workshop=workshop).update(texts={})
    signed_in = Client()
    signed_in.force_login(user)
    page = new_page(width=360, height=740)
    page.context.add_cookies([{"name": "sessionid", "value": signed_in.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/convene/{workshop.pk}/agenda/")
    assert page.get_by_text("in English only").is_visible()
    assert page.get_by_role("textbox", name="Title (Spanish)").count() == 0
    check_accessibility(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Add Spanish").click()
    assert page.get_by_text("This workshop is now in Spanish too").is_visible()
    titles = page.get_by_role("textbox", name="Title (Spanish)")
    assert "Bienvenida: por qué los sectores trabajan juntos" in [titles.nth(i).input_value() for i in range(titles.count())]
    assert page.get_by_role("button", name="Remove Spanish").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "lang-agenda-spanish-added-360")
    check_accessibility(page)
