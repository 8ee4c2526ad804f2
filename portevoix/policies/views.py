"""The policy editor (G5): versions, forms per rule kind, upload, diff, publication.

Every change makes a new immutable version whose test cases run on save; only a version whose
test cases all pass can be published, and the published one is what every check applies.
"""

import dataclasses

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from compliance_engine.model import Policy, RuleKind
from compliance_engine.policyfile import dumps
from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission
from portevoix.policies import engine_messages, selectors, services
from portevoix.policies.changes import describe_changes
from portevoix.policies.forms import (
    KIND_CHOICES,
    RULE_FORMS,
    ArchivingForm,
    ClauseForm,
    SourceForm,
    SummaryForm,
    TestCaseForm,
)
from portevoix.policies.models import PolicyVersion

EMPTY_POLICY = Policy(clauses=())


def _working_copy(user: User) -> tuple[PolicyVersion | None, Policy]:
    """The latest version and its policy: forms always start from the newest text."""
    latest = services.latest_version(user.organization)
    return latest, services.policy_of(latest) if latest is not None else EMPTY_POLICY


def _save(request: HttpRequest, policy: Policy, summary: str) -> HttpResponse | None:
    """Save a changed policy as a new version and go to it; None with an error message if refused."""
    user = authenticated_request(request).user
    try:
        version = services.save_version(
            organization=user.organization, actor=user, source=dumps(policy), summary=summary
        )
    except services.PolicyRefused as refused:
        messages.error(request, str(refused))
        return None
    if version.tests_failed:
        messages.warning(
            request,
            ngettext(
                "Version %(number)s is saved, but %(failed)s test case fails: it cannot be published until it passes.",
                "Version %(number)s is saved, but %(failed)s test cases fail: it cannot be published until they pass.",
                version.tests_failed,
            )
            % {"number": version.number, "failed": version.tests_failed},
        )
    else:
        messages.success(
            request,
            ngettext(
                "Version %(number)s is saved and its %(passed)s test case passes.",
                "Version %(number)s is saved and its %(passed)s test cases pass.",
                version.tests_passed,
            )
            % {"number": version.number, "passed": version.tests_passed},
        )
    return redirect("policy:version", number=version.number)


