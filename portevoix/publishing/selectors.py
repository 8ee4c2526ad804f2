"""Reads of the editorial side, always scoped to the viewer's organisation.

A post's publishing state is read from its dispatches in the channels outbox, never copied.
"""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portevoix.accounts.models import Organization, User
from portevoix.accounts.roles import Role
from portevoix.channels.models import Channel, Dispatch
from portevoix.channels.selectors import dispatches_for_sources
from portevoix.publishing.models import ApprovalStep, Campaign, Post, PostDecision, PostRevision

SENDING, SENT, UNCONFIRMED = Dispatch.State.SENDING, Dispatch.State.SENT, Dispatch.State.UNCONFIRMED
FAILED, FROZEN = Dispatch.State.FAILED, Dispatch.State.FROZEN
# A dispatch in one of these states may already be on the network: its post can no longer change.
PUBLISHED_STATES: frozenset[str] = frozenset({SENDING, SENT, UNCONFIRMED})


class CalendarStatus(models.TextChoices):
    """Where a post stands, from its approval and its dispatches: what the calendar shows and filters."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REJECTED = "rejected", _("Rejected")
    SCHEDULED = "scheduled", pgettext_lazy("an official post", "Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    FROZEN = "frozen", _("Frozen")


@dataclass(frozen=True)
class PostCard:
    """A post as the calendar and lists show it: its status and its dispatches."""

    post: Post
    status: CalendarStatus
    dispatches: list[Dispatch]

    @property
    def channels(self) -> list[Channel]:
        return [variant.channel for variant in self.post.variants.all()]

    @property
    def is_movable(self) -> bool:
        return self.status not in (CalendarStatus.PUBLISHING, CalendarStatus.PUBLISHED)


def time_zone(organization: Organization) -> zoneinfo.ZoneInfo:
    """The organisation's time zone, in which posts are scheduled and the calendar is drawn.

    One per installation for now (PORTEVOIX_TIME_ZONE); this is the one place to change when
    organisations get their own.
    """
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def calendar_status(post: Post, states: Iterable[str]) -> CalendarStatus:
    if post.status != Post.Status.APPROVED:
        return CalendarStatus(post.status)
    present = set(states) - {Dispatch.State.CANCELLED}
    if FROZEN in present:
        return CalendarStatus.FROZEN
    if present & {FAILED, UNCONFIRMED}:
        return CalendarStatus.NEEDS_ATTENTION
    if present and present <= {SENT}:
        return CalendarStatus.PUBLISHED
    if present & {SENDING, SENT}:
        return CalendarStatus.PUBLISHING
    return CalendarStatus.SCHEDULED


def dispatches_of(posts: Iterable[Post]) -> dict[str, list[Dispatch]]:
    """The dispatches of these posts, by source key, those of the posts' organisations only."""
    posts = list(posts)
    if not posts:
        return {}
    found = (
        dispatches_for_sources([post.source_key for post in posts])
        .filter(organization__in={post.organization_id for post in posts})
        .select_related("channel")
        .order_by("channel__name", "pk")
    )
    grouped: dict[str, list[Dispatch]] = defaultdict(list)
    for dispatch in found:
        grouped[dispatch.source_key].append(dispatch)
    return grouped


def dispatch_states(post: Post) -> set[str]:
    return {dispatch.state for dispatch in dispatches_of([post]).get(post.source_key, [])}


def post_card(post: Post) -> PostCard:
    dispatches = dispatches_of([post]).get(post.source_key, [])
    return PostCard(post, calendar_status(post, (item.state for item in dispatches)), dispatches)


def _cards(posts: list[Post]) -> list[PostCard]:
    dispatches = dispatches_of(posts)
    cards = []
    for post in posts:
        found = dispatches.get(post.source_key, [])
        cards.append(PostCard(post, calendar_status(post, (item.state for item in found)), found))
    return cards


def _posts(organization: Organization) -> QuerySet[Post]:
    return (
        Post.objects.filter(organization=organization)
        .select_related("campaign", "author")
        .prefetch_related(models.Prefetch("variants__channel"))
    )


