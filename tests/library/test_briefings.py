"""Research briefings: series, Atom feed, and a newsletter with double opt-in."""

import re
import xml.etree.ElementTree as ET

from django.core import mail

from intersector.library.models import Subscriber

ATOM = "{http://www.w3.org/2005/Atom}"


def test_briefings_can_be_filtered_by_series(client, library):
    page = client.get("/briefings/?series=research-to-practice").content.decode()
    assert "What backbone organisations do" in page and "September round-up" not in page


def test_a_research_to_practice_briefing_shows_the_article_sectors_and_takeaways(client, library):
    page = client.get("/briefings/backbone-research/").content.decode()
    for text in ("Backbone study", "R. Searcher", "Of interest to:", "Government", "Fund the backbone"):
        assert text in page


def test_the_atom_feed_lists_the_briefings_newest_first(client, library):
    response = client.get("/briefings/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles == ["September round-up", "What backbone organisations do", "Trust across sectors"]


def test_signing_up_sends_a_confirmation_link_and_subscribes_only_after_the_click(client, db):
    response = client.post("/briefings/newsletter/", {"email": "Reader@Example.org"})
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    confirm = re.search(r"http://\S+/briefings/newsletter/confirm/\S+/", message.body).group(0)
    assert re.search(r"/briefings/newsletter/unsubscribe/\S+/", message.body)
    assert "unsubscribe" in message.extra_headers["List-Unsubscribe"]
    subscriber = Subscriber.objects.get()
    assert not subscriber.is_active

    path = confirm.split("://", 1)[1].split("/", 1)[1]
    client.get("/" + path)  # opening the link (or a mail scanner opening it) confirms nothing
    subscriber.refresh_from_db()
    assert not subscriber.is_active
    assert "You are subscribed" in client.post("/" + path).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.is_active


def test_unsubscribing_from_the_link_in_the_mail(client, db):
    client.post("/briefings/newsletter/", {"email": "reader@example.org"})
    unsubscribe = re.search(r"/briefings/newsletter/unsubscribe/\S+/", mail.outbox[0].body).group(0)
    Subscriber.objects.update(confirmed="2026-01-01T00:00:00Z")
    assert "You are unsubscribed" in client.post(unsubscribe).content.decode()
    assert not Subscriber.objects.get().is_active


def test_signing_up_again_sends_no_second_mail_to_an_active_subscriber(client, db):
    client.post("/briefings/newsletter/", {"email": "reader@example.org"})
    Subscriber.objects.update(confirmed="2026-01-01T00:00:00Z")
    response = client.post("/briefings/newsletter/", {"email": "reader@example.org"})
    assert response.status_code == 200 and len(mail.outbox) == 1


def test_the_sign_up_form_cannot_flood_an_inbox(client, db):
    for _attempt in range(3):
        assert client.post("/briefings/newsletter/", {"email": "target@example.org"}).status_code == 200
    refused = client.post("/briefings/newsletter/", {"email": "Target@Example.org"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "try again in" in refused.content.decode()
    assert len(mail.outbox) == 3  # nothing sent past the limit
    # One visitor signing up many addresses is limited too.
    for number in range(6):  # the refused try above counted too: 10 tries from this address
        client.post("/briefings/newsletter/", {"email": f"other{number}@example.org"})
    assert client.post("/briefings/newsletter/", {"email": "last@example.org"}).status_code == 429
    assert len(mail.outbox) == 9


def test_a_bad_address_or_a_forged_link_gets_a_clear_answer(client, db):
    response = client.post("/briefings/newsletter/", {"email": "not-an-address"})
    assert response.status_code == 400 and "name@example.org" in response.content.decode()
    forged = client.get("/briefings/newsletter/confirm/forged-token/")
    assert forged.status_code == 404 and "copied incompletely" in forged.content.decode()
    assert client.post("/briefings/newsletter/unsubscribe/forged-token/").status_code == 404
    assert not Subscriber.objects.exists()