@require_permission(Permission.MANAGE_POLICY)
def overview(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    latest, policy = _working_copy(user)
    policy_settings = services.settings_of(user.organization)
    context = {
        "nav": "guidelines",
        "latest": latest,
        "policy": policy,
        "versions": selectors.versions_for_user(user=user),
        "active_id": policy_settings.active_version_id,
        "archiving_form": ArchivingForm(initial={"archive_drafts": policy_settings.archive_drafts}),
        "kinds": KIND_CHOICES,
        "rule_counts": {rule.id: _size(rule) for rule in policy.rules},
    }
    return render(request, "policies/overview.html", context)


def _size(rule: object) -> int:
    settings = getattr(rule, "settings", None)
    for attribute in ("entries", "patterns", "detectors", "accepted_wordings", "categories"):
        if hasattr(settings, attribute):
            return len(getattr(settings, attribute))
    return 0


@require_permission(Permission.MANAGE_POLICY)
def version_detail(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    policy_settings = services.settings_of(user.organization)
    previous = (
        PolicyVersion.objects.filter(organization=user.organization, number__lt=number).order_by("-number").first()
    )
    context = {
        "nav": "guidelines",
        "version": version,
        "policy": services.policy_of(version),
        "is_active": policy_settings.active_version_id == version.pk,
        "previous": previous,
        "failures": engine_messages.failed_cases(version.test_report),
    }
    return render(request, "policies/version_detail.html", context)


@require_permission(Permission.MANAGE_POLICY)
def version_download(request: HttpRequest, number: int) -> HttpResponse:
    version = selectors.get_version_for_user(user=authenticated_request(request).user, number=number)
    response = HttpResponse(version.source, content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="policy-v{version.number}.toml"'
    return response


@require_permission(Permission.MANAGE_POLICY)
def version_diff(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    against_number = request.GET.get("against", "")
    against: PolicyVersion | None
    if against_number.isdigit():
        against = selectors.get_version_for_user(user=user, number=int(against_number))
    else:
        against = (
            PolicyVersion.objects.filter(organization=user.organization, number__lt=number).order_by("-number").first()
        )
    lines = services.diff_lines(
        against.source if against else "",
        version.source,
        old_label=f"v{against.number}" if against else "-",
        new_label=f"v{version.number}",
    )
    changes = describe_changes(services.policy_of(against) if against else EMPTY_POLICY, services.policy_of(version))
    context = {
        "nav": "guidelines",
        "version": version,
        "against": against,
        "changes": changes,
        "lines": lines,
        "others": selectors.versions_for_user(user=user),
    }
    return render(request, "policies/version_diff.html", context)


@require_POST
@require_permission(Permission.MANAGE_POLICY)
def version_publish(request: HttpRequest, number: int) -> HttpResponse:
    user = authenticated_request(request).user
    version = selectors.get_version_for_user(user=user, number=number)
    try:
        services.publish(version=version, actor=user)
    except services.PolicyRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Version %(number)s now applies to every check.") % {"number": version.number})
    return redirect("policy:version", number=version.number)


@require_permission(Permission.MANAGE_POLICY)
def source_edit(request: HttpRequest) -> HttpResponse:
    """Upload a policy file, or edit the whole text of the latest version."""
    user = authenticated_request(request).user
    latest, _policy = _working_copy(user)
    form = SourceForm(request.POST or None, request.FILES or None, initial={"source": latest.source if latest else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.save_version(
                organization=user.organization,
                actor=user,
                source=form.cleaned_data["source"],
                summary=form.cleaned_data["summary"] or _("Policy file uploaded"),
            )
        except services.PolicyRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Version %(number)s is saved.") % {"number": version.number})
            return redirect("policy:version", number=version.number)
    return render(request, "policies/source_edit.html", {"nav": "guidelines", "form": form, "latest": latest})


@require_permission(Permission.MANAGE_POLICY)
def rule_edit(request: HttpRequest, rule_id: str) -> HttpResponse:
    user = authenticated_request(request).user
    _latest, policy = _working_copy(user)
    rule = next((rule for rule in policy.rules if rule.id == rule_id), None)
    if rule is None:
        raise Http404
    return _rule_form(request, policy, rule.kind, rule)


@require_permission(Permission.MANAGE_POLICY)
def rule_new(request: HttpRequest, kind: str) -> HttpResponse:
    user = authenticated_request(request).user
    _latest, policy = _working_copy(user)
    if kind not in RuleKind:
        raise Http404
    if not policy.clauses:
        messages.error(request, _("Add a clause first: every rule cites one."))
        return redirect("policy:clause-new")
    return _rule_form(request, policy, RuleKind(kind), None)


def _rule_form(request: HttpRequest, policy: Policy, kind: RuleKind, rule: object) -> HttpResponse:
    form_class = RULE_FORMS[kind]
    form = form_class(request.POST or None, policy=policy, rule=rule)  # type: ignore[arg-type]
    summary_form = SummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and summary_form.is_valid():
        default = (_("Rule %(rule)s changed") if rule is not None else _("Rule %(rule)s added")) % {
            "rule": form.cleaned_data["rule_id"]
        }
        response = _save(request, form.build(), summary_form.cleaned_data["summary"] or default)
        if response is not None:
            return response
    context = {"nav": "guidelines", "form": form, "summary_form": summary_form, "rule": rule, "kind": kind,
               "kind_label": dict(KIND_CHOICES)[kind.value]}  # fmt: skip
    return render(request, "policies/rule_form.html", context)


@require_POST
@require_permission(Permission.MANAGE_POLICY)
def rule_delete(request: HttpRequest, rule_id: str) -> HttpResponse:
    user = authenticated_request(request).user
    _latest, policy = _working_copy(user)
    rules = tuple(rule for rule in policy.rules if rule.id != rule_id)
    if len(rules) == len(policy.rules):
        raise Http404
    # Test cases that name the rule go with it: they could never pass again.
    tests = tuple(case for case in policy.tests if rule_id not in {*case.must_find, *case.must_not_find})
    changed = dataclasses.replace(policy, rules=rules, tests=tests)
    response = _save(request, changed, _("Rule %(rule)s removed") % {"rule": rule_id})
    return response or redirect("policy:overview")


@require_permission(Permission.MANAGE_POLICY)
def clause_edit(request: HttpRequest, clause_id: str | None = None) -> HttpResponse:
    user = authenticated_request(request).user
    _latest, policy = _working_copy(user)
    clause = None
    if clause_id is not None:
        clause = next((clause for clause in policy.clauses if clause.id == clause_id), None)
        if clause is None:
            raise Http404
    form = ClauseForm(request.POST or None, policy=policy, clause=clause)
    if request.method == "POST" and form.is_valid():
        default = _("Clause %(clause)s changed") if clause else _("Clause %(clause)s added")
        response = _save(request, form.build(), default % {"clause": form.cleaned_data["clause_id"]})
        if response is not None:
            return response
    return render(request, "policies/clause_form.html", {"nav": "guidelines", "form": form, "clause": clause})


@require_permission(Permission.MANAGE_POLICY)
def test_case_new(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    _latest, policy = _working_copy(user)
    form = TestCaseForm(request.POST or None, policy=policy, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form.build(), _("Test case added"))
        if response is not None:
            return response
    return render(request, "policies/test_case_form.html", {"nav": "guidelines", "form": form})


@require_POST
@require_permission(Permission.MANAGE_POLICY)
def test_case_delete(request: HttpRequest, index: int) -> HttpResponse:
    user = authenticated_request(request).user
    _latest, policy = _working_copy(user)
    if not 1 <= index <= len(policy.tests):
        raise Http404
    tests = policy.tests[: index - 1] + policy.tests[index:]
    response = _save(
        request, dataclasses.replace(policy, tests=tests), _("Test case %(index)s removed") % {"index": index}
    )
    return response or redirect("policy:overview")


@require_POST
@require_permission(Permission.MANAGE_POLICY)
def archiving_set(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    form = ArchivingForm(request.POST)
    if form.is_valid():
        services.set_archiving(
            organization=user.organization, actor=user, archive_drafts=form.cleaned_data["archive_drafts"]
        )
        messages.success(request, _("Archiving setting saved."))
    return redirect("policy:overview")


app_name = "policy"
urlpatterns = [
    path("", overview, name="overview"),
    path("file/", source_edit, name="source"),
    path("archiving/", archiving_set, name="archiving"),
    path("clauses/new/", clause_edit, name="clause-new"),
    path("clauses/<str:clause_id>/", clause_edit, name="clause-edit"),
    path("rules/new/<str:kind>/", rule_new, name="rule-new"),
    path("rules/<str:rule_id>/", rule_edit, name="rule-edit"),
    path("rules/<str:rule_id>/delete/", rule_delete, name="rule-delete"),
    path("tests/new/", test_case_new, name="test-new"),
    path("tests/<int:index>/delete/", test_case_delete, name="test-delete"),
    path("v/<int:number>/", version_detail, name="version"),
    path("v/<int:number>/diff/", version_diff, name="version-diff"),
    path("v/<int:number>/download/", version_download, name="version-download"),
    path("v/<int:number>/publish/", version_publish, name="version-publish"),
]
