import signal

import pytest
from django.core.management import call_command

from intersector.workshops import services
from intersector.workshops.access import cookie_name

SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


@pytest.fixture
def run_worker():
    """Run the real database worker until the queue is empty."""

    def run():
        saved = {number: signal.getsignal(number) for number in SIGNALS}
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
        finally:
            for number, handler in saved.items():
                signal.signal(number, handler)

    return run


@pytest.fixture
def facilitator(django_user_model):
    return django_user_model.objects.create_user("fiona", "fiona@example.org", "a-long-pass-phrase-42")


@pytest.fixture
def workshop(facilitator):
    return services.create_workshop(facilitator, "Sector styles", "starter")


@pytest.fixture
def console(client, facilitator):
    client.force_login(facilitator)
    return client


@pytest.fixture
def brainwriting(workshop):
    item = workshop.items.get(kind="brainwriting")
    services.go_to_item(workshop, item)
    return item


def phone_for(client_class, participant):
    phone = client_class()
    phone.cookies[cookie_name(participant.workshop)] = services.token_for(participant)
    return phone


@pytest.fixture
def join_phone(workshop):
    from django.test import Client

    def join(name="Ana", sector="government", organisation=""):
        participant = services.join(workshop, name, sector, organisation)
        return participant, phone_for(Client, participant)

    return join


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
