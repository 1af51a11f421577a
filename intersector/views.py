"""Site-wide pages: home, health check, and the friendly error pages."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
def home(request):
    return render(request, "home.html")


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_redis():
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


@never_cache
@require_safe
def healthz(request):
    """200 when every configured backing service answers, 503 otherwise (for load balancers)."""
    checks = {"database": _check_database}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis
    report = {}
    for name, check in checks.items():
        try:
            check()
            report[name] = "ok"
        except Exception as exc:  # any failure means "not healthy"; the log says why
            logger.warning("healthz: %s is not answering: %s", name, exc)
            report[name] = "unavailable"
    healthy = all(state == "ok" for state in report.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": report},
        status=200 if healthy else 503,
    )


def error_page(request, status, title, message):
    """Render a plain error page; falls back to bare HTML if the template itself fails."""
    context = {"status": status, "title": title, "message": message}
    try:
        body = loader.render_to_string("error.html", context, request=request)
    except Exception:
        logger.exception("error page template failed")
        body = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{message}</p>"
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    if isinstance(exception, (RequestDataTooBig, TooManyFieldsSent)):
        return error_page(
            request,
            413,
            _("That was too much to send at once"),
            _("What you sent is larger than this site accepts. Try a smaller file or less text."),
        )
    return error_page(
        request,
        400,
        _("We could not understand that request"),
        _("Something in the request was not in the form we expected. Go back and try again."),
    )


def permission_denied(request, exception=None):
    return error_page(
        request,
        403,
        _("You do not have access to this page"),
        _("If you think you should, ask the person who runs this space to invite you."),
    )


def page_not_found(request, exception=None):
    return error_page(
        request,
        404,
        _("We could not find that page"),
        _("The address may be mistyped, or the page may have moved."),
    )


def server_error(request):
    return error_page(
        request,
        500,
        _("Something went wrong on our side"),
        _("Nothing you saved is lost. Please try again in a minute."),
    )


def method_not_allowed(request):
    return error_page(
        request,
        405,
        _("That action is not possible here"),
        _("This page cannot be used that way. Go back and use the buttons on the page."),
    )


def csrf_failure(request, reason=""):
    return error_page(
        request,
        403,
        _("Your form expired"),
        _(
            "For your security, forms stop working after a while or when cookies are blocked. "
            "Go back, reload the page and send it again."
        ),
    )


def no_such_snippet(request, *args, **kwargs):
    """The CMS's snippet chooser asked for an id that is not a number: no such snippet (Wagtail
    itself would fail with a 500)."""
    raise Http404
