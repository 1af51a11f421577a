import signal
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from intersector.agreements import services

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
FIXTURE_SCORECARD = HERE / "fixtures" / "scorecard.yaml"
REAL_SCORECARD = ROOT / "content" / "agreements" / "scorecard.yaml"
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


def load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def scorecard(db):
    """The small test scorecard: 12 elements, 2 per family."""
    version, _created = services.import_scorecard(load(FIXTURE_SCORECARD), note="test")
    return version


@pytest.fixture
def real_scorecard(db):
    version, _created = services.import_scorecard(load(REAL_SCORECARD), note="shipped")
    return version


PARTNERS = [
    {"name": "City of Riverton", "sector": "government", "representative": "Ana Ruiz",
     "alternate": "Ben Okafor"},
    {"name": "Riverton Energy", "sector": "business", "representative": "Chen Li", "alternate": ""},
    {"name": "Clean Air Now", "sector": "non-profit", "representative": "Dana Smith",
     "alternate": ""},
]


@pytest.fixture
def agreement(scorecard):
    return services.create_agreement(name="Riverton clean air", purpose="Cleaner air together.",
                                     form="mou", partners=[dict(p) for p in PARTNERS])


@pytest.fixture
def as_partner(client, django_user_model):
    """A fresh client that opened the invite link of partner number `i`."""
    from django.test import Client

    def open_as(agreement, i):
        other = Client()
        partner = agreement.partners.all()[i]
        response = other.get(f"/agreements/join/{services.invite_token(partner)}/")
        assert response.status_code == 302
        return other

    return open_as


def made_days_ago(kind, payload, days):
    """A signed link of `kind` made `days` ago, as in an old e-mail."""
    import time

    from django.core import signing

    class Then(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time() - days * 86400))

    return Then(salt=kind.purpose).sign_object(payload, compress=True)


@pytest.fixture
def run_worker():
    def run():
        saved = {number: signal.getsignal(number) for number in SIGNALS}
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload",
                         "--interval", "0", verbosity=0)
        finally:
            for number, handler in saved.items():
                signal.signal(number, handler)

    return run
