"""Reading tracked links and their clicks: the redirect's lookup, the statistics, scoped getters.

Statistics take a set of links (a queryset or ids) already scoped by the caller, and count
clicks only: link previews fetched by networks are counted apart (`previews_per_link`).
Clicks reach these figures within a second or so (see `clicks.FLUSH_SECONDS`).
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from portevoix.accounts.models import User
from portevoix.accounts.roles import Permission
from portevoix.links.models import ClickCount, ReferrerCategory, TrackedLink

Links = QuerySet[TrackedLink] | Collection[int]


def link_for_redirect(code: str) -> TrackedLink | None:
    """The link behind a code, with only what the redirect needs, or None."""
    return TrackedLink.objects.only("id", "code", "target_url", "expires_at", "is_active").filter(code=code).first()


def _counts(links: Links, *, is_preview: bool = False) -> QuerySet[ClickCount]:
    return ClickCount.objects.filter(link__in=links, is_preview=is_preview)


def clicks_per_link(links: Links) -> dict[int, int]:
    """Clicks of each link, by link id; links never clicked are absent."""
    rows = _counts(links).values("link_id").annotate(total=Sum("count")).values_list("link_id", "total")
    return {link_id: total for link_id, total in rows}


def previews_per_link(links: Links) -> dict[int, int]:
    """Link previews fetched of each link (networks drawing its card, crawlers, HEAD requests)."""
    rows = (
        _counts(links, is_preview=True).values("link_id").annotate(total=Sum("count")).values_list("link_id", "total")
    )
    return {link_id: total for link_id, total in rows}


def click_total(links: Links) -> int:
    """Clicks of all the links together."""
    return int(_counts(links).aggregate(total=Sum("count"))["total"] or 0)


def clicks_by_day(
    links: Links, *, since: datetime.date | None = None, until: datetime.date | None = None
) -> list[tuple[datetime.date, int]]:
    """Clicks per day in the current time zone, oldest first; days without clicks are absent."""
    tz = timezone.get_current_timezone()
    counts = _counts(links)
    if since is not None:
        counts = counts.filter(minute__gte=datetime.datetime.combine(since, datetime.time.min, tzinfo=tz))
    if until is not None:
        end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        counts = counts.filter(minute__lt=end)
    rows = (
        counts.annotate(day=TruncDate("minute", tzinfo=tz))
        .values("day")
        .annotate(total=Sum("count"))
        .order_by("day")
        .values_list("day", "total")
    )
    return [(day, total) for day, total in rows]


def clicks_by_referrer(links: Links) -> list[tuple[ReferrerCategory, int]]:
    """Clicks per referrer category, most first (then in the order of the categories)."""
    rows = _counts(links).values("referrer").annotate(total=Sum("count")).values_list("referrer", "total")
    order = list(ReferrerCategory.values)
    totals = sorted(rows, key=lambda row: (-row[1], order.index(row[0])))
    return [(ReferrerCategory(referrer), total) for referrer, total in totals]


def can_see_all_links(user: User) -> bool:
    return user.can(Permission.VIEW_AMBASSADOR_PROGRAMME)


def links_for_user(user: User) -> QuerySet[TrackedLink]:
    """The links a person may see: the whole organisation's for the programme team, else their own."""
    links = TrackedLink.objects.filter(organization_id=user.organization_id)
    if not can_see_all_links(user):
        links = links.filter(owner=user)
    return links.select_related("owner").order_by("-created_at", "-pk")


def get_link_for_user(*, user: User, code: str) -> TrackedLink:
    """One link the person may see, or a 404 (another organisation's, or another person's)."""
    link = links_for_user(user).filter(code=code).first()
    if link is None:
        raise Http404
    return link


def search_links(links: QuerySet[TrackedLink], query: str) -> QuerySet[TrackedLink]:
    query = query.strip()
    if not query:
        return links
    return links.filter(
        Q(label__icontains=query) | Q(target_url__icontains=query) | Q(utm_campaign__icontains=query)
        | Q(code=query) | Q(owner__full_name__icontains=query)
    )  # fmt: skip


@dataclass(frozen=True)
class LinkStatistics:
    clicks: int
    previews: int
    by_day: list[tuple[datetime.date, int]]
    by_referrer: list[tuple[ReferrerCategory, int]]


def link_statistics(link: TrackedLink) -> LinkStatistics:
    ids = [link.pk]
    return LinkStatistics(
        clicks=click_total(ids),
        previews=previews_per_link(ids).get(link.pk, 0),
        by_day=clicks_by_day(ids),
        by_referrer=clicks_by_referrer(ids),
    )
