"""Agree in a real browser: a partner with an account follows the invitations on the overview,
sends one again to a corrected address (the new link is shown once and mailed), withdraws
another, and the invitee opens the new link on a phone."""

import re
from pathlib import Path

import pytest
import yaml
from django.core import mail

from intersector.agreements import invitations, services
from tests.conftest import check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture
def agreement(db, django_user_model, live_server):
    data = yaml.safe_load((ROOT / "content" / "agreements" / "scorecard.yaml").read_text())
    services.import_scorecard(data)
    ana = django_user_model.objects.create_user("ana", "ana@city.example", PASSWORD)
    agreement = services.create_agreement(
        name="Riverton clean air", purpose="Cleaner air near schools.", form="mou", partners=[
            {"name": "City of Riverton", "sector": "government", "representative": "Ana Ruiz",
             "user": ana},
            {"name": "Riverton Energy", "sector": "business", "representative": "Chen Li"},
            {"name": "Clean Air Now", "sector": "non-profit", "representative": "Dana Smith"}])
    city, energy, ngo = agreement.partners.all()
    for partner, email in ((energy, "chen@energy.exmaple"), (ngo, "dana@air.example")):
        invitations.invite_partner(agreement, partner, email=email, inviter=city, link_for=lambda t: (
            live_server.url + f"/agreements/join/{t}/"))
    return agreement


def test_a_partner_sends_an_invitation_again_and_withdraws_another(live_server, new_page, agreement):
    city = new_page()
    city.goto(live_server.url + f"/accounts/sign-in/?next=/agreements/{agreement.pk}/")
    city.get_by_label("User name or e-mail address").fill("ana")
    city.get_by_label("Password").fill(PASSWORD)
    city.get_by_role("button", name="Sign in").click()
    city.get_by_text("You are taking part as City of Riverton").wait_for()
    assert "/agreements/join/" not in city.content()
    assert "Invitation sent to chen@energy.exmaple" in city.content()
    check_accessibility(city)
    screenshot(city, "agree-overview-invitations-desktop")
    city.set_viewport_size({"width": 360, "height": 740})
    assert city.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(city, "agree-overview-invitations-phone")
    city.set_viewport_size({"width": 1280, "height": 900})

    # A typo in the address: send a new invitation to the right one.
    energy_card = city.locator(".partner-card", has_text="Riverton Energy")
    energy_card.get_by_label("E-mail for the invitation").fill("chen@energy.example")
    energy_card.get_by_role("button", name="Send a new invitation to Riverton Energy").click()
    city.get_by_text("It will not be shown again").wait_for()
    link = re.search(r"https?://\S+/agreements/join/\S+/", mail.outbox[-1].body).group(0)
    assert mail.outbox[-1].to == ["chen@energy.example"]
    assert city.get_by_label("Private invitation link for Riverton Energy").input_value() == link

    # The non-profit's invitation is withdrawn; its mailed link stops working.
    old_ngo_link = re.search(r"https?://\S+/agreements/join/\S+/", mail.outbox[1].body).group(0)
    city.get_by_role("link", name="Go to the agreement").click()
    city.get_by_role("button", name="Withdraw the invitation of Clean Air Now").click()
    city.get_by_text("The invitation is withdrawn").wait_for()
    assert "No invitation has been sent yet." in city.locator(
        ".partner-card", has_text="Clean Air Now").inner_text()

    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    assert phone.goto(old_ngo_link).status == 404
    phone.goto(link)
    phone.get_by_text("You are taking part as Riverton Energy").first.wait_for()
    city.reload()
    assert "Taking part since" in city.locator(".partner-card", has_text="Riverton Energy").inner_text()

    # The wrong person opened Energy's link (a forwarded e-mail): the City takes it back.
    energy_card = city.locator(".partner-card", has_text="Riverton Energy")
    energy_card.get_by_text("Opened by the wrong person?").click()
    check_accessibility(city)
    city.set_viewport_size({"width": 360, "height": 740})
    energy_card.scroll_into_view_if_needed()
    assert city.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(city, "agree-take-back-invitation-phone")
    city.set_viewport_size({"width": 1280, "height": 900})
    energy_card.get_by_role("button", name="Take the invitation back and send a new one to Riverton Energy").click()
    city.get_by_text("no longer sees this agreement").wait_for()
    assert mail.outbox[-1].to == ["chen@energy.example"]
    phone.reload()
    assert "Riverton clean air" not in phone.content()
