"""Writes on guidelines: drafts and clauses, publication, acknowledgements, reminders. Each state change is audited."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Organization, User
from portevoix.audit.services import record
from portevoix.guidelines import selectors, tasks
from portevoix.guidelines.models import (
    CLAUSE_TEXT_FIELDS,
    LANGUAGES,
    Acknowledgement,
    GuidelinesClause,
    GuidelinesVersion,
)
from portevoix.guidelines.selectors import Audience, PendingFilters

Status = GuidelinesVersion.Status
VERSION_TEXT_FIELDS = ("title", "intro")


class GuidelinesRefused(Exception):
    """A change that cannot be made; the message says why, for the person."""


def _ensure_draft(version: GuidelinesVersion) -> None:
    if not version.is_draft:
        raise GuidelinesRefused(
            _("Version %(number)s is not a draft: it cannot be changed.") % {"number": version.number}
        )


def create_draft(*, organization: Organization, actor: User | None) -> GuidelinesVersion:
    """A new draft: a copy of the published version (clauses keep their anchors), or an empty one.

    An organisation has one draft at a time, so that two authors never edit diverging copies.
    """
    with transaction.atomic():
        latest = (
            GuidelinesVersion.objects.select_for_update().filter(organization=organization).order_by("-number").first()
        )
        if selectors.draft_of(organization) is not None:
            raise GuidelinesRefused(_("A draft already exists: edit it, or publish it first."))
        source = selectors.published_version(organization)
        now = timezone.now()
        draft = GuidelinesVersion.objects.create(
            organization=organization,
            number=(latest.number if latest else 0) + 1,
            based_on=source,
            created_by=actor,
            **_copied_texts(source, now),
        )
        if source is not None:
            GuidelinesClause.objects.bulk_create(_copy_clause(clause, draft) for clause in source.clauses.all())
        record(
            organization=organization,
            actor=actor,
            action="guidelines.draft_created",
            target=draft,
            data={"number": draft.number, "based_on": source.number if source else None},
        )
    return draft


def _copied_texts(source: GuidelinesVersion | None, now: datetime.datetime) -> dict[str, object]:
    if source is None:
        return {}
    texts: dict[str, object] = {
        f"{name}_{language}": getattr(source, f"{name}_{language}")
        for name in VERSION_TEXT_FIELDS
        for language in LANGUAGES
    }
    return texts | {"fr_updated_at": source.fr_updated_at, "en_updated_at": source.en_updated_at}


def _copy_clause(clause: GuidelinesClause, version: GuidelinesVersion) -> GuidelinesClause:
    texts = {f"{name}_{language}": clause.text(name, language) for name in CLAUSE_TEXT_FIELDS for language in LANGUAGES}
    return GuidelinesClause(
        version=version,
        anchor=clause.anchor,
        number=clause.number,
        position=clause.position,
        category=clause.category,
        fr_updated_at=clause.fr_updated_at,
        en_updated_at=clause.en_updated_at,
        **texts,
    )


def _apply_texts(
    target: GuidelinesVersion | GuidelinesClause, names: tuple[str, ...], values: dict[str, str]
) -> list[str]:
    """Set the texts that changed and stamp each language edited; returns the fields to save."""
    now = timezone.now()
    changed: list[str] = []
    for language in LANGUAGES:
        fields = [
            f"{name}_{language}"
            for name in names
            if getattr(target, f"{name}_{language}") != values[f"{name}_{language}"]
        ]
        for name in fields:
            setattr(target, name, values[name])
        if fields:
            setattr(target, f"{language}_updated_at", now)
            changed += [*fields, f"{language}_updated_at"]
    return changed


def update_version_texts(*, version: GuidelinesVersion, actor: User | None, values: dict[str, str]) -> None:
    """Change a draft's titles and introductions (keys `title_fr`, `intro_en`…)."""
    _ensure_draft(version)
    with transaction.atomic():
        changed = _apply_texts(version, VERSION_TEXT_FIELDS, values)
        if not changed:
            return
        version.save(update_fields=changed)
        record(organization=version.organization, actor=actor, action="guidelines.draft_edited", target=version,
               data={"fields": sorted(changed)})  # fmt: skip


@dataclass(frozen=True)
class ClauseData:
    anchor: str
    number: str
    position: int
    category: str
    texts: dict[str, str] = field(default_factory=dict)  # "title_fr", "body_en", "do_examples_fr"…


