"""Every API route read from /api/openapi.json: its parameters refuse control characters and
invisible-only text with a JSON 400 naming them, and the schema says what each route accepts."""

import json
from urllib.parse import quote, urlencode

import pytest

from intersector.inputs import TEXT_PATTERN
from tests.security.helpers import INVISIBLE_ONLY, bad_text, expect_refusal, says_field, send, text_of

pytestmark = pytest.mark.django_db


def operations(site):
    schema = site.clients["stranger"].get("/api/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation, schema


def real_values(site):
    return {"id": str(site.job.pk)}


def address(site, path, parameters, replace=None):
    """The operation's address with its path parameters filled in (one replaced by `replace`)."""
    values = {**real_values(site), **(replace or {})}
    for parameter in parameters:
        if parameter["in"] == "path":
            path = path.replace("{%s}" % parameter["name"], quote(values.get(parameter["name"], "1"), safe=""))
    return path


def callers(site):
    return [("without a token", {}), ("with a token", {"HTTP_AUTHORIZATION": f"Bearer {site.api_secret}"})]


def test_every_api_parameter_refuses_control_characters_and_invisible_only_text(site):
    problems, checked = [], 0
    for i, (path, method, operation, _schema) in enumerate(operations(site)):
        parameters = operation.get("parameters", [])
        for parameter in parameters:
            name, where = parameter["name"], parameter["in"]
            for value, invisible in ((bad_text(i), False), (INVISIBLE_ONLY, True)):
                for who, headers in callers(site):
                    if where == "path":
                        url = address(site, path, parameters, {name: value})
                    else:
                        url = f"{address(site, path, parameters)}?{urlencode({name: value})}"
                    response = send(site.clients["stranger"], method, url, problems, **headers)
                    checked += 1
                    if where == "path" and invisible:
                        continue  # not refused in an address; it must just not break (send checks)
                    if where == "path":
                        expect_refusal(response, f"{url} {who}", problems,
                                       lambda r: "The address contains" in text_of(r), "about the address")
                    else:
                        expect_refusal(response, f"{url} {who}", problems,
                                       lambda r: says_field(r, name, invisible), f"naming “{name}”")
    assert checked > 20
    assert not problems, "\n".join(problems)


def body_for(operation, schema, value):
    """A JSON body with `value` in every text property of the operation's request body, if any."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return None
    body_schema = content["schema"]
    while "$ref" in body_schema:
        body_schema = schema["components"]["schemas"][body_schema["$ref"].rsplit("/", 1)[-1]]
    return {name: value for name, prop in body_schema.get("properties", {}).items()
            if prop.get("type") == "string"}


def test_every_api_body_refuses_control_characters(site):
    problems = []
    for i, (path, method, operation, schema) in enumerate(operations(site)):
        body = body_for(operation, schema, bad_text(i))
        if not body:
            continue
        url = address(site, path, operation.get("parameters", []))
        for who, headers in callers(site):
            response = send(site.clients["stranger"], method, url, problems,
                            data=json.dumps(body), content_type="application/json", **headers)
            expect_refusal(response, f"{url} {who}", problems,
                           lambda r: "contains a character that cannot be saved" in text_of(r), "about the body")
    assert not problems, "\n".join(problems)


def test_the_schema_says_every_route_may_refuse_text_and_which_text_it_takes(site):
    for path, method, operation, _schema in operations(site):
        assert "400" in operation["responses"], f"{method} {path} does not document its 400"
        if operation.get("security"):
            assert "429" in operation["responses"], f"{method} {path}: too many wrong tokens"
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            texts = [schema] + [schema.get("items", {})]
            for text in texts:
                # A choice among fixed words (an enum) already says exactly which text it takes.
                if text.get("type") == "string" and "format" not in text and "enum" not in text:
                    assert text.get("pattern") == TEXT_PATTERN, (
                        f"{method} {path} “{parameter['name']}”: declare it with "
                        "intersector.api.routers.params.Text, the text the site accepts")


@pytest.mark.parametrize("listing", ["/api/cases", "/api/resources"])
def test_the_page_number_starts_at_1_in_the_schema_as_in_the_route(site, listing):
    schema = site.clients["stranger"].get("/api/openapi.json").json()
    page = next(p for p in schema["paths"][listing]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["minimum"] == 1
    refused = site.clients["stranger"].get(listing, {"page": 0})
    assert refused.status_code == 422 and "page" in refused.json()["detail"]
    assert site.clients["stranger"].get(listing, {"page": 1}).status_code == 200


def test_the_filters_the_listings_read_are_in_the_schema(site):
    schema = site.clients["stranger"].get("/api/openapi.json").json()
    names = {path: {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
             for path in ("/api/cases", "/api/resources", "/api/toolkit")}
    assert names["/api/cases"] >= {"q", "sort", "page", "page_size", "issue", "state", "sector", "model", "tool"}
    assert names["/api/resources"] >= {"q", "sort", "page", "page_size", "type", "sector", "model", "issue"}
    assert names["/api/toolkit"] >= {"q", "stage"}
    cases = site.clients["stranger"].get("/api/cases", {"sector": ["government", "business"]})
    assert cases.status_code == 200
