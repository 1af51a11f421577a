"""Q&A on real screens, live on uvicorn: a phone asks anonymously (its typing and its tick survive a
screen reload), the facilitator approves by keyboard, other phones see the question appear and its
votes change without reloading their screen, and the projector shows the pinned question."""

import pytest

from intersector.workshops import services
from intersector.workshops.qna.models import Question
from tests.conftest import screenshot
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def server():
    from django.db import connection

    server = Server("convene-qna", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


@pytest.fixture
def workshop(django_user_model):
    facilitator = django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")
    workshop = services.create_workshop(facilitator, "Sector styles", "starter")
    services.go_to_item(workshop, workshop.items.get(title="Questions and close"))
    return workshop


def join(phone, server, workshop, name):
    phone.goto(f"{server.url}/w/{workshop.code}/")
    phone.get_by_label("Your name (as others will see it)").fill(name)
    phone.get_by_label("Government", exact=True).check()
    phone.get_by_role("button", name="Join").click()
    phone.get_by_label("Your question").wait_for()
    phone.wait_for_function("document.getElementById('live').dataset.liveState === 'live'")


def sign_in(page, server):
    page.goto(f"{server.url}/accounts/sign-in/")
    page.get_by_label("User name or e-mail address").fill("fiona")
    page.get_by_label("Password").fill("a-long-pass-phrase-42")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_ask_approve_vote_and_pin_on_live_screens(server, new_page, workshop, axe):
    asker, voter = new_page(width=360, height=740, is_mobile=True), new_page(width=360, height=740, is_mobile=True)
    join(asker, server, workshop, "Zebulon Quarrington")
    join(voter, server, workshop, "Bo")
    console = new_page(width=1280, height=900)
    sign_in(console, server)
    console.goto(f"{server.url}/convene/{workshop.pk}/")
    console.wait_for_function("document.getElementById('live').dataset.liveState === 'live'")

    # The asker types and ticks "anonymously"; a screen reload meanwhile keeps both.
    asker.get_by_label("Your question").fill("Who pays for the shared data platform?")
    asker.get_by_label("Ask anonymously", exact=False).check()
    asker.evaluate("document.dispatchEvent(new CustomEvent('live:resync', {detail: {data: {}}}))")
    asker.wait_for_timeout(500)
    assert asker.get_by_label("Your question").input_value() == "Who pays for the shared data platform?"
    assert asker.get_by_label("Ask anonymously", exact=False).is_checked()
    asker.get_by_role("button", name="Ask", exact=True).click()
    asker.get_by_text("The facilitator reads it before everyone sees it.").first.wait_for()
    asker.get_by_text("Waiting for the facilitator").first.wait_for()
    axe(asker)
    screenshot(asker, "workshops-qna-phone-waiting")
    question = Question.objects.get()
    assert question.anonymous

    # The console hears of it and the facilitator approves it by keyboard.
    approve = console.locator(f"#qna-approve-{question.pk}")
    approve.wait_for()
    assert "Zebulon" not in console.locator(".qna-console").inner_text()
    screenshot(console, "workshops-qna-console-waiting")
    approve.focus()
    console.keyboard.press("Enter")
    console.locator(f"#qna-hide-{question.pk}").wait_for()
    focused = console.evaluate("document.activeElement && document.activeElement.id")
    assert focused and focused.startswith("qna-"), focused  # the keyboard stays on that question

    # The other phone sees it appear (qna.changed), without the asker's name, and votes.
    voter.get_by_text("Who pays for the shared data platform?", exact=True).wait_for()
    assert "Zebulon" not in voter.locator("#screen").inner_text()
    vote = voter.get_by_role("button", name="Vote for “Who pays for the shared data platform?”")
    assert vote.get_attribute("aria-pressed") == "false"
    vote.click()
    voter.get_by_role("button", name="Voted for “Who pays for the shared data platform?”").wait_for()
    assert voter.get_by_role("button", name="Voted", exact=False).get_attribute("aria-pressed") == "true"
    axe(voter)
    screenshot(voter, "workshops-qna-phone-voted")

    # The asker's list catches up with the vote a few seconds later, without reloading its screen.
    asker.evaluate("window.screenMarker = document.getElementById('qna-text')")
    asker.get_by_label("Your question").fill("half-typed next question")
    asker.locator("#qna-list").get_by_text("1 vote", exact=True).wait_for(timeout=15_000)
    assert asker.evaluate("window.screenMarker === document.getElementById('qna-text')")  # the box was not redrawn
    assert asker.get_by_label("Your question").input_value() == "half-typed next question"
    question.refresh_from_db()
    assert question.votes == 1

    # Pinned, it is on the projector in large type, still without a name.
    console.locator(f"#qna-pin-{question.pk}").click()
    console.locator(f"#qna-pin-{question.pk}[aria-pressed=true]").wait_for()
    axe(console)
    screenshot(console, "workshops-qna-console")
    projector = new_page(width=1280, height=800)
    sign_in(projector, server)
    projector.goto(f"{server.url}/w/{workshop.code}/screen")
    projector.locator(".qna-pinned-big").get_by_text("Who pays for the shared data platform?").wait_for()
    assert "Zebulon" not in projector.locator("#board").inner_text()
    screenshot(projector, "workshops-qna-projector")
