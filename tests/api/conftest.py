import pytest

from intersector.api.services import create_token


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(
        "alice", "alice@example.org", first_name="Alice", last_name="Ng"
    )


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", "bob@example.org")


@pytest.fixture
def alice_secret(alice):
    token, secret = create_token(alice, "Report script")
    return secret


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}
