"""Writes on the incident register: every change goes to the incident's timeline and the audit log."""

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portevoix.accounts.models import Organization, User
from portevoix.audit.services import record
from portevoix.incidents import tasks
from portevoix.incidents.models import Incident, IncidentAction, IncidentChange, IncidentClause, Status
from portevoix.jobs.enqueue import enqueue_on_commit

logger = logging.getLogger(__name__)

# Where each status may go next. Closing is allowed from any open state (a false alarm is
# closed at once), and a closed incident may be reopened when it turns out not to be over.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.OPEN: frozenset({Status.INVESTIGATING, Status.MITIGATED, Status.CLOSED}),
    Status.INVESTIGATING: frozenset({Status.MITIGATED, Status.CLOSED}),
    Status.MITIGATED: frozenset({Status.INVESTIGATING, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.INVESTIGATING}),
}
# The fields of IncidentData, in the order the timeline lists them.
EDITABLE_FIELDS = (
    "title",
    "description",
    "occurred_at",
    "detected_at",
    "category",
    "severity",
    "owner",
    "clauses",
    "links",
    "lessons_learned",
)


class IncidentRefused(Exception):
    """A change that cannot be made; the message says why, for the person."""


@dataclass(frozen=True)
class IncidentData:
    """What a person records about an incident; the same for creating and editing it."""

    title: str
    description: str
    occurred_at: datetime.datetime
    detected_at: datetime.datetime
    category: str
    severity: int
    owner: User
    clauses: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    lessons_learned: str = ""


def _stored(field: str, value: Any) -> str:
    """A value as the timeline keeps it: codes and ISO dates, never words of one language."""
    if isinstance(value, User):
        return value.full_name or value.email
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "\n".join(str(item) for item in value)
    return "" if value is None else str(value)


def _current(incident: Incident, field: str) -> Any:
    if field == "clauses":
        return tuple(clause.anchor for clause in incident.clauses.order_by("anchor"))
    if field == "links":
        return tuple(incident.links)
    if field == "owner":
        return incident.owner
    return getattr(incident, field)


def _log(incident: Incident, actor: User | None, field: str, old: Any, new: Any) -> None:
    IncidentChange.objects.create(
        incident=incident, actor=actor, field=field, old_value=_stored(field, old), new_value=_stored(field, new)
    )


def _set_clauses(incident: Incident, anchors: tuple[str, ...]) -> None:
    incident.clauses.all().delete()
    IncidentClause.objects.bulk_create(
        IncidentClause(incident=incident, organization_id=incident.organization_id, anchor=anchor)
        for anchor in sorted(set(anchors))
    )


def _check_owner(organization: Organization, person: User) -> None:
    if person.organization_id != organization.pk:
        raise IncidentRefused(_("The owner must be a person of your organisation."))


@transaction.atomic
def create_incident(*, organization: Organization, actor: User | None, data: IncidentData) -> Incident:
    """Record a new incident, open, with its clauses; the timeline starts with its creation."""
    _check_owner(organization, data.owner)
    incident = Incident.objects.create(
        organization=organization,
        title=data.title,
        description=data.description,
        occurred_at=data.occurred_at,
        detected_at=data.detected_at,
        category=data.category,
        severity=data.severity,
        owner=data.owner,
        links=list(data.links),
        lessons_learned=data.lessons_learned,
        created_by=actor,
    )
    _set_clauses(incident, data.clauses)
    _log(incident, actor, "created", "", data.title)
    record(
        organization=organization,
        actor=actor,
        action="incident.created",
        target=incident,
        data={"severity": data.severity, "category": data.category, "clauses": sorted(set(data.clauses))},
    )
    return incident


@transaction.atomic
def update_incident(*, incident: Incident, actor: User | None, data: IncidentData) -> list[str]:
    """Save the changed fields of an incident, one timeline line each; return the changed fields."""
    _check_owner(incident.organization, data.owner)
    new_values: dict[str, Any] = {
        field: tuple(sorted(set(data.clauses))) if field == "clauses" else getattr(data, field)
        for field in EDITABLE_FIELDS
    }
    changed = [field for field in EDITABLE_FIELDS if _current(incident, field) != new_values[field]]
    for field in changed:
        _log(incident, actor, field, _current(incident, field), new_values[field])
    model_fields = [field for field in changed if field != "clauses"]
    for field in model_fields:
        setattr(incident, field, list(new_values[field]) if field == "links" else new_values[field])
    if model_fields:
        incident.save(update_fields=model_fields)
    if "clauses" in changed:
        _set_clauses(incident, data.clauses)
    if changed:
        record(
            organization=incident.organization,
            actor=actor,
            action="incident.updated",
            target=incident,
            data={"fields": changed},
        )
    return changed


