from django.urls import include, path

from portevoix.api.main import api
from portevoix.dashboard.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("accounts/", include("portevoix.accounts.views")),
    path("guidelines/", include("portevoix.guidelines.views")),
    path("quizzes/", include("portevoix.quizzes.views")),
    path("ambassadors/", include("portevoix.ambassadors.views")),
    path("official/", include("portevoix.publishing.views")),
    path("share/", include("portevoix.content.views")),
    path("channels/", include("portevoix.channels.views")),
    path("crisis/", include("portevoix.crisis.views")),
    path("inbox/", include("portevoix.inbox.views")),
    path("l/", include("portevoix.links.views")),
    path("people/", include("portevoix.people.views")),
    path("policy/", include("portevoix.policies.views")),
    path("check/", include("portevoix.policies.check_views")),
    path("asks/", include("portevoix.asks.views")),
    path("incidents/", include("portevoix.incidents.views")),
    path("", include("portevoix.dashboard.views")),
]
