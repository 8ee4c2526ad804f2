"""Reads of guidelines, always scoped to the viewer's organisation and to what their role may see.

The audience of a version is a query on people (departments, entities, hire date) evaluated when
read, so that people imported after the publication are targeted too; completion figures are
aggregated by the database, never by looping over people in Python.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from portevoix.accounts.models import Department, Entity, Organization, User
from portevoix.accounts.roles import Permission
from portevoix.guidelines.models import Acknowledgement, GuidelinesClause, GuidelinesVersion

Status = GuidelinesVersion.Status


@dataclass(frozen=True)
class Audience:
    """Who a version is for: everyone, or some departments or entities; optionally only people hired after a date."""

    department_ids: tuple[int, ...] = ()
    entity_ids: tuple[int, ...] = ()
    hired_after: datetime.date | None = None

    @property
    def is_everyone(self) -> bool:
        return not self.department_ids and not self.entity_ids and self.hired_after is None


def audience_of(version: GuidelinesVersion) -> Audience:
    """A version's audience, read once per loaded version (a page asks for it several times)."""
    cached: Audience | None = getattr(version, "_audience", None)
    if cached is None:
        cached = Audience(
            department_ids=tuple(version.audience_departments.values_list("id", flat=True)),
            entity_ids=tuple(version.audience_entities.values_list("id", flat=True)),
            hired_after=version.audience_hired_after,
        )
        version._audience = cached  # type: ignore[attr-defined]
    return cached


def audience_condition(audience: Audience, prefix: str = "") -> Q:
    """The audience as a condition on people; `prefix` ("person__") applies it across a relation."""
    condition = Q()
    if audience.department_ids or audience.entity_ids:
        condition &= Q(**{f"{prefix}department_id__in": audience.department_ids}) | Q(
            **{f"{prefix}entity_id__in": audience.entity_ids}
        )
    if audience.hired_after is not None:
        condition &= Q(**{f"{prefix}hire_date__gt": audience.hired_after})
    return condition


def audience_people(version: GuidelinesVersion, audience: Audience | None = None) -> QuerySet[User]:
    """The active people of the organisation a version targets, as of now."""
    audience = audience or audience_of(version)
    return User.objects.filter(audience_condition(audience), organization_id=version.organization_id, is_active=True)


def is_targeted(person: User, audience: Audience) -> bool:
    """Whether `audience` includes `person`, evaluated on the person's own fields (no query)."""
    is_grouped = bool(audience.department_ids or audience.entity_ids)
    if (
        is_grouped
        and person.department_id not in audience.department_ids
        and person.entity_id not in audience.entity_ids
    ):
        return False
    return audience.hired_after is None or (person.hire_date is not None and person.hire_date > audience.hired_after)


def published_version(organization: Organization) -> GuidelinesVersion | None:
    return GuidelinesVersion.objects.filter(organization=organization, status=Status.PUBLISHED).first()


def published_version_for(person: User) -> GuidelinesVersion | None:
    """The published version if it targets `person`, else None."""
    version = published_version(person.organization)
    if version is None or not is_targeted(person, audience_of(version)):
        return None
    return version


def can_see_every_version(user: User) -> bool:
    return user.can(Permission.WRITE_GUIDELINES) or user.can(Permission.VIEW_GUIDELINES_ADMIN)


def get_version_for_user(*, user: User, number: int) -> GuidelinesVersion:
    """A version the person may read: writers and dashboard roles see all, others only the published one for them."""
    version = get_object_or_404(GuidelinesVersion, organization=user.organization, number=number)
    if can_see_every_version(user):
        return version
    if version.is_published and is_targeted(user, audience_of(version)):
        return version
    raise Http404


def versions_of(organization: Organization) -> list[GuidelinesVersion]:
    return list(
        GuidelinesVersion.objects.filter(organization=organization)
        .select_related("created_by", "published_by")
        .annotate(clause_count=Count("clauses"))
        .order_by("-number")
    )


def draft_of(organization: Organization) -> GuidelinesVersion | None:
    return GuidelinesVersion.objects.filter(organization=organization, status=Status.DRAFT).first()


def clauses_of(version: GuidelinesVersion) -> list[GuidelinesClause]:
    return list(version.clauses.order_by("position", "id"))


def get_clause(*, version: GuidelinesVersion, anchor: str) -> GuidelinesClause:
    return get_object_or_404(GuidelinesClause, version=version, anchor=anchor)


