from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from portevoix.accounts.permissions import login_required


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "guidelines/guidelines_index.html", {"nav": "guidelines"})


app_name = "guidelines"
urlpatterns = [path("", index, name="index")]