def save_clause(
    *, version: GuidelinesVersion, actor: User | None, data: ClauseData, clause: GuidelinesClause | None = None
) -> GuidelinesClause:
    """Add a clause to a draft, or change one; an anchor, once created, never changes."""
    _ensure_draft(version)
    with transaction.atomic():
        if clause is None:
            clause = GuidelinesClause(version=version, anchor=data.anchor)
        clause.number, clause.position, clause.category = data.number, data.position, data.category
        _apply_texts(clause, CLAUSE_TEXT_FIELDS, data.texts)
        try:
            with transaction.atomic():
                clause.save()
        except IntegrityError as error:
            raise GuidelinesRefused(
                _("Another clause already has the anchor “%(anchor)s”.") % {"anchor": data.anchor}
            ) from error
        record(
            organization=version.organization,
            actor=actor,
            action="guidelines.clause_saved",
            target=version,
            data={"anchor": clause.anchor, "number": clause.number, "lagging": clause.lagging_languages},
        )
    return clause


def delete_clause(*, clause: GuidelinesClause, actor: User | None) -> None:
    version = clause.version
    _ensure_draft(version)
    with transaction.atomic():
        record(organization=version.organization, actor=actor, action="guidelines.clause_removed", target=version,
               data={"anchor": clause.anchor, "number": clause.number})  # fmt: skip
        clause.delete()


def content_hash(version: GuidelinesVersion) -> str:
    """SHA-256 of a version's texts in both languages and of its clauses in order."""
    clauses = [
        {"anchor": clause.anchor, "number": clause.number, "category": clause.category}
        | {f"{name}_{language}": clause.text(name, language) for name in CLAUSE_TEXT_FIELDS for language in LANGUAGES}
        for clause in selectors.clauses_of(version)
    ]
    content = {
        f"{name}_{language}": getattr(version, f"{name}_{language}")
        for name in VERSION_TEXT_FIELDS
        for language in LANGUAGES
    }
    canonical = json.dumps(content | {"clauses": clauses}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Publication:
    audience: Audience = field(default_factory=Audience)
    asks_acknowledgement_again: bool = True
    material_anchors: frozenset[str] = frozenset()
    reminder_every_days: int = 7
    reminder_max_count: int = 3


def publish(
    *, version: GuidelinesVersion, actor: User | None, publication: Publication, at: datetime.datetime | None = None
) -> None:
    """Publish a draft to an audience and archive the version published before.

    Without a new acknowledgement, everyone who acknowledged the previous version keeps their
    acknowledgement (copied with its own time and hash, marked as carried over). `at` dates a
    publication made elsewhere (the demo's history); it defaults to now.
    """
    _ensure_draft(version)
    if not version.clauses.exists():
        raise GuidelinesRefused(_("Add at least one clause before publishing."))
    with transaction.atomic():
        locked = GuidelinesVersion.objects.select_for_update().get(pk=version.pk)
        _ensure_draft(locked)
        previous = selectors.published_version(version.organization)
        if previous is not None:
            _archive(previous, actor, at=at or timezone.now())
        _set_published(version, actor, publication, is_first=previous is None, at=at or timezone.now())
        carried = 0
        if previous is not None and not version.asks_acknowledgement_again:
            carried = _carry_over(previous, version)
        data = {
            "number": version.number,
            "hash": version.content_hash,
            "audience": _audience_data(publication.audience),
            "asks_again": version.asks_acknowledgement_again,
            "material": sorted(publication.material_anchors),
            "carried_over": carried,
            "previous": previous.number if previous else None,
            "reminders": [version.reminder_every_days, version.reminder_max_count],
        }
        record(organization=version.organization, actor=actor, action="guidelines.published", target=version, data=data)


def _set_published(
    version: GuidelinesVersion, actor: User | None, publication: Publication, *, is_first: bool, at: datetime.datetime
) -> None:
    version.status, version.published_at, version.published_by = Status.PUBLISHED, at, actor
    version.audience_hired_after = publication.audience.hired_after
    version.asks_acknowledgement_again = publication.asks_acknowledgement_again or is_first
    version.reminder_every_days = publication.reminder_every_days
    version.reminder_max_count = publication.reminder_max_count
    version.content_hash = content_hash(version)
    version.save(
        update_fields=["status", "published_at", "published_by", "audience_hired_after", "content_hash",
                       "asks_acknowledgement_again", "reminder_every_days", "reminder_max_count"]
    )  # fmt: skip
    version.audience_departments.set(publication.audience.department_ids)
    version.audience_entities.set(publication.audience.entity_ids)
    version.__dict__.pop("_audience", None)
    version.clauses.filter(anchor__in=publication.material_anchors).update(is_material_change=True)


def _audience_data(audience: Audience) -> dict[str, object]:
    return {"departments": list(audience.department_ids), "entities": list(audience.entity_ids),
            "hired_after": audience.hired_after.isoformat() if audience.hired_after else None}  # fmt: skip


def _archive(version: GuidelinesVersion, actor: User | None, *, at: datetime.datetime) -> None:
    version.status, version.archived_at = Status.ARCHIVED, at
    version.save(update_fields=["status", "archived_at"])
    record(organization=version.organization, actor=actor, action="guidelines.archived", target=version,
           data={"number": version.number})  # fmt: skip


def _carry_over(previous: GuidelinesVersion, version: GuidelinesVersion) -> int:
    # One INSERT … SELECT: at 100,000 acknowledgements, loading them into Python would take seconds.
    table = Acknowledgement._meta.db_table
    columns = "organization_id, version_id, person_id, acknowledged_at, acknowledged_on, content_hash, is_carried_over"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) "  # noqa: S608 - table name from the model, values as parameters
            "SELECT organization_id, %s, person_id, acknowledged_at, acknowledged_on, content_hash, %s "
            f"FROM {table} WHERE version_id = %s",
            [version.pk, True, previous.pk],
        )
        return int(cursor.rowcount)


