"""The numbers behind the map of the three layers (X1)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from portevoix.accounts.models import Department, Organization, Population, User, UserRole
from portevoix.accounts.roles import Role


@dataclass(frozen=True)
class PopulationCount:
    name: str
    members: int


@dataclass(frozen=True)
class DepartmentCount:
    name: str
    people: int
    ambassadors: int


@dataclass(frozen=True)
class LayerMap:
    people: int
    departments: int
    new_hires_last_year: int
    ambassadors: int
    populations: list[PopulationCount]
    candidates: int
    community_team: int
    by_department: list[DepartmentCount]


def _people_with_role(organization: Organization, *roles: Role) -> int:
    return (
        UserRole.objects.filter(user__organization=organization, user__is_active=True, role__in=roles)
        .values("user_id")
        .distinct()
        .count()
    )


def layer_map(*, organization: Organization) -> LayerMap:
    """Live counts for each layer, aggregated in the database so they stay fast at any size."""
    active = User.objects.filter(organization=organization, is_active=True)
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    populations = (
        Population.objects.filter(organization=organization)
        .annotate(members_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("-members_count", "name")
    )
    departments = (
        Department.objects.filter(organization=organization)
        .annotate(
            people_count=Count("people", filter=Q(people__is_active=True), distinct=True),
            ambassador_count=Count(
                "people",
                filter=Q(people__is_active=True, people__roles__role=Role.AMBASSADOR),
                distinct=True,
            ),
        )
        .order_by("-people_count", "name")
    )
    return LayerMap(
        people=active.count(),
        departments=Department.objects.filter(organization=organization).count(),
        new_hires_last_year=active.filter(hire_date__gte=year_ago).count(),
        ambassadors=_people_with_role(organization, Role.AMBASSADOR),
        populations=[PopulationCount(p.name, p.members_count) for p in populations],
        candidates=active.filter(populations__isnull=False).distinct().count(),
        community_team=_people_with_role(organization, Role.COMMUNITY_MANAGER, Role.COMMUNICATION_DIRECTOR),
        by_department=[DepartmentCount(d.name, d.people_count, d.ambassador_count) for d in departments],
    )
