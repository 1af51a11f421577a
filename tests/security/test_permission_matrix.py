"""Every workshop, job and agreement address, every API token page and API route, asked by every
kind of visitor: the holder gets in, everyone else gets a 404, 403, 401 or the sign-in page, and
nobody's private words (planted as markers) ever reach anyone else.

The addresses come from the URL resolver and /api/openapi.json, so a new one is covered by
default: it fails here until it has a rule in permission_rules.py.
"""

import functools
import json

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.permission_rules import LOGIN, NAMESPACES, RULES, VARIANTS
from tests.security.permission_world import PERSONAS, SIGNED_IN, VISIBLE_TO, build

pytestmark = pytest.mark.django_db

# Rules whose holders' empty POST undoes what others need (a withdrawn guest, a deleted note, an
# ended workshop): last, in this order.
LAST = ("agreements:guest_revoke", "workshops:brainwriting:delete_note", "workshops:person", "workshops:end")


# --- The addresses ---------------------------------------------------------------------------


@functools.cache
def site_addresses():
    """{url name: its parameters} for every address in NAMESPACES, from the resolver itself."""
    found = {}

    def walk(patterns, namespace, params):
        for pattern in patterns:
            converters = set(getattr(pattern.pattern, "converters", {}))
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern.url_patterns, inner, params | converters)
            elif isinstance(pattern, URLPattern) and namespace.split(":")[0] in NAMESPACES:  # with kinds' own
                found[f"{namespace}:{pattern.name}"] = params | converters

    walk(get_resolver().url_patterns, "", set())
    return found


def api_operations(client):
    """{"GET /api/me": path template, ...} as the API describes itself."""
    spec = client.get("/api/openapi.json").json()
    return {f"{method.upper()} {path}": path for path, operations in spec["paths"].items()
            for method in operations}


def test_every_address_has_a_rule(client):
    addresses = set(site_addresses()) | set(api_operations(client))
    assert not sorted(addresses - RULES.keys()), (
        "Addresses nobody has said who may use (add a rule to tests/security/permission_rules.py): "
        f"{sorted(addresses - RULES.keys())}")
    assert not sorted(RULES.keys() - addresses), f"Rules for addresses that are gone: {sorted(RULES.keys() - addresses)}"


def url_for(name, rule, world, overrides=None, templates=None):
    overrides = {**rule.fixed, **(overrides or {})}
    if " " in name:  # an API operation
        path = templates[name]
        for key, value in world.ids.items():
            path = path.replace("{" + key + "}", str(value))
        return path
    values = {param: overrides[param] if param in overrides else world.ids[rule.params.get(param, param)]
              for param in site_addresses()[name]}
    return reverse(name, kwargs=values)


# --- Asking and judging ----------------------------------------------------------------------


def outcome(response):
    """The status, with a redirect to the sign-in page called LOGIN."""
    if response.status_code == 302 and response["Location"].startswith(reverse("accounts:login") + "?next="):
        return LOGIN
    return response.status_code


def expected(rule, persona, method):
    if method not in rule.methods:
        return 405
    if method != "GET" and persona in rule.expect_post:
        return rule.expect_post[persona]
    if persona in rule.expect:
        return rule.expect[persona]
    if persona in rule.holders:
        return 200 if method == "GET" else "in"
    return rule.others if persona in SIGNED_IN else rule.anonymous


def body_of(response):
    if response.get("Content-Type", "").startswith("text/event-stream"):
        return b""  # a live stream never ends: its status says enough (its generator never starts)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def leaks(response, persona, world):
    """The private words in this response that this persona must never see."""
    text = body_of(response).decode("utf-8", errors="replace")
    found = []
    for marker, allowed in VISIBLE_TO.items():
        if marker in text:
            (found if persona not in allowed else world.seen).append(marker)
    asked = response.request.get("PATH_INFO", "")
    for secret, allowed in world.secrets.items():
        if secret in text and secret not in asked:  # a page may repeat the link its visitor opened
            (found if persona not in allowed else world.seen).append(secret)
    return found


def write_method(rule):
    """The method that changes something at this address (an API operation may be a PUT), or None."""
    return next((method for method in ("POST", "PUT") if method in rule.methods), None)


