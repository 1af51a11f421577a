"""Curators send a newsletter issue: preview, then a job mails each confirmed subscriber once."""

import pytest
from django.core import mail

from intersector.library.models import NewsletterDelivery, NewsletterIssue, Subscriber

URL = "/briefings/newsletter/issues/"


@pytest.fixture
def curator(client, django_user_model):
    user = django_user_model.objects.create_user("cora", "cora@example.org", "a-long-pass-phrase-42", is_staff=True)
    client.force_login(user)
    return client


@pytest.fixture
def subscribers(db):
    from django.utils import timezone

    now = timezone.now()
    return {
        "active": Subscriber.objects.create(email="reader@example.org", confirmed=now),
        "pending": Subscriber.objects.create(email="pending@example.org"),
        "gone": Subscriber.objects.create(email="gone@example.org", confirmed=now, unsubscribed=now),
    }


def run_jobs():
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


def test_only_staff_may_send_the_newsletter(client, django_user_model, library):
    assert client.get(URL).status_code == 302  # to sign in
    reader = django_user_model.objects.create_user("rita", "rita@example.org", "a-long-pass-phrase-42")
    client.force_login(reader)
    response = client.post(URL, {"action": "send", "subject": "x", "briefings": [], "key": "k" * 16})
    assert response.status_code == 302 and "sign-in" in response["Location"]
    assert not NewsletterIssue.objects.exists()


def test_the_preview_shows_the_ticked_briefings_and_new_ones_are_ticked(curator, library, subscribers):
    page = curator.get(URL).content.decode()
    assert "It goes to 1 confirmed subscriber" in page and "September round-up" in page
    assert page.count(" checked") == 3  # no issue yet: every published briefing is new
    from intersector.library.models import Briefing

    one = Briefing.objects.get(title="September round-up")
    preview = curator.post(URL, {"action": "preview", "subject": "October", "briefings": [one.pk], "key": "k" * 16})
    text = preview.content.decode()
    assert preview.status_code == 200 and "Preview" in text and "/briefings/" + one.slug in text
    assert not NewsletterIssue.objects.exists() and mail.outbox == []


def test_bad_input_gets_a_message_and_sends_nothing(curator, library, subscribers):
    assert b"Give the e-mail a subject" in curator.post(URL, {"action": "send", "subject": " ", "key": "k" * 16}).content
    refused = curator.post(URL, {"action": "send", "subject": "October", "briefings": ["999999"], "key": "k" * 16})
    assert refused.status_code == 400 and b"Tick at least one published briefing" in refused.content
    assert not NewsletterIssue.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_each_confirmed_subscriber_gets_the_issue_once(curator, library, subscribers):
    from intersector.library.models import Briefing

    ids = list(Briefing.objects.filter(live=True).values_list("pk", flat=True))
    form = {"action": "send", "subject": "October briefings", "briefings": ids, "key": "double-click-key"}
    first = curator.post(URL, form)
    second = curator.post(URL, form)  # a double click
    assert first.status_code == second.status_code == 302 and NewsletterIssue.objects.count() == 1
    mail.outbox.clear()
    run_jobs()
    issue = NewsletterIssue.objects.get()
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "October briefings" and "September round-up" in message.body
    assert "/briefings/newsletter/unsubscribe/" in message.body and "List-Unsubscribe" in message.extra_headers
    assert issue.finished is not None and issue.recipients == 1
    from intersector.library import services

    class Quiet:
        def update(self, **kwargs):
            pass

    services.deliver_issue(issue, Quiet())  # a re-run sends nothing more
    assert len(mail.outbox) == 1 and NewsletterDelivery.objects.count() == 1
    page = curator.get(URL).content.decode()
    assert "October briefings" in page and page.count(" checked") == 0  # all carried now
