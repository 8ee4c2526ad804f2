"""Reads of the directory, always scoped to the viewer's organisation."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from portevoix.accounts.models import Department, Entity, Organization, Population, User, UserRole
from portevoix.accounts.roles import Role
from portevoix.people.models import ImportJob


class Status:
    ACTIVE = "active"
    LEFT = "left"
    ALL = "all"


@dataclass(frozen=True)
class DirectoryFilters:
    """What the directory list is narrowed to; empty values do not filter."""

    search: str = ""
    department_id: int | None = None
    entity_id: int | None = None
    population_id: int | None = None
    language: str = ""
    role: str = ""
    status: str = Status.ACTIVE


@dataclass(frozen=True)
class FilterChoices:
    departments: list[tuple[int, str]]
    entities: list[tuple[int, str]]
    populations: list[tuple[int, str]]


def directory_people(*, organization: Organization, filters: DirectoryFilters) -> QuerySet[User]:
    """People of one organisation matching the filters, sorted by name, ready for a list page.

    Departments and entities are joined and roles and populations prefetched, so a page costs
    the same number of queries whatever its size.
    """
    people = User.objects.filter(organization=organization)
    if filters.search:
        term = filters.search
        people = people.filter(
            Q(full_name__icontains=term)
            | Q(email__icontains=term)
            | Q(job_title__icontains=term)
            | Q(employee_number__iexact=term)
        )
    if filters.department_id is not None:
        people = people.filter(department_id=filters.department_id)
    if filters.entity_id is not None:
        people = people.filter(entity_id=filters.entity_id)
    if filters.population_id is not None:
        people = people.filter(populations__id=filters.population_id)
    if filters.language:
        people = people.filter(_speaks(filters.language))
    if filters.role and filters.role != Role.EMPLOYEE:
        people = people.filter(roles__role=filters.role)
    if filters.status != Status.ALL:
        people = people.filter(is_active=filters.status == Status.ACTIVE)
    return _with_related(people).order_by("full_name", "id")


def _speaks(code: str) -> Q:
    # languages holds sorted codes joined by commas ("en,fr"); see accounts.models.User.
    return (
        Q(languages=code)
        | Q(languages__startswith=f"{code},")
        | Q(languages__endswith=f",{code}")
        | Q(languages__contains=f",{code},")
    )


def _with_related(people: QuerySet[User]) -> QuerySet[User]:
    return people.select_related("department", "entity").prefetch_related(
        Prefetch("populations", queryset=Population.objects.order_by("name")),
        Prefetch("roles", queryset=UserRole.objects.order_by("role")),
    )


def directory_filter_choices(*, organization: Organization) -> FilterChoices:
    """The departments, entities and populations the directory can be filtered by."""
    return FilterChoices(
        departments=list(Department.objects.filter(organization=organization).values_list("id", "name")),
        entities=list(Entity.objects.filter(organization=organization).values_list("id", "name")),
        populations=list(Population.objects.filter(organization=organization).values_list("id", "name")),
    )


def get_person_for_user(*, user: User, person_id: int) -> User:
    """A person of the viewer's organisation, with what the detail page shows; 404 otherwise."""
    people = _with_related(User.objects.filter(organization=user.organization)).select_related("manager")
    return get_object_or_404(people, pk=person_id)


def direct_reports(*, person: User, limit: int = 200) -> list[User]:
    """The people whose manager is `person`, by name."""
    return list(
        User.objects.filter(organization_id=person.organization_id, manager=person).order_by("full_name", "id")[:limit]
    )


def organization_populations(*, organization: Organization) -> QuerySet[Population]:
    return Population.objects.filter(organization=organization).order_by("name")


def get_import_job_for_user(*, user: User, job_id: int) -> ImportJob:
    """An import of the viewer's organisation; 404 otherwise. The file and rows are not loaded."""
    jobs = ImportJob.objects.filter(organization=user.organization).defer("content", "rows")
    return get_object_or_404(jobs, pk=job_id)


def recent_import_jobs(*, organization: Organization, limit: int = 10) -> list[ImportJob]:
    """The organisation's latest imports, newest first, without their files or rows."""
    jobs = ImportJob.objects.filter(organization=organization).defer("content", "rows", "errors")
    return list(jobs.select_related("uploaded_by").order_by("-created_at")[:limit])
