"""The editorial calendar (C2): month and week, filters, moves, and each person's iCalendar feed."""

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission
from portevoix.crisis.selectors import active_crisis
from portevoix.publishing import calendar, selectors
from portevoix.publishing.models import Post
from portevoix.publishing.selectors import CalendarStatus

FILTERS = ("view", "date", "channel", "campaign", "status")


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _day(value: str | None, today: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else today
    except ValueError:
        return today


def _params(request: HttpRequest) -> QueryDict:
    # A move from the calendar posts the calendar's own query, so the answer redraws the same view.
    if request.method == "POST":
        return QueryDict(request.POST.get("calendar", "").lstrip("?"))
    return request.GET


def _query(params: dict[str, Any], **changes: Any) -> str:
    merged = {key: value for key, value in (params | changes).items() if value not in (None, "")}
    return "?" + urlencode(merged)


def _context(request: HttpRequest) -> dict[str, Any]:
    user = authenticated_request(request).user
    zone = selectors.time_zone(user.organization)
    params = _params(request)
    today = timezone.localdate(timezone=zone)
    view = "week" if params.get("view") == "week" else "month"
    day = _day(params.get("date"), today)
    status = params.get("status", "")
    filters: dict[str, Any] = {
        "view": view,
        "date": day.isoformat(),
        "channel": _number(params.get("channel")),
        "campaign": _number(params.get("campaign")),
        "status": status if status in CalendarStatus.values else "",
    }
    start, end = calendar.month_range(day) if view == "month" else calendar.week_range(day)
    first, last = calendar.bounds(start, end, zone)
    cards = selectors.calendar_posts(
        organization=user.organization,
        start=first,
        end=last,
        channel_id=filters["channel"],
        campaign_id=filters["campaign"],
        status=filters["status"],
    )
    if view == "month":
        previous = (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        following = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        grid: dict[str, Any] = {"weeks": calendar.month_weeks(day, cards, zone)}
    else:
        previous, following = day - datetime.timedelta(days=7), day + datetime.timedelta(days=7)
        days, hours = calendar.week_hours(day, cards, zone)
        grid = {"days": days, "hours": hours}
    return {
        "nav": "publishing",
        "filters": filters,
        "day": day,
        "week_end": end - datetime.timedelta(days=1),
        "zone": zone,
        "count": len(cards),
        "query": _query(filters),
        "previous_query": _query(filters, date=previous.isoformat()),
        "next_query": _query(filters, date=following.isoformat()),
        "today_query": _query(filters, date=today.isoformat()),
        "month_query": _query(filters, view="month"),
        "week_query": _query(filters, view="week"),
        "channels": selectors.channels_of(user.organization),
        "campaigns": selectors.campaigns(organization=user.organization, include_archived=True),
        "statuses": CalendarStatus.choices,
        "crisis": active_crisis(user.organization),
        "can_move": user.can(Permission.COMPOSE_OFFICIAL_POSTS),
        "unscheduled": selectors.unscheduled_posts(organization=user.organization),
    } | grid


def calendar_response(request: HttpRequest, *, error: str = "", moved: Post | None = None) -> HttpResponse:
    """The calendar page, or for htmx only its grid, with the outcome of a move when there was one.

    A refused move still answers 200 to htmx, which swaps only successful answers: the grid shows why.
    """
    context = _context(request) | {"error": error, "moved": moved}
    template = "publishing/calendar_view.html#calendar" if _is_htmx(request) else "publishing/calendar_view.html"
    return render(request, template, context)


@never_cache
@require_permission(Permission.VIEW_OFFICIAL_CHANNELS)
def calendar_view(request: HttpRequest) -> HttpResponse:
    return calendar_response(request)


@never_cache
@require_permission(Permission.VIEW_OFFICIAL_CHANNELS)
def feed_settings(request: HttpRequest) -> HttpResponse:
    """Make, renew or revoke one's secret iCalendar address; a new address is shown only once."""
    user = authenticated_request(request).user
    token = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if calendar.revoke_feed(user=user):
                messages.success(request, _("Your calendar address no longer works."))
            return redirect("publishing:calendar-feed")
        token = calendar.create_feed(user=user)
    url = request.build_absolute_uri(reverse("publishing:calendar-ics", args=[token])) if token else ""
    context = {"nav": "publishing", "feed": calendar.feed_of(user), "feed_url": url}
    return render(request, "publishing/calendar_feed.html", context)


def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no session (calendar apps have none), the secret address is the key."""
    owner = calendar.feed_owner(token)
    if owner is None:
        raise Http404
    response = HttpResponse(calendar.feed_ics(owner), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
