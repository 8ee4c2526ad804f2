"""The register as a table for auditors, in CSV and XLSX, in the reader's language."""

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from portevoix.incidents.models import Incident

type Cell = str | int


def header() -> list[str]:
    return [
        _("Number"),
        _("Title"),
        _("Status"),
        _("Severity"),
        _("Risk category"),
        _("Occurred at"),
        _("Detected at"),
        _("Owner"),
        _("Clauses concerned"),
        _("Open actions"),
        _("Overdue actions"),
        _("Closed on"),
        _("What happened"),
        _("Lessons learned"),
        _("Links"),
    ]


def rows(incidents: Iterable[Incident]) -> Iterable[list[Cell]]:
    """One row per incident of a `selectors.register` queryset (it carries the action counts)."""
    for incident in incidents:
        yield [
            incident.pk,
            incident.title,
            str(incident.get_status_display()),
            str(incident.get_severity_display()),
            str(incident.get_category_display()),
            timezone.localtime(incident.occurred_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(incident.detected_at).strftime("%Y-%m-%d %H:%M"),
            incident.owner.full_name or incident.owner.email,
            ", ".join(clause.anchor for clause in incident.clauses.all()),
            incident.open_actions,  # type: ignore[attr-defined]
            incident.overdue_actions,  # type: ignore[attr-defined]
            incident.closed_on.isoformat() if incident.closed_on else "",
            incident.description,
            incident.lessons_learned,
            "\n".join(incident.links),
        ]


def _safe(cell: Cell) -> Cell:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    if isinstance(cell, str) and cell[:1] in {"=", "+", "-", "@"}:
        return "'" + cell
    return cell


def to_csv(incidents: Iterable[Incident]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    writer.writerows([_safe(cell) for cell in row] for row in rows(incidents))
    # The BOM makes spreadsheet programs open the file as UTF-8.
    return "\ufeff" + buffer.getvalue()


def to_xlsx(incidents: Iterable[Incident]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Incidents")[:31]
    sheet.append(header())
    for row in rows(incidents):
        sheet.append([_safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
