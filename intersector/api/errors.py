"""Every API error is JSON with a plain `detail` message and the right status."""

import functools
import inspect
import logging

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError, ValidationError

from intersector.refusals import Refused, refusal_response

logger = logging.getLogger(__name__)

# Plain words for the validation problems people meet most; pydantic's own text otherwise.
# Each gets the problem's context (e.g. {"ge": 1}).
FRIENDLY_PROBLEMS = {
    "missing": lambda ctx: _("This is required."),
    "uuid_parsing": lambda ctx: _("This must be an id like 123e4567-e89b-42d3-a456-426614174000."),
    "uuid_type": lambda ctx: _("This must be an id like 123e4567-e89b-42d3-a456-426614174000."),
    "int_parsing": lambda ctx: _("This must be a whole number."),
    "json_invalid": lambda ctx: _("The body is not valid JSON."),
    "greater_than_equal": lambda ctx: _("This must be %(n)s or more.") % {"n": ctx.get("ge")},
    "less_than_equal": lambda ctx: _("This must be %(n)s or less.") % {"n": ctx.get("le")},
    "string_pattern_mismatch": lambda ctx: _(
        "This contains a character that cannot be saved, or only invisible characters."),
}
WHERE = {
    "path": gettext_lazy("in the address"),
    "query": gettext_lazy("in the query"),
    "body": gettext_lazy("in the body"),
}


def error_response(detail, status, **extra):
    return JsonResponse({"detail": str(detail), **extra}, status=status)


def readable_problems(errors):
    problems = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        where, field = (location[0], ".".join(location[1:])) if location else ("", "")
        friendly = FRIENDLY_PROBLEMS.get(error.get("type"))
        problems.append({
            "field": field or where,
            "where": where,
            "message": str(friendly(error.get("ctx") or {}) if friendly else error.get("msg", "")),
        })
    return problems


def install(api):
    """Register the API's error handlers."""

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        generic = type(exc) is AuthenticationError  # django-ninja's "Unauthorized"
        response = error_response(
            _(
                "Sign in first, or send an API token in the header "
                "'Authorization: Bearer <token>'. You can create tokens at /accounts/tokens/."
            )
            if generic
            else exc.message,
            401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return error_response(exc.message, exc.status_code)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        problems = readable_problems(exc.errors)
        summary = "; ".join(
            f"{p['field']} ({WHERE.get(p['where'], p['where'])}): {p['message']}" for p in problems
        )
        return error_response(
            _("Some of what you sent is not valid. %(problems)s") % {"problems": summary},
            422,
            errors=problems,
        )

    @api.exception_handler(Refused)
    def refused(request, exc):
        return refusal_response(request, exc)

    @api.exception_handler(Http404)
    def not_found_error(request, exc):
        return error_response(_("We could not find that."), 404)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("API error at %s %s", request.method, request.path)
        return error_response(
            _("Something went wrong on our side. Nothing you saved is lost; please try again."),
            500,
        )


def not_found(request, *args, **kwargs):
    """Unknown addresses under /api/ answer in JSON, not with the site's HTML page."""
    return error_response(
        _("There is nothing at this address. The list of addresses is at /api/docs."), 404
    )


def json_method_not_allowed(view):
    """Turn django-ninja's plain-text 405 into JSON, keeping the Allow header."""

    def convert(request, response):
        if response.status_code != 405 or "json" in response.get("Content-Type", ""):
            return response
        converted = error_response(
            _("This address does not accept %(method)s requests.") % {"method": request.method},
            405,
        )
        converted["Allow"] = response.get("Allow", "")
        return converted

    if inspect.iscoroutinefunction(view):

        @functools.wraps(view)
        async def async_wrapper(request, *args, **kwargs):
            return convert(request, await view(request, *args, **kwargs))

        return async_wrapper

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return convert(request, view(request, *args, **kwargs))

    return wrapper
