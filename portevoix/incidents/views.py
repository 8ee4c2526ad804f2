"""Incident register pages (G7). Each view parses, calls one selector or service, renders."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission
from portevoix.incidents import exports, selectors, services
from portevoix.incidents.forms import ActionForm, IncidentForm, RegisterFilterForm, StatusForm, initial_for
from portevoix.incidents.models import Incident, Severity

PAGE_SIZE = 50


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _register(request: HttpRequest) -> tuple[RegisterFilterForm, QuerySet[Incident]]:
    organization = authenticated_request(request).user.organization
    form = RegisterFilterForm(
        request.GET,
        owners=selectors.owner_choices(organization=organization),
        clauses=selectors.clause_choices(organization=organization),
    )
    return form, selectors.register(organization=organization, filters=form.filters())


@require_permission(Permission.VIEW_INCIDENTS)
def incident_list(request: HttpRequest) -> HttpResponse:
    form, incidents = _register(request)
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"nav": "incidents", "form": form, "page": page, "query": query.urlencode(), "Severity": Severity}
    template = "incidents/incident_list.html#results" if _is_htmx(request) else "incidents/incident_list.html"
    return render(request, template, context)


@require_permission(Permission.MANAGE_INCIDENTS)
def incident_create(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    published = selectors.published_clauses(organization=user.organization)
    initial = {"detected_at": timezone.localtime().replace(second=0, microsecond=0), "owner": user.email}
    form = IncidentForm(request.POST or None, organization=user.organization, published=published, initial=initial)
    if request.method == "POST" and form.is_valid():
        incident = services.create_incident(organization=user.organization, actor=user, data=form.incident_data())
        messages.success(request, _("Incident recorded."))
        return redirect("incidents:detail", incident_id=incident.pk)
    context = {"nav": "incidents", "form": form, "published": published}
    return render(request, "incidents/incident_form.html", context)


@require_permission(Permission.MANAGE_INCIDENTS)
def incident_edit(request: HttpRequest, incident_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    incident = selectors.get_incident_for_user(user=user, incident_id=incident_id)
    published = selectors.published_clauses(organization=user.organization)
    initial = initial_for(incident, selectors.incident_clauses(incident=incident))
    form = IncidentForm(request.POST or None, organization=user.organization, published=published, initial=initial)
    if request.method == "POST" and form.is_valid():
        if services.update_incident(incident=incident, actor=user, data=form.incident_data()):
            messages.success(request, _("Incident saved."))
        return redirect("incidents:detail", incident_id=incident.pk)
    context = {"nav": "incidents", "form": form, "published": published, "incident": incident}
    return render(request, "incidents/incident_form.html", context)


def _detail_context(request: HttpRequest, incident: Incident, **forms: object) -> dict[str, object]:
    user = authenticated_request(request).user
    return {
        "nav": "incidents",
        "incident": incident,
        "clauses": selectors.incident_clauses(incident=incident),
        "actions": selectors.incident_actions(incident=incident),
        "timeline": selectors.timeline(incident=incident),
        "today": timezone.localdate(),
        "can_manage": user.can(Permission.MANAGE_INCIDENTS),
        "action_form": forms.get("action_form") or ActionForm(organization=user.organization),
        "status_form": forms.get("status_form") or StatusForm(current_status=incident.status),
    }


@require_permission(Permission.VIEW_INCIDENTS)
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = selectors.get_incident_for_user(user=authenticated_request(request).user, incident_id=incident_id)
    return render(request, "incidents/incident_detail.html", _detail_context(request, incident))


@require_POST
@require_permission(Permission.MANAGE_INCIDENTS)
def incident_status_set(request: HttpRequest, incident_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    incident = selectors.get_incident_for_user(user=user, incident_id=incident_id)
    form = StatusForm(request.POST, current_status=incident.status)
    if form.is_valid():
        try:
            services.change_status(
                incident=incident,
                actor=user,
                status=form.cleaned_data["status"],
                lessons_learned=form.cleaned_data["lessons_learned"],
                closed_on=form.cleaned_data["closed_on"],
            )
        except services.IncidentRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Status changed to “%(status)s”.") % {"status": incident.get_status_display()})
            return redirect("incidents:detail", incident_id=incident.pk)
    context = _detail_context(request, incident, status_form=form)
    return render(request, "incidents/incident_detail.html", context, status=400)


@require_POST
@require_permission(Permission.MANAGE_INCIDENTS)
def action_add(request: HttpRequest, incident_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    incident = selectors.get_incident_for_user(user=user, incident_id=incident_id)
    form = ActionForm(request.POST, organization=user.organization)
    is_valid = form.is_valid()
    if is_valid:
        data = form.cleaned_data
        services.add_action(
            incident=incident,
            actor=user,
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            notify_owner=data["notify_owner"],
        )
        form = ActionForm(organization=user.organization)
    context = _detail_context(request, incident, action_form=form)
    if _is_htmx(request):
        return render(request, "incidents/incident_detail.html#actions", context, status=200 if is_valid else 400)
    if is_valid:
        return redirect("incidents:detail", incident_id=incident.pk)
    return render(request, "incidents/incident_detail.html", context, status=400)


@require_POST
@require_permission(Permission.MANAGE_INCIDENTS)
def action_done(request: HttpRequest, incident_id: int, action_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    action = selectors.get_action_for_user(user=user, incident_id=incident_id, action_id=action_id)
    services.complete_action(action=action, actor=user)
    if _is_htmx(request):
        return render(request, "incidents/incident_detail.html#actions", _detail_context(request, action.incident))
    return redirect("incidents:detail", incident_id=incident_id)


@require_permission(Permission.VIEW_INCIDENTS)
def register_export(request: HttpRequest, file_format: str) -> HttpResponse:
    user = authenticated_request(request).user
    _form, incidents = _register(request)
    rows = list(incidents)
    services.record_export(organization=user.organization, actor=user, file_format=file_format, count=len(rows))
    stamp = timezone.localdate().isoformat()
    if file_format == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(exports.to_xlsx(rows), content_type=content_type)
    else:
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incidents-{stamp}.{file_format}"'
    return response


app_name = "incidents"
urlpatterns = [
    path("", incident_list, name="list"),
    path("new/", incident_create, name="create"),
    path("export.csv", register_export, {"file_format": "csv"}, name="export-csv"),
    path("export.xlsx", register_export, {"file_format": "xlsx"}, name="export-xlsx"),
    path("<int:incident_id>/", incident_detail, name="detail"),
    path("<int:incident_id>/edit/", incident_edit, name="edit"),
    path("<int:incident_id>/status/", incident_status_set, name="status-set"),
    path("<int:incident_id>/actions/", action_add, name="action-add"),
    path("<int:incident_id>/actions/<int:action_id>/done/", action_done, name="action-done"),
]
