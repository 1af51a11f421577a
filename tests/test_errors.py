"""Bad input and missing pages get a friendly page with the right status, never a traceback."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_unknown_page_gets_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert 'href="/"' in html
    assert "Traceback" not in html


def test_wrong_method_gets_a_friendly_405(client):
    response = client.post("/")
    assert response.status_code == 405
    assert "That action is not possible here" in response.content.decode()
    assert "GET" in response["Allow"]


@pytest.mark.django_db
def test_oversized_body_gets_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/accounts/sign-in/", {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert "too much to send" in response.content.decode()


@pytest.mark.django_db
def test_form_without_csrf_token_gets_a_friendly_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/sign-in/", {"username": "someone", "password": "pw"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form expired" in html
    assert "CSRF cookie not set" not in html


@pytest.mark.django_db
def test_server_error_shows_no_internals(settings):
    settings.ROOT_URLCONF = "tests.urls_errors"
    client = Client(raise_request_exception=False)
    response = client.get("/test-broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "secret internal detail" not in html
    assert "Traceback" not in html
