from pathlib import Path

import pytest

from intersector import casepacks

ROOT = Path(__file__).resolve().parent.parent.parent
STARTER = ROOT / "content" / "simulations" / "sacramento.yaml"
STARTER_ES = ROOT / "content" / "simulations" / "sacramento.es.yaml"


@pytest.fixture(scope="session")
def starter_text():
    return STARTER.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def starter(starter_text):
    return casepacks.load(starter_text)


# --- Stored packs (the database, /cms/, import and export) ----------------------------------

PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture
def editor(django_user_model):
    """Staff allowed to edit case packs, as an administrator would set them up in /cms/."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", "editor@example.org", PASSWORD,
                                                 is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="casepacks", codename__endswith="storedpack"))
    user.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin",
                                                     codename="access_admin"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def stored(db):
    """The English starter pack, stored as an import would store it."""
    from intersector.casepacks import services

    return services.store(casepacks.load_file(STARTER))[0]
