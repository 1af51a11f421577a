import uuid

import pytest

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def own_cache(settings):
    """Each test counts sign-in failures in a fresh cache of its own."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"accounts-{uuid.uuid4()}",
        }
    }


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The real hasher is slow on purpose; the tests sign in dozens of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(django_user_model):
    def make(username="alice", email=None, password=PASSWORD, **fields):
        email = f"{username}@example.org" if email is None else email
        return django_user_model.objects.create_user(
            username=username, email=email, password=password, **fields
        )

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice", first_name="Alice", last_name="Ayala")


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")