def ask(world, persona, method, url, data=None):
    client = world.clients[persona]
    if method == "GET":
        return client.get(url)
    if url.startswith("/api/"):  # the API reads JSON bodies
        return getattr(client, method.lower())(url, json.dumps(data or {}), content_type="application/json")
    return client.post(url, data or {})


def judge(failures, world, name, rule, persona, method, response, want):
    got = outcome(response)
    if want == "in":  # a holder's POST: anything but what keeps the others out
        ok = got not in (LOGIN, 401, 405, rule.others, rule.anonymous)
    else:
        ok = got == want
    if not ok:
        failures.append(f"{method} {name} as {persona}: {got}, expected {want}")
    for leak in leaks(response, persona, world):
        failures.append(f"{method} {name} as {persona}: shows {leak}")  # a marker, or a secret itself


def report(failures):
    assert not failures, f"{len(failures)} permission problems:\n" + "\n".join(failures)


@pytest.fixture
def world(django_user_model, mailoutbox):
    from django.core.cache import cache

    cache.clear()  # no rate limit left over from another test
    return build(django_user_model, mailoutbox)


@pytest.fixture
def templates(client):
    return api_operations(client)


# --- The matrix ------------------------------------------------------------------------------


def test_each_visitor_reads_only_what_is_theirs(world, templates):
    failures = []
    addresses = [(name, name, rule) for name, rule in RULES.items()]
    addresses += [(label, name, rule) for label, (name, rule) in VARIANTS.items()]
    for label, name, rule in addresses:
        if " " in name and not name.startswith("GET "):
            continue  # an API operation of another method: its address's GET is its own operation
        url = url_for(name, rule, world, templates=templates)
        for persona in PERSONAS:
            want = expected(rule, persona, "GET")
            response = ask(world, persona, "GET", url)
            judge(failures, world, label, rule, persona, "GET", response, want)
    report(failures)
    # The markers (and secrets some may see) are really there for those who may see them, so
    # their absence elsewhere counts.
    assert set(world.seen) == set(VISIBLE_TO) | {key for key, allowed in world.secrets.items() if allowed}


def snapshot():
    """Every row of the site's own apps, as values: a refused request must change none of them."""
    rows = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("intersector."):
            continue
        for model in config.get_models():
            fields = [f.attname for f in model._meta.concrete_fields]
            rows[model._meta.label] = sorted(map(repr, model.objects.values_list(*fields)))
    return rows


def test_a_refused_change_changes_nothing(world, templates):
    before = snapshot()
    failures = []
    for name, rule in RULES.items():
        method = write_method(rule)
        if method is None:
            continue
        url = url_for(name, rule, world, templates=templates)
        for persona in PERSONAS:
            want = expected(rule, persona, method)
            if want == "in":
                continue
            response = ask(world, persona, method, url, rule.post)
            judge(failures, world, name, rule, persona, method, response, want)
    # Someone's own address, with another's object in it.
    for persona, name, overrides, want in world.crossed:
        rule = RULES[name]
        url = url_for(name, rule, world, overrides)
        for method in rule.methods:
            response = ask(world, persona, method, url, rule.post)
            judge(failures, world, f"{name} {overrides}", rule, persona, method, response, want)
    report(failures)
    after = snapshot()
    changed = {label: rows for label, rows in after.items() if rows != before[label]}
    assert not changed, f"Refused requests changed: {sorted(changed)}"


def test_each_holder_gets_in(world, templates):
    failures = []
    order = sorted(RULES, key=lambda name: LAST.index(name) + 1 if name in LAST else 0)
    for name in order:
        rule = RULES[name]
        method = write_method(rule)
        if method is None:
            continue
        url = url_for(name, rule, world, templates=templates)
        for persona in PERSONAS:
            want = expected(rule, persona, method)
            if want != "in" and persona not in rule.expect:
                continue
            # The API reads its body before the route asks who is calling: a valid one, so the
            # answer is about the person (a form's empty POST reaches the view as it is).
            response = ask(world, persona, method, url, rule.post if " " in name else None)
            judge(failures, world, name, rule, persona, method, response, want)
    report(failures)
