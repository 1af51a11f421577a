"""publish(): sent only after the change is saved, never for a change that was undone."""

import logging

import pytest
from django.conf import settings as django_settings
from django.db import transaction

from intersector.live import current_event_id, publish
from intersector.live.backends import get_backend
from tests.live.servers import MEMORY_BACKEND, REDIS_BACKEND


@pytest.fixture
def memory(settings):
    settings.LIVE_BACKEND = MEMORY_BACKEND  # a fresh in-process backend for this test
    return get_backend()


def sent(backend, topic):
    """Every event the topic has had (the test buffer is never full)."""
    start = f"{backend.read(topic, None).epoch}-0"
    return [(e.event, e.data) for e in backend.read(topic, start).events]


@pytest.mark.django_db(transaction=True)
def test_an_event_is_sent_only_once_the_transaction_commits(memory, topic):
    with transaction.atomic():
        publish(topic, "note.added", {"note": 7})
        assert sent(memory, topic) == []  # the note is not saved yet: nobody may hear of it
    assert sent(memory, topic) == [("note.added", {"note": 7})]


@pytest.mark.django_db(transaction=True)
def test_an_event_in_a_rolled_back_transaction_is_never_sent(memory, topic):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            publish(topic, "note.added", {"note": 7})
            raise RuntimeError("the save failed")
    assert sent(memory, topic) == []


@pytest.mark.django_db(transaction=True)
def test_an_event_in_a_rolled_back_savepoint_is_dropped_but_the_rest_is_sent(memory, topic):
    with transaction.atomic():
        publish(topic, "note.added", {"note": 1})
        try:
            with transaction.atomic():
                publish(topic, "note.added", {"note": 2})
                raise RuntimeError("this part failed")
        except RuntimeError:
            pass
    assert sent(memory, topic) == [("note.added", {"note": 1})]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_event_is_sent_at_once(memory, topic):
    publish(topic, "note.added")
    assert sent(memory, topic) == [("note.added", {})]
    assert current_event_id(topic).endswith("-1")


@pytest.mark.django_db(transaction=True)
def test_the_data_sent_is_a_copy_taken_when_publishing(memory, topic):
    data = {"note": 1}
    publish(topic, "note.added", data)
    data["note"] = 2
    assert sent(memory, topic) == [("note.added", {"note": 1})]


@pytest.mark.parametrize(
    "topic_name, event, data, error",
    [
        ("has space", "note.added", None, ValueError),
        ("", "note.added", None, ValueError),
        ("workshop:1", "Note Added", None, ValueError),
        ("workshop:1", "bad\nname", None, ValueError),
        ("workshop:1", "resync", None, ValueError),
        ("workshop:1", "ready", None, ValueError),
        ("workshop:1", "note.added", ["not", "a", "dict"], TypeError),
        ("workshop:1", "note.added", {"when": object()}, TypeError),
        ("workshop:1", "note.added", {"text": "x" * 5000}, ValueError),
    ],
)
def test_mistakes_in_a_publish_call_are_reported_at_once(memory, topic_name, event, data, error):
    with pytest.raises(error):
        publish(topic_name, event, data)


@pytest.mark.django_db(transaction=True)
def test_a_live_backend_that_is_down_does_not_break_the_save(settings, topic, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.LIVE_BACKEND = REDIS_BACKEND
    with caplog.at_level(logging.WARNING, logger="intersector.live"):
        publish(topic, "note.added", {"note": 1})
        assert current_event_id(topic) == ""
    assert "was not sent" in caplog.text


def test_the_site_does_not_gzip_responses_so_streams_are_not_buffered():
    assert "django.middleware.gzip.GZipMiddleware" not in django_settings.MIDDLEWARE
