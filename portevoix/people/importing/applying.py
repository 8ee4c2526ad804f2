"""Writing an import plan: bulk inserts and set-based updates, to be called inside one transaction."""

import secrets
import sqlite3
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from portevoix.accounts.models import Department, Entity, Organization, User
from portevoix.people.importing import rows as f
from portevoix.people.importing.planning import ImportPlan, PlannedRow, name_key
from portevoix.people.models import StagedPersonChange

BATCH_SIZE = 1000
# New people are created manager first, one level of the hierarchy per insert; past this depth
# (or in a loop of managers) the remaining ones get their manager by a second pass.
MAX_MANAGER_LEVELS = 30

# The User field each import column writes (the manager and populations are written apart).
_USER_FIELDS = {
    f.FULL_NAME: "full_name",
    f.EMPLOYEE_NUMBER: "employee_number",
    f.DEPARTMENT: "department",
    f.ENTITY: "entity",
    f.JOB_TITLE: "job_title",
    f.LOCATION: "location",
    f.LANGUAGES: "languages",
    f.HIRE_DATE: "hire_date",
    f.ACTIVE: "is_active",
}


@dataclass(frozen=True)
class AppliedCounts:
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class _Context:
    job_id: int
    organization: Organization
    departments: dict[str, int]
    entities: dict[str, int]


def apply_plan(*, job_id: int, organization: Organization, plan: ImportPlan, fields: frozenset[str]) -> AppliedCounts:
    """Write every change of the plan; the caller's transaction makes it all-or-nothing."""
    assert transaction.get_connection().in_atomic_block, "an import must be applied inside one transaction"
    context = _Context(
        job_id=job_id,
        organization=organization,
        departments=_ensure_names(Department, organization, plan.new_departments, plan.directory.departments),
        entities=_ensure_names(Entity, organization, plan.new_entities, plan.directory.entities),
    )
    ids = {planned.row.email: planned.person_id for planned in plan.rows if planned.person_id is not None}
    created, without_manager = _create_people(context, plan, ids)
    changed = [
        _stage(context, planned.person_id, planned)
        for planned in plan.rows
        if planned.person_id is not None and planned.is_changed
    ]
    _update_people(job_id, changed, ["email", *(_USER_FIELDS[column] for column in fields if column in _USER_FIELDS)])
    if f.MANAGER in fields:
        _write_managers(context, plan, ids, without_manager)
    if f.POPULATIONS in fields:
        _write_populations(plan, ids)
    return AppliedCounts(created=created, updated=len(changed), unchanged=len(plan.rows) - created - len(changed))


def _ensure_names[Named: (Department, Entity)](
    model: type[Named], organization: Organization, names: tuple[str, ...], existing: dict[str, int]
) -> dict[str, int]:
    created = model.objects.bulk_create([model(organization=organization, name=name) for name in names])
    return existing | {name_key(item.name): item.pk for item in created}


def _create_people(context: _Context, plan: ImportPlan, ids: dict[str, int]) -> tuple[int, set[str]]:
    """Insert new people, managers before their reports; returns how many, and who still lacks a manager."""
    pending = [planned for planned in plan.rows if planned.person_id is None]
    created = 0
    for _level in range(MAX_MANAGER_LEVELS):
        ready = [planned for planned in pending if not planned.manager_new_email or planned.manager_new_email in ids]
        if not ready:
            break
        people = [_build(context, planned, ids) for planned in ready]
        User.objects.bulk_create(people, batch_size=BATCH_SIZE)
        ids.update({person.email: person.pk for person in people})
        created += len(people)
        pending = [planned for planned in pending if planned.row.email not in ids]
        if not pending:
            return created, set()
    people = [_build(context, planned, ids) for planned in pending]
    User.objects.bulk_create(people, batch_size=BATCH_SIZE)
    ids.update({person.email: person.pk for person in people})
    return created + len(people), {planned.row.email for planned in pending}


