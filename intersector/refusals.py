"""One refusal for the whole site: `raise Refused(message, status)` from a service or a view.

`RefusalMiddleware` (and the API's exception handler) turns it into the right answer in one
place: JSON `{"detail": ...}` under /api/ or for a caller that asks for JSON, a small alert
fragment for htmx and the phone's fetches (the page stays as it is), otherwise a full page.
The message is always written for the person; a status of 4xx says whose move it is.

    raise Refused(_("This workshop has ended."), status=410)
    raise Refused(_("Too many tries. Wait %(n)s minutes.") % {"n": 15}, status=429, retry_after=900)
"""

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _


class Refused(Exception):
    """An action that cannot be done; the message is for the person, the status for the reply.

    `template` picks another full page than the site's plain one (e.g. the phone's layout);
    `retry_after` (seconds) goes into the Retry-After header of a 429 or 503.
    """

    def __init__(self, message, status=400, *, title=None, template=None, retry_after=None):
        super().__init__(str(message))
        self.message = str(message)
        self.status = status
        self.title = title
        self.template = template
        self.retry_after = retry_after


def wants_json(request):
    if request.path.startswith("/api/"):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def wants_fragment(request):
    """htmx requests and the phone's own fetches (phone.js sends X-Convene: fetch)."""
    return request.headers.get("X-Convene") == "fetch" or request.headers.get("HX-Request") == "true"


def default_title(status):
    if status == 429:
        return _("Please wait a moment")
    if status in (401, 403):
        return _("You cannot do that here")
    if status == 404:
        return _("We could not find that")
    if status == 410:
        return _("This is no longer available")
    if status == 413:
        return _("That was too much to send at once")
    return _("That could not be done")


def refusal_response(request, refusal, template=None):
    """The answer for a refusal, shaped for whoever asked."""
    if wants_json(request):
        response = JsonResponse({"detail": refusal.message}, status=refusal.status)
    elif wants_fragment(request):
        response = HttpResponse(
            f'<p class="problem" role="alert">{escape(refusal.message)}</p>', status=refusal.status
        )
        response["HX-Reswap"] = "none"  # htmx keeps the page as it is; the message goes to #problem
    else:
        context = {"status": refusal.status, "title": refusal.title or default_title(refusal.status),
                   "message": refusal.message}
        body = loader.render_to_string(template or refusal.template or "error.html", context,
                                       request=request)
        response = HttpResponse(body, status=refusal.status)
    if refusal.retry_after:
        response["Retry-After"] = str(int(refusal.retry_after))
    response["Cache-Control"] = "no-store"
    return response


class RefusalMiddleware:
    """Any Refused raised by a view becomes its answer here; views never catch it by hand."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Refused):
            return refusal_response(request, exception)
        return None
