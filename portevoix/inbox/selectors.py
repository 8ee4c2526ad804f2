"""What the inbox shows, always within the reader's organisation."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portevoix.accounts.models import User
from portevoix.accounts.roles import Role
from portevoix.channels.models import Channel, Dispatch
from portevoix.channels.selectors import dispatches_for_sources
from portevoix.inbox.models import Message, Reply, SavedReply, Tag


@dataclass(frozen=True)
class MessageFilters:
    status: str = "open"  # "open" (anything not done), "all", or one Message.Status
    channel_id: int | None = None
    assignee: str = ""  # "", "me", "nobody", or a person's id
    risk: str = ""
    tag: str = ""
    query: str = ""


def team_of(user: User) -> QuerySet[User]:
    """Who can be assigned a message: the organisation's community managers and communication directors."""
    return (
        User.objects.filter(organization=user.organization, is_active=True)
        .filter(Q(roles__role=Role.COMMUNITY_MANAGER) | Q(roles__role=Role.COMMUNICATION_DIRECTOR))
        .distinct()
        .order_by("full_name")
    )


def messages_for(user: User, filters: MessageFilters) -> QuerySet[Message]:
    messages = Message.objects.filter(organization=user.organization).select_related("channel", "assignee")
    if filters.status == "open":
        messages = messages.exclude(status=Message.Status.DONE)
    elif filters.status in Message.Status.values:
        messages = messages.filter(status=filters.status)
    if filters.channel_id is not None:
        messages = messages.filter(channel_id=filters.channel_id)
    if filters.assignee == "me":
        messages = messages.filter(assignee=user)
    elif filters.assignee == "nobody":
        messages = messages.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        messages = messages.filter(assignee_id=int(filters.assignee))
    if filters.risk in Message.Risk.values:
        messages = messages.filter(risk=filters.risk)
    if filters.tag:
        messages = messages.filter(tags__name=filters.tag)
    if filters.query:
        messages = messages.filter(
            Q(text__icontains=filters.query)
            | Q(author_handle__icontains=filters.query)
            | Q(author_name__icontains=filters.query)
        )
    return messages.prefetch_related("tags").order_by("due_at", "pk")


def get_message_for(user: User, message_id: int) -> Message:
    """The message if it belongs to the reader's organisation; a 404 otherwise."""
    return get_object_or_404(
        Message.objects.select_related("channel", "assignee"), pk=message_id, organization=user.organization
    )


def thread_of(message: Message) -> list[Message]:
    """The messages around this one on its channel: what it answers and what answered it, in order."""
    related = Q(remote_id=message.in_reply_to) if message.in_reply_to else Q(pk__in=[])
    related |= Q(in_reply_to=message.remote_id)
    return list(
        Message.objects.filter(related, channel_id=message.channel_id).exclude(pk=message.pk).order_by("sent_at")
    )


def replies_with_dispatches(message: Message) -> list[tuple[Reply, Dispatch | None]]:
    replies = list(message.replies.select_related("author"))
    dispatches = {dispatch.source_key: dispatch for dispatch in dispatches_for_sources([r.source_key for r in replies])}
    return [(reply, dispatches.get(reply.source_key)) for reply in replies]


def channels_of(user: User) -> QuerySet[Channel]:
    return Channel.objects.filter(organization=user.organization).order_by("network", "name")


def tags_of(user: User) -> QuerySet[Tag]:
    return Tag.objects.filter(organization=user.organization)


def saved_replies_of(user: User) -> QuerySet[SavedReply]:
    return SavedReply.objects.filter(organization=user.organization)


def open_counts(user: User) -> dict[str, int]:
    """Open messages, those past their target, and those assigned to the reader."""
    open_messages = Message.objects.filter(organization=user.organization).exclude(status=Message.Status.DONE)
    return {
        "open": open_messages.count(),
        "overdue": open_messages.filter(first_response_at__isnull=True, due_at__lt=timezone.now()).count(),
        "mine": open_messages.filter(assignee=user).count(),
    }
