from pathlib import Path

import pytest

from intersector.library import similar
from intersector.library.content import load_library

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each test starts with no sign-ups counted against the one test address."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def library(db):
    """The small test library from tests/library/fixtures (3 cases, 3 tools, 2 resources, 3 briefings)."""
    similar.forget()
    summary = load_library(FIXTURES)
    # What the background job started by loading does (it runs on commit, which these
    # rolled-back tests never reach; test_similar_jobs.py runs the real job).
    similar.store_missing_vectors()
    yield summary
    similar.forget()


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_user("curator", "curator@example.org", "a-long-password-1", is_staff=True)


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader", "reader@example.org", "a-long-password-1")


@pytest.fixture
def run_worker():
    """Run the real database worker until the queue is empty."""
    import signal

    from django.core.management import call_command

    numbers = [signal.SIGINT, signal.SIGTERM]

    def run():
        saved = {number: signal.getsignal(number) for number in numbers}
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
        finally:
            for number, handler in saved.items():
                signal.signal(number, handler)

    return run
