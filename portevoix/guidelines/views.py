"""Guidelines pages: reading and acknowledging (everyone), writing, diff and publication (the writers)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.models import Department, Entity
from portevoix.accounts.permissions import authenticated_request, login_required, require_permission
from portevoix.accounts.roles import Permission
from portevoix.guidelines import completion_views, selectors, services
from portevoix.guidelines.diff import Change, compare
from portevoix.guidelines.extensions import extra_links
from portevoix.guidelines.forms import ClauseForm, PublishForm, VersionTextsForm
from portevoix.guidelines.models import GuidelinesVersion
from portevoix.guidelines.reading import read_version
from portevoix.incidents.selectors import incidents_by_clause


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.published_version_for(user)
    context = {
        "nav": "guidelines",
        "version": version,
        "version_title": version.title((translation.get_language() or "fr")[:2]) if version else "",
        "acknowledgement": selectors.acknowledgement_of(person=user, version=version) if version else None,
        "versions": selectors.versions_of(user.organization) if user.can(Permission.WRITE_GUIDELINES) else [],
        "draft": selectors.draft_of(user.organization),
        "published": selectors.published_version(user.organization),
    }
    return render(request, "guidelines/guidelines_index.html", context)


@login_required
def version_read(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    acknowledgement = selectors.acknowledgement_of(person=user, version=version)
    is_targeted = version.is_published and selectors.is_targeted(user, selectors.audience_of(version))
    changed_first = acknowledgement is None and selectors.has_acknowledged_before(person=user, version=version)
    language = (translation.get_language() or "fr")[:2]
    context = {
        "nav": "guidelines",
        "version": version,
        "reading": read_version(version, selectors.clauses_of(version), language=language, changed_first=changed_first),
        "changed_first": changed_first,
        "acknowledgement": acknowledgement,
        "can_acknowledge": is_targeted and acknowledgement is None,
        "extra_links": extra_links("reading", user, version),
    }
    return render(request, "guidelines/version_read.html", context)


@require_POST
@login_required
def version_acknowledge(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    if not version.is_published or not selectors.is_targeted(user, selectors.audience_of(version)):
        messages.error(request, _("This version is not one you are asked to acknowledge."))
        return redirect("guidelines:read", number=number)
    services.acknowledge(version=version, person=user)
    messages.success(
        request, _("Thank you: your acknowledgement of version %(number)s is recorded.") % {"number": number}
    )
    return redirect("guidelines:read", number=number)


@require_POST
@require_permission(Permission.WRITE_GUIDELINES)
def draft_new(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    try:
        draft = services.create_draft(organization=user.organization, actor=user)
    except services.GuidelinesRefused as refused:
        messages.error(request, str(refused))
        return redirect("guidelines:index")
    return redirect("guidelines:version-edit", number=draft.number)


def _draft_for(request: HttpRequest, number: int) -> GuidelinesVersion:
    """A draft of the writer's organisation; a published or archived version is never edited (404)."""
    version = selectors.get_version_for_user(user=authenticated_request(request).user, number=number)
    if not version.is_draft:
        raise Http404
    return version