def acknowledge(*, version: GuidelinesVersion, person: User, at: datetime.datetime | None = None) -> Acknowledgement:
    """Record that a person read and acknowledged a published version; acknowledging twice changes nothing.

    `at` dates an acknowledgement made elsewhere (the demo's history); it defaults to now.
    """
    if not version.is_published:
        raise GuidelinesRefused(_("Only the published version can be acknowledged."))
    existing = selectors.acknowledgement_of(person=person, version=version)
    if existing is not None:
        return existing
    with transaction.atomic():
        acknowledgement, is_created = Acknowledgement.objects.get_or_create(
            version=version,
            person=person,
            defaults={
                "organization_id": version.organization_id,
                "content_hash": version.content_hash,
                "acknowledged_at": at or timezone.now(),
                "acknowledged_on": timezone.localdate(at) if at else timezone.localdate(),
            },
        )
        if is_created:
            record(organization=version.organization, actor=person, action="guidelines.acknowledged", target=version,
                   data={"number": version.number, "hash": version.content_hash})  # fmt: skip
    return acknowledgement


def request_reminders(
    *, version: GuidelinesVersion, actor: User, person_id: int | None = None, filters: PendingFilters
) -> None:
    """Have reminders sent now, by a background job, to one pending person or to a group of pending people."""
    if not version.is_published:
        raise GuidelinesRefused(_("Reminders can only be sent for the published version."))
    with transaction.atomic():
        data = {"person": person_id, "department": filters.department_id, "entity": filters.entity_id}
        record(
            organization=version.organization,
            actor=actor,
            action="guidelines.reminders_requested",
            target=version,
            data=data,
        )
        transaction.on_commit(
            lambda: tasks.send_manual_reminders_task.enqueue(
                version.pk, person_id=person_id, department_id=filters.department_id, entity_id=filters.entity_id
            )
        )


def import_acknowledgements(
    *, version: GuidelinesVersion, actor: User | None, acknowledged: list[tuple[User, datetime.datetime]]
) -> int:
    """Record acknowledgements collected elsewhere (on paper, in a previous tool, the demo's history) in one go.

    One audit entry counts them all; people who already acknowledged keep their acknowledgement.
    """
    if not version.is_published:
        raise GuidelinesRefused(_("Only the published version can be acknowledged."))
    people = {person.pk: at for person, at in acknowledged if person.organization_id == version.organization_id}
    with transaction.atomic():
        already = set(
            Acknowledgement.objects.filter(version=version, person_id__in=people).values_list("person_id", flat=True)
        )
        rows = [
            Acknowledgement(organization_id=version.organization_id, version=version, person_id=person_id,
                            acknowledged_at=at, acknowledged_on=timezone.localdate(at),
                            content_hash=version.content_hash)
            for person_id, at in people.items()
            if person_id not in already
        ]  # fmt: skip
        Acknowledgement.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        record(organization=version.organization, actor=actor, action="guidelines.acknowledgements_imported",
               target=version, data={"number": version.number, "count": len(rows)})  # fmt: skip
    return len(rows)