def calendar_posts(
    *,
    organization: Organization,
    start: datetime.datetime,
    end: datetime.datetime,
    channel_id: int | None = None,
    campaign_id: int | None = None,
    status: str = "",
) -> list[PostCard]:
    """The posts scheduled between `start` and `end`, filtered, in time order."""
    posts = _posts(organization).filter(scheduled_at__gte=start, scheduled_at__lt=end)
    if channel_id is not None:
        posts = posts.filter(variants__channel_id=channel_id)
    if campaign_id is not None:
        posts = posts.filter(campaign_id=campaign_id)
    cards = _cards(list(posts.distinct().order_by("scheduled_at", "pk")))
    return [card for card in cards if not status or card.status == status]


def unscheduled_posts(*, organization: Organization) -> list[PostCard]:
    """Drafts without a publication time yet, the most recently changed first."""
    return _cards(list(_posts(organization).filter(scheduled_at__isnull=True).order_by("-updated_at", "-pk")[:50]))


def get_post_for_user(*, user: User, post_id: int) -> Post:
    """A post of the viewer's organisation; 404 for any other."""
    return get_object_or_404(_posts(user.organization), pk=post_id)


def approval_steps(organization: Organization) -> list[ApprovalStep]:
    return list(ApprovalStep.objects.filter(organization=organization))


def _pending_step(post: Post, steps: list[ApprovalStep], approved_step_ids: set[int]) -> ApprovalStep | None:
    for step in steps:
        applies = step.applies_to(is_sensitive=post.is_sensitive, has_warning=post.has_warning)
        if applies and step.pk not in approved_step_ids:
            return step
    return None


def _approved_steps(post: Post) -> set[int]:
    decisions = PostDecision.objects.filter(post=post, revision=post.revision, kind=PostDecision.Kind.APPROVED)
    return {step_id for step_id in decisions.values_list("step_id", flat=True) if step_id is not None}


def current_step(post: Post) -> ApprovalStep | None:
    """The first step that applies to the post and has not approved its current revision yet."""
    return _pending_step(post, approval_steps(post.organization), _approved_steps(post))


def steps_of(post: Post) -> list[tuple[ApprovalStep, bool]]:
    """The steps that apply to the post, each with whether it approved the current revision."""
    approved = _approved_steps(post)
    return [
        (step, step.pk in approved)
        for step in approval_steps(post.organization)
        if step.applies_to(is_sensitive=post.is_sensitive, has_warning=post.has_warning)
    ]


def posts_awaiting_decision(*, user: User) -> list[tuple[PostCard, ApprovalStep, bool]]:
    """Posts in review, soonest first, with their current step and whether the viewer decides it."""
    posts = list(_posts(user.organization).filter(status=Post.Status.IN_REVIEW).order_by("scheduled_at", "pk"))
    steps = approval_steps(user.organization)
    approved: dict[int, set[int]] = defaultdict(set)
    decisions = PostDecision.objects.filter(post__in=posts, kind=PostDecision.Kind.APPROVED).values_list(
        "post_id", "revision", "step_id"
    )
    revisions = {post.pk: post.revision for post in posts}
    for post_id, revision, step_id in decisions:
        if revisions[post_id] == revision and step_id is not None:
            approved[post_id].add(step_id)
    result = []
    for card in _cards(posts):
        step = _pending_step(card.post, steps, approved[card.post.pk])
        if step is not None:
            decides = user.has_role(Role(step.role)) and card.post.author_id != user.pk
            result.append((card, step, decides))
    return result


def decisions_of(post: Post) -> list[PostDecision]:
    return list(PostDecision.objects.filter(post=post).select_related("actor"))


def revisions_of(post: Post) -> list[PostRevision]:
    return list(PostRevision.objects.filter(post=post).select_related("author"))


def campaigns(*, organization: Organization, include_archived: bool = False) -> QuerySet[Campaign]:
    found = Campaign.objects.filter(organization=organization)
    return found if include_archived else found.filter(is_archived=False)


def get_campaign_for_user(*, user: User, campaign_id: int) -> Campaign:
    return get_object_or_404(Campaign, organization=user.organization, pk=campaign_id)


def get_step_for_user(*, user: User, step_id: int) -> ApprovalStep:
    return get_object_or_404(ApprovalStep, organization=user.organization, pk=step_id)


def channels_of(organization: Organization) -> QuerySet[Channel]:
    """The channels a post may go to, by name."""
    return Channel.objects.filter(organization=organization).order_by("name", "pk")
