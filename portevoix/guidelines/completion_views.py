"""The completion dashboard of a version: figures, people still to acknowledge, exports, reminders."""

import csv
import datetime
import io
from collections.abc import Iterator

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from portevoix.accounts.models import Department, Entity, User
from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission
from portevoix.audit.services import record
from portevoix.guidelines import selectors, services
from portevoix.guidelines.extensions import extra_links
from portevoix.guidelines.forms import PendingFilterForm
from portevoix.lib.pagination import DeferredJoinPaginator

PAGE_SIZE = 50


def _filter_form(request: HttpRequest, user: User) -> PendingFilterForm:
    return PendingFilterForm(
        request.GET or request.POST or None,
        departments=list(Department.objects.filter(organization=user.organization).values_list("id", "name")),
        entities=list(Entity.objects.filter(organization=user.organization).values_list("id", "name")),
    )


@require_permission(Permission.VIEW_GUIDELINES_ADMIN)
def completion(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    form = _filter_form(request, user)
    filters = form.filters()
    figures = selectors.completion(version=version, unnamed=_("None"))
    paginator = DeferredJoinPaginator(selectors.pending_people(version=version, filters=filters), PAGE_SIZE)
    known = selectors.pending_count(figures=figures, filters=filters)
    if known is not None:
        paginator.__dict__["count"] = known  # Paginator.count is a cached property: skip its query
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"nav": "guidelines", "version": version, "form": form, "page": page, "query": query.urlencode(),
               "figures": figures, "extra_links": extra_links("completion", user, version)}  # fmt: skip
    if getattr(request, "htmx", False):
        return render(request, "guidelines/completion.html#pending", context)
    return render(request, "guidelines/completion.html", context)


HEADER = ("person", "e-mail", "department", "entity", "acknowledged at", "version", "content hash")


def _formatted(value: datetime.datetime | None) -> str:
    return value.isoformat() if value else ""


def _csv(rows: Iterator[tuple[object, ...]]) -> str:
    buffer = io.StringIO()
    # The BOM makes spreadsheet programs open the file as UTF-8.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([*row[:4], _formatted(row[4]), *row[5:]])  # type: ignore[arg-type]
    return buffer.getvalue()


@require_permission(Permission.VIEW_GUIDELINES_ADMIN)
def export(request: HttpRequest, number: int, file_format: str) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    if file_format not in {"csv", "xlsx"}:
        raise Http404
    record(organization=user.organization, actor=user, action="guidelines.exported", target=version,
           data={"format": file_format, "number": version.number})  # fmt: skip
    rows = selectors.export_rows(version=version)
    name = f"guidelines-v{version.number}-acknowledgements.{file_format}"
    if file_format == "csv":
        response = HttpResponse(_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            _xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _xlsx(rows: Iterator[tuple[object, ...]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("acknowledgements")
    sheet.append(HEADER)
    for row in rows:
        sheet.append([*row[:4], _formatted(row[4]), *row[5:]])  # type: ignore[arg-type]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@require_POST
@require_permission(Permission.VIEW_GUIDELINES_ADMIN)
def remind(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    form = _filter_form(request, user)
    person_id = request.POST.get("person", "")
    if person_id.isdigit():
        person = selectors.pending_people(version=version, filters=form.filters()).filter(pk=int(person_id)).first()
        if person is None:
            raise Http404
    try:
        services.request_reminders(
            version=version,
            actor=user,
            person_id=int(person_id) if person_id.isdigit() else None,
            filters=form.filters(),
        )
    except services.GuidelinesRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Reminders are being sent."))
    return redirect("guidelines:completion", number=number)
