"""Importing people from a CSV or XLSX file: read, parse, plan against the directory, apply.

Pure steps (reading, parsing) are separate from the steps that read the directory (planning)
and the one that writes (applying), so that the same checks run when the file is uploaded and
again, inside the writing transaction, when the import is confirmed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from portevoix.accounts.models import Organization
from portevoix.people.importing import rows as f
from portevoix.people.importing.parsing import TEMPLATE_HEADER, parse_rows, read_header
from portevoix.people.importing.planning import ImportPlan, load_directory, plan_import, population_keys
from portevoix.people.importing.reading import UnreadableFile, read_table
from portevoix.people.importing.rows import ErrorLog, PersonRow, RowError

__all__ = ["TEMPLATE_HEADER", "CheckedFile", "ErrorLog", "PersonRow", "RowError", "check_file", "check_rows"]


@dataclass(frozen=True)
class CheckedFile:
    """The outcome of checking a file: its rows, the columns it has, and the plan or the errors."""

    rows: tuple[PersonRow, ...]
    columns: dict[str, str]
    total_rows: int
    errors: tuple[RowError, ...]
    error_count: int
    plan: ImportPlan | None


def check_file(
    *,
    organization: Organization,
    content: bytes,
    file_name: str,
    on_start: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> CheckedFile:
    """Read and validate a whole file; `on_progress(rows_done)` is called every 500 rows."""
    errors = ErrorLog()
    if len(content) > settings.IMPORT_MAX_BYTES:
        limit = settings.IMPORT_MAX_BYTES // (1024 * 1024)
        errors.add(0, "", _("The file is larger than the limit of %(limit)s MB.") % {"limit": limit})
        return _failed(errors)
    try:
        table = read_table(content=content, file_name=file_name)
        header, header_errors = read_header(table.header)
        errors.extend(header_errors)
        if header_errors:
            return _failed(errors)
        if on_start is not None:
            on_start(max(table.estimated_rows - 1, 0))
        rows, total = parse_rows(
            table=table, header=header, population_keys=population_keys(organization=organization),
            errors=errors, on_progress=on_progress,
        )  # fmt: skip
    except UnreadableFile as error:
        errors.add(error.line, "", error.message)
        return _failed(errors)
    if total == 0:
        errors.add(0, "", _("The file has no data rows: only a header line."))
    columns = {field: header.label(field) for field in header.fields | {f.EMAIL}}
    return check_rows(organization=organization, rows=rows, columns=columns, errors=errors, total_rows=total)


def check_rows(
    *,
    organization: Organization,
    rows: list[PersonRow],
    columns: dict[str, str],
    errors: ErrorLog | None = None,
    total_rows: int | None = None,
) -> CheckedFile:
    """Check parsed rows against the directory as it is now; run again at apply time."""
    errors = errors if errors is not None else ErrorLog()
    plan: ImportPlan | None = None
    if rows:
        directory = load_directory(
            organization=organization,
            emails=[row.email for row in rows],
            with_populations=f.POPULATIONS in columns,
        )
        plan = plan_import(directory=directory, rows=rows, fields=frozenset(columns), labels=columns, errors=errors)
    errors.errors.sort(key=lambda error: error.line)
    return CheckedFile(
        rows=tuple(rows),
        columns=columns,
        total_rows=len(rows) if total_rows is None else total_rows,
        errors=tuple(errors.errors),
        error_count=errors.count,
        plan=plan if errors.count == 0 else None,
    )


def _failed(errors: ErrorLog) -> CheckedFile:
    return CheckedFile(
        rows=(), columns={}, total_rows=0, errors=tuple(errors.errors), error_count=errors.count, plan=None
    )
