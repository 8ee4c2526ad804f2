"""The redirect `/l/<code>` and the pages about tracked links.

The redirect is also served before Django by `portevoix.links.wsgi` for links this process
looked up lately; this view is the slow path that looks a link up and fills that cache.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, register_converter
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from portevoix.links import cache, clicks, selectors
from portevoix.links.models import CODE_PATTERN

app_name = "links"

# Browsers must come back to us at every click (to be counted, and to see a deactivation).
REDIRECT_HEADERS = {"Cache-Control": "private, no-store", "Referrer-Policy": "strict-origin-when-cross-origin"}


class CodeConverter:
    regex = CODE_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeConverter, "linkcode")


def follow(request: HttpRequest, code: str) -> HttpResponse:
    """302 to the link's target, counting the visit; a page saying why when it leads nowhere."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    entry = cache.get(code) or _look_up(code)
    if entry is None:
        return render(request, "links/link_missing.html", status=404)
    if not entry.is_active or (entry.expires_at is not None and entry.expires_at <= timezone.now()):
        context = {"is_expired": entry.is_active, "expired_at": entry.expires_at}
        return render(request, "links/link_gone.html", context, status=410)
    clicks.buffer.add(
        link_id=entry.link_id,
        method=request.method,
        referer=request.headers.get("referer", ""),
        user_agent=request.headers.get("user-agent", ""),
        now=timezone.now().timestamp(),
    )
    return HttpResponseRedirect(entry.location, headers=REDIRECT_HEADERS)


def _look_up(code: str) -> cache.CachedLink | None:
    link = selectors.link_for_redirect(code)
    if link is None:
        return None
    return cache.put(
        code=code,
        link_id=link.pk,
        location=iri_to_uri(link.target_url),
        expires_at=link.expires_at,
        is_active=link.is_active,
    )


urlpatterns: list[URLPattern] = [
    path("<linkcode:code>", follow, name="follow"),
]
