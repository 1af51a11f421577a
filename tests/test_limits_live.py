"""Through a real uvicorn, started with the command line `make run` uses (intersector/serve.py):
the visitor's address is decided by the site (TRUSTED_PROXIES), never by uvicorn."""

import httpx
import pytest

from intersector.serve import uvicorn_command

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture
def servers(django_user_model):
    from django.db import connection

    from tests.live.servers import Server, server_env, start_servers
    from tests.workshops.phones import database_url

    django_user_model.objects.create_user("alice", "alice@example.org", PASSWORD)
    database = database_url(connection.settings_dict)
    direct = Server("limits-direct", server_env(DATABASE_URL=database, TRUSTED_PROXIES=0))
    proxied = Server("limits-proxied", server_env(DATABASE_URL=database, TRUSTED_PROXIES=1))
    start_servers(direct, proxied)
    yield direct, proxied
    direct.stop()
    proxied.stop()


def sign_in(server, password, forwarded_for):
    """One visitor's attempt: the form first (for its CSRF cookie), then the post."""
    with httpx.Client(base_url=server.url, timeout=30) as http:
        http.get("/accounts/sign-in/")
        return http.post(
            "/accounts/sign-in/", data={"username": "alice", "password": password},
            headers={"X-CSRFToken": http.cookies["csrftoken"], "X-Forwarded-For": forwarded_for},
        )


def test_the_test_servers_run_the_command_line_of_make_run():
    command = uvicorn_command("127.0.0.1", 8000)
    assert "--no-proxy-headers" in command and "--proxy-headers" not in command


def test_x_forwarded_for_neither_dodges_limits_nor_locks_out_the_owner(servers):
    direct, proxied = servers

    # No proxy in front: whatever a client writes in X-Forwarded-For over loopback, it is
    # still the one address 127.0.0.1, paused after five wrong passwords.
    for n in range(5):
        assert sign_in(direct, "guess", f"198.51.100.{n}").status_code == 400
    refused = sign_in(direct, PASSWORD, "192.0.2.1")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 800
    assert "signing in is paused" in refused.text

    # One proxy in front: the hop it wrote (the right one) is the visitor. A stranger's ten
    # wrong passwords pause the stranger, even when the stranger writes the owner's address
    # on the left; the owner, elsewhere, signs in.
    codes = [sign_in(proxied, "guess", "203.0.113.9").status_code for _ in range(10)]
    assert codes == [400] * 5 + [429] * 5
    assert sign_in(proxied, PASSWORD, "192.0.2.1, 203.0.113.9").status_code == 429
    assert sign_in(proxied, PASSWORD, "192.0.2.1").status_code == 302
