"""Writing to the audit log. Every service that changes something that matters calls `record`."""

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from portevoix.audit.models import AuditEntry, AuditHead

if TYPE_CHECKING:
    from portevoix.accounts.models import Organization, User

GENESIS = "0" * 64


def compute_hash(entry: AuditEntry) -> str:
    """The SHA-256 of an entry's content and of the previous entry's hash."""
    payload = {
        "organization": entry.organization_id,
        "sequence": entry.sequence,
        "created_at": entry.created_at.isoformat(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_label": entry.target_label,
        "data": entry.data,
        "previous_hash": entry.previous_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    *,
    organization: "Organization",
    actor: "User | None",
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry to the organisation's chain, inside the caller's transaction."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(organization=organization)
        entry = AuditEntry(
            organization=organization,
            sequence=head.sequence + 1,
            created_at=timezone.now(),
            actor=actor,
            actor_label=actor.email if actor is not None else "system",
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=str(target)[:300] if target is not None else "",
            data=json.loads(json.dumps(data or {}, default=str)),
            previous_hash=head.entry_hash or GENESIS,
        )
        entry.entry_hash = compute_hash(entry)
        entry.save()
        head.sequence = entry.sequence
        head.entry_hash = entry.entry_hash
        head.save(update_fields=["sequence", "entry_hash"])
    return entry


@dataclass(frozen=True)
class ChainProblem:
    organization_id: int
    sequence: int
    reason: str


def verify_chain(organization_id: int) -> list[ChainProblem]:
    """Recompute an organisation's chain; an empty list means it is intact."""
    problems: list[ChainProblem] = []
    previous_hash = GENESIS
    expected_sequence = 1
    entries = AuditEntry.objects.filter(organization_id=organization_id).order_by("sequence")
    for entry in entries.iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            problems.append(
                ChainProblem(
                    organization_id,
                    expected_sequence,
                    f"entries {expected_sequence} to {entry.sequence - 1} are missing",
                )
            )
        if entry.previous_hash != previous_hash:
            problems.append(ChainProblem(organization_id, entry.sequence, "does not follow the previous entry"))
        if compute_hash(entry) != entry.entry_hash:
            problems.append(ChainProblem(organization_id, entry.sequence, "content was changed"))
        previous_hash = entry.entry_hash
        expected_sequence = entry.sequence + 1
    head = AuditHead.objects.filter(organization_id=organization_id).first()
    if head is not None and (
        head.sequence != expected_sequence - 1 or head.entry_hash != (previous_hash if head.sequence else "")
    ):
        problems.append(ChainProblem(organization_id, head.sequence, "the newest entries were removed"))
    return problems
