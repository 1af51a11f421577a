from pathlib import Path

import json

import pytest

from intersector.api.services import create_token
from intersector.collaboratives import services

CONTENT = Path(__file__).resolve().parents[2] / "content" / "library"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The real hasher is slow on purpose, and every test here makes six accounts; no test here
    # signs in through a server in another process, which would not know this hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def toolkit(db):
    """The starter toolkit's stages and tools (content/library/toolkit.yaml), nothing else."""
    from intersector.library.content import Run, load_toolkit

    load_toolkit(CONTENT, Run())


def make_user(django_user_model, name):
    return django_user_model.objects.create_user(name, f"{name}@example.org", "a-long-pass-phrase-42")


@pytest.fixture
def people(django_user_model):
    """Accounts for every role, and two outsiders (one a convenor elsewhere)."""
    return {name: make_user(django_user_model, name)
            for name in ("convenor", "rep", "alt", "observer", "elsewhere", "stranger")}


@pytest.fixture
def collaborative(toolkit, people):
    """Air quality collaborative: two partners in two groups, each role held by an account."""
    c = services.create_collaborative(people["convenor"], name="Clean Air Compact", purpose="Cleaner air",
                                      place="River City", issue="Air quality and transport")
    business = services.add_group(c, "Business")
    health = services.add_group(c, "Health and environment")
    chamber = services.add_partner(c, name="River City Chamber", sector="business", group=business)
    lung = services.add_partner(c, name="Lung Health Alliance", sector="non-profit", group=health)
    for key, role, partner in (("rep", "representative", chamber), ("alt", "alternate", chamber),
                               ("observer", "observer", lung)):
        member = services.add_person(c, name=key.title(), email=f"{key}@example.org", role=role, partner=partner)
        member.user = people[key]
        member.save(update_fields=["user"])
    other = services.create_collaborative(people["elsewhere"], name="Parks Together")
    c.other = other
    c.chamber, c.lung = chamber, lung
    return c


@pytest.fixture
def api(client, people):
    """api(who).get(path) / .post(path, body): as that person's script (an API token)."""
    secrets = {}

    class As:
        def __init__(self, who):
            self.headers = {}
            if who is not None:
                if who not in secrets:
                    secrets[who] = create_token(people[who], "Script")[1]
                self.headers = {"Authorization": f"Bearer {secrets[who]}"}

        def get(self, path, **query):
            return client.get(path, query, headers=self.headers)

        def post(self, path, body=None):
            return client.post(path, json.dumps(body or {}), content_type="application/json", headers=self.headers)

    return As
