"""The directory in the REST API: /api/v1/people and /api/v1/people/{id}."""

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request, ensure_permission
from portevoix.accounts.roles import Permission
from portevoix.people import selectors

router = Router(tags=["people"])


class PeopleQuery(Schema):
    search: str = Field("", max_length=200, description="Part of a name, e-mail or job title, or an employee number")
    department: int | None = Field(None, description="Department id")
    entity: int | None = Field(None, description="Entity id")
    population: int | None = Field(None, description="Population id")
    language: str = Field("", max_length=8, description="Language code, e.g. fr")
    role: str = Field("", max_length=32, description="Role, e.g. ambassador")
    status: str = Field(selectors.Status.ACTIVE, pattern="^(active|left|all)$")


class NamedOut(Schema):
    """A department or an entity."""

    id: int
    name: str


class PopulationOut(Schema):
    key: str
    name: str


class PersonOut(Schema):
    id: int
    email: str
    full_name: str
    employee_number: str
    job_title: str
    location: str
    languages: list[str]
    hire_date: datetime.date | None
    department: NamedOut | None
    entity: NamedOut | None
    manager_id: int | None
    populations: list[PopulationOut]
    roles: list[str]
    is_active: bool

    @staticmethod
    def resolve_languages(person: User) -> list[str]:
        return person.language_list

    @staticmethod
    def resolve_populations(person: User) -> list[PopulationOut]:
        return [PopulationOut(key=population.slug, name=population.name) for population in person.populations.all()]

    @staticmethod
    def resolve_roles(person: User) -> list[str]:
        return [role.role for role in person.roles.all()]


@router.get("", response=list[PersonOut], summary="Search the directory")
@paginate(PageNumberPagination, page_size=50, max_page_size=200)
def list_people(request: HttpRequest, filters: Query[PeopleQuery]) -> QuerySet[User]:
    user = authenticated_request(request).user
    ensure_permission(user, Permission.VIEW_DIRECTORY)
    return selectors.directory_people(
        organization=user.organization,
        filters=selectors.DirectoryFilters(
            search=filters.search.strip(),
            department_id=filters.department,
            entity_id=filters.entity,
            population_id=filters.population,
            language=filters.language.lower(),
            role=filters.role,
            status=filters.status,
        ),
    )


@router.get("/{person_id}", response=PersonOut, summary="One person of the directory")
def get_person(request: HttpRequest, person_id: int) -> User:
    user = authenticated_request(request).user
    ensure_permission(user, Permission.VIEW_DIRECTORY)
    return selectors.get_person_for_user(user=user, person_id=person_id)
