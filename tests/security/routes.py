"""Every address of the site, filled in with the test site's real objects (see conftest.make_site).

`site_urls(site)` walks Django's URL resolver, so a route added later is tested without anyone
listing it here; a path parameter nobody filled in gets a plain sample value ("1", "x"), which
still reaches the view (it answers 404 when nothing has that id).
"""

import re
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern

ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?(?P<body>(?:[^()]|\([^()]*\))*)\)")


@dataclass
class Route:
    url: str  # a real address, e.g. /convene/12/agenda/
    route: str  # the pattern it came from, e.g. convene/<int:pk>/agenda/
    name: str  # namespace:name
    parameters: dict  # name -> the value put in the address

    @property
    def cms(self):
        return self.url.startswith("/cms/")

    @property
    def streams(self):
        """A live event stream: it runs under uvicorn (tests/live), not the test client."""
        try:
            return getattr(resolve(self.url).func, "streams_live_events", False)
        except Exception:
            return False


def walk(resolver=None, prefix="", namespace=""):
    """(pattern text, name, is_regex) of every URL pattern under `resolver`."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        text = str(entry.pattern)
        regex = isinstance(entry.pattern, RegexPattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            for route, name, inner_regex in walk(entry, prefix + (regex and "\x01" or "") + text, inner):
                yield route, name, inner_regex or regex
        else:
            yield prefix + (regex and "\x01" or "") + text, f"{namespace}{entry.name or ''}", regex


def values_for(site):
    """Path parameters by (address prefix, parameter name): the objects the views will find."""
    return [
        ("convene/", "pk", site.workshop.pk),
        ("convene/", "item_pk", site.item.pk),
        ("convene/", "name", "now"),
        ("convene/", "report_pk", 1),
        ("w/", "code", site.workshop.code),
        ("w/", "note_pk", site.note.pk),
        ("agreements/reviews/", "pk", site.review.pk),
        ("agreements/join/", "token", site.invite_token),
        ("agreements/guest/", "token", site.guest_token),
        ("agreements/scorecard/versions/", "number", site.scorecard.number),
        ("agreements/", "pk", site.agreement.pk),
        ("agreements/", "guest_id", site.guest.pk),
        ("agreements/", "element", site.element),
        ("agreements/", "kind", "csv"),
        ("accounts/tokens/", "token_id", site.api_token.pk),
        ("accounts/password-reset/", "uidb64", site.uid),
        ("accounts/password-reset/", "token", site.reset_token),
        ("jobs/", "job_id", site.job.pk),
        ("resources/import/", "upload_id", site.upload.pk),
        ("briefings/newsletter/", "token", site.newsletter_token),
        ("toolkit/tools/", "slug", site.tool.slug),
        ("toolkit/", "slug", site.stage.slug),
        ("cases/", "slug", site.case.slug),
        ("resources/", "slug", site.resource.slug),
        ("briefings/", "slug", site.briefing.slug),
        ("api/", "id", site.job.pk),
    ]


SAMPLES = {"int": "1", "uuid": "00000000-0000-4000-8000-000000000000", "slug": "x", "str": "x",
           "path": "x"}


def fill_route(route, known):
    parameters = {}

    def value(match):
        name, converter = match["name"], match["converter"] or "str"
        for prefix, known_name, known_value in known:
            if known_name == name and route.startswith(prefix):
                parameters[name] = str(known_value)
                return str(known_value)
        parameters[name] = SAMPLES.get(converter, "x")
        return parameters[name]

    return ROUTE_PARAMETER.sub(value, route), parameters


def fill_regex(route):
    """A sample address for a regex pattern (Wagtail's few): each group gets a plain value."""
    parameters = {}

    def value(match):
        body = match["body"]
        sample = "1" if body.startswith(r"\d") else "live" if body.startswith("live") else "x"
        if body.startswith("(?:"):  # Wagtail's page path: any number of slugs, none here
            sample = "x/"
        parameters[match["name"] or f"group{len(parameters)}"] = sample
        return sample

    text = route.replace("\x01^", "").replace("\x01", "").replace("$", "")
    text = REGEX_GROUP.sub(value, text).replace(r"\.", ".").replace(".*", "x").replace("^", "")
    return text, parameters


def site_urls(site):
    """A Route for every URL pattern of the site."""
    known = values_for(site)
    routes = []
    for route, name, regex in walk():
        url, parameters = fill_route(route, known)
        if regex:
            url, more = fill_regex(url)
            parameters.update(more)
        routes.append(Route("/" + url, route.replace("\x01", ""), name, parameters))
    return routes


def resolves(route):
    try:
        resolve(route.url)
    except Exception:
        return False
    return True
