"""Who is calling the API: a script with a token, or the site's own pages with a session."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from intersector import limits
from intersector.api.services import user_for_token
from intersector.refusals import Refused

# Wrong tokens per address: far more than a script with a mistyped token makes, far too few to
# guess one.
WRONG_TOKENS = limits.Limit("api-token", "API_TOKEN_FAILURE_LIMIT", "API_TOKEN_FAILURE_WINDOW")


class InvalidToken(AuthenticationError):
    def __init__(self):
        super().__init__(
            401,
            _(
                "This API token is not valid: it may have been revoked, or copied incompletely. "
                "Create a new one at /accounts/tokens/."
            ),
        )


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, with a token from /accounts/tokens/."""

    def authenticate(self, request, token):
        address = limits.client_address(request)
        wait = WRONG_TOKENS.wait(address)
        if wait:  # even a right token: the answer must not tell a guesser it found one
            n = limits.minutes(wait)
            raise Refused(
                ngettext(
                    "Too many wrong API tokens came from your address. "
                    "Please wait %(minutes)d minute, then try again.",
                    "Too many wrong API tokens came from your address. "
                    "Please wait %(minutes)d minutes, then try again.",
                    n,
                ) % {"minutes": n},
                status=429, retry_after=wait,
            )
        user = user_for_token(token)
        if user is None:
            WRONG_TOKENS.hit(address)
            # A token that fails is refused outright, even from a signed-in browser.
            raise InvalidToken()
        request.user = user  # so code shared with the site's views sees the same person
        return user


class SiteSessionAuth(SessionAuth):
    """The signed-in browser session; unsafe methods must carry the CSRF token."""

    def _get_key(self, request):
        try:
            return super()._get_key(request)
        except HttpError as exc:
            if exc.status_code != 403:
                raise
            raise HttpError(
                403,
                _(
                    "This request came from a signed-in browser without the page's security "
                    "token. Reload the page and try again, or use an API token."
                ),
            ) from None


token_auth = TokenAuth()
session_auth = SiteSessionAuth()
# Token first: a script's request never needs the browser's CSRF token.
default_auth = [token_auth, session_auth]
