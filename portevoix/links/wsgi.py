"""The fast path of `/l/<code>`: a WSGI layer in front of Django for links this process knows.

A click on a link looked up in the last minute (`cache`) is answered here: one dictionary
read, one counter added in memory (`clicks`), a 302 — no middleware, no session, no
database. Everything else (first click in a while, unknown code, deactivated or expired
link, a method other than GET and HEAD, a host Django would refuse) goes on to Django,
whose view answers and fills the cache.
"""

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils import timezone

from portevoix.links import cache, clicks
from portevoix.links.models import CODE_PATTERN
from portevoix.links.views import REDIRECT_HEADERS

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

_PATH = re.compile(f"/l/({CODE_PATTERN})")
_FIXED_HEADERS = [(name, value) for name, value in REDIRECT_HEADERS.items()] + [
    ("Content-Length", "0"),
    ("X-Content-Type-Options", "nosniff"),
]


class TrackedLinkDispatcher:
    def __init__(self, application: "WSGIApplication", *, starts_flusher: bool = True) -> None:
        self.application = application
        if starts_flusher:
            clicks.start_flusher()

    def __call__(self, environ: "WSGIEnvironment", start_response: "StartResponse") -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "")
        match = _PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is not None and method in ("GET", "HEAD") and _is_allowed_host(environ):
            entry = cache.get(match.group(1))
            if (
                entry is not None
                and entry.is_active
                and (entry.expires_at is None or entry.expires_at > timezone.now())
            ):
                clicks.buffer.add(
                    link_id=entry.link_id,
                    method=method,
                    referer=environ.get("HTTP_REFERER", ""),
                    user_agent=environ.get("HTTP_USER_AGENT", ""),
                )
                start_response("302 Found", [("Location", entry.location), *_FIXED_HEADERS])
                return [b""]
        return self.application(environ, start_response)


def _is_allowed_host(environ: "WSGIEnvironment") -> bool:
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)
