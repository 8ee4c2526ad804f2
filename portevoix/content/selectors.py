"""Reads of message houses, the library and the ambassador's feed, always scoped to the viewer's organisation.

What an ambassador may see is decided here alone (`feed_for` and `get_item_for_ambassador`):
a published post, past its embargo and before its expiry, aimed at one of their populations
(or at everyone), in a language they speak, and, when the post says so, on a topic they follow.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from portevoix.accounts.models import Organization, User
from portevoix.accounts.roles import Role
from portevoix.ambassadors.models import Topic
from portevoix.ambassadors.selectors import profile_of
from portevoix.content.models import (
    ContentItem,
    ContentSettings,
    ContentVariant,
    MessageHouseVersion,
    MessageItem,
    Share,
)
from portevoix.links.selectors import clicks_per_link

FEED_SIZE = 50
# How much a followed topic counts against freshness when ordering the feed.
FOLLOWED_TOPIC_BONUS = datetime.timedelta(days=7)
# Shares compared with an ambassador's text: the latest ones, enough to catch a copied wave.
COMPARED_SHARES = 200


def topics_of(organization: Organization) -> QuerySet[Topic]:
    return Topic.objects.filter(organization=organization, is_active=True).order_by("name")


def get_topic(*, organization: Organization, slug: str) -> Topic:
    topic = Topic.objects.filter(organization=organization, slug=slug).first()
    if topic is None:
        raise Http404
    return topic


def houses_overview(
    *, organization: Organization
) -> list[tuple[Topic, MessageHouseVersion | None, MessageHouseVersion | None]]:
    """For each active topic: its approved version and its open version (draft or in review)."""
    versions = MessageHouseVersion.objects.filter(house__organization=organization).exclude(
        status=MessageHouseVersion.Status.SUPERSEDED
    )
    by_topic: dict[int, dict[str, MessageHouseVersion]] = {}
    for version in versions.select_related("house"):
        kind = "approved" if version.status == MessageHouseVersion.Status.APPROVED else "open"
        by_topic.setdefault(version.house.topic_id, {})[kind] = version
    return [
        (topic, by_topic.get(topic.pk, {}).get("approved"), by_topic.get(topic.pk, {}).get("open"))
        for topic in topics_of(organization)
    ]


def house_versions(*, topic: Topic) -> QuerySet[MessageHouseVersion]:
    return MessageHouseVersion.objects.filter(house__topic=topic).select_related("created_by", "approved_by")


def approved_house(*, topic: Topic) -> MessageHouseVersion | None:
    """The version ambassadors read, or None before the first approval."""
    return house_versions(topic=topic).filter(status=MessageHouseVersion.Status.APPROVED).first()


def topics_with_approved_house(*, organization: Organization) -> set[int]:
    rows = MessageHouseVersion.objects.filter(
        house__organization=organization, status=MessageHouseVersion.Status.APPROVED
    )
    return set(rows.values_list("house__topic_id", flat=True))


def open_house_version(*, topic: Topic) -> MessageHouseVersion | None:
    return house_versions(topic=topic).filter(status__in=["draft", "in_review"]).first()


def key_messages(*, organization: Organization) -> QuerySet[MessageItem]:
    """Key messages of approved message houses, for linking a suggested post to one."""
    return (
        MessageItem.objects.filter(
            version__house__organization=organization,
            version__status=MessageHouseVersion.Status.APPROVED,
            kind=MessageItem.Kind.KEY_MESSAGE,
        )
        .select_related("version__house__topic")
        .order_by("version__house__topic__name", "position")
    )


def library(*, organization: Organization, status: str = "") -> QuerySet[ContentItem]:
    items = ContentItem.objects.filter(organization=organization)
    if status:
        items = items.filter(status=status)
    return (
        items.select_related("topic")
        .prefetch_related("variants")
        .annotate(shares_count=Count("shares"))
        .order_by("-updated_at", "-pk")
    )


def library_counts(*, organization: Organization) -> dict[str, int]:
    rows = ContentItem.objects.filter(organization=organization).values("status").annotate(count=Count("pk"))
    counts = {status: 0 for status in ContentItem.Status.values}
    counts.update({row["status"]: row["count"] for row in rows})
    return counts


def get_item_for_editor(*, user: User, item_id: int) -> ContentItem:
    """A suggested post of the editor's organisation; another organisation's is a 404."""
    item = (
        ContentItem.objects.filter(organization=user.organization, pk=item_id)
        .select_related("topic", "message__version__house__topic", "created_by", "approved_by")
        .first()
    )
    if item is None:
        raise Http404
    return item


def similarity_threshold(organization: Organization) -> int:
    settings = ContentSettings.objects.filter(organization=organization).first()
    return settings.similarity_threshold if settings is not None else ContentSettings().similarity_threshold


# The ambassador's side ----------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    item: ContentItem
    variant: ContentVariant
    is_on_followed_topic: bool
    has_shared: bool


def ambassador_languages(user: User) -> list[str]:
    """The languages a person reads posts in: their interface language first, then the others they declared."""
    profile = profile_of(user)
    declared = (profile.posting_language_list if profile else []) + user.language_list
    return list(dict.fromkeys([user.language, *declared]))


def followed_topic_ids(user: User) -> set[int]:
    profile = profile_of(user)
    return set(profile.topics.values_list("pk", flat=True)) if profile is not None else set()


def _visible_items(user: User, now: datetime.datetime) -> QuerySet[ContentItem]:
    populations = user.populations.values("pk")
    return (
        ContentItem.objects.filter(organization=user.organization, status=ContentItem.Status.PUBLISHED)
        .filter(Q(visible_from__isnull=True) | Q(visible_from__lte=now))
        .filter(Q(visible_until__isnull=True) | Q(visible_until__gt=now))
        .filter(Q(populations__isnull=True) | Q(populations__in=populations))
        .filter(Q(is_for_topic_followers_only=False) | Q(topic__in=list(followed_topic_ids(user))))
        .distinct()
    )


def is_ambassador(user: User) -> bool:
    return user.is_active and user.has_role(Role.AMBASSADOR)


def feed_for(*, user: User, now: datetime.datetime | None = None) -> list[FeedEntry]:
    """What an ambassador may share now, newest and most relevant first; empty for anyone else."""
    if not is_ambassador(user):
        return []
    moment = now or timezone.now()
    languages = ambassador_languages(user)
    followed = followed_topic_ids(user)
    items = (
        _visible_items(user, moment)
        .select_related("topic")
        .prefetch_related(Prefetch("variants", queryset=ContentVariant.objects.filter(language__in=languages)))
        .order_by("-published_at")[:FEED_SIZE]
    )
    shared = set(Share.objects.filter(person=user).values_list("item_id", flat=True))
    entries = []
    for item in items:
        variant = _best_variant(list(item.variants.all()), languages)
        if variant is not None:
            entries.append(FeedEntry(item, variant, item.topic_id in followed, item.pk in shared))
    return sorted(entries, key=lambda entry: _rank(entry, moment), reverse=True)


def _rank(entry: FeedEntry, now: datetime.datetime) -> datetime.datetime:
    published = entry.item.published_at or now
    return published + (FOLLOWED_TOPIC_BONUS if entry.is_on_followed_topic else datetime.timedelta())


def _best_variant(variants: list[ContentVariant], languages: list[str]) -> ContentVariant | None:
    ranked = sorted(variants, key=lambda variant: (languages.index(variant.language), variant.level != "general"))
    return ranked[0] if ranked else None


def get_item_for_ambassador(*, user: User, item_id: int, now: datetime.datetime | None = None) -> ContentItem:
    """A post the ambassador may share now; anything else (not aimed at them, embargoed, expired,
    another organisation's, or the viewer not an ambassador) is a 404."""
    if not is_ambassador(user):
        raise Http404
    item = _visible_items(user, now or timezone.now()).filter(pk=item_id).select_related("topic").first()
    if item is None:
        raise Http404
    return item


def variants_for(*, user: User, item: ContentItem) -> list[ContentVariant]:
    """The post's variants in the ambassador's languages, their own language first."""
    languages = ambassador_languages(user)
    variants = [variant for variant in item.variants.all() if variant.language in languages]
    return sorted(variants, key=lambda variant: (languages.index(variant.language), variant.level != "general"))


def other_shares_texts(*, item: ContentItem, person: User) -> list[str]:
    """Other ambassadors' texts for the same content, latest first."""
    rows = Share.objects.filter(item=item).exclude(person=person).order_by("-created_at")
    return list(rows.values_list("text", flat=True)[:COMPARED_SHARES])


def shares_of(*, user: User, limit: int = 100) -> list[tuple[Share, int]]:
    return with_clicks(Share.objects.filter(person=user).select_related("item").order_by("-created_at")[:limit])


def with_clicks(shares: QuerySet[Share]) -> list[tuple[Share, int]]:
    """Each share with the clicks on its tracked link (counted by the links app, never per visitor)."""
    rows = list(shares)
    clicks = clicks_per_link([share.tracked_link_id for share in rows if share.tracked_link_id is not None])
    return [(share, clicks.get(share.tracked_link_id or 0, 0)) for share in rows]


def item_shares(*, item: ContentItem, limit: int = 50) -> list[tuple[Share, int]]:
    return with_clicks(Share.objects.filter(item=item).select_related("person").order_by("-created_at")[:limit])