@transaction.atomic
def change_status(
    *,
    incident: Incident,
    actor: User | None,
    status: str,
    lessons_learned: str = "",
    closed_on: datetime.date | None = None,
) -> None:
    """Move an incident to `status`. Closing needs the lessons learned and a closing date."""
    if status not in TRANSITIONS.get(incident.status, frozenset()):
        raise IncidentRefused(_("This incident cannot go from this status to that one."))
    lessons = lessons_learned.strip() or incident.lessons_learned.strip()
    if status == Status.CLOSED:
        if not lessons:
            raise IncidentRefused(_("Write the lessons learned before closing the incident."))
        closed_on = closed_on or timezone.localdate()
        if closed_on < timezone.localtime(incident.detected_at).date():
            raise IncidentRefused(_("An incident cannot be closed before it was detected."))
    else:
        closed_on = None
    _log(incident, actor, "status", incident.status, status)
    if lessons != incident.lessons_learned:
        _log(incident, actor, "lessons_learned", incident.lessons_learned, lessons)
    if closed_on != incident.closed_on:
        _log(incident, actor, "closed_on", incident.closed_on, closed_on)
    previous = incident.status
    incident.status, incident.lessons_learned, incident.closed_on = status, lessons, closed_on
    incident.save(update_fields=["status", "lessons_learned", "closed_on"])
    action = "incident.closed" if status == Status.CLOSED else "incident.status_changed"
    record(
        organization=incident.organization,
        actor=actor,
        action=action,
        target=incident,
        data={"from": previous, "to": status},
    )


@transaction.atomic
def add_action(
    *,
    incident: Incident,
    actor: User | None,
    description: str,
    owner: User,
    due_on: datetime.date,
    notify_owner: bool = False,
) -> IncidentAction:
    """Add an action to an incident; with `notify_owner`, e-mail its owner once committed."""
    _check_owner(incident.organization, owner)
    action = IncidentAction.objects.create(incident=incident, description=description, owner=owner, due_on=due_on)
    _log(incident, actor, "action_added", "", f"{description} ({owner.full_name or owner.email}, {due_on})")
    record(
        organization=incident.organization,
        actor=actor,
        action="incident.action_added",
        target=incident,
        data={"action": action.pk, "owner": owner.email, "due_on": due_on},
    )
    if notify_owner and owner.email and owner.is_active:
        enqueue_on_commit(tasks.notify_action_owner_task, action.pk)
    return action


@transaction.atomic
def complete_action(*, action: IncidentAction, actor: User | None, done_on: datetime.date | None = None) -> bool:
    """Mark an action done (today unless said otherwise); False if it already was."""
    if action.done_on is not None:
        return False
    action.done_on = done_on or timezone.localdate()
    action.save(update_fields=["done_on"])
    _log(action.incident, actor, "action_done", "", f"{action.description} ({action.done_on})")
    record(
        organization=action.incident.organization,
        actor=actor,
        action="incident.action_done",
        target=action.incident,
        data={"action": action.pk, "done_on": action.done_on},
    )
    return True


def notify_action_owner(*, action_id: int) -> bool:
    """E-mail an action's owner that it is theirs, in their language; False if there is nothing to send."""
    action = IncidentAction.objects.select_related("owner", "incident").filter(pk=action_id).first()
    if action is None or action.done_on is not None or action.owner_notified_at is not None:
        return False
    owner = action.owner
    path = reverse("incidents:detail", kwargs={"incident_id": action.incident_id})
    context = {"action": action, "incident": action.incident, "owner": owner, "url": settings.PUBLIC_URL + path}
    with translation.override(owner.language):
        subject = render_to_string("incidents/email/action_assigned_subject.txt", context).strip()
        body = render_to_string("incidents/email/action_assigned.txt", context)
    send_mail(subject, body, None, [owner.email])
    IncidentAction.objects.filter(pk=action_id).update(owner_notified_at=timezone.now())
    logger.info("incident.action_notified action=%s", action_id)
    return True


def record_export(*, organization: Organization, actor: User, file_format: str, count: int) -> None:
    """Exports of the register are audited: they carry what happened and who was involved."""
    record(
        organization=organization,
        actor=actor,
        action="incidents.exported",
        data={"format": file_format, "incidents": count},
    )
