from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from portevoix.accounts.permissions import require_permission
from portevoix.accounts.roles import Permission


@require_permission(Permission.VIEW_DIRECTORY)
def person_list(request: HttpRequest) -> HttpResponse:
    return render(request, "people/person_list.html", {"nav": "people"})


app_name = "people"
urlpatterns = [path("", person_list, name="list")]
