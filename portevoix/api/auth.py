"""API authentication: a personal token (Authorization: Bearer pv_…) or the browser session.

A caller without valid credentials gets 401 with a `WWW-Authenticate` challenge (RFC 6750); only a
signed-in browser session is checked against cross-site request forgery, since only a browser
sends a session cookie on its own.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from portevoix.accounts.services import user_for_api_token

REALM = "Porte-Voix API"


class InvalidTokenError(AuthenticationError):
    """A bearer token was sent but belongs to nobody who may use the API (unknown, revoked, a leaver)."""


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_token(token)
        if user is None:
            # A caller who names a token means that token: falling back to the session would answer
            # a mistyped token with a CSRF error, or act as whoever is signed in in that browser.
            raise InvalidTokenError
        request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    def __call__(self, request: HttpRequest) -> Any:
        # Without a signed-in person there is nothing to forge: the caller is unauthenticated (401),
        # not forbidden. Ninja would check CSRF first and answer 403 to every script without a cookie.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if check_csrf(request) is not None:
            raise HttpError(
                403,
                _(
                    "CSRF check failed: a browser session must send the CSRF token (header X-CSRFToken). "
                    "Scripts authenticate with an API token instead."
                ),
            )
        return user


API_AUTH = [TokenAuth(), ActiveSessionAuth()]


def challenge(exc: AuthenticationError) -> str:
    """The `WWW-Authenticate` header RFC 6750 asks of a 401: the scheme, and why a token was refused."""
    if isinstance(exc, InvalidTokenError):
        return f'Bearer realm="{REALM}", error="invalid_token"'
    return f'Bearer realm="{REALM}"'


def unauthenticated_message(exc: AuthenticationError) -> str:
    if isinstance(exc, InvalidTokenError):
        return _("This API token is not valid: it is unknown or revoked, or its owner no longer has access.")
    return _("Authentication required: send a personal API token in the header “Authorization: Bearer pv_…”.")
