"""Writes on the directory: imports, populations and roles set by hand."""

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Organization, Population, User
from portevoix.accounts.roles import Role
from portevoix.accounts.services import set_roles
from portevoix.audit.services import record
from portevoix.people import tasks
from portevoix.people.importing import CheckedFile, PersonRow, check_file, check_rows
from portevoix.people.importing.applying import apply_plan
from portevoix.people.models import ImportJob
from portevoix.people.signals import people_imported

logger = logging.getLogger(__name__)
Status = ImportJob.Status


class RoleChangeRefused(Exception):
    pass


class ImportRejected(Exception):
    """Raised inside the apply transaction so that it rolls back."""

    def __init__(self, checked: CheckedFile) -> None:
        super().__init__("the rows no longer pass the checks")
        self.checked = checked


def start_import(
    *, organization: Organization, uploaded_by: User | None, file_name: str, content: bytes, enqueue: bool = True
) -> ImportJob:
    """Store an uploaded file and, once committed, have it checked in the background."""
    job = ImportJob.objects.create(
        organization=organization, uploaded_by=uploaded_by, file_name=file_name[:255], content=content
    )
    if enqueue:
        job_id = job.pk
        transaction.on_commit(lambda: tasks.validate_import_task.enqueue(job_id))
    return job


def import_language(*, job_id: int) -> str:
    """The language to write a job's messages in: its uploader's, else the organisation's."""
    job = ImportJob.objects.select_related("uploaded_by", "organization").filter(pk=job_id).first()
    if job is None:
        return "en"
    if job.uploaded_by is not None:
        return job.uploaded_by.language
    return job.organization.default_language


def validate_import(*, job_id: int) -> None:
    """Check an uploaded file and store the preview or the errors.

    A job left "validating" by a worker that died is checked again from the start when the
    reaper hands its task to another worker: checking writes nothing but the job itself.
    """
    claimable = [Status.UPLOADED, Status.VALIDATING]
    if not ImportJob.objects.filter(pk=job_id, status__in=claimable).update(status=Status.VALIDATING):
        return
    job = ImportJob.objects.select_related("organization").get(pk=job_id)
    try:
        checked = check_file(
            organization=job.organization,
            content=bytes(job.content),
            file_name=job.file_name,
            on_start=_progress_saver(job_id, "total_rows"),
            on_progress=_progress_saver(job_id, "processed_rows"),
        )
    except Exception:
        # Whatever went wrong, the person must see the job fail rather than a bar that never moves.
        logger.exception("people import %s could not be checked", job_id)
        _fail(job_id, _("The file could not be checked because of an unexpected error."))
        return
    ImportJob.objects.filter(pk=job_id).update(
        status=Status.READY if checked.plan is not None else Status.INVALID,
        # The file is no longer needed once read: keeping it would keep personal data for nothing.
        content=b"",
        rows=[row.to_json() for row in checked.rows] if checked.plan is not None else [],
        columns=checked.columns,
        total_rows=checked.total_rows,
        processed_rows=checked.total_rows,
        errors=[error.to_json() for error in checked.errors],
        error_count=checked.error_count,
        summary=_summary(checked),
        validated_at=timezone.now(),
    )


def _progress_saver(job_id: int, field: str) -> Callable[[int], None]:
    def save(value: int) -> None:
        # Outside any transaction each update commits at once, so the progress bar moves.
        ImportJob.objects.filter(pk=job_id).update(**{field: value})

    return save


def _summary(checked: CheckedFile) -> dict[str, Any]:
    plan = checked.plan
    if plan is None:
        return {}
    return {
        "created": plan.created,
        "updated": plan.updated,
        "unchanged": plan.unchanged,
        "new_departments": list(plan.new_departments),
        "new_entities": list(plan.new_entities),
    }


def _fail(job_id: int, reason: str, **changes: Any) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=Status.FAILED, failure_reason=reason, rows=[], content=b"", finished_at=timezone.now(), **changes
    )


