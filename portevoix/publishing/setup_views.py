"""Campaigns (for the composer and the calendar) and the organisation's approval steps."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission
from portevoix.publishing import selectors, setup
from portevoix.publishing.forms import CampaignForm, StepForm
from portevoix.publishing.models import Campaign


@require_permission(Permission.COMPOSE_OFFICIAL_POSTS)
def campaign_list(request: HttpRequest, campaign_id: int | None = None) -> HttpResponse:
    """The campaigns, and a form to add one (or to change the one named in the address)."""
    user = authenticated_request(request).user
    campaign = selectors.get_campaign_for_user(user=user, campaign_id=campaign_id) if campaign_id else None
    initial = (
        {key: getattr(campaign, key) for key in ("name", "colour", "description", "starts_on", "ends_on")}
        if campaign
        else {}
    )
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            setup.save_campaign(actor=user, campaign=campaign, **form.cleaned_data)
        except setup.SetupRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("publishing:campaign-list")
    context = {
        "nav": "publishing",
        "form": form,
        "campaign": campaign,
        "campaigns": selectors.campaigns(organization=user.organization, include_archived=True),
    }
    return render(request, "publishing/campaign_list.html", context, status=400 if form.errors else 200)


@require_POST
@require_permission(Permission.COMPOSE_OFFICIAL_POSTS)
def campaign_archive(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    campaign: Campaign = selectors.get_campaign_for_user(user=user, campaign_id=campaign_id)
    setup.set_campaign_archived(actor=user, campaign=campaign, is_archived=not campaign.is_archived)
    return redirect("publishing:campaign-list")


@require_permission(Permission.REVIEW_OFFICIAL_POSTS)
def step_list(request: HttpRequest, step_id: int | None = None) -> HttpResponse:
    """The approval steps in order; the communication director adds, changes, orders and removes them."""
    user = authenticated_request(request).user
    can_manage = user.can(Permission.MANAGE_APPROVAL_STEPS)
    step = selectors.get_step_for_user(user=user, step_id=step_id) if step_id else None
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    setup.ensure_default_steps(user.organization)
    initial = {"name": step.name, "role": step.role, "condition": step.condition} if step else {}
    form = StepForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            setup.save_step(actor=user, step=step, **form.cleaned_data)
        except setup.SetupRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The approval step is saved."))
            return redirect("publishing:step-list")
    context = {
        "nav": "publishing",
        "form": form,
        "step": step,
        "steps": selectors.approval_steps(user.organization),
        "can_manage": can_manage,
    }
    return render(request, "publishing/step_list.html", context, status=400 if form.errors else 200)


@require_POST
@require_permission(Permission.MANAGE_APPROVAL_STEPS)
def step_change(request: HttpRequest, step_id: int) -> HttpResponse:
    """Move a step up or down, or remove it."""
    user = authenticated_request(request).user
    step = selectors.get_step_for_user(user=user, step_id=step_id)
    action = request.POST.get("action")
    try:
        if action == "remove":
            setup.remove_step(actor=user, step=step)
            messages.success(request, _("The approval step is removed."))
        elif action in ("up", "down"):
            setup.move_step(actor=user, step=step, offset=-1 if action == "up" else 1)
    except setup.SetupRefused as refused:
        messages.error(request, str(refused))
    return redirect("publishing:step-list")
