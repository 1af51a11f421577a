"""Dot votes, scores, the charter's rules and a decision made live in a workshop, in a real browser.

The convenor links the charter and sees its rules on the new-proposal form, opens a dot vote and
puts it to the room of a Convene workshop; the representative, on a 360-px phone, joins the
workshop, signs in from the phone, places too many dots (told, nothing lost), then spreads her
dots; the projector and the console show the standing result; the convenor closes the voting from
the console and the log's history names the workshop. A score is voted on a phone too. Every page
is checked with axe."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from intersector.collaboratives import decisions
from tests.browser.collaborate_steps import PASSWORD, clean_air_compact
from tests.conftest import check_accessibility, screenshot
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]



def shot(page, name):
    return screenshot(page, name)


@pytest.fixture
def server():
    from django.db import connection

    server = Server("decision-kinds-browser", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


def sign_in(page, url, username, then):
    page.goto(url + "/accounts/sign-in/?next=" + then)
    page.get_by_label("User name or e-mail address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + then)


def fits(page, width=360):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def compact(django_user_model):
    from intersector.agreements import services as agree
    from intersector.agreements.models import ElementText
    import yaml

    card = Path(__file__).resolve().parents[1] / "agreements" / "fixtures" / "scorecard.yaml"
    agree.import_scorecard(yaml.safe_load(card.read_text(encoding="utf-8")), note="test")
    c, users = clean_air_compact(django_user_model)
    carla = users["carla"]
    charter = agree.create_agreement(
        name="Clean Air Charter", purpose="How we work together.", form="mou", created_by=carla,
        partners=[{"name": "River City", "sector": "government", "representative": "Carla", "user": carla},
                  {"name": "Chamber", "sector": "business", "representative": "Dana"}])
    ElementText.objects.create(agreement=charter, element="decision-making",
                               text="Partners decide by consensus; if none is reached, a two-thirds majority vote "
                                    "decides. A quorum is half of the partners.")
    return c


def test_a_dot_vote_made_live_in_a_workshop_lands_in_the_log(server, new_page, compact):
    url = server.url
    log = f"/collaborate/{compact.slug}/decisions/"
    desk = new_page()
    desk.set_default_timeout(20_000)
    sign_in(desk, url, "carla", f"/collaborate/{compact.slug}/")
    desk.get_by_label("Link one of your agreements").select_option(label="Clean Air Charter")
    desk.get_by_role("button", name="Link as the charter").click()
    desk.goto(url + log + "new/")
    desk.get_by_text("read from its charter “Clean Air Charter”").wait_for()
    assert desk.get_by_role("radio", name="Consent").is_checked()
    check_accessibility(desk)
    shot(desk, "decision-new-rules-from-charter")
    desk.get_by_label("Title").fill("First project")
    desk.get_by_label("The proposal").fill("Which projects should the partners start with this year?")
    desk.get_by_role("radio", name="Dot vote").check()
    desk.get_by_label("Options (for a vote, dot vote or score), one a line").fill(
        "Bus lanes on Main Street\nTree planting near schools\nClean buses for the city fleet")
    desk.get_by_label("Dots for each voter (dot vote)").fill("3")
    desk.get_by_label("Voting closes").fill((timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT17:00"))
    desk.get_by_role("button", name="Open the proposal for votes").click()
    desk.get_by_text("The proposal is open for votes.").wait_for()
    decision_url = desk.url

    # A workshop with a decision item; the convenor chooses the dot vote and runs the item.
    from intersector.workshops import services as convene

    workshop = convene.create_workshop(compact.created_by, "Partners' meeting", "starter")
    item = convene.add_item(workshop, "Decide the first project", "decision", 10)
    desk.goto(f"{url}/convene/{workshop.pk}/agenda/")
    desk.get_by_role("link", name="Choose the decision to put to the room").click()
    desk.get_by_role("radio", name="First project").check()
    check_accessibility(desk)
    shot(desk, "decision-item-choose")
    desk.get_by_role("button", name="Put this decision to the room").click()
    desk.get_by_text("“First project” will be put to the room.").wait_for()
    item.refresh_from_db()  # its decision was chosen in the browser
    convene.go_to_item(workshop, item)

    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    phone.set_default_timeout(20_000)
    phone.goto(f"{url}/w/{workshop.code}/")
    phone.get_by_label("Your name (as others will see it)").fill("Dana")
    phone.get_by_label("Business").check()
    phone.get_by_role("button", name="Join").click()
    phone.get_by_text("Which projects should the partners start with this year?").wait_for()
    fits(phone)
    check_accessibility(phone)
    shot(phone, "decision-item-phone")
    phone.get_by_role("link", name="Vote as yourself").click()
    phone.get_by_label("User name or e-mail address").fill("dana")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_text("Spread your 3 dots over the options").wait_for()
    phone.get_by_label("Bus lanes on Main Street").fill("3")
    phone.get_by_label("Clean buses for the city fleet").fill("1")
    phone.get_by_role("button", name="Vote").click()
    phone.get_by_text("You placed 4 dots but have 3: take 1 off.").wait_for()
    assert phone.get_by_label("Bus lanes on Main Street").input_value() == "3"  # nothing lost
    fits(phone)
    check_accessibility(phone)
    shot(phone, "decision-item-vote-over-budget")
    phone.get_by_label("Bus lanes on Main Street").fill("2")
    phone.get_by_role("button", name="Vote").click()
    phone.get_by_text("Your vote is counted for River City Chamber.").wait_for()
    phone.get_by_text("An option carries so far").first.wait_for()
    fits(phone)
    check_accessibility(phone)
    shot(phone, "decision-item-voted-phone")

    projector = new_page(width=1280, height=720)
    projector.set_default_timeout(20_000)
    sign_in(projector, url, "carla", f"/w/{workshop.code}/screen")
    projector.get_by_text("1 of 2 took part").wait_for()
    shot(projector, "decision-item-projector")

    desk.goto(f"{url}/convene/{workshop.pk}/")
    desk.get_by_text("An option carries so far").wait_for()
    check_accessibility(desk)
    shot(desk, "decision-item-console")
    desk.get_by_role("button", name="Close the voting now").click()
    desk.get_by_text("Closed: Carried").first.wait_for()
    desk.goto(decision_url)
    desk.get_by_text("Put to the room in the workshop “Partners' meeting”.").wait_for()
    desk.get_by_text("Dana Ortiz voted in the workshop “Partners' meeting”.").wait_for()
    desk.get_by_text("The voting closed in the workshop “Partners' meeting”.").wait_for()
    check_accessibility(desk)
    shot(desk, "decision-item-log")
    phone.goto(f"{url}/w/{workshop.code}/")
    phone.get_by_text("Closed: Carried: Bus lanes on Main Street").wait_for()
    fits(phone)


def test_a_score_on_a_phone_refuses_an_out_of_range_score(server, new_page, compact):
    decision = decisions.open_decision(compact, None, title="Rate the sites", text="How good is each site?",
                                       kind="score", options=["North yard", "River park by the old mill"],
                                       closes_at=timezone.now() + timedelta(days=3))
    phone = new_page(width=360, height=740, is_mobile=True, has_touch=True)
    phone.set_default_timeout(20_000)
    sign_in(phone, server.url, "dana", decision.get_absolute_url())
    phone.get_by_label("North yard").fill("4")
    phone.get_by_label("River park by the old mill").fill("9")
    # The browser's own check would stop a 9; the server's answer is what is tested here.
    phone.evaluate("document.querySelectorAll('input[type=number]').forEach(i => i.removeAttribute('max'))")
    phone.get_by_role("button", name="Vote").click()
    phone.get_by_text("Score every option from 1 to 5: River park by the old mill").wait_for()
    assert phone.get_by_label("North yard").input_value() == "4"
    phone.get_by_label("River park by the old mill").fill("5")
    phone.get_by_role("button", name="Vote").click()
    phone.get_by_text("Your vote is counted for River City Chamber.").wait_for()
    phone.get_by_text("Average score of each option (1 to 5):").first.wait_for()
    fits(phone)
    check_accessibility(phone)
    shot(phone, "decision-score-phone")
