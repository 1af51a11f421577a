"""schemathesis over /api/openapi.json, with and without an API token: requests the schema allows
and requests it forbids, a bounded number of each per route, against the site's real WSGI app in
this process (same database as the test). No server error, and every answer as the schema says."""

import os
import re

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import given
from schemathesis import GenerationMode
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.security.fuzz import bounded, run_each, same_connection_for_requests

pytestmark = pytest.mark.django_db

# Rules a JSON schema cannot state: they join two fields, depend on the clock, on the decision a
# vote is for (its kind, its options, its dots), or on what else the collaborative holds (its
# partners, people, results). Each is said in its route's description; a request the schema
# allows may be refused by one of them with a 400 saying just that, and by nothing else.
RULES_BEYOND_THE_SCHEMA = {
    "POST /api/collaboratives/{slug}/members": [
        r"The end date comes before the start date\.",
        r"Choose the partner this person takes part for\.",
    ],
    "POST /api/collaboratives/{slug}/decisions": [
        r"The closing time has passed: choose a time in the future\.",
        r"A vote, a dot vote or a score needs at least two options, one a line\.",
        r"Two options are the same: make each one different\.",
        r"A threshold in thirds is 0, 1, 2 or 3 thirds\.",
        r"No option can have more than all the votes: choose a lower threshold\.",
    ],
    "POST /api/collaboratives/{slug}/decisions/{decision_id}/votes": [
        r"Choose agree, abstain or object\.",
        r"Say why you object: the others need the reason to answer it\.",
        r"Choose one of the options\.",
        r"Choose among this decision's options\.",
        r"Write the dots on .+ as a whole number, 0 or more\.",
        r"You placed \d+ dots but have \d+: take \d+ off\.",
        r"Place at least one dot on an option\.",
        r"Score every option from 1 to 5: .+ has no score in that range\.",
    ],
    "POST /api/collaboratives/{slug}/decisions/{decision_id}/outcome": [
        r"The review date has passed: choose a date from today on\.",
    ],
    "POST /api/collaboratives/{slug}/commitments": [
        r"The date \S+ has passed: choose today or a later date\.",
        r"Say who commits: a partner, a person, or both\.",
        r"Choose a partner and a person of this collaborative\.",
        r".+ takes part for .+, not for .+: choose one of .+'s people, or leave the person blank\.",
    ],
    "POST /api/collaboratives/{slug}/commitments/{commitment_id}/due": [
        r"Choose today or a later date\.",
    ],
    "POST /api/collaboratives/{slug}/results": [
        r"Choose one of this collaborative's results\.",
        r"Choose one of this collaborative's decisions\.",
        r"Results nest at most \d+ levels deep: add this one to a result higher up\.",
        r"A result with progress has started: choose On track, At risk or Off track as its status, or set its "
        r"progress to 0\.",
    ],
    "POST /api/collaboratives/{slug}/results/{result_id}": [
        r"A result with progress has started: choose On track, At risk or Off track as its status, or set its "
        r"progress to 0\.",
    ],
    "POST /api/collaboratives/{slug}/indicators": [
        r"The target is the same as the baseline: give the figure you aim for\.",
        r"The target date comes before the baseline date\.",
    ],
    "POST /api/collaboratives/{slug}/indicators/{indicator_id}/actuals": [
        r"That date is in the future: a figure is recorded once it is measured\.",
    ],
    # What the uploaded CSV file says (spreadsheets.read_upload, network_files.import_ties).
    "POST /api/collaboratives/{slug}/network/{wave_number}/import": [
        r"This file is empty\.",
        r"This file is not text we can read\. Save it as CSV \(UTF-8\) and try again\.",
        r"The first line must name the columns .+",
        r"This file is not valid CSV: .+",
        r"This file has its column names but no rows\.",
        r"Nothing was imported: .+",
    ],
}


def accepted_or_refused_by_a_stated_rule(ctx, response, case):
    """schemathesis's 'valid data is accepted', but for a 400 from a rule listed above."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        rules = RULES_BEYOND_THE_SCHEMA.get(case.operation.label, [])
        detail = response.json().get("detail") if response.status_code == 400 else None
        if isinstance(detail, str) and any(re.fullmatch(rule, detail) for rule in rules):
            return None
        raise


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

            @bounded(examples=int(os.environ.get("FUZZ_EXAMPLES", "25")))
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                cache.clear()  # a fresh count of wrong tokens, so each example reaches the route
                # Every check schemathesis has: not a server error, status codes, content types,
                # response bodies and headers as documented, valid data accepted, invalid refused.
                case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance],
                                       additional_checks=[accepted_or_refused_by_a_stated_rule])

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