@require_permission(Permission.WRITE_GUIDELINES)
def version_edit(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = _draft_for(request, number)
    initial = {name: getattr(version, name) for name in ("title_fr", "title_en", "intro_fr", "intro_en")}
    form = VersionTextsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_version_texts(version=version, actor=user, values=form.cleaned_data)
        except services.GuidelinesRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Saved."))
        return redirect("guidelines:version-edit", number=number)
    clauses = list(selectors.clauses_of(version))
    # What went wrong under each clause, so that the next version learns from it (G7).
    incidents = incidents_by_clause(user.organization) if user.can(Permission.VIEW_INCIDENTS) else {}
    for clause in clauses:
        clause.incidents = incidents.get(clause.anchor, [])  # type: ignore[attr-defined]
    context = {
        "nav": "guidelines",
        "version": version,
        "form": form,
        "clauses": clauses,
        "shows_incidents": user.can(Permission.VIEW_INCIDENTS),
    }
    return render(request, "guidelines/version_edit.html", context)


@require_permission(Permission.WRITE_GUIDELINES)
def clause_edit(request: HttpRequest, number: int, anchor: str | None = None) -> HttpResponse:
    user = authenticated_request(request).user
    version = _draft_for(request, number)
    clause = selectors.get_clause(version=version, anchor=anchor) if anchor is not None else None
    form = ClauseForm(request.POST or None, clause=clause)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_clause(version=version, actor=user, data=form.data_for_service(), clause=clause)
        except services.GuidelinesRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Clause %(number)s saved.") % {"number": form.cleaned_data["number"]})
            return redirect("guidelines:version-edit", number=number)
    context = {"nav": "guidelines", "version": version, "clause": clause, "form": form}
    return render(request, "guidelines/clause_form.html", context)


@require_POST
@require_permission(Permission.WRITE_GUIDELINES)
def clause_delete(request: HttpRequest, number: int, anchor: str) -> HttpResponse:
    version = _draft_for(request, number)
    clause = selectors.get_clause(version=version, anchor=anchor)
    try:
        services.delete_clause(clause=clause, actor=authenticated_request(request).user)
    except services.GuidelinesRefused as refused:
        messages.error(request, str(refused))
    return redirect("guidelines:version-edit", number=number)


@require_permission(Permission.VIEW_GUIDELINES_ADMIN)
def version_diff(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    against_number = request.GET.get("against", "")
    against = None
    if against_number.isdigit():
        against = selectors.get_version_for_user(user=user, number=int(against_number))
    elif version.based_on_id is not None:
        against = version.based_on
    diffs = compare(selectors.clauses_of(against) if against else [], selectors.clauses_of(version))
    context = {
        "nav": "guidelines",
        "version": version,
        "against": against,
        "diffs": [diff for diff in diffs if diff.change != Change.UNCHANGED],
        "unchanged": sum(1 for diff in diffs if diff.change == Change.UNCHANGED),
        "others": selectors.versions_of(user.organization),
    }
    return render(request, "guidelines/version_diff.html", context)


@require_permission(Permission.WRITE_GUIDELINES)
def version_publish(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = _draft_for(request, number)
    previous = selectors.published_version(user.organization)
    changed = []
    if previous is not None:
        diffs = compare(selectors.clauses_of(previous), selectors.clauses_of(version))
        changed = [(d.anchor, f"{d.clause.number} {d.clause.title_fr or d.clause.title_en}") for d in diffs
                   if d.change in {Change.CHANGED, Change.ADDED}]  # fmt: skip
    form = PublishForm(
        request.POST or None,
        departments=list(Department.objects.filter(organization=user.organization).values_list("id", "name")),
        entities=list(Entity.objects.filter(organization=user.organization).values_list("id", "name")),
        changed_clauses=changed,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.publish(version=version, actor=user, publication=form.publication())
        except services.GuidelinesRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Version %(number)s is published.") % {"number": number})
            return redirect("guidelines:completion", number=number)
    context = {"nav": "guidelines", "version": version, "previous": previous, "form": form}
    return render(request, "guidelines/version_publish.html", context)


app_name = "guidelines"
urlpatterns = [
    path("", index, name="index"),
    path("drafts/new/", draft_new, name="draft-new"),
    path("v/<int:number>/", version_read, name="read"),
    path("v/<int:number>/acknowledge/", version_acknowledge, name="acknowledge"),
    path("v/<int:number>/edit/", version_edit, name="version-edit"),
    path("v/<int:number>/diff/", version_diff, name="version-diff"),
    path("v/<int:number>/publish/", version_publish, name="version-publish"),
    path("v/<int:number>/clauses/new/", clause_edit, name="clause-new"),
    path("v/<int:number>/clauses/<str:anchor>/", clause_edit, name="clause-edit"),
    path("v/<int:number>/clauses/<str:anchor>/delete/", clause_delete, name="clause-delete"),
    path("v/<int:number>/completion/", completion_views.completion, name="completion"),
    path("v/<int:number>/completion/export.<str:file_format>", completion_views.export, name="completion-export"),
    path("v/<int:number>/completion/remind/", completion_views.remind, name="completion-remind"),
]
