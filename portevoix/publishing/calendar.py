"""The calendar's grid (month and week, in the organisation's time zone) and its iCalendar feed."""

import datetime
import hashlib
import secrets
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

import icalendar
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from portevoix.accounts.models import User
from portevoix.accounts.roles import Permission
from portevoix.audit.services import record
from portevoix.publishing import selectors
from portevoix.publishing.models import CalendarFeed
from portevoix.publishing.selectors import PostCard

FEED_PAST_DAYS = 60
FEED_FUTURE_DAYS = 180
POST_DURATION = datetime.timedelta(minutes=15)  # a post is an instant; calendar apps need a length


@dataclass(frozen=True)
class Day:
    date: datetime.date
    is_in_month: bool
    is_today: bool
    cards: list[PostCard]


@dataclass(frozen=True)
class Hour:
    hour: int
    cells: list[tuple[datetime.date, list[PostCard]]]


def month_range(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The Monday before the month's first day and the day after the Sunday after its last."""
    first = day.replace(day=1)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    start = first - datetime.timedelta(days=first.weekday())
    end = next_month + datetime.timedelta(days=(7 - next_month.weekday()) % 7)
    return start, end


def week_range(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = day - datetime.timedelta(days=day.weekday())
    return start, start + datetime.timedelta(days=7)


def bounds(start: datetime.date, end: datetime.date, zone: zoneinfo.ZoneInfo) -> tuple[datetime.datetime, ...]:
    """Midnight of both dates in the zone, as aware times (a day may last 23 or 25 hours)."""
    return tuple(datetime.datetime.combine(date, datetime.time(), tzinfo=zone) for date in (start, end))


def _by_day(cards: list[PostCard], zone: zoneinfo.ZoneInfo) -> dict[datetime.date, list[PostCard]]:
    grouped: dict[datetime.date, list[PostCard]] = defaultdict(list)
    for card in cards:
        if card.post.scheduled_at is not None:
            grouped[card.post.scheduled_at.astimezone(zone).date()].append(card)
    return grouped


def month_weeks(day: datetime.date, cards: list[PostCard], zone: zoneinfo.ZoneInfo) -> list[list[Day]]:
    start, end = month_range(day)
    grouped = _by_day(cards, zone)
    today = timezone.localdate(timezone=zone)
    days = [start + datetime.timedelta(days=offset) for offset in range((end - start).days)]
    cells = [Day(date, date.month == day.month, date == today, grouped.get(date, [])) for date in days]
    return [cells[index : index + 7] for index in range(0, len(cells), 7)]


def week_hours(day: datetime.date, cards: list[PostCard], zone: zoneinfo.ZoneInfo) -> tuple[list[Day], list[Hour]]:
    start, _end = week_range(day)
    today = timezone.localdate(timezone=zone)
    dates = [start + datetime.timedelta(days=offset) for offset in range(7)]
    slots: dict[tuple[datetime.date, int], list[PostCard]] = defaultdict(list)
    for card in cards:
        if card.post.scheduled_at is not None:
            local = card.post.scheduled_at.astimezone(zone)
            slots[(local.date(), local.hour)].append(card)
    days = [Day(date, True, date == today, []) for date in dates]
    hours = [Hour(hour, [(date, slots.get((date, hour), [])) for date in dates]) for hour in range(24)]
    return days, hours


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed(*, user: User) -> str:
    """Give the person a new secret feed address (the old one stops working); returns the token.

    Only the token's hash is stored: the address is shown once, when it is made.
    """
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            user=user, defaults={"token_hash": _hash(token), "created_at": timezone.now(), "last_used_at": None}
        )
        record(organization=user.organization, actor=user, action="calendar_feed.created", target=user)
    return token


def revoke_feed(*, user: User) -> bool:
    """Stop the person's feed address from working; returns whether there was one."""
    with transaction.atomic():
        deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
        if deleted:
            record(organization=user.organization, actor=user, action="calendar_feed.revoked", target=user)
    return bool(deleted)


def feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def feed_owner(token: str) -> User | None:
    """Whose feed this token opens, if it is valid and its owner may still see the calendar."""
    feed = CalendarFeed.objects.select_related("user__organization").filter(token_hash=_hash(token)).first()
    if feed is None or not feed.user.can(Permission.VIEW_OFFICIAL_CHANNELS):
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


def feed_ics(user: User) -> bytes:
    """The organisation's official posts from two months ago to six months ahead, as iCalendar.

    Statuses are written in the owner's language: calendar apps send no language of their own.
    """
    with translation.override(user.language):
        return _feed_ics(user)


def _feed_ics(user: User) -> bytes:
    now = timezone.now()
    cards = selectors.calendar_posts(
        organization=user.organization,
        start=now - datetime.timedelta(days=FEED_PAST_DAYS),
        end=now + datetime.timedelta(days=FEED_FUTURE_DAYS),
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Porte-Voix//Official calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{user.organization.name} — Porte-Voix")
    base = settings.PUBLIC_URL.rstrip("/")
    for card in cards:
        post = card.post
        if post.scheduled_at is None:
            continue
        event = icalendar.Event()
        event.add("uid", f"post-{post.pk}@{user.organization.slug}.portevoix")
        event.add("dtstamp", post.updated_at)
        event.add("dtstart", post.scheduled_at)
        event.add("dtend", post.scheduled_at + POST_DURATION)
        channels = ", ".join(channel.name for channel in card.channels)
        event.add("summary", f"[{card.status.label}] {post.title}" + (f" ({channels})" if channels else ""))
        event.add("description", post.message)
        event.add("url", base + reverse("publishing:post-detail", args=[post.pk]))
        if post.campaign is not None:
            event.add("categories", [post.campaign.name])
        calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics
