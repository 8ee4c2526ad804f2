"""The official voice's editorial side: its home page and its addresses.

The pages live in `calendar_views` (C2), `post_views` (C3, C4) and `setup_views` (campaigns,
approval steps).
"""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission, Role
from portevoix.crisis.selectors import active_crisis
from portevoix.publishing import calendar_views, post_views, selectors, setup_views


@require_permission(Permission.VIEW_OFFICIAL_CHANNELS)
def index(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    team = (
        User.objects.filter(organization=user.organization, is_active=True)
        .filter(Q(roles__role=Role.COMMUNITY_MANAGER) | Q(roles__role=Role.COMMUNICATION_DIRECTOR))
        .distinct()
        .order_by("full_name")
    )
    waiting = selectors.posts_awaiting_decision(user=user)
    context = {
        "nav": "publishing",
        "team": team,
        "awaiting_me": sum(1 for item in waiting if item[2]),
        "awaiting": len(waiting),
        "crisis": active_crisis(user.organization),
    }
    return render(request, "publishing/publishing_index.html", context)


app_name = "publishing"
urlpatterns = [
    path("", index, name="index"),
    path("calendar/", calendar_views.calendar_view, name="calendar"),
    path("calendar/feed/", calendar_views.feed_settings, name="calendar-feed"),
    path("calendar/<str:token>.ics", calendar_views.calendar_ics, name="calendar-ics"),
    path("posts/new/", post_views.post_compose, name="post-new"),
    path("posts/<int:post_id>/", post_views.post_detail, name="post-detail"),
    path("posts/<int:post_id>/edit/", post_views.post_compose, name="post-edit"),
    path("posts/<int:post_id>/submit/", post_views.post_submit, name="post-submit"),
    path("posts/<int:post_id>/decide/", post_views.post_decide, name="post-decide"),
    path("posts/<int:post_id>/move/", post_views.post_move, name="post-move"),
    path("posts/<int:post_id>/media/<int:media_id>/", post_views.post_media, name="post-media"),
    path("approvals/", post_views.approval_queue, name="approvals"),
    path("campaigns/", setup_views.campaign_list, name="campaign-list"),
    path("campaigns/<int:campaign_id>/", setup_views.campaign_list, name="campaign-edit"),
    path("campaigns/<int:campaign_id>/archive/", setup_views.campaign_archive, name="campaign-archive"),
    path("steps/", setup_views.step_list, name="step-list"),
    path("steps/<int:step_id>/", setup_views.step_list, name="step-edit"),
    path("steps/<int:step_id>/change/", setup_views.step_change, name="step-change"),
]
