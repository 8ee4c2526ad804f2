"""Reads of the incident register, always scoped to the viewer's organisation."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from portevoix.accounts.models import Organization, User
from portevoix.incidents.models import (
    CATEGORY_CHOICES,
    TIMELINE_LABELS,
    Incident,
    IncidentAction,
    IncidentChange,
    IncidentClause,
    Severity,
    Status,
)
from portevoix.policies import services as policies


@dataclass(frozen=True)
class IncidentFilters:
    """What the register is narrowed to; empty values do not filter."""

    status: str = ""
    category: str = ""
    severity: int | None = None
    owner_id: int | None = None
    clause: str = ""


@dataclass(frozen=True)
class PublishedClause:
    anchor: str
    title: str


@dataclass(frozen=True)
class TimelineEntry:
    changed_at: datetime.datetime
    actor: str
    field: str
    field_label: str
    old_value: Any
    new_value: Any


def register(*, organization: Organization, filters: IncidentFilters) -> QuerySet[Incident]:
    """The organisation's incidents matching the filters, most severe first then newest, with
    their owner, clauses and the number of overdue and open actions: a constant number of queries."""
    today = timezone.localdate()
    incidents = Incident.objects.filter(organization=organization)
    if filters.status:
        incidents = incidents.filter(status=filters.status)
    if filters.category:
        incidents = incidents.filter(category=filters.category)
    if filters.severity is not None:
        incidents = incidents.filter(severity=filters.severity)
    if filters.owner_id is not None:
        incidents = incidents.filter(owner_id=filters.owner_id)
    if filters.clause:
        incidents = incidents.filter(clauses__anchor=filters.clause)
    return (
        incidents.select_related("owner")
        .prefetch_related(Prefetch("clauses", queryset=IncidentClause.objects.order_by("anchor")))
        .annotate(
            overdue_actions=Count("actions", filter=Q(actions__done_on__isnull=True, actions__due_on__lt=today)),
            open_actions=Count("actions", filter=Q(actions__done_on__isnull=True)),
        )
        .order_by("-severity", "-occurred_at", "-id")
    )


@dataclass(frozen=True)
class OpenIncidents:
    """Incidents not closed yet, and how many of them are high or critical."""

    total: int
    severe: int


def open_incidents(*, organization: Organization) -> OpenIncidents:
    """One aggregate query over the organisation's incidents that are not closed."""
    counts = (
        Incident.objects.filter(organization=organization)
        .exclude(status=Status.CLOSED)
        .aggregate(total=Count("id"), severe=Count("id", filter=Q(severity__gte=Severity.HIGH)))
    )
    return OpenIncidents(total=counts["total"], severe=counts["severe"])


def owner_choices(*, organization: Organization) -> list[tuple[int, str]]:
    """The people who own at least one incident: the owner filter never lists the whole company."""
    owners = User.objects.filter(
        organization=organization, pk__in=Incident.objects.filter(organization=organization).values("owner_id")
    )
    return [(person.pk, person.full_name or person.email) for person in owners.order_by("full_name", "id")]


def clause_choices(*, organization: Organization) -> list[str]:
    """The clause anchors incidents of the organisation cite, sorted."""
    anchors = IncidentClause.objects.filter(organization=organization).values_list("anchor", flat=True)
    return list(anchors.order_by("anchor").distinct())


def get_incident_for_user(*, user: User, incident_id: int) -> Incident:
    """An incident of the viewer's organisation; another organisation's is a 404."""
    incidents = Incident.objects.filter(organization=user.organization).select_related("owner", "organization")
    return get_object_or_404(incidents, pk=incident_id)


def get_action_for_user(*, user: User, incident_id: int, action_id: int) -> IncidentAction:
    actions = IncidentAction.objects.filter(incident__organization=user.organization, incident_id=incident_id)
    return get_object_or_404(actions.select_related("incident__organization", "owner"), pk=action_id)


def incident_actions(*, incident: Incident) -> list[IncidentAction]:
    return list(incident.actions.select_related("owner").order_by("done_on", "due_on", "id"))


def incident_clauses(*, incident: Incident) -> list[str]:
    return list(incident.clauses.order_by("anchor").values_list("anchor", flat=True))


def published_clauses(*, organization: Organization) -> list[PublishedClause] | None:
    """The clauses of the organisation's published policy, titled in the active language; None
    until a policy is published (incidents then accept any anchor)."""
    version = policies.active_version(organization)
    if version is None:
        return None
    language = get_language() or "en"
    clauses = policies.policy_of(version).clauses
    return [PublishedClause(anchor=clause.id, title=_localized(clause.title, language)) for clause in clauses]


def _localized(texts: Mapping[str, str], language: str) -> str:
    return texts.get(language[:2]) or texts.get("en") or next(iter(texts.values()), "")


def incidents_by_clause(organization: Organization) -> dict[str, list[Incident]]:
    """For the guidelines editor: each clause anchor an incident cites, with the incidents that
    cite it, most severe then newest first. Anchors no incident cites are absent.

    One query whatever the number of clauses; each incident has its owner loaded.
    """
    rows = (
        IncidentClause.objects.filter(organization=organization)
        .select_related("incident__owner")
        .order_by("anchor", "-incident__severity", "-incident__occurred_at", "-incident_id")
    )
    grouped: dict[str, list[Incident]] = {}
    for row in rows:
        grouped.setdefault(row.anchor, []).append(row.incident)
    return grouped


_CATEGORY_LABELS = dict(CATEGORY_CHOICES)


def _readable(field: str, value: str) -> Any:
    """A stored timeline value as the page shows it, in the reader's language."""
    if not value:
        return ""
    if field == "status":
        return Status(value).label
    if field == "severity":
        return Severity(int(value)).label
    if field == "category":
        return _CATEGORY_LABELS.get(value, value)
    if field in {"occurred_at", "detected_at"}:
        return datetime.datetime.fromisoformat(value)
    if field == "closed_on":
        return datetime.date.fromisoformat(value)
    if field in {"clauses", "links"}:
        return ", ".join(value.splitlines())
    return value


def timeline(*, incident: Incident) -> list[TimelineEntry]:
    """Every change of an incident, oldest first, readable."""
    changes = IncidentChange.objects.filter(incident=incident).select_related("actor").order_by("changed_at", "id")
    return [
        TimelineEntry(
            changed_at=change.changed_at,
            actor=(change.actor.full_name or change.actor.email) if change.actor is not None else "",
            field=change.field,
            field_label=str(TIMELINE_LABELS.get(change.field, change.field)),
            old_value=_readable(change.field, change.old_value),
            new_value=_readable(change.field, change.new_value),
        )
        for change in changes
    ]
