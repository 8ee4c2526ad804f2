from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from portevoix.accounts.models import Population, User
from portevoix.accounts.permissions import authenticated_request, login_required
from portevoix.accounts.roles import Permission, Role


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    context: dict[str, object] = {"nav": "ambassadors", "is_ambassador": user.has_role(Role.AMBASSADOR)}
    if user.can(Permission.VIEW_AMBASSADOR_PROGRAMME):
        context["populations"] = (
            Population.objects.filter(organization=user.organization)
            .annotate(members_count=Count("members", filter=Q(members__is_active=True)))
            .order_by("name")
        )
        context["ambassadors"] = (
            User.objects.filter(organization=user.organization, is_active=True, roles__role=Role.AMBASSADOR)
            .select_related("department")
            .order_by("full_name")[:100]
        )
    return render(request, "ambassadors/ambassadors_index.html", context)


app_name = "ambassadors"
urlpatterns = [path("", index, name="index")]