def acknowledgement_of(*, person: User, version: GuidelinesVersion) -> Acknowledgement | None:
    return Acknowledgement.objects.filter(version=version, person=person).first()


def has_acknowledged_before(*, person: User, version: GuidelinesVersion) -> bool:
    """Whether the person acknowledged an earlier version: then changed clauses are shown first."""
    return Acknowledgement.objects.filter(
        organization_id=version.organization_id, person=person, version__number__lt=version.number
    ).exists()


def _acknowledged(version: GuidelinesVersion) -> Exists:
    return Exists(Acknowledgement.objects.filter(version=version, person=OuterRef("pk")))


@dataclass(frozen=True)
class GroupCompletion:
    group_id: int | None
    name: str
    total: int
    done: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def pending(self) -> int:
        return self.total - self.done


@dataclass(frozen=True)
class DayCount:
    day: datetime.date
    count: int
    cumulative: int


@dataclass(frozen=True)
class Completion:
    total: int
    done: int
    carried_over: int
    by_department: list[GroupCompletion]
    by_entity: list[GroupCompletion]
    by_manager: list[GroupCompletion]
    by_day: list[DayCount]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


MANAGERS_SHOWN = 20


def _audience_acknowledgements(version: GuidelinesVersion) -> QuerySet[Acknowledgement]:
    """Acknowledgements of a version by active people it still targets: the "done" of every figure."""
    audience = audience_condition(audience_of(version), prefix="person__")
    return Acknowledgement.objects.filter(audience, version=version, person__is_active=True)


def _grouped(version: GuidelinesVersion, *fields: str) -> list[tuple[Any, ...]]:
    """(field values…, people, acknowledged) per group of the audience.

    Two plain GROUP BYs, people and acknowledgements joined to their person, merged here: on
    PostgreSQL at 100,000 people this is about twice as fast as one GROUP BY with an EXISTS.
    """
    totals = (
        audience_people(version).values(*fields).annotate(total=Count("id")).order_by().values_list(*fields, "total")
    )
    person_fields = [f"person__{name}" for name in fields]
    done = dict(
        (tuple(row[:-1]), row[-1])
        for row in _audience_acknowledgements(version)
        .values(*person_fields)
        .annotate(done=Count("id"))
        .order_by()
        .values_list(*person_fields, "done")
    )
    return [(*row[:-1], row[-1], done.get(tuple(row[:-1]), 0)) for row in totals]


def _named(rows: list[tuple[Any, ...]], index: int, names: dict[int, str], unnamed: str) -> list[GroupCompletion]:
    """Sums rows grouped by several fields into groups of the field at `index`, named and sorted."""
    totals: dict[int | None, list[int]] = {}
    for row in rows:
        counts = totals.setdefault(row[index], [0, 0])
        counts[0] += row[-2]
        counts[1] += row[-1]
    groups = [
        GroupCompletion(key, names.get(key, unnamed) if key else unnamed, total, done)
        for key, (total, done) in totals.items()
    ]
    return sorted(groups, key=lambda group: (group.group_id is None, group.name))


# At 100,000 people the figures cost a few hundred milliseconds of database time. They are kept
# while the version's number of acknowledgements stays the same (an index-only count), and at most
# this long, so that people hired or moved show up soon.
COMPLETION_CACHE_SECONDS = 30


def completion(*, version: GuidelinesVersion, unnamed: str) -> Completion:
    """Completion of a version, recomputed when someone acknowledges and at least every 30 seconds."""
    acknowledged = Acknowledgement.objects.filter(version=version).count()
    key = f"guidelines:completion:{version.pk}:{acknowledged}:{unnamed}"
    cached: Completion | None = cache.get(key)
    if cached is None:
        cached = compute_completion(version=version, unnamed=unnamed)
        cache.set(key, cached, COMPLETION_CACHE_SECONDS)
    return cached


