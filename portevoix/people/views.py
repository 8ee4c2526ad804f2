"""Directory pages: list, person, import. Each view parses, calls one selector or service, renders."""

import csv
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission
from portevoix.lib.pagination import DeferredJoinPaginator
from portevoix.people import selectors, services
from portevoix.people.forms import DirectoryFilterForm, ImportUploadForm, PopulationsForm, RolesForm
from portevoix.people.importing import TEMPLATE_HEADER

PAGE_SIZE = 50
ERRORS_PAGE_SIZE = 100


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@require_permission(Permission.VIEW_DIRECTORY)
def person_list(request: HttpRequest) -> HttpResponse:
    organization = authenticated_request(request).user.organization
    form = DirectoryFilterForm(request.GET, choices=selectors.directory_filter_choices(organization=organization))
    people = selectors.directory_people(organization=organization, filters=form.filters())
    page = DeferredJoinPaginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"nav": "people", "form": form, "page": page, "query": query.urlencode()}
    template = "people/person_list.html#results" if _is_htmx(request) else "people/person_list.html"
    return render(request, template, context)


@require_permission(Permission.VIEW_DIRECTORY)
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    person = selectors.get_person_for_user(user=user, person_id=person_id)
    populations = selectors.organization_populations(organization=user.organization)
    context = {
        "nav": "people",
        "person": person,
        "reports": selectors.direct_reports(person=person),
        "can_manage_roles": user.can(Permission.MANAGE_ROLES),
        "can_set_populations": user.can(Permission.IMPORT_PEOPLE),
        "roles_form": RolesForm(initial={"roles": [role.role for role in person.roles.all()]}),
        "populations_form": PopulationsForm(queryset=populations, initial={"populations": person.populations.all()}),
    }
    return render(request, "people/person_detail.html", context)


@require_POST
@require_permission(Permission.MANAGE_ROLES)
def person_roles_set(request: HttpRequest, person_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    person = selectors.get_person_for_user(user=user, person_id=person_id)
    form = RolesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("These roles are not valid."))
        return redirect("people:detail", person_id=person.pk)
    try:
        services.change_roles(person=person, roles=form.selected_roles(), actor=user)
    except services.RoleChangeRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Roles saved."))
    return redirect("people:detail", person_id=person.pk)


@require_POST
@require_permission(Permission.IMPORT_PEOPLE)
def person_populations_set(request: HttpRequest, person_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    person = selectors.get_person_for_user(user=user, person_id=person_id)
    populations = selectors.organization_populations(organization=user.organization)
    form = PopulationsForm(request.POST, queryset=populations)
    if form.is_valid():
        services.set_populations(person=person, populations=form.selected_populations(), actor=user)
        messages.success(request, _("Populations saved."))
    else:
        messages.error(request, _("These populations are not valid."))
    return redirect("people:detail", person_id=person.pk)


@require_permission(Permission.IMPORT_PEOPLE)
def import_upload(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.start_import(
            organization=user.organization, uploaded_by=user, file_name=upload.name, content=upload.read()
        )
        return redirect("people:import-detail", job_id=job.pk)
    jobs = selectors.recent_import_jobs(organization=user.organization)
    return render(request, "people/import_upload.html", {"nav": "people", "form": form, "jobs": jobs})


@require_permission(Permission.IMPORT_PEOPLE)
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.get_import_job_for_user(user=authenticated_request(request).user, job_id=job_id)
    errors = Paginator(job.errors, ERRORS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"nav": "people", "job": job, "errors": errors, "Status": job.Status}
    template = "people/import_detail.html#status" if _is_htmx(request) else "people/import_detail.html"
    return render(request, template, context)


@require_POST
@require_permission(Permission.IMPORT_PEOPLE)
def import_confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    job = selectors.get_import_job_for_user(user=user, job_id=job_id)
    if not services.confirm_import(job=job, actor=user):
        messages.error(request, _("This import cannot be started: it is not ready, or it was already started."))
    return redirect("people:import-detail", job_id=job.pk)


@require_permission(Permission.IMPORT_PEOPLE)
def import_template(request: HttpRequest) -> HttpResponse:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(TEMPLATE_HEADER)
    # The BOM makes spreadsheet programs open the file as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people-template.csv"'
    return response


app_name = "people"
urlpatterns = [
    path("", person_list, name="list"),
    path("<int:person_id>/", person_detail, name="detail"),
    path("<int:person_id>/roles/", person_roles_set, name="roles-set"),
    path("<int:person_id>/populations/", person_populations_set, name="populations-set"),
    path("import/", import_upload, name="import-upload"),
    path("import/template.csv", import_template, name="import-template"),
    path("import/<int:job_id>/", import_detail, name="import-detail"),
    path("import/<int:job_id>/confirm/", import_confirm, name="import-confirm"),
]
