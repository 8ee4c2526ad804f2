"""Reads about crises: the one on now, a crisis as a person may see it, its timeline and counts."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from portevoix.accounts.models import Organization, User
from portevoix.accounts.roles import Role
from portevoix.crisis.models import Crisis, CrisisNotice, TimelineEntry
from portevoix.crisis.signals import crisis_preview

# Every page shows the banner of a crisis on: the answer is kept per process for a few seconds
# so that pages do not pay a query for it. Switching clears it in the process that switched;
# other web processes see the change when their copy expires.
BANNER_CACHE_SECONDS = 10
_NO_CRISIS = 0


def active_crisis(organization: Organization | int) -> Crisis | None:
    """The crisis on in this organisation now, if any."""
    return Crisis.objects.filter(organization=organization, ended_at__isnull=True).first()


def crisis_is_on() -> Exists:
    """An expression, for a queryset of rows with an `organization` field: a crisis is on there.

    For conditions checked in the same statement as a write (a publishing claim, for instance).
    """
    return Exists(Crisis.objects.filter(organization=OuterRef("organization"), ended_at__isnull=True))


def _banner_key(organization_id: int) -> str:
    return f"crisis:active:{organization_id}"


def active_crisis_for_banner(organization_id: int) -> Crisis | None:
    """`active_crisis`, at most a few seconds old: for the banner on every page, not for decisions."""
    key = _banner_key(organization_id)
    cached = cache.get(key)
    if cached is None:
        crisis = active_crisis(organization_id)
        cache.set(key, crisis if crisis is not None else _NO_CRISIS, BANNER_CACHE_SECONDS)
        return crisis
    return cached if isinstance(cached, Crisis) else None


def forget_active_crisis(organization_id: int) -> None:
    cache.delete(_banner_key(organization_id))


def get_crisis_for_user(*, user: User, crisis_id: int) -> Crisis:
    """A crisis of the person's organisation; any other is a 404."""
    crisis = (
        Crisis.objects.select_related("started_by", "ended_by")
        .filter(organization=user.organization_id, pk=crisis_id)
        .first()
    )
    if crisis is None:
        raise Http404
    return crisis


def past_crises(*, organization: Organization) -> QuerySet[Crisis]:
    """Lifted crises, the latest first."""
    return (
        Crisis.objects.filter(organization=organization, ended_at__isnull=False)
        .select_related("started_by", "ended_by")
        .order_by("-started_at")
    )


def timeline(*, crisis: Crisis) -> QuerySet[TimelineEntry]:
    return crisis.timeline.select_related("actor").order_by("at", "pk")


def ambassadors(*, organization: Organization | int) -> QuerySet[User]:
    """The people of the organisation who hold the ambassador role and may sign in."""
    return User.objects.filter(organization=organization, is_active=True, roles__role=Role.AMBASSADOR)


@dataclass(frozen=True)
class NoticeCounts:
    recipients: int
    emailed: int
    read: int
    told_lifted: int


def notice_counts(*, crisis: Crisis) -> NoticeCounts:
    """How many ambassadors the notice went to, how many were e-mailed, read it, were told of the lift."""
    counts = CrisisNotice.objects.filter(crisis=crisis).aggregate(
        recipients=Count("pk"),
        emailed=Count("pk", filter=Q(emailed_at__isnull=False)),
        read=Count("pk", filter=Q(read_at__isnull=False)),
        told_lifted=Count("pk", filter=Q(lift_emailed_at__isnull=False)),
    )
    return NoticeCounts(**counts)


@dataclass(frozen=True)
class SwitchPreview:
    """What switching crisis mode on would do now, for the confirmation step."""

    effects: list[str]
    ambassadors: int


def switch_preview(*, organization: Organization) -> SwitchPreview:
    """Ask the layers above what they would freeze, and count the ambassadors to notify."""
    answers = crisis_preview.send(sender=Crisis, organization=organization)
    effects = [str(said) for _receiver, said in answers if isinstance(said, str) and said]
    return SwitchPreview(effects=effects, ambassadors=ambassadors(organization=organization).count())


def notice_for(*, crisis: Crisis, person: User) -> CrisisNotice | None:
    return CrisisNotice.objects.filter(crisis=crisis, recipient=person).first()
