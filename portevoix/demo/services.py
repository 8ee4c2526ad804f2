"""Writes of the demo app: the people of a planned company, and large organisations for measuring."""

import datetime
import itertools
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import connection, transaction
from django.utils import timezone

from portevoix.accounts.models import Department, Entity, Organization, Population, User, UserRole
from portevoix.accounts.roles import Role
from portevoix.accounts.services import (
    create_organization,
    create_person,
    get_or_create_department,
    get_or_create_entity,
)
from portevoix.audit.services import record
from portevoix.demo.generator import PersonPlan
from portevoix.demo.large import DEPARTMENTS, ENTITIES, LargePerson, large_people, manager_of

BATCH_SIZE = 5000


def unusable_password() -> str:
    """What make_password(None) stores, without its per-character cost (seconds at 100,000 people)."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


@dataclass(frozen=True)
class Directory:
    """An organisation's departments, entities and populations, by name (populations by slug)."""

    departments: dict[str, Department]
    entities: dict[str, Entity]
    populations: dict[str, Population]


def build_directory(*, organization: Organization, departments: Iterable[str], entities: Iterable[str]) -> Directory:
    return Directory(
        departments={name: get_or_create_department(organization=organization, name=name) for name in departments},
        entities={name: get_or_create_entity(organization=organization, name=name) for name in entities},
        populations={population.slug: population for population in organization.populations.all()},
    )


def _persona(organization: Organization, plan: PersonPlan, directory: Directory, password_hash: str) -> User:
    person = create_person(
        organization=organization,
        email=plan.email,
        full_name=plan.full_name,
        password=None,
        roles=plan.roles,
        language=plan.language,
        employee_number=plan.employee_number,
        department=directory.departments[plan.department],
        entity=directory.entities[plan.entity],
        job_title=plan.job_title,
        location=plan.location,
        languages=list(plan.languages),
        hire_date=plan.hire_date,
        actor=None,
    )
    person.password = password_hash
    person.save(update_fields=["password"])
    return person


def _unsaved_user(organization: Organization, plan: PersonPlan, directory: Directory) -> User:
    return User(
        organization=organization,
        email=plan.email,
        full_name=plan.full_name,
        password=unusable_password(),
        language=plan.language,
        employee_number=plan.employee_number,
        department=directory.departments[plan.department],
        entity=directory.entities[plan.entity],
        job_title=plan.job_title,
        location=plan.location,
        languages=",".join(sorted(plan.languages)),
        hire_date=plan.hire_date,
    )


def create_planned_people(*, organization: Organization, plans: Sequence[PersonPlan], password: str) -> dict[str, User]:
    """Create a planned company's people and return its personas by key.

    Personas go through `create_person` (audited, signing in with `password`); everyone else is
    bulk-created without a usable password, which the caller records in one audit entry. Then
    managers, populations and roles are added in bulk. All or nothing.
    """
    with transaction.atomic():
        directory = build_directory(
            organization=organization,
            departments=dict.fromkeys(plan.department for plan in plans),
            entities=dict.fromkeys(plan.entity for plan in plans),
        )
        # Hashed once for every persona: a hash costs ~0.3 s by design, and this password is public anyway.
        password_hash = make_password(password)
        users = {plan.index: _persona(organization, plan, directory, password_hash) for plan in plans if plan.persona}
        others = [plan for plan in plans if not plan.persona]
        created = User.objects.bulk_create(
            [_unsaved_user(organization, plan, directory) for plan in others], batch_size=BATCH_SIZE
        )
        users.update(zip((plan.index for plan in others), created, strict=True))
        set_managers(
            pairs=[(users[plan.index].pk, users[plan.manager].pk) for plan in plans if plan.manager is not None]
        )
        add_population_members(
            memberships=(
                (users[plan.index], directory.populations[slug]) for plan in plans for slug in plan.populations
            )
        )
        add_roles(grants=((users[plan.index], role) for plan in others for role in plan.roles))
    return {plan.persona: users[plan.index] for plan in plans if plan.persona}


