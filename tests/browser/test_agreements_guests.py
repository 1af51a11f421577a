"""Agree in a real browser: a partner invites an adviser by e-mail as a commenter; the adviser
opens the mailed link on a phone, reads and comments; the partner then withdraws the invitation."""

import re
from pathlib import Path

import pytest
import yaml
from django.core import mail

from intersector.agreements import services
from tests.conftest import check_accessibility, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def agreement(db):
    data = yaml.safe_load((ROOT / "content" / "agreements" / "scorecard.yaml").read_text())
    services.import_scorecard(data)
    agreement = services.create_agreement(
        name="Riverton clean air", purpose="Cleaner air near schools.", form="mou", partners=[
            {"name": "City of Riverton", "sector": "government", "representative": "Ana Ruiz"},
            {"name": "Clean Air Now", "sector": "non-profit", "representative": "Dana Smith"}])
    services.save_element(agreement, agreement.partners.first(), "vision",
                          text="Clean air in every school by 2035.", author="Ana Ruiz")
    return agreement


def test_a_partner_invites_an_adviser_who_comments_until_the_invitation_is_withdrawn(
        live_server, new_page, agreement):
    city = new_page()
    city.goto(live_server.url + f"/agreements/join/{services.invite_token(agreement.partners.first())}/")
    city.get_by_role("link", name="People invited").click()
    city.get_by_label("Their name").fill("Lee Park")
    city.get_by_label("Their e-mail address").fill("lee@law.example")
    city.get_by_label("read the agreement and comment on it").check()
    check_accessibility(city)
    city.get_by_role("button", name="Send the invitation").click()
    city.get_by_text("Invitation sent to lee@law.example.").wait_for()
    screenshot(city, "agreements-guests-list")
    link = re.search(r"https?://\S+/agreements/guest/\S+/", mail.outbox[-1].body).group(0)

    adviser = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    adviser.goto(link)
    adviser.get_by_text("You are invited as Lee Park").wait_for()
    assert adviser.get_by_text("Clean air in every school by 2035.").is_visible()
    adviser.get_by_label("Your comment").first.fill("Please define which schools.")
    adviser.get_by_role("button", name="Add comment").first.click()
    adviser.get_by_text("Lee Park (guest): Please define which schools.").wait_for()
    check_accessibility(adviser)
    screenshot(adviser, "agreements-guest-page-phone")
    # The link was claimed by the adviser's phone: another browser is refused.
    assert new_page().goto(link).status == 403

    city.get_by_role("button", name="Withdraw the invitation of Lee Park").click()
    city.get_by_text("The invitation is withdrawn").wait_for()
    response = adviser.goto(live_server.url + f"/agreements/{agreement.pk}/")
    assert response.status == 404
