from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission, Role


@require_permission(Permission.VIEW_OFFICIAL_CHANNELS)
def index(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    team = (
        User.objects.filter(organization=user.organization, is_active=True)
        .filter(Q(roles__role=Role.COMMUNITY_MANAGER) | Q(roles__role=Role.COMMUNICATION_DIRECTOR))
        .distinct()
        .order_by("full_name")
    )
    return render(request, "publishing/publishing_index.html", {"nav": "publishing", "team": team})


app_name = "publishing"
urlpatterns = [path("", index, name="index")]
