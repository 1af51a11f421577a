"""Site-wide middleware: security headers, friendly pages for bare error responses, and the one
check of the text every request carries."""

from intersector.inputs import check_request, drop_unreadable_cookies
from intersector.refusals import Refused, refusal_response
from intersector.views import method_not_allowed

# Our pages load scripts and styles only from our own static files, and a few of our own small
# bundles written into the page by their hash (intersector/inline.py); never 'unsafe-inline'.
SITE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Wagtail's admin relies on inline scripts and styles, so /cms/ gets a looser policy.
CMS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


def site_policy():
    """SITE_POLICY plus the hashes of our inline bundles (intersector/inline.py)."""
    global _site_policy
    if _site_policy is None:
        from intersector.inline import sources

        _site_policy = SITE_POLICY.replace(
            "script-src 'self'", f"script-src 'self' {sources('script')}"
        ).replace("style-src 'self'", f"style-src 'self' {sources('style')}")
    return _site_policy


_site_policy = None


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            cms = request.path.startswith("/cms/")
            response["Content-Security-Policy"] = CMS_POLICY if cms else site_policy()
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class FriendlyErrorsMiddleware:
    """Give Django's empty 405 responses a readable page (other errors have handlers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.get("Content-Type", "").startswith("application/json")
            and not getattr(response, "streaming", False)
            and not request.path.startswith("/api/")
            and not response.content
        ):
            friendly = method_not_allowed(request)
            if "Allow" in response:
                friendly["Allow"] = response["Allow"]
            return friendly
        return response


class InputCheckMiddleware:
    """Refuse, before any view runs, a request carrying text that cannot be saved: control
    characters, broken characters, or a value made only of invisible marks (intersector/inputs.py).

    The refusal is answered like any other (a page, an htmx/phone fragment, or JSON under /api/),
    so the person sees which field to fix."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except Refused as refusal:
            return refusal_response(request, refusal)
        return self.get_response(request)


class CookieCheckMiddleware:
    """Forget cookies holding control characters before the session and the other middleware read
    them (intersector/inputs.py); listed before SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        drop_unreadable_cookies(request)
        return self.get_response(request)

