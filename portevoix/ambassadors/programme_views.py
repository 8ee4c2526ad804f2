"""Topics, coverage, candidates and invitation campaigns: read with VIEW, changed with MANAGE_AMBASSADOR_PROGRAMME."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission, Role
from portevoix.ambassadors import candidates, invitations, selectors, services
from portevoix.ambassadors.forms import CampaignForm, RemoveForm, TopicForm
from portevoix.ambassadors.models import Topic

VIEW = Permission.VIEW_AMBASSADOR_PROGRAMME
MANAGE = Permission.MANAGE_AMBASSADOR_PROGRAMME


@require_permission(VIEW)
def topic_list(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    context = {
        "nav": "ambassadors",
        "matrix": selectors.coverage_matrix(organization=user.organization),
        "inactive": Topic.objects.filter(organization=user.organization, is_active=False).order_by("name"),
        "can_manage": user.can(MANAGE),
    }
    return render(request, "ambassadors/topic_list.html", context)


@require_permission(MANAGE)
def topic_new(request: HttpRequest) -> HttpResponse:
    return _topic_form(request, None)


@require_permission(MANAGE)
def topic_edit(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = selectors.get_topic_for_user(user=authenticated_request(request).user, topic_id=topic_id)
    return _topic_form(request, topic)


def _topic_form(request: HttpRequest, topic: Topic | None) -> HttpResponse:
    user = authenticated_request(request).user
    initial = TopicForm.initial_for(topic) if topic else {"is_active": True}
    form = TopicForm(request.POST or None, organization=user.organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_topic(
                organization=user.organization, actor=user, fields=form.topic_fields(), topic=topic
            )
        except services.ProgrammeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The topic is saved."))
            return redirect("ambassadors:topic-detail", topic_id=saved.pk)
    context = {"nav": "ambassadors", "form": form, "topic": topic}
    return render(request, "ambassadors/topic_form.html", context, status=400 if form.errors else 200)


@require_permission(VIEW)
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    topic = selectors.get_topic_for_user(user=user, topic_id=topic_id)
    gap = candidates.parse_gap(request.GET.get("gap", ""))
    matrix = selectors.coverage_matrix(organization=user.organization, topic_ids=[topic.pk])
    context = {
        "nav": "ambassadors",
        "topic": topic,
        "coverage": matrix.rows[0] if matrix.rows else None,
        "gap": gap,
        "candidates": candidates.candidates_for(topic=topic, gap=gap),
        "ambassadors": selectors.ambassadors_of(organization=user.organization, topic=topic),
        "can_manage": user.can(MANAGE),
    }
    if getattr(request, "htmx", False):
        return render(request, "ambassadors/topic_detail.html#candidates", context)
    return render(request, "ambassadors/topic_detail.html", context)


def default_message(topic: Topic | None, sender: User) -> str:
    subject = topic.name if topic else _("the company")
    return _(
        "Hello,\n\nWe are looking for colleagues who would like to speak about %(topic)s on social networks, "
        "in their own words. We think you would do it well.\n\nAs an ambassador you will receive suggested posts, "
        "key messages and training; you share only what you want, when you want.\n\n%(sender)s"
    ) % {"topic": subject, "sender": sender.full_name}


@require_permission(MANAGE)
def campaign_new(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    source = request.POST if request.method == "POST" else request.GET
    topic_id = source.get("topic", "")
    topic = selectors.get_topic_for_user(user=user, topic_id=int(topic_id)) if topic_id.isdigit() else None
    initial = {
        "name": _("%(topic)s, %(date)s")
        % {"topic": topic.name if topic else _("Programme"), "date": timezone.localdate()},
        "message": default_message(topic, user),
    }
    form = CampaignForm(
        request.POST if "send" in request.POST else None, organization=user.organization, initial=initial
    )
    if form.is_bound and form.is_valid():
        try:
            campaign = invitations.create_campaign(
                organization=user.organization,
                actor=user,
                topic=topic,
                name=form.cleaned_data["name"],
                message=form.cleaned_data["message"],
                people=list(form.cleaned_data["people"]),
            )
        except services.ProgrammeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The invitations are on their way."))
            return redirect("ambassadors:campaign-detail", campaign_id=campaign.pk)
    ids = [int(value) for value in source.getlist("people") if value.isdigit()]
    chosen = User.objects.filter(organization=user.organization, is_active=True, pk__in=ids).order_by("full_name")
    context = {"nav": "ambassadors", "form": form, "topic": topic, "chosen": chosen, "chosen_ids": set(ids)}
    return render(request, "ambassadors/campaign_new.html", context, status=400 if form.errors else 200)


@require_permission(VIEW)
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    context = {
        "nav": "ambassadors",
        "campaigns": selectors.campaigns(organization=user.organization),
        "can_manage": user.can(MANAGE),
    }
    return render(request, "ambassadors/campaign_list.html", context)


@require_permission(VIEW)
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    campaign = selectors.get_campaign_for_user(user=user, campaign_id=campaign_id)
    context = {"nav": "ambassadors", "campaign": campaign, "invitations": selectors.campaign_invitations(campaign)}
    return render(request, "ambassadors/campaign_detail.html", context)


@require_permission(VIEW)
def ambassador_list(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    people = selectors.ambassadors_of(organization=user.organization).prefetch_related("ambassador_profile__topics")
    context = {"nav": "ambassadors", "people": people, "can_manage": user.can(MANAGE), "form": RemoveForm()}
    return render(request, "ambassadors/ambassador_list.html", context)


@require_POST
@require_permission(MANAGE)
def ambassador_remove(request: HttpRequest, person_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    person = get_object_or_404(
        User, organization=user.organization, pk=person_id, is_active=True, roles__role=Role.AMBASSADOR
    )
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why this person leaves the programme."))
        return redirect("ambassadors:ambassador-list")
    try:
        invitations.remove_ambassador(person=person, actor=user, reason=form.cleaned_data["reason"])
    except services.ProgrammeRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("%(name)s is no longer an ambassador.") % {"name": person.full_name})
    return redirect("ambassadors:ambassador-list")


urlpatterns = [
    path("topics/", topic_list, name="topic-list"),
    path("topics/new/", topic_new, name="topic-new"),
    path("topics/<int:topic_id>/", topic_detail, name="topic-detail"),
    path("topics/<int:topic_id>/edit/", topic_edit, name="topic-edit"),
    path("campaigns/", campaign_list, name="campaign-list"),
    path("campaigns/new/", campaign_new, name="campaign-new"),
    path("campaigns/<int:campaign_id>/", campaign_detail, name="campaign-detail"),
    path("people/", ambassador_list, name="ambassador-list"),
    path("people/<int:person_id>/remove/", ambassador_remove, name="ambassador-remove"),
]
