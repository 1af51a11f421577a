import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client

from intersector.api.models import ApiToken
from intersector.api.services import revoke_token
from intersector.jobs.services import job_progress, start_job
from tests.api.conftest import bearer
from tests.jobs import tasks

pytestmark = pytest.mark.django_db


# --- Description and docs ---------------------------------------------------------------------


def test_openapi_description_is_served_and_lists_who_am_i(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Intersector API"
    assert "/api/me" in schema["paths"] and "/api/jobs/{id}" in schema["paths"]
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["TokenAuth"].items()


def test_docs_page_loads_nothing_from_other_sites(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    script_sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    assert all(src.startswith("/static/") for src in script_sources), script_sources
    assert "cdn" not in html.lower()
    assert "<script>" not in html, "no inline scripts under our Content-Security-Policy"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    if apps.is_installed("ninja"):
        assert "/static/ninja/swagger-ui-bundle" in html
    else:
        assert 'href="/api/openapi.json"' in html


def test_api_root_points_to_the_description(client):
    response = client.get("/api/")
    assert response.status_code == 200
    assert response.json()["openapi_url"] == "/api/openapi.json"


# --- Signing in: tokens and sessions ----------------------------------------------------------


def test_a_script_with_a_token_is_recognised(client, alice, alice_secret):
    response = client.get("/api/me", headers=bearer(alice_secret))
    assert response.status_code == 200
    assert response.json() == {
        "username": "alice", "name": "Alice Ng", "email": "alice@example.org", "is_staff": False,
    }
    assert ApiToken.objects.get(user=alice).last_used is not None


def test_a_signed_in_browser_is_recognised(client, bob):
    client.force_login(bob)
    response = client.get("/api/me")
    assert response.status_code == 200
    assert response.json()["username"] == "bob"


def test_without_credentials_the_answer_is_a_plain_401(client):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Authorization: Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer isk_wrong", "Bearer ", "Basic YWxpY2U6cHc=", "isk_x"])
def test_a_wrong_token_is_refused(client, alice_secret, header):
    response = client.get("/api/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_wrong_token_is_refused_even_from_a_signed_in_browser(client, alice):
    client.force_login(alice)
    response = client.get("/api/me", headers=bearer("isk_revoked_or_mistyped"))
    assert response.status_code == 401
    assert "token is not valid" in response.json()["detail"]


def test_a_revoked_token_is_refused(client, alice, alice_secret):
    assert client.get("/api/me", headers=bearer(alice_secret)).status_code == 200
    revoke_token(ApiToken.objects.get(user=alice))
    assert client.get("/api/me", headers=bearer(alice_secret)).status_code == 401


def test_a_deactivated_persons_token_is_refused(client, alice, alice_secret):
    alice.is_active = False
    alice.save()
    assert client.get("/api/me", headers=bearer(alice_secret)).status_code == 401


@pytest.mark.urls("tests.api.csrf_urls")
def test_a_browser_session_must_send_the_csrf_token_to_change_things(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    refused = browser.post("/api/echo")
    assert refused.status_code == 403
    assert "security token" in refused.json()["detail"]

    browser.cookies["csrftoken"] = "a" * 32
    accepted = browser.post("/api/echo", headers={"X-CSRFToken": "a" * 32})
    assert accepted.status_code == 200 and accepted.json() == {"username": "alice"}


@pytest.mark.urls("tests.api.csrf_urls")
def test_a_script_with_a_token_needs_no_csrf_token(alice_secret):
    script = Client(enforce_csrf_checks=True)
    response = script.post("/api/echo", headers=bearer(alice_secret))
    assert response.status_code == 200 and response.json() == {"username": "alice"}


# --- Errors are JSON --------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/nothing-here", "/api/me/", "/api/jobs/", "/api/a/b/c"])
def test_unknown_api_addresses_answer_with_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_a_wrong_method_answers_with_a_json_405(client, alice_secret):
    response = client.post("/api/me", headers=bearer(alice_secret))
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert "POST" in response.json()["detail"]


def test_an_invalid_job_id_gets_a_readable_422(client, alice_secret):
    response = client.get("/api/jobs/not-an-id", headers=bearer(alice_secret))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Some of what you sent is not valid.")
    assert "must be an id like" in body["detail"]
    assert body["errors"][0]["field"] == "id" and body["errors"][0]["where"] == "path"


# --- Jobs -------------------------------------------------------------------------------------


def test_the_owner_reads_a_jobs_progress(client, alice, alice_secret):
    job = start_job(tasks.count_to, label="Counting", owner=alice, n=4)
    with job_progress(job.pk) as progress:
        progress.update(done=1, total=4, message="One", force=True)
        response = client.get(f"/api/jobs/{job.pk}", headers=bearer(alice_secret))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["done"], body["total"]) == (str(job.pk), "running", 1, 4)
    assert body["message"] == "One" and body["url"] == f"/jobs/{job.pk}/"


def test_another_persons_job_is_not_found(client, alice, bob, alice_secret):
    job = start_job(tasks.count_to, label="Bob's private job", owner=bob, n=1)
    response = client.get(f"/api/jobs/{job.pk}", headers=bearer(alice_secret))
    assert response.status_code == 404 and response.json() == {"detail": "We could not find that job."}
    assert "Bob" not in response.content.decode()
    unknown = client.get("/api/jobs/00000000-0000-4000-8000-000000000000", headers=bearer(alice_secret))
    assert unknown.status_code == 404 and unknown.json() == response.json()


def test_staff_read_any_jobs_progress(client, bob, django_user_model):
    job = start_job(tasks.count_to, label="Bob's job", owner=bob, n=1)
    staff = django_user_model.objects.create_user("staff", "staff@example.org", is_staff=True)
    client.force_login(staff)
    assert client.get(f"/api/jobs/{job.pk}").json()["label"] == "Bob's job"


def test_job_progress_needs_credentials(client, bob):
    job = start_job(tasks.count_to, label="Bob's job", owner=bob, n=1)
    assert client.get(f"/api/jobs/{job.pk}").status_code == 401


def test_last_used_is_not_rewritten_on_every_call(client, alice, alice_secret):
    client.get("/api/me", headers=bearer(alice_secret))
    token = ApiToken.objects.get(user=alice)
    first = token.last_used
    client.get("/api/me", headers=bearer(alice_secret))
    token.refresh_from_db()
    assert token.last_used == first
    ApiToken.objects.filter(pk=token.pk).update(last_used=first - timedelta(hours=1))
    client.get("/api/me", headers=bearer(alice_secret))
    token.refresh_from_db()
    assert token.last_used > first - timedelta(minutes=1)
