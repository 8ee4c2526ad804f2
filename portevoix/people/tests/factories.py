"""Small typed builders for the people tests; people are made through the real services."""

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from portevoix.accounts.models import Organization, User
from portevoix.accounts.services import create_person, get_or_create_department
from portevoix.people import services
from portevoix.people.models import ImportJob

Cells = Sequence[object]


def make_person(
    organization: Organization,
    email: str,
    full_name: str,
    *,
    employee_number: str = "",
    department: str = "",
    job_title: str = "",
    languages: list[str] | None = None,
    manager: User | None = None,
) -> User:
    return create_person(
        organization=organization,
        email=email,
        full_name=full_name,
        employee_number=employee_number,
        department=get_or_create_department(organization=organization, name=department) if department else None,
        job_title=job_title,
        languages=languages,
        manager=manager,
    )


def csv_file(rows: Sequence[Cells], *, delimiter: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()


def xlsx_file(rows: Sequence[Cells]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def checked_job(organization: Organization, content: bytes, *, file_name: str = "people.csv") -> ImportJob:
    """Upload and check a file in this process, as the background task would."""
    job = services.start_import(
        organization=organization, uploaded_by=None, file_name=file_name, content=content, enqueue=False
    )
    services.validate_import(job_id=job.pk)
    job.refresh_from_db()
    return job


def imported_job(
    organization: Organization, content: bytes, *, actor: User, file_name: str = "people.csv"
) -> ImportJob:
    """Check, confirm and apply a file in this process."""
    job = checked_job(organization, content, file_name=file_name)
    assert job.status == ImportJob.Status.READY, job.errors
    assert services.confirm_import(job=job, actor=actor, enqueue=False)
    services.apply_import(job_id=job.pk)
    job.refresh_from_db()
    return job


def error_tuples(job: ImportJob) -> list[tuple[int, str, str]]:
    return [(error["line"], error["column"], error["message"]) for error in job.errors]