def _build(context: _Context, planned: PlannedRow, ids: dict[str, int]) -> User:
    row = planned.row
    person = User(
        organization=context.organization,
        email=row.email,
        full_name=row.full_name,
        employee_number=row.employee_number,
        department_id=context.departments[name_key(row.department)] if row.department else None,
        entity_id=context.entities[name_key(row.entity)] if row.entity else None,
        job_title=row.job_title,
        location=row.location,
        languages=row.languages_value,
        hire_date=row.hire_date,
        manager_id=ids.get(planned.manager_new_email) if planned.manager_new_email else planned.manager_id,
        is_active=row.is_active,
        language=context.organization.default_language,
        date_joined=timezone.now(),
    )
    # The same kind of value as set_unusable_password(), without its 40 calls to secrets.choice.
    person.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
    return person


def _stage(context: _Context, person_id: int, planned: PlannedRow) -> StagedPersonChange:
    row = planned.row
    return StagedPersonChange(
        job_id=context.job_id,
        person_id=person_id,
        email=row.email,
        full_name=row.full_name,
        employee_number=row.employee_number,
        department_id=context.departments[name_key(row.department)] if row.department else None,
        entity_id=context.entities[name_key(row.entity)] if row.entity else None,
        job_title=row.job_title,
        location=row.location,
        languages=row.languages_value,
        hire_date=row.hire_date,
        is_active=row.is_active,
    )


def _write_managers(context: _Context, plan: ImportPlan, ids: dict[str, int], without_manager: set[str]) -> None:
    changes: list[StagedPersonChange] = []
    for planned in plan.rows:
        if planned.person_id is None and planned.row.email not in without_manager:
            continue  # created with its manager
        manager_id = ids[planned.manager_new_email] if planned.manager_new_email else planned.manager_id
        current = plan.directory.people[planned.person_id].manager_id if planned.person_id is not None else None
        if manager_id != current:
            changes.append(
                StagedPersonChange(job_id=context.job_id, person_id=ids[planned.row.email], manager_id=manager_id)
            )
    _update_people(context.job_id, changes, ["manager"])


def _update_people(job_id: int, changes: list[StagedPersonChange], fields: list[str]) -> None:
    """Copy `fields` of the staged changes onto the people, in one UPDATE whatever their number."""
    if not changes:
        return
    StagedPersonChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
    columns = [_column(field) for field in fields]
    if _supports_update_from():
        _update_from_staged(job_id, columns)
    else:
        staged = StagedPersonChange.objects.filter(job_id=job_id)
        row = staged.filter(person_id=OuterRef("pk"))
        values = {column: Subquery(row.values(column)[:1]) for column in columns}
        User.objects.filter(pk__in=staged.values("person_id")).update(**values)
    StagedPersonChange.objects.filter(job_id=job_id).delete()


def _column(field_name: str) -> str:
    field = User._meta.get_field(field_name)
    assert isinstance(field, models.Field)
    return str(field.column)


def _supports_update_from() -> bool:
    return connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 33)
    )


def _update_from_staged(job_id: int, columns: list[str]) -> None:
    # UPDATE … FROM reads each staged row once (a join), where the portable form runs one
    # subquery per column and person; PostgreSQL and SQLite 3.33+ spell it the same way.
    quote = connection.ops.quote_name
    people, staged = quote(User._meta.db_table), quote(StagedPersonChange._meta.db_table)
    assignments = ", ".join(f"{quote(column)} = staged.{quote(column)}" for column in columns)
    sql = (
        f"UPDATE {people} SET {assignments} FROM {staged} AS staged "  # noqa: S608 - names from model metadata
        f"WHERE staged.{quote('job_id')} = %s AND staged.{quote('person_id')} = {people}.{quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [job_id])


def _write_populations(plan: ImportPlan, ids: dict[str, int]) -> None:
    through = User.populations.through
    changed_ids: list[int] = []
    memberships: list[Any] = []
    for planned in plan.rows:
        wanted = frozenset(planned.row.populations)
        if planned.person_id is not None and plan.directory.people[planned.person_id].populations == wanted:
            continue
        person_id = ids[planned.row.email]
        changed_ids.append(person_id)
        memberships.extend(
            through(user_id=person_id, population_id=plan.directory.populations[slug]) for slug in sorted(wanted)
        )
    existing_ids = [person_id for person_id in changed_ids if person_id in plan.directory.people]
    for start in range(0, len(existing_ids), BATCH_SIZE):
        through.objects.filter(user_id__in=existing_ids[start : start + BATCH_SIZE]).delete()
    through.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
