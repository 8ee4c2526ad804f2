"""Reads about channels and the outbox, scoped by organisation."""

from collections.abc import Iterable

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When
from django.shortcuts import get_object_or_404

from portevoix.accounts.models import User
from portevoix.channels.models import Alert, Attempt, Channel, Dispatch


def dispatches_for_sources(source_keys: Iterable[str]) -> QuerySet[Dispatch]:
    """Dispatches of these source keys (on any channel), with their channel, for the apps that created them.

    Source keys are namespaced by the app that makes them (e.g. "post:42:variant:7"), so callers
    see only their own; callers scope by organisation through the objects the keys name.
    """
    return Dispatch.objects.filter(source_key__in=list(source_keys)).select_related("channel")


def channels_of(user: User) -> QuerySet[Channel]:
    """The organisation's channels (not the disconnected ones first), with their queue counts."""
    waiting = [Dispatch.State.SCHEDULED, Dispatch.State.SENDING]
    needing = [Dispatch.State.UNCONFIRMED, Dispatch.State.FAILED, Dispatch.State.FROZEN]
    return (
        Channel.objects.filter(organization=user.organization)
        .annotate(
            waiting_count=Count("dispatches", filter=Q(dispatches__state__in=waiting)),
            attention_count=Count("dispatches", filter=Q(dispatches__state__in=needing)),
            sent_count=Count("dispatches", filter=Q(dispatches__state=Dispatch.State.SENT)),
        )
        .order_by(Case(When(state=Channel.State.DISCONNECTED, then=1), default=0), "network", "name")
    )


def get_channel_for_user(*, user: User, channel_id: int) -> Channel:
    """One channel of the person's organisation; another organisation's is a 404."""
    return get_object_or_404(Channel.objects.select_related("owner"), pk=channel_id, organization=user.organization)


def get_dispatch_for_user(*, user: User, dispatch_id: int) -> Dispatch:
    """One dispatch of the person's organisation; another organisation's is a 404."""
    return get_object_or_404(Dispatch.objects.select_related("channel"), pk=dispatch_id, organization=user.organization)


def queue_of(channel: Channel, *, state: str = "") -> QuerySet[Dispatch]:
    """The channel's dispatches, those needing a person first, then by scheduled time (latest first), with attempts."""
    dispatches = channel.dispatches.all()
    if state:
        dispatches = dispatches.filter(state=state)
    urgent = Case(
        When(state__in=[Dispatch.State.UNCONFIRMED, Dispatch.State.FAILED], then=0),
        When(state__in=[Dispatch.State.SENDING, Dispatch.State.SCHEDULED, Dispatch.State.FROZEN], then=1),
        default=2,
    )
    return dispatches.order_by(urgent, "-scheduled_at", "-pk").prefetch_related(
        Prefetch("attempt_log", queryset=Attempt.objects.select_related("actor").order_by("started_at", "pk"))
    )


def unread_alerts(*, user: User, channel: Channel | None = None) -> QuerySet[Alert]:
    alerts = Alert.objects.filter(recipient=user, read_at__isnull=True).select_related("channel", "dispatch")
    return alerts.filter(channel=channel) if channel is not None else alerts
