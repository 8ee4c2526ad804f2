"""Checks that need the directory: matching rows to people, managers, e-mails of other organisations."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portevoix.accounts.models import Department, Entity, Organization, Population, User
from portevoix.people.importing import rows as f
from portevoix.people.importing.rows import ErrorLog, PersonRow, normalize_key

_CHUNK = 500


def name_key(name: str) -> str:
    """Departments and entities match whatever the case and spacing: "R&D " is "r&d"."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class ExistingPerson:
    id: int
    email: str
    employee_number: str
    full_name: str
    department_id: int | None
    entity_id: int | None
    job_title: str
    location: str
    languages: str
    hire_date: datetime.date | None
    manager_id: int | None
    is_active: bool
    populations: frozenset[str]


@dataclass(frozen=True)
class Directory:
    """What an import is compared against: the organisation's people, departments and entities."""

    people: dict[int, ExistingPerson]
    by_email: dict[str, int]
    by_number: dict[str, int]
    departments: dict[str, int]
    entities: dict[str, int]
    populations: dict[str, int]
    emails_elsewhere: frozenset[str]


@dataclass(frozen=True)
class PlannedRow:
    row: PersonRow
    person_id: int | None
    manager_id: int | None
    manager_new_email: str
    is_changed: bool


@dataclass(frozen=True)
class ImportPlan:
    rows: tuple[PlannedRow, ...]
    new_departments: tuple[str, ...]
    new_entities: tuple[str, ...]
    directory: Directory

    @property
    def created(self) -> int:
        return sum(1 for planned in self.rows if planned.person_id is None)

    @property
    def updated(self) -> int:
        return sum(1 for planned in self.rows if planned.person_id is not None and planned.is_changed)

    @property
    def unchanged(self) -> int:
        return sum(1 for planned in self.rows if planned.person_id is not None and not planned.is_changed)


def population_keys(*, organization: Organization) -> dict[str, str]:
    """Each population by its key and by its name, normalised, to its key."""
    keys: dict[str, str] = {}
    for slug, name in Population.objects.filter(organization=organization).values_list("slug", "name"):
        keys[normalize_key(slug)] = slug
        keys[normalize_key(name)] = slug
    return keys


def load_directory(*, organization: Organization, emails: list[str], with_populations: bool) -> Directory:
    """Read, in a constant number of queries, everything the plan compares the file against."""
    memberships: dict[int, set[str]] = {}
    if with_populations:
        through = User.populations.through.objects.filter(user__organization=organization)
        for user_id, slug in through.values_list("user_id", "population__slug"):
            memberships.setdefault(user_id, set()).add(slug)
    people: dict[int, ExistingPerson] = {}
    columns = ("id", "email", "employee_number", "full_name", "department_id", "entity_id", "job_title",
               "location", "languages", "hire_date", "manager_id", "is_active")  # fmt: skip
    for values in User.objects.filter(organization=organization).values_list(*columns).iterator(chunk_size=5000):
        person = ExistingPerson(*values, frozenset(memberships.get(values[0], ())))  # type: ignore[call-arg]
        people[person.id] = person
    elsewhere: set[str] = set()
    for start in range(0, len(emails), _CHUNK):
        chunk = emails[start : start + _CHUNK]
        others = User.objects.filter(email__in=chunk).exclude(organization=organization)
        elsewhere.update(email.lower() for email in others.values_list("email", flat=True))
    return Directory(
        people=people,
        by_email={person.email.lower(): person.id for person in people.values()},
        by_number={person.employee_number: person.id for person in people.values() if person.employee_number},
        departments=_names(Department.objects.filter(organization=organization).values_list("id", "name")),
        entities=_names(Entity.objects.filter(organization=organization).values_list("id", "name")),
        populations=dict(Population.objects.filter(organization=organization).values_list("slug", "id")),
        emails_elsewhere=frozenset(elsewhere),
    )  # fmt: skip


def _names(pairs: Iterable[tuple[int, str]]) -> dict[str, int]:
    return {name_key(name): pk for pk, name in pairs}


