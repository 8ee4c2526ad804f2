"""Reads of requests, always scoped to the viewer: their own requests, or the team's queue."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from portevoix.accounts.models import Organization, User
from portevoix.accounts.roles import Permission, Role, permissions_for
from portevoix.asks.models import Ask, AskMessage


@dataclass(frozen=True)
class UnreadCounts:
    """Requests with something new: as their author, and (for the team) in the queue."""

    mine: int
    team: int

    @property
    def total(self) -> int:
        return self.mine + self.team


def is_team_member(user: User) -> bool:
    return user.can(Permission.ANSWER_ASKS)


def team_roles() -> list[Role]:
    """The roles whose holders answer requests, read from the grants so they never disagree."""
    return [role for role in Role if Permission.ANSWER_ASKS in permissions_for(frozenset({role}))]


def team_members(*, organization: Organization) -> QuerySet[User]:
    """The active people of an organisation who answer requests, by name."""
    people = User.objects.filter(organization=organization, is_active=True, roles__role__in=team_roles())
    return people.distinct().order_by("full_name", "id")


def get_ask_for_user(*, user: User, ask_id: int) -> Ask:
    """A request its author or the team of its organisation may see; 404 for anyone else."""
    asks = Ask.objects.filter(organization=user.organization).select_related("author", "assignee")
    if not is_team_member(user):
        asks = asks.filter(author=user)
    return get_object_or_404(asks, pk=ask_id)


def thread(*, ask: Ask) -> list[AskMessage]:
    """The messages of a request, oldest first."""
    return list(AskMessage.objects.filter(ask=ask).select_related("author").order_by("created_at", "id"))


def asks_of(*, author: User) -> QuerySet[Ask]:
    """A person's own requests, the most recently active first."""
    return (
        Ask.objects.filter(organization=author.organization, author=author)
        .select_related("assignee")
        .order_by("-last_activity_at", "-id")
    )


def queue(*, organization: Organization, status: str) -> QuerySet[Ask]:
    """The team's requests in one status, the one waiting longest first."""
    return (
        Ask.objects.filter(organization=organization, status=status)
        .select_related("author", "assignee")
        .defer("draft", "check_report", "author__languages")
        .order_by("last_activity_at", "id")
    )


def queue_counts(*, organization: Organization) -> dict[str, int]:
    """How many requests each status holds, every status present."""
    counts = dict(
        Ask.objects.filter(organization=organization).values_list("status").annotate(count=Count("id")).order_by()
    )
    return {status: counts.get(status, 0) for status in Ask.Status.values}


def unread_counts(*, user: User) -> UnreadCounts:
    """Requests with a message the person has not opened yet."""
    mine = Ask.objects.filter(organization=user.organization, author=user, is_unread_by_author=True).count()
    team = (
        Ask.objects.filter(organization=user.organization, is_unread_by_team=True).exclude(author=user).count()
        if is_team_member(user)
        else 0
    )
    return UnreadCounts(mine=mine, team=team)
