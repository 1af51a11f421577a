import signal

import pytest
from django.core.management import call_command

SIGNALS = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])


@pytest.fixture
def run_worker():
    """Run the real database worker until the queue is empty."""

    def run():
        # The worker installs its own signal handlers; give pytest its Ctrl+C back afterwards.
        saved = {number: signal.getsignal(number) for number in SIGNALS}
        try:
            call_command(
                "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0",
                verbosity=0,
            )
        finally:
            for number, handler in saved.items():
                signal.signal(number, handler)

    return run


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user("owner", "owner@example.org")


@pytest.fixture
def stranger(django_user_model):
    return django_user_model.objects.create_user("stranger", "stranger@example.org")