def plan_import(
    *, directory: Directory, rows: list[PersonRow], fields: frozenset[str], labels: dict[str, str], errors: ErrorLog
) -> ImportPlan:
    """Match each row to a person (by e-mail, else employee number) and check what needs the directory."""
    matched = _match_rows(directory, rows, fields, labels, errors)
    by_email = {row.email: (row, person_id) for row, person_id in matched}
    by_number = {row.employee_number: (row, person_id) for row, person_id in matched if row.employee_number}
    planned: list[PlannedRow] = []
    for row, person_id in matched:
        manager = _resolve_manager(row, directory, by_email, by_number) if f.MANAGER in fields else (None, "")
        if manager is None:
            errors.add(
                row.line, labels.get(f.MANAGER, f.MANAGER), _("manager not found in the directory nor in the file")
            )
            continue
        if (manager[0] is not None and manager[0] == person_id) or manager[1] == row.email:
            errors.add(row.line, labels.get(f.MANAGER, f.MANAGER), _("a person cannot be their own manager"))
            continue
        is_changed = person_id is None or _is_changed(directory.people[person_id], row, manager, directory, fields)
        planned.append(PlannedRow(row, person_id, manager[0], manager[1], is_changed))
    return ImportPlan(
        rows=tuple(planned),
        new_departments=_new_names((row.department for row in rows), directory.departments),
        new_entities=_new_names((row.entity for row in rows), directory.entities),
        directory=directory,
    )


def _match_rows(
    directory: Directory, rows: list[PersonRow], fields: frozenset[str], labels: dict[str, str], errors: ErrorLog
) -> list[tuple[PersonRow, int | None]]:
    matched: list[tuple[PersonRow, int | None]] = []
    lines_by_person: dict[int, int] = {}
    for row in rows:
        if row.email in directory.emails_elsewhere:
            errors.add(row.line, labels[f.EMAIL], _("this e-mail belongs to a person of another organisation"))
            continue
        by_email = directory.by_email.get(row.email)
        by_number = directory.by_number.get(row.employee_number) if row.employee_number else None
        if by_email is not None and by_number is not None and by_email != by_number:
            message = _("this employee number belongs to another person (%(email)s)") % {
                "email": directory.people[by_number].email
            }
            errors.add(row.line, labels.get(f.EMPLOYEE_NUMBER, f.EMPLOYEE_NUMBER), message)
            continue
        person_id = by_email if by_email is not None else by_number
        if person_id is not None and person_id in lines_by_person:
            message = _("this is the same person as on line %(line)s") % {"line": lines_by_person[person_id]}
            errors.add(row.line, labels[f.EMAIL], message)
            continue
        if person_id is not None:
            lines_by_person[person_id] = row.line
        matched.append((row, person_id))
    return matched


def _resolve_manager(
    row: PersonRow,
    directory: Directory,
    by_email: dict[str, tuple[PersonRow, int | None]],
    by_number: dict[str, tuple[PersonRow, int | None]],
) -> tuple[int | None, str] | None:
    """(existing person id, or "" and the e-mail of a person the file creates); None when not found."""
    if row.manager_email:
        in_file, existing = by_email.get(row.manager_email), directory.by_email.get(row.manager_email)
    elif row.manager_employee_number:
        in_file = by_number.get(row.manager_employee_number)
        existing = directory.by_number.get(row.manager_employee_number)
    else:
        return (None, "")
    if in_file is not None:
        manager_row, manager_id = in_file
        return (manager_id, "") if manager_id is not None else (None, manager_row.email)
    if existing is not None:
        return (existing, "")
    return None


def _is_changed(
    person: ExistingPerson,
    row: PersonRow,
    manager: tuple[int | None, str],
    directory: Directory,
    fields: frozenset[str],
) -> bool:
    wanted = {
        f.EMAIL: (row.email, person.email.lower()),
        f.FULL_NAME: (row.full_name, person.full_name),
        f.EMPLOYEE_NUMBER: (row.employee_number, person.employee_number),
        f.DEPARTMENT: (directory.departments.get(name_key(row.department), -1) if row.department else None,
                       person.department_id),
        f.ENTITY: (directory.entities.get(name_key(row.entity), -1) if row.entity else None, person.entity_id),
        f.JOB_TITLE: (row.job_title, person.job_title),
        f.LOCATION: (row.location, person.location),
        f.LANGUAGES: (row.languages_value, person.languages),
        f.HIRE_DATE: (row.hire_date, person.hire_date),
        f.MANAGER: (manager[0] if not manager[1] else -1, person.manager_id),
        f.POPULATIONS: (frozenset(row.populations), person.populations),
        f.ACTIVE: (row.is_active, person.is_active),
    }  # fmt: skip
    return any(new != old for column, (new, old) in wanted.items() if column in fields or column == f.EMAIL)


def _new_names(names: Iterable[str], existing: dict[str, int]) -> tuple[str, ...]:
    new: dict[str, str] = {}
    for name in names:
        key = name_key(name)
        if key and key not in existing and key not in new:
            new[key] = " ".join(name.split())
    return tuple(sorted(new.values(), key=str.casefold))
