"""The numbers behind the map of the three layers (X1)."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from portevoix.accounts.models import Department, Organization, Population, User, UserRole
from portevoix.accounts.roles import Role
from portevoix.asks.models import Ask
from portevoix.asks.selectors import queue_counts
from portevoix.guidelines.selectors import completion_totals, published_version
from portevoix.incidents.selectors import open_incidents
from portevoix.policies.check_selectors import check_statistics
from portevoix.policies.services import active_version


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
class RulesFigures:
    """What layer 1 stands on: the guidelines and policy in force, and what they gave rise to lately.

    Each figure comes from the selector of the page it summarises, so the map and that page agree.
    """

    guidelines_version: int | None  # None until guidelines are published
    guidelines_audience: int
    guidelines_acknowledged: int
    guidelines_percent: int
    policy_version: int | None  # None until a policy is published
    drafts_checked: int  # over the last CHECK_DAYS days
    findings: int  # one per rule that flagged a draft: a draft flagged by two rules counts twice
    open_asks: int
    open_incidents: int
    severe_open_incidents: int  # high or critical


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
    rules: RulesFigures
    computed_at: datetime.datetime


# The map aggregates every person of the organisation; at 100,000 people that is about 150 ms
# of database time on a small server. Computing it at most twice a minute per organisation keeps
# the page under 100 ms, and the page says when its numbers were taken.
MAP_CACHE_SECONDS = 30
CHECK_DAYS = 7


def layer_map(*, organization: Organization) -> LayerMap:
    """Live counts for each layer, at most MAP_CACHE_SECONDS old."""
    key = f"dashboard:layer-map:{organization.pk}"
    cached: LayerMap | None = cache.get(key)
    if cached is None:
        cached = compute_layer_map(organization=organization)
        cache.set(key, cached, MAP_CACHE_SECONDS)
    return cached


def _people_with_role(organization: Organization, *roles: Role) -> int:
    return (
        UserRole.objects.filter(user__organization=organization, user__is_active=True, role__in=roles)
        .values("user_id")
        .distinct()
        .count()
    )


def compute_layer_map(*, organization: Organization) -> LayerMap:
    """Counts for each layer, aggregated in the database so they stay fast at any size.

    Each count is one GROUP BY over a single table or a narrow join, never a DISTINCT over
    wide rows: at 100,000 people the whole map costs a few tens of milliseconds.
    """
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    per_department = list(
        User.objects.filter(organization=organization, is_active=True)
        .values("department_id")
        .annotate(people=Count("id"), recent=Count("id", filter=Q(hire_date__gte=year_ago)))
        .values_list("department_id", "people", "recent")
    )
    memberships = User.populations.through.objects.filter(user__organization=organization, user__is_active=True)
    members_by_population: dict[int, int] = {
        row["population_id"]: row["members"]
        for row in memberships.values("population_id").annotate(members=Count("user_id"))
    }
    populations = sorted(
        (
            PopulationCount(population.name, members_by_population.get(population.pk, 0))
            for population in Population.objects.filter(organization=organization)
        ),
        key=lambda population: (-population.members, population.name),
    )
    return LayerMap(
        people=sum(row[1] for row in per_department),
        departments=Department.objects.filter(organization=organization).count(),
        new_hires_last_year=sum(row[2] for row in per_department),
        ambassadors=_people_with_role(organization, Role.AMBASSADOR),
        populations=populations,
        candidates=memberships.values("user_id").distinct().count(),
        community_team=_people_with_role(organization, Role.COMMUNITY_MANAGER, Role.COMMUNICATION_DIRECTOR),
        by_department=_by_department(organization, {row[0]: row[1] for row in per_department}),
        rules=_rules_figures(organization),
        computed_at=timezone.now(),
    )


def _by_department(organization: Organization, people: dict[int | None, int]) -> list[DepartmentCount]:
    ambassadors = dict(
        UserRole.objects.filter(
            role=Role.AMBASSADOR, user__organization=organization, user__is_active=True, user__department__isnull=False
        )
        .values("user__department_id")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("user__department_id", "n")
    )
    counts = [
        DepartmentCount(department.name, people.get(department.pk, 0), ambassadors.get(department.pk, 0))
        for department in Department.objects.filter(organization=organization)
    ]
    return sorted(counts, key=lambda department: (-department.people, department.name))


def _rules_figures(organization: Organization) -> RulesFigures:
    """A constant number of aggregate queries, whatever the number of people, checks, requests or incidents."""
    guidelines = published_version(organization)
    totals = completion_totals(version=guidelines) if guidelines is not None else None
    policy = active_version(organization)
    checks = check_statistics(organization=organization, days=CHECK_DAYS)
    incidents = open_incidents(organization=organization)
    return RulesFigures(
        guidelines_version=guidelines.number if guidelines is not None else None,
        guidelines_audience=totals.total if totals else 0,
        guidelines_acknowledged=totals.done if totals else 0,
        guidelines_percent=totals.percent if totals else 0,
        policy_version=policy.number if policy is not None else None,
        drafts_checked=checks.drafts_checked,
        findings=sum(rule.drafts for rule in checks.rules),
        open_asks=queue_counts(organization=organization)[Ask.Status.OPEN],
        open_incidents=incidents.total,
        severe_open_incidents=incidents.severe,
    )
