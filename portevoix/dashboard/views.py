import datetime
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request, login_required, require_permission
from portevoix.accounts.roles import Permission, Role
from portevoix.audit.models import AuditEntry
from portevoix.dashboard.selectors import CHECK_DAYS, LayerMap, layer_map
from portevoix.guidelines.selectors import home_card
from portevoix.jobs.selectors import has_live_worker, latest_heartbeat, queue_state, worker_states
from portevoix.quizzes.selectors import quiz_card


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The map for those who steer; everyone else starts from their own page."""
    user = authenticated_request(request).user
    if user.can(Permission.VIEW_MAP):
        return redirect("dashboard:map")
    context = {
        "person": user,
        "is_ambassador": user.has_role(Role.AMBASSADOR),
        "guidelines": home_card(person=user, language=(get_language() or "fr")[:2]),
        "quiz": quiz_card(person=user),
    }
    return render(request, "dashboard/home.html", context)


@require_permission(Permission.VIEW_MAP)
def map_view(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    layers = layer_map(organization=user.organization)
    context = {"nav": "map", "layers": layers, "links": _rules_links(user, layers)}
    return render(request, "dashboard/map.html", context)


def _rules_links(user: User, layers: LayerMap) -> dict[str, str]:
    """Where each figure of layer 1 leads, only for the pages the viewer may open; the others stay plain numbers."""
    version = layers.rules.guidelines_version
    candidates = [
        (
            "completion",
            Permission.VIEW_GUIDELINES_ADMIN,
            reverse("guidelines:completion", args=[version]) if version else "",
        ),
        ("policy", Permission.MANAGE_POLICY, reverse("policy:overview")),
        ("checks", Permission.VIEW_CHECK_STATISTICS, f"{reverse('check:statistics')}?days={CHECK_DAYS}"),
        ("asks", Permission.ANSWER_ASKS, reverse("asks:queue")),
        ("incidents", Permission.VIEW_INCIDENTS, reverse("incidents:list")),
    ]
    return {name: url for name, permission, url in candidates if url and user.can(permission)}


@require_permission(Permission.VIEW_AUDIT)
def audit_view(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    entries = AuditEntry.objects.filter(organization=user.organization).order_by("-sequence")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "dashboard/audit_list.html", {"nav": "audit", "page": page})


@require_permission(Permission.VIEW_SYSTEM)
def system_view(request: HttpRequest) -> HttpResponse:
    context = {
        "nav": "system",
        "workers": worker_states(),
        "has_live_worker": has_live_worker(),
        "queue": queue_state(),
    }
    return render(request, "dashboard/system.html", context)


def _database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Machine-readable health for load balancers and monitoring: 200 when healthy, else 503."""
    database_ok = _database_is_up()
    worker_ok = False
    last_seen: datetime.datetime | None = None
    if database_ok:
        worker_ok = has_live_worker()
        last_seen = latest_heartbeat()
    body: dict[str, Any] = {
        "status": "ok" if database_ok and worker_ok else "unhealthy",
        "database": {"ok": database_ok, "vendor": connection.vendor},
        "worker": {
            "ok": worker_ok,
            "last_heartbeat": last_seen.isoformat() if last_seen else None,
            "seconds_since_heartbeat": round((timezone.now() - last_seen).total_seconds(), 1) if last_seen else None,
        },
    }
    return JsonResponse(body, status=200 if database_ok and worker_ok else 503)


app_name = "dashboard"
urlpatterns = [
    path("", home, name="home"),
    path("map/", map_view, name="map"),
    path("audit/", audit_view, name="audit"),
    path("system/", system_view, name="system"),
]