def set_managers(*, pairs: Sequence[tuple[int, int]]) -> None:
    """Second pass once everyone has a primary key: (person id, manager id) pairs.

    One prepared UPDATE run for every pair rather than QuerySet.bulk_update, which builds a
    CASE expression per row in Python and makes the database scan it for every row of the
    batch: linking 100,000 people took 76 s that way (measured on SQLite), about 2 s this way.
    """
    quote = connection.ops.quote_name
    table, column, primary_key = quote(User._meta.db_table), quote("manager_id"), quote("id")
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {column} = %s WHERE {primary_key} = %s",  # noqa: S608 - names from the model
            [(manager, person) for person, manager in pairs],
        )


def add_population_members(*, memberships: Iterable[tuple[User, Population]]) -> None:
    through = User.populations.through
    rows = [through(user_id=user.pk, population_id=population.pk) for user, population in memberships]
    through.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def add_roles(*, grants: Iterable[tuple[User, Role]]) -> None:
    rows = [UserRole(user=user, role=role) for user, role in grants if role is not Role.EMPLOYEE]
    UserRole.objects.bulk_create(rows, batch_size=BATCH_SIZE)


class OrganizationSizeConflict(Exception):
    """The organisation to seed exists with another number of people; seeding never resizes one."""


@dataclass(frozen=True)
class SeedOutcome:
    organization: Organization
    people: int
    is_created: bool


def seed_large_organization(
    *, slug: str, name: str, people: int, seed: int = 1, today: datetime.date | None = None
) -> SeedOutcome:
    """Create an organisation of `people` generated people for measuring, in one transaction.

    Idempotent: an existing organisation of that slug and size is left alone, one of another
    size raises OrganizationSizeConflict. People are inserted in batches, then linked to their
    managers in a second pass; populations and ambassador roles go in bulk with each batch.
    """
    with transaction.atomic():
        existing = Organization.objects.filter(slug=slug).first()
        if existing is not None:
            count = existing.people.count()
            if count != people:
                raise OrganizationSizeConflict(
                    f"The organisation {slug!r} already exists with {count:,} people, not {people:,}."
                )
            return SeedOutcome(organization=existing, people=count, is_created=False)
        organization = create_organization(name=name, slug=slug, default_language="fr")
        directory = build_directory(
            organization=organization,
            departments=[department.name for department in DEPARTMENTS],
            entities=[entity.name for entity in ENTITIES],
        )
        everyone = large_people(slug=slug, count=people, seed=seed, today=today or timezone.localdate())
        primary_keys = _insert_large_people(organization, directory, everyone)
        _link_large_managers(primary_keys)
        record(organization=organization, actor=None, action="demo.seeded", data={"people": people, "seed": seed})
    return SeedOutcome(organization=organization, people=people, is_created=True)


def _batches(people: Iterator[LargePerson]) -> Iterator[list[LargePerson]]:
    while batch := list(itertools.islice(people, BATCH_SIZE)):
        yield batch


def _insert_large_people(organization: Organization, directory: Directory, people: Iterator[LargePerson]) -> list[int]:
    primary_keys: list[int] = []
    for batch in _batches(people):
        users = User.objects.bulk_create([_unsaved_large_user(organization, person, directory) for person in batch])
        primary_keys.extend(user.pk for user in users)
        pairs = list(zip(batch, users, strict=True))
        add_population_members(
            memberships=((user, directory.populations[slug]) for person, user in pairs for slug in person.populations)
        )
        add_roles(grants=((user, Role.AMBASSADOR) for person, user in pairs if person.is_ambassador))
    return primary_keys


def _unsaved_large_user(organization: Organization, person: LargePerson, directory: Directory) -> User:
    # Ids rather than instances: the related-object descriptors double the cost of each User().
    return User(
        organization_id=organization.pk,
        email=person.email,
        full_name=person.full_name,
        password=unusable_password(),
        language=person.language,
        employee_number=person.employee_number,
        department_id=directory.departments[person.department].pk,
        entity_id=directory.entities[person.entity].pk,
        job_title=person.job_title,
        location=person.location,
        languages=person.languages,
        hire_date=person.hire_date,
    )


def _link_large_managers(primary_keys: list[int]) -> None:
    pairs = ((primary_keys[index], manager_of(index)) for index in range(len(primary_keys)))
    set_managers(pairs=[(person, primary_keys[manager]) for person, manager in pairs if manager is not None])
