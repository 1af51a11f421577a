"""Q&A's live events on a real uvicorn server: a shown question reaches every phone, the boards hear
every vote, and the phones hear of votes at most once per few seconds (then reload their list):
300 people voting must not wake 300 phones 300 times. Events carry ids only."""

import time

import pytest

from intersector.workshops import services
from tests.live.servers import Server, server_env
from tests.workshops.phones import Phone, PhoneStream, database_url

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
SPELL = 8  # seconds one votes event stands for on this test's server (long: a slow machine still fits five votes)


@pytest.fixture
def server(django_db_blocker):
    from django.db import connection

    server = Server("convene-qna-live", server_env(DATABASE_URL=database_url(connection.settings_dict),
                                                  LIVE_KEEPALIVE_SECONDS=0.5,
                                                  CONVENE_VOTES_EVENT_SECONDS=str(SPELL))).start()
    yield server
    server.stop()


@pytest.fixture
def room(facilitator):
    workshop = services.create_workshop(facilitator, "Questions", "starter")
    item = workshop.items.get(title="Questions and close")
    item.config["moderation"] = "open"
    item.save()
    services.go_to_item(workshop, item)
    return workshop


@pytest.fixture
def board_cookie(facilitator):
    from django.test import Client

    client = Client()
    client.force_login(facilitator)
    return f"sessionid={client.cookies['sessionid'].value}"


def post(phone, action, data):
    response = phone.http.post(f"/w/{phone.code}/discussion/qna/{action}/", data=data, headers={
        "X-CSRFToken": phone.http.cookies.get("csrftoken", ""), "X-Convene": "fetch"})
    assert response.status_code == 200, response.text[:300]
    return response


def test_votes_reach_the_boards_each_time_and_the_phones_once_per_spell(server, room, board_cookie):
    asker = Phone(server.url, room.code).join("Zebulon Quarrington")
    watcher = Phone(server.url, room.code).join("Watcher")
    voters = [Phone(server.url, room.code).join(f"Voter {n}") for n in range(5)]
    with watcher.stream() as phone, PhoneStream(f"{server.url}/convene/{room.pk}/live", board_cookie) as board:
        phone.until("ready")
        board.until("ready")
        post(asker, "ask", {"text": "Who pays for the data?", "anonymous": "1"})
        phone.until("qna.changed")
        board.until("qna.asked")
        question = phone.last["data"]
        question_id = board.last["data"]["question"]
        started = time.monotonic()
        for voter in voters:
            post(voter, "vote", {"question": question_id})
        assert time.monotonic() - started < SPELL, "too slow to test the spell here"
        for _vote in voters:  # the boards hear each vote
            board.until("qna.voted")
        phone.until("qna.votes")
        with pytest.raises(TimeoutError):  # one event stood for the five votes
            phone.until("qna.votes", timeout=max(0.5, SPELL - (time.monotonic() - started)))
        time.sleep(0.3)
        # The next spell brings the next event.
        post(voters[0], "vote", {"question": question_id, "action": "unvote"})
        phone.until("qna.votes", timeout=5)
        events = repr([question, phone.last, board.last])
    assert "Zebulon" not in events and "Who pays" not in events
    listing = watcher.http.get(f"/w/{room.code}/discussion/qna/list/", headers={"X-Convene": "fetch"}).text
    assert "4 votes" in listing and "Zebulon" not in listing
