"""Fixtures of the case simulation: a starter workshop with people at tables, and its item."""

import pytest

from intersector.workshops import services
from tests.workshops.conftest import phone_for

SECTORS = ["government", "business", "non-profit"]


@pytest.fixture
def people(workshop):
    """Eight people, sectors mixed, joined in this order."""
    return [services.join(workshop, f"Person {n}", SECTORS[n % 3]) for n in range(8)]


@pytest.fixture
def simulation_item(workshop):
    return workshop.items.get(kind="casesim")


@pytest.fixture
def started(workshop, people, simulation_item):
    """Two tables, eight people seated in roles, the first phase running."""
    services.set_table_count(workshop, 2)
    services.go_to_item(workshop, simulation_item)
    simulation_item.refresh_from_db()
    return simulation_item


@pytest.fixture
def phone_of():
    from django.test import Client

    return lambda participant: phone_for(Client, participant)
