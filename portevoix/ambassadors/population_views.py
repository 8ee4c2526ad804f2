"""Populations: their rules with a preview of who matches, and members added or taken out by hand."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.models import Population, User
from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission
from portevoix.ambassadors import population_rules, selectors
from portevoix.ambassadors.forms import MemberForm, PopulationForm, RuleForm
from portevoix.ambassadors.models import PopulationRule
from portevoix.ambassadors.services import ProgrammeRefused

VIEW = Permission.VIEW_AMBASSADOR_PROGRAMME
MANAGE = Permission.MANAGE_AMBASSADOR_PROGRAMME
PREVIEW_SIZE = 20
MEMBERS_SHOWN = 200


@require_permission(VIEW)
def population_list(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    return render(request, "ambassadors/population_list.html", _list_context(user, PopulationForm()))


def _list_context(user: User, form: PopulationForm) -> dict[str, object]:
    populations = selectors.populations_with_rules(organization=user.organization)
    return {"nav": "ambassadors", "populations": populations, "form": form, "can_manage": user.can(MANAGE)}


@require_POST
@require_permission(MANAGE)
def population_new(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    form = PopulationForm(request.POST)
    if form.is_valid():
        try:
            population = population_rules.create_population(
                organization=user.organization,
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
                actor=user,
            )
        except ProgrammeRefused as refused:
            form.add_error("slug", str(refused))
        else:
            messages.success(request, _("The population is added: give it rules or members."))
            return redirect("ambassadors:population-detail", population_id=population.pk)
    return render(request, "ambassadors/population_list.html", _list_context(user, form), status=400)


def _detail_context(request: HttpRequest, population: Population, rule_form: RuleForm) -> dict[str, object]:
    user = authenticated_request(request).user
    members = population.members.filter(is_active=True).select_related("department").order_by("full_name")
    rules = PopulationRule.objects.filter(population=population).prefetch_related("departments", "entities")
    return {
        "nav": "ambassadors",
        "population": population,
        "rules": rules,
        "members": members[:MEMBERS_SHOWN],
        "members_count": members.count(),
        "rule_form": rule_form,
        "member_form": MemberForm(organization=user.organization),
        "can_manage": user.can(MANAGE),
    }


@require_permission(VIEW)
def population_detail(request: HttpRequest, population_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    population = selectors.get_population_for_user(user=user, population_id=population_id)
    context = _detail_context(request, population, RuleForm(organization=user.organization))
    return render(request, "ambassadors/population_detail.html", context)


@require_permission(MANAGE)
def rule_preview(request: HttpRequest, population_id: int) -> HttpResponse:
    """Who a rule being written would match, as the director types (htmx)."""
    user = authenticated_request(request).user
    population = selectors.get_population_for_user(user=user, population_id=population_id)
    form = RuleForm(request.GET, organization=user.organization)
    context: dict[str, object] = {"population": population, "form": form}
    if form.is_valid() and not form.conditions().is_empty:
        matched = population_rules.people_matching(organization=user.organization, conditions=[form.conditions()])
        members = set(population.members.values_list("pk", flat=True))
        context |= {
            "matched_count": matched.count(),
            "sample": list(matched.select_related("department").order_by("full_name")[:PREVIEW_SIZE]),
            "new_count": matched.exclude(pk__in=members).count(),
        }
    return render(request, "ambassadors/population_detail.html#preview", context)


@require_POST
@require_permission(MANAGE)
def rule_add(request: HttpRequest, population_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    population = selectors.get_population_for_user(user=user, population_id=population_id)
    form = RuleForm(request.POST, organization=user.organization)
    if form.is_valid():
        try:
            population_rules.add_rule(population=population, conditions=form.conditions(), actor=user)
        except ProgrammeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The rule is added and applied."))
            return redirect("ambassadors:population-detail", population_id=population.pk)
    context = _detail_context(request, population, form)
    return render(request, "ambassadors/population_detail.html", context, status=400)


@require_POST
@require_permission(MANAGE)
def rule_delete(request: HttpRequest, population_id: int, rule_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    population = selectors.get_population_for_user(user=user, population_id=population_id)
    rule = get_object_or_404(PopulationRule, population=population, pk=rule_id)
    population_rules.delete_rule(rule=rule, actor=user)
    messages.success(request, _("The rule is removed; the people only it had added left the population."))
    return redirect("ambassadors:population-detail", population_id=population.pk)


@require_POST
@require_permission(MANAGE)
def rules_apply(request: HttpRequest, population_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    population = selectors.get_population_for_user(user=user, population_id=population_id)
    outcome = population_rules.apply_rules(population=population, actor=user)
    messages.success(
        request,
        _("Rules applied: %(added)s joined, %(removed)s left.")
        % {"added": len(outcome.added), "removed": len(outcome.removed)},
    )
    return redirect("ambassadors:population-detail", population_id=population.pk)


@require_POST
@require_permission(MANAGE)
def member_add(request: HttpRequest, population_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    population = selectors.get_population_for_user(user=user, population_id=population_id)
    form = MemberForm(request.POST, organization=user.organization)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["email"]))
        return redirect("ambassadors:population-detail", population_id=population.pk)
    person: User = form.cleaned_data["email"]
    population_rules.add_member(population=population, person=person, actor=user)
    messages.success(request, _("%(name)s is in the population.") % {"name": person.full_name})
    return redirect("ambassadors:population-detail", population_id=population.pk)


@require_POST
@require_permission(MANAGE)
def member_remove(request: HttpRequest, population_id: int, person_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    population = selectors.get_population_for_user(user=user, population_id=population_id)
    person = get_object_or_404(User, organization=user.organization, pk=person_id)
    population_rules.remove_member(population=population, person=person, actor=user)
    messages.success(
        request, _("%(name)s left the population; its rules will not add them back.") % {"name": person.full_name}
    )
    return redirect("ambassadors:population-detail", population_id=population.pk)


urlpatterns = [
    path("populations/", population_list, name="population-list"),
    path("populations/new/", population_new, name="population-new"),
    path("populations/<int:population_id>/", population_detail, name="population-detail"),
    path("populations/<int:population_id>/preview/", rule_preview, name="rule-preview"),
    path("populations/<int:population_id>/rules/", rule_add, name="rule-add"),
    path("populations/<int:population_id>/rules/<int:rule_id>/delete/", rule_delete, name="rule-delete"),
    path("populations/<int:population_id>/apply/", rules_apply, name="rules-apply"),
    path("populations/<int:population_id>/members/", member_add, name="member-add"),
    path("populations/<int:population_id>/members/<int:person_id>/remove/", member_remove, name="member-remove"),
]
