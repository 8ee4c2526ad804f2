"""The redirect `/l/<code>` and the pages about tracked links.

The redirect is also served before Django by `portevoix.links.wsgi` for links this process
looked up lately; `follow` is the slow path that looks a link up and fills that cache.

Who sees a link's figures is decided by `selectors.get_link_for_user` alone: the programme
team of its organisation, and the person who shared it; anyone else gets a 404.
"""

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, register_converter
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.permissions import authenticated_request, login_required, require_permission
from portevoix.accounts.roles import Permission
from portevoix.lib.pagination import DeferredJoinPaginator
from portevoix.links import cache, clicks, selectors, services
from portevoix.links.models import CODE_PATTERN

PAGE_SIZE = 50
DAYS_SHOWN = 30

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


@login_required
def link_list(request: HttpRequest) -> HttpResponse:
    """The programme team's links of the organisation, or a person's own, with their clicks."""
    user = authenticated_request(request).user
    query = request.GET.get("q", "").strip()
    links = selectors.search_links(selectors.links_for_user(user), query)
    page = DeferredJoinPaginator(links, PAGE_SIZE).get_page(request.GET.get("page"))
    totals = selectors.clicks_per_link([link.pk for link in page])
    context = {
        "nav": "ambassadors",
        "page": page,
        "rows": [(link, totals.get(link.pk, 0)) for link in page],
        "q": query,
        "query": f"q={query}" if query else "",
        "sees_all": selectors.can_see_all_links(user),
    }
    template = "links/link_list.html#results" if getattr(request, "htmx", False) else "links/link_list.html"
    return render(request, template, context)


@login_required
def link_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One link: where it leads, its tags, its clicks per day and per source."""
    user = authenticated_request(request).user
    link = selectors.get_link_for_user(user=user, code=code)
    since = timezone.localdate() - datetime.timedelta(days=DAYS_SHOWN - 1)
    statistics = selectors.link_statistics(link, since=since)
    peak = max((count for _day, count in statistics.by_day), default=0)
    context = {
        "nav": "ambassadors",
        "link": link,
        "short_url": request.build_absolute_uri(link.short_path),
        "statistics": statistics,
        "days": [(day, count, round(100 * count / peak) if peak else 0) for day, count in statistics.by_day],
        "days_shown": DAYS_SHOWN,
        "can_manage": user.can(Permission.MANAGE_TRACKED_LINKS),
    }
    return render(request, "links/link_detail.html", context)


@require_POST
@require_permission(Permission.MANAGE_TRACKED_LINKS)
def link_switch(request: HttpRequest, code: str, *, is_activating: bool) -> HttpResponse:
    """Deactivate a link (visitors see a page saying so) or let it lead to its target again."""
    user = authenticated_request(request).user
    link = selectors.get_link_for_user(user=user, code=code)
    if is_activating:
        services.reactivate_link(link=link, actor=user)
        messages.success(request, _("The link is active again: it leads to its target."))
    else:
        services.deactivate_link(link=link, actor=user)
        messages.success(request, _("The link is deactivated: visitors now see a page saying so."))
    return redirect("links:detail", code=link.code)


urlpatterns: list[URLPattern] = [
    path("<linkcode:code>", follow, name="follow"),
    path("manage/", link_list, name="list"),
    path("manage/<linkcode:code>/", link_detail, name="detail"),
    path("manage/<linkcode:code>/deactivate", link_switch, {"is_activating": False}, name="deactivate"),
    path("manage/<linkcode:code>/reactivate", link_switch, {"is_activating": True}, name="reactivate"),
]
