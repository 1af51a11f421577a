"""Zip bombs sent to the review page of a real server (uvicorn in a subprocess) are refused with
a plain message, and the server's memory stays under 300 MB (it once reached 2 GB)."""

from pathlib import Path

import pytest

from intersector.agreements.models import Review
from tests.agreements.test_zip_reader import HOSTILE, REFUSALS, fifty_page_docx
from tests.live.servers import Server, server_env
from tests.workshops.phones import database_url

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

MEMORY_CEILING_MIB = 300
CSRF = "c" * 32


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """One server for the module: the peak it reports covers every upload so far."""
    from django.db import connection

    server = Server("zip-uploads", server_env(DATABASE_URL=database_url(connection.settings_dict))).start()
    yield server
    server.stop()


@pytest.fixture
def signed_in(django_user_model):
    from django.test import Client

    client = Client()
    client.force_login(django_user_model.objects.create_user("reviewer"))
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF}


def peak_memory_mib(pid):
    """The most memory the process has held since it started (VmHWM), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc")


def send(server, headers, name, data):
    import httpx

    return httpx.post(f"{server.url}/agreements/reviews/new/", headers=headers, timeout=60,
                      data={"title": "", "form": "mou"}, files={"document": (name, data)})


@pytest.mark.parametrize("kind", REFUSALS)
def test_a_zip_bomb_is_refused_and_the_server_stays_small(server, signed_in, scorecard, kind):
    status, words = REFUSALS[kind]
    response = send(server, signed_in, "agreement.docx", HOSTILE[kind]())
    assert response.status_code == status, server.log_tail()
    html = response.text.replace("&#x27;", "'")
    assert words in html and 'name="document"' in html   # shown in the form, ready to try again
    assert not Review.objects.exists()
    peak = peak_memory_mib(server.process.pid)
    print(f"{kind}: server peak memory {peak:.0f} MiB")
    assert peak < MEMORY_CEILING_MIB, f"{kind}: the server reached {peak:.0f} MiB"


def test_a_long_word_agreement_still_goes_through_the_same_server(server, signed_in, scorecard):
    response = send(server, signed_in, "long-mou.docx", fifty_page_docx())
    assert response.status_code == 302, response.text[:500]
    assert Review.objects.get().pages >= 48
    peak = peak_memory_mib(server.process.pid)
    print(f"50-page document: server peak memory {peak:.0f} MiB")
    assert peak < MEMORY_CEILING_MIB
