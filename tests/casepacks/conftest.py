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