def compute_completion(*, version: GuidelinesVersion, unnamed: str) -> Completion:
    """Completion of a version per department, entity and manager, and acknowledgements per day.

    Each figure is a GROUP BY over the audience with an EXISTS on acknowledgements, never a loop
    over people in Python.
    """
    organization_id = version.organization_id
    departments = dict(Department.objects.filter(organization_id=organization_id).values_list("id", "name"))
    entities = dict(Entity.objects.filter(organization_id=organization_id).values_list("id", "name"))
    by_group = _grouped(version, "department_id", "entity_id")
    by_department = _named(by_group, 0, departments, unnamed)
    managers = sorted(
        (row for row in _grouped(version, "manager_id") if row[0] is not None),
        key=lambda row: (row[2] - row[1], row[0]),
    )[:MANAGERS_SHOWN]
    manager_names = dict(User.objects.filter(pk__in=[row[0] for row in managers]).values_list("id", "full_name"))
    by_manager = [GroupCompletion(key, manager_names.get(key or 0, ""), total, done) for key, total, done in managers]
    return Completion(
        total=sum(group.total for group in by_department),
        done=sum(group.done for group in by_department),
        carried_over=Acknowledgement.objects.filter(version=version, is_carried_over=True).count(),
        by_department=by_department,
        by_entity=_named(by_group, 1, entities, unnamed),
        by_manager=by_manager,
        by_day=_by_day(version),
    )


@dataclass(frozen=True)
class CompletionTotals:
    """How many people a version targets and how many acknowledged it, without the breakdowns."""

    total: int
    done: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def completion_totals(*, version: GuidelinesVersion) -> CompletionTotals:
    """The headline of `completion`, counted the same way: two plain counts, for summaries such as the map."""
    return CompletionTotals(total=audience_people(version).count(), done=_audience_acknowledgements(version).count())


def _by_day(version: GuidelinesVersion) -> list[DayCount]:
    rows = (
        Acknowledgement.objects.filter(version=version, is_carried_over=False)
        .values("acknowledged_on")
        .annotate(count=Count("id"))
        .order_by("acknowledged_on")
        .values_list("acknowledged_on", "count")
    )
    days = []
    cumulative = 0
    for day, count in rows:
        cumulative += count
        days.append(DayCount(day=day, count=count, cumulative=cumulative))
    return days


@dataclass(frozen=True)
class PendingFilters:
    department_id: int | None = None
    entity_id: int | None = None


def pending_people(*, version: GuidelinesVersion, filters: PendingFilters) -> QuerySet[User]:
    """The people targeted by a version who have not acknowledged it yet, by name."""
    people = audience_people(version).filter(~_acknowledged(version))
    if filters.department_id is not None:
        people = people.filter(department_id=filters.department_id)
    if filters.entity_id is not None:
        people = people.filter(entity_id=filters.entity_id)
    return people.select_related("department", "entity", "manager").order_by("full_name", "id")


EXPORT_BATCH = 2000


def export_rows(
    *, version: GuidelinesVersion
) -> Iterator[tuple[str, str, str, str, datetime.datetime | None, int, str]]:
    """One row per targeted person, for auditors: name, e-mail, department, entity, acknowledged at, version, hash."""
    acknowledgements = Acknowledgement.objects.filter(version=version, person=OuterRef("pk"))
    people = (
        audience_people(version)
        .annotate(
            acknowledged_at=Subquery(acknowledgements.values("acknowledged_at")[:1]),
            acknowledged_hash=Subquery(acknowledgements.values("content_hash")[:1]),
        )
        .order_by("full_name", "id")
        .values_list("full_name", "email", "department__name", "entity__name", "acknowledged_at", "acknowledged_hash")
    )
    for name, email, department, entity, acknowledged_at, content_hash in people.iterator(chunk_size=EXPORT_BATCH):
        yield name, email, department or "", entity or "", acknowledged_at, version.number, content_hash or ""


@dataclass(frozen=True)
class HomeCard:
    """What a person's home page says about the guidelines aimed at them."""

    number: int
    title: str
    acknowledged_at: datetime.datetime | None


def home_card(*, person: User, language: str) -> HomeCard | None:
    version = published_version_for(person)
    if version is None:
        return None
    acknowledgement = acknowledgement_of(person=person, version=version)
    return HomeCard(
        number=version.number,
        title=version.title(language),
        acknowledged_at=acknowledgement.acknowledged_at if acknowledgement else None,
    )


def pending_count(*, figures: Completion, filters: PendingFilters) -> int | None:
    """How many people are still to acknowledge under `filters`, read from the figures when they hold it.

    Counting people without an acknowledgement is the dearest query of the dashboard (160 ms at
    100,000 people on SQLite); the figures already have it per department and per entity.
    """
    if filters.department_id is None and filters.entity_id is None:
        return figures.total - figures.done
    if filters.entity_id is None:
        groups, wanted = figures.by_department, filters.department_id
    elif filters.department_id is None:
        groups, wanted = figures.by_entity, filters.entity_id
    else:
        return None
    return next((group.pending for group in groups if group.group_id == wanted), 0)
