"""The policy editor (G5): versions, forms per rule kind, upload, diff, publication.

Every change makes a new immutable version whose test cases run on save; only a version whose
test cases all pass can be published, and the published one is what every check applies.
"""

import dataclasses

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from compliance_engine.model import Policy, Rule, RuleKind, TestCase
from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission
from portevoix.policies import engine_messages, selectors, services
from portevoix.policies.changes import describe_changes
from portevoix.policies.editing import EMPTY_POLICY, EditingBase, editing_base, save_change
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


def _next_step_in_form() -> str:
    """What to do when another version was saved while a form was open (see `editing.conflict_notice`)."""
    return _(
        "What you entered is still below, and this page now starts from version %(number)s: bring in what you "
        "want to keep of its changes, then save again."
    )


@require_permission(Permission.MANAGE_POLICY)
def overview(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    base = editing_base(request)
    policy = base.policy
    policy_settings = services.settings_of(user.organization)
    context = {
        "nav": "guidelines",
        "latest": base.version,
        "based_on": base.number,
        "policy": policy,
        "versions": selectors.versions_for_user(user=user),
        "active_id": policy_settings.active_version_id,
        "archiving_form": ArchivingForm(initial={"archive_drafts": policy_settings.archive_drafts}),
        "kinds": KIND_CHOICES,
    }
    return render(request, "policies/overview.html", context)


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
    """Upload a policy file, or edit the whole text of the version the page shows."""
    base = editing_base(request)
    form = SourceForm(
        request.POST or None, request.FILES or None, initial={"source": base.version.source if base.version else ""}
    )
    if request.method == "POST" and form.is_valid():
        summary = form.cleaned_data["summary"] or _("Policy file uploaded")
        result = save_change(
            request,
            base=base,
            policy=form.cleaned_data["source"],
            summary=summary,
            next_step=_next_step_in_form(),
            form=form,
        )
        if isinstance(result, HttpResponse):
            return result
        base = result
    uploaded = _show_checked_text(form)
    context = {"nav": "guidelines", "form": form, "latest": base.version, "based_on": base.number, "uploaded": uploaded}
    return render(request, "policies/source_edit.html", context)


def _show_checked_text(form: SourceForm) -> str:
    """Put the text that was checked in the text area; the name of the uploaded file it came from, if any.

    A refusal points into that text ("line 272: …"), but a browser never sends a file twice and the
    text area would show what it held before the upload.
    """
    checked = getattr(form, "cleaned_data", {}).get("source")
    if not form.is_bound or checked is None or form.data.get("source") == checked:
        return ""
    assert isinstance(form.data, QueryDict)  # a bound form's data is the request's
    data = form.data.copy()
    data["source"] = checked
    form.data = data
    upload = form.cleaned_data.get("file")
    return str(upload.name) if upload is not None else ""


@require_permission(Permission.MANAGE_POLICY)
def rule_edit(request: HttpRequest, rule_id: str) -> HttpResponse:
    base = editing_base(request)
    rule = _rule(base.policy, rule_id)
    return _rule_form(request, base, rule.kind, rule)


def _rule(policy: Policy, rule_id: str) -> Rule:
    rule = _find_rule(policy, rule_id)
    if rule is None:
        raise Http404
    return rule


def _find_rule(policy: Policy, rule_id: str) -> Rule | None:
    return next((rule for rule in policy.rules if rule.id == rule_id), None)


@require_permission(Permission.MANAGE_POLICY)
def rule_new(request: HttpRequest, kind: str) -> HttpResponse:
    base = editing_base(request)
    if kind not in RuleKind:
        raise Http404
    if not base.policy.clauses:
        messages.error(request, _("Add a clause first: every rule cites one."))
        return redirect("policy:clause-new")
    return _rule_form(request, base, RuleKind(kind), None)


def _rule_form(request: HttpRequest, base: EditingBase, kind: RuleKind, rule: Rule | None) -> HttpResponse:
    form = RULE_FORMS[kind](request.POST or None, policy=base.policy, rule=rule)
    summary_form = SummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and summary_form.is_valid():
        default = (_("Rule %(rule)s changed") if rule is not None else _("Rule %(rule)s added")) % {
            "rule": form.cleaned_data["rule_id"]
        }
        result = save_change(
            request,
            base=base,
            policy=form.build(),
            summary=summary_form.cleaned_data["summary"] or default,
            next_step=_next_step_in_form(),
        )
        if isinstance(result, HttpResponse):
            return result
        base = result
        if rule is not None and _find_rule(base.policy, rule.id) is None:
            removed = _(
                "Rule %(rule)s is not in version %(number)s: it was removed meanwhile, so this page cannot save it "
                "any more. Copy what you need, then add the rule again as a new one."
            )
            form.add_error(None, removed % {"rule": rule.id, "number": base.number})
    context = {
        "nav": "guidelines",
        "form": form,
        "summary_form": summary_form,
        "rule": rule,
        "kind": kind,
        "kind_label": dict(KIND_CHOICES)[kind.value],
        "based_on": base.number,
    }
    return render(request, "policies/rule_form.html", context)


@require_permission(Permission.MANAGE_POLICY)
def rule_delete(request: HttpRequest, rule_id: str) -> HttpResponse:
    """Say what removing a rule removes with it (the test cases that name it); remove on confirmation."""
    base = editing_base(request)
    rule = _rule(base.policy, rule_id)
    if request.method == "POST":
        result = _remove_rule(request, base, rule)
        if isinstance(result, HttpResponse):
            return result
        base = result
        newer = _find_rule(base.policy, rule_id)
        if newer is None:  # removed meanwhile: the notice links to that change
            return redirect("policy:overview")
        rule = newer
    context = {"nav": "guidelines", "rule": rule, "tests": _tests_naming(base.policy, rule_id), "based_on": base.number}
    return render(request, "policies/rule_delete.html", context)


def _tests_naming(policy: Policy, rule_id: str) -> list[tuple[int, TestCase]]:
    """The test cases that name a rule, with their numbers: they could never pass without it."""
    return [
        (index, case)
        for index, case in enumerate(policy.tests, start=1)
        if rule_id in {*case.must_find, *case.must_not_find}
    ]


def _remove_rule(request: HttpRequest, base: EditingBase, rule: Rule) -> HttpResponse | EditingBase:
    naming = {index for index, _case in _tests_naming(base.policy, rule.id)}
    changed = dataclasses.replace(
        base.policy,
        rules=tuple(other for other in base.policy.rules if other.id != rule.id),
        tests=tuple(case for index, case in enumerate(base.policy.tests, start=1) if index not in naming),
    )
    done = (
        ngettext(
            "Rule %(rule)s is removed, with the %(count)s test case that named it.",
            "Rule %(rule)s is removed, with the %(count)s test cases that named it.",
            len(naming),
        )
        if naming
        else _("Rule %(rule)s is removed; no test case named it.")
    )
    next_step = _(
        "This page now shows what removing the rule from version %(number)s removes: confirm again if it should go."
    )
    return save_change(
        request,
        base=base,
        policy=changed,
        summary=_("Rule %(rule)s removed") % {"rule": rule.id},
        next_step=next_step,
        done=done % {"rule": rule.id, "count": len(naming)},
    )


@require_permission(Permission.MANAGE_POLICY)
def clause_edit(request: HttpRequest, clause_id: str | None = None) -> HttpResponse:
    base = editing_base(request)
    clause = None
    if clause_id is not None:
        clause = next((clause for clause in base.policy.clauses if clause.id == clause_id), None)
        if clause is None:
            raise Http404
    form = ClauseForm(request.POST or None, policy=base.policy, clause=clause)
    if request.method == "POST" and form.is_valid():
        default = _("Clause %(clause)s changed") if clause else _("Clause %(clause)s added")
        result = save_change(
            request,
            base=base,
            policy=form.build(),
            summary=default % {"clause": form.cleaned_data["clause_id"]},
            next_step=_next_step_in_form(),
        )
        if isinstance(result, HttpResponse):
            return result
        base = result
    context = {"nav": "guidelines", "form": form, "clause": clause, "based_on": base.number}
    return render(request, "policies/clause_form.html", context)


@require_permission(Permission.MANAGE_POLICY)
def test_case_new(request: HttpRequest) -> HttpResponse:
    base = editing_base(request)
    form = TestCaseForm(request.POST or None, policy=base.policy, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        result = save_change(
            request, base=base, policy=form.build(), summary=_("Test case added"), next_step=_next_step_in_form()
        )
        if isinstance(result, HttpResponse):
            return result
        base = result
    return render(request, "policies/test_case_form.html", {"nav": "guidelines", "form": form, "based_on": base.number})


@require_POST
@require_permission(Permission.MANAGE_POLICY)
def test_case_delete(request: HttpRequest, index: int) -> HttpResponse:
    """Remove the test case at a position of the version the page showed, if it is the one the page showed."""
    base = editing_base(request)
    if not 1 <= index <= len(base.policy.tests):
        raise Http404
    if not _is_same_text(base.policy.tests[index - 1].text, request.POST.get("text", "")):
        messages.error(
            request,
            _("Test case %(index)s of version %(number)s is not the one the page showed: nothing is removed.")
            % {"index": index, "number": base.number},
        )
        return redirect(reverse("policy:overview") + "#tests-heading")
    tests = base.policy.tests[: index - 1] + base.policy.tests[index:]
    next_step = _("The list below now shows version %(number)s: remove the test case again if it should still go.")
    result = save_change(
        request,
        base=base,
        policy=dataclasses.replace(base.policy, tests=tests),
        summary=_("Test case %(index)s removed") % {"index": index},
        next_step=next_step,
    )
    return result if isinstance(result, HttpResponse) else redirect(reverse("policy:overview") + "#tests-heading")


def _is_same_text(stored: str, shown: str) -> bool:
    # Browsers send the line breaks of a hidden field's value as CR LF.
    return stored.splitlines() == shown.splitlines()


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
