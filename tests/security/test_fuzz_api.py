"""schemathesis over /api/openapi.json, with and without an API token: requests the schema allows
and requests it forbids, a bounded number of each per route, against the site's real WSGI app in
this process (same database as the test). No server error, and every answer as the schema says."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import given
from schemathesis import GenerationMode

from tests.security.fuzz import bounded, run_each, same_connection_for_requests

pytestmark = pytest.mark.django_db


def secured(site):
    """The operations that read the caller's token; the others answer everyone alike."""
    schema = site.clients["stranger"].get("/api/openapi.json").json()
    return {f"{method.upper()} {path}" for path, methods in schema["paths"].items()
            for method, operation in methods.items() if operation.get("security")}


def runs(schema, headers, only=None):
    for result in schema.get_all_operations():
        operation = result.ok()
        if only is not None and operation.label not in only:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @bounded(examples=25)
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                cache.clear()  # a fresh count of wrong tokens, so each example reaches the route
                # Every check schemathesis has: not a server error, status codes, content types,
                # response bodies and headers as documented, valid data accepted, invalid refused.
                case.call_and_validate(headers=headers)

            yield f"{operation.label} ({mode.value}, {'with' if headers else 'without'} a token)", run


def test_the_api_answers_every_request_as_its_schema_says_with_and_without_a_token(site):
    token = {"Authorization": f"Bearer {site.api_secret}"}
    with_token = secured(site)
    assert {"GET /api/me", "GET /api/jobs/{id}"} <= with_token
    with same_connection_for_requests():
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
        assert len(list(schema.get_all_operations())) >= 6
        failures = run_each(runs(schema, {}))
        failures += run_each(runs(schema, token, only=with_token))
    assert not failures, "\n\n".join(failures)