def confirm_import(*, job: ImportJob, actor: User | None, enqueue: bool = True) -> bool:
    """Start applying a checked import; False when it is not ready (already confirmed, invalid…)."""
    confirmed = ImportJob.objects.filter(pk=job.pk, organization=job.organization_id, status=Status.READY).update(
        status=Status.APPLYING, confirmed_by=actor
    )
    if confirmed and enqueue:
        job_id = job.pk
        transaction.on_commit(lambda: tasks.apply_import_task.enqueue(job_id))
    return bool(confirmed)


def apply_import(*, job_id: int) -> None:
    """Apply every row of a confirmed import in one transaction: all of it, or nothing and a failed job.

    The rows are checked again against the directory first, since it may have changed since
    the preview (an e-mail taken, a manager removed). One `people.imported` audit entry is recorded.
    """
    job = ImportJob.objects.select_related("organization", "confirmed_by").get(pk=job_id)
    if job.status != Status.APPLYING:
        return
    try:
        with transaction.atomic():
            _apply_in_transaction(job)
            transaction.on_commit(
                lambda: people_imported.send(sender=ImportJob, organization=job.organization, job=job)
            )
    except ImportRejected as rejected:
        errors = [error.to_json() for error in rejected.checked.errors]
        reason = _("The directory changed since the file was checked; nothing was imported.")
        _fail(job_id, reason, errors=errors, error_count=rejected.checked.error_count)
    except Exception as error:
        # Any failure has rolled everything back; it must show on the job, with its reason.
        logger.exception("people import %s failed", job_id)
        reason = _("The import failed and nothing was changed: %(reason)s") % {"reason": str(error)[:500]}
        _fail(job_id, reason)


def _apply_in_transaction(job: ImportJob) -> None:
    rows = [PersonRow.from_json(data) for data in job.rows]
    checked = check_rows(organization=job.organization, rows=rows, columns=job.columns)
    if checked.plan is None:
        raise ImportRejected(checked)
    counts = apply_plan(job_id=job.pk, organization=job.organization, plan=checked.plan, fields=frozenset(job.columns))
    summary = {**job.summary, "created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged}
    record(
        organization=job.organization,
        actor=job.confirmed_by,
        action="people.imported",
        target=job,
        data={"file_name": job.file_name, "rows": len(rows), **summary},
    )
    ImportJob.objects.filter(pk=job.pk).update(status=Status.DONE, rows=[], summary=summary, finished_at=timezone.now())


def import_people_file(*, organization: Organization, file_name: str, content: bytes, dry_run: bool) -> ImportJob:
    """Check and (unless `dry_run`) apply a file at once, in this process: for the command line."""
    job = start_import(organization=organization, uploaded_by=None, file_name=file_name, content=content, enqueue=False)
    validate_import(job_id=job.pk)
    job.refresh_from_db()
    if job.status == Status.READY and not dry_run:
        confirm_import(job=job, actor=None, enqueue=False)
        apply_import(job_id=job.pk)
        job.refresh_from_db()
    elif dry_run:
        # A dry run leaves no trace: the checked rows are personal data.
        job.delete()
    return job


def set_populations(*, person: User, populations: list[Population], actor: User) -> None:
    """Set by hand the populations a person belongs to, and record the change."""
    if any(population.organization_id != person.organization_id for population in populations):
        raise ValueError("populations of another organisation")
    with transaction.atomic():
        before = sorted(person.populations.values_list("slug", flat=True))
        after = sorted(population.slug for population in populations)
        if before == after:
            return
        person.populations.set(populations)
        record(
            organization=person.organization,
            actor=actor,
            action="person.populations_changed",
            target=person,
            data={"before": before, "after": after},
        )


def change_roles(*, person: User, roles: frozenset[Role], actor: User) -> None:
    """Replace a person's roles; administrators cannot remove their own administrator role."""
    if person.pk == actor.pk and Role.ADMINISTRATOR not in roles and actor.has_role(Role.ADMINISTRATOR):
        raise RoleChangeRefused(_("You cannot remove your own administrator role."))
    set_roles(person=person, roles=roles, actor=actor)
