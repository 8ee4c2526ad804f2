"""Check my post (G4): the page every signed-in person uses, and the statistics of checks.

The page is one view: a GET renders it, each debounced htmx POST re-renders only the verdict and
the findings (a named partial of the same template), and a plain POST works without JavaScript.
"""

import dataclasses
import secrets
from typing import Any, Literal

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache

from compliance_engine import Outcome
from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request, login_required, require_permission
from portevoix.accounts.roles import Permission
from portevoix.policies import check_selectors, checking, services
from portevoix.policies.check_forms import CheckForm

ARCHIVE_PAGE_SIZE = 25


@dataclasses.dataclass(frozen=True)
class CheckResult:
    """What the results area shows: nothing typed yet, no policy, invalid fields, or a verdict."""

    status: Literal["empty", "no_policy", "invalid", "checked"]
    report: checking.CheckReport | None = None
    pieces: list[checking.Piece] = dataclasses.field(default_factory=list)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _check(user: User, form: CheckForm) -> CheckResult:
    if not form.is_valid():
        return CheckResult("invalid")
    text: str = form.cleaned_data["text"]
    if not text.strip():
        has_policy = check_selectors.check_page_state(organization=user.organization).version is not None
        return CheckResult("empty" if has_policy else "no_policy")
    scope = form.cleaned_data["scope"]
    date = form.cleaned_data["date"] or timezone.localdate()
    checked = services.check_text(
        user=user,
        text=text,
        date=date,
        scope=scope,
        language=_language(),
        channel="web",
        draft_key=form.cleaned_data["draft_key"],
    )
    if checked is None:
        return CheckResult("no_policy")
    verdict, version = checked
    report = checking.report(
        verdict,
        services.policy_of(version),
        text=text,
        language=_language(),
        scope=scope,
        date=date,
        policy_version=version.number,
    )
    return CheckResult("checked", report, checking.pieces(text, report.findings))


@never_cache
@login_required
def check_post(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    scopes = services.scopes_for(user)
    context: dict[str, Any] = {"nav": "check", "can_manage_policy": user.can(Permission.MANAGE_POLICY)}
    if request.method == "POST":
        form = CheckForm(request.POST, scopes=scopes)
        context["result"] = _check(user, form)
        if _is_htmx(request):
            return render(request, "policies/check_post.html#update", context | {"form": form})
    else:
        form = CheckForm(scopes=scopes, initial={"draft_key": secrets.token_urlsafe(18), "date": timezone.localdate()})
    state = check_selectors.check_page_state(organization=user.organization)
    if "result" not in context:
        context["result"] = CheckResult("empty" if state.version is not None else "no_policy")
    context |= {"form": form, "archive_drafts": state.archive_drafts}
    return render(request, "policies/check_post.html", context)


def _period(value: str | None) -> int:
    try:
        days = int(value or "")
    except ValueError:
        return check_selectors.DEFAULT_STATISTICS_PERIOD
    return days if days in check_selectors.STATISTICS_PERIODS else check_selectors.DEFAULT_STATISTICS_PERIOD


def _outcome_label(outcome: str) -> Any:
    return checking.OUTCOME_LABELS[Outcome(outcome)] if outcome in Outcome else outcome


@require_permission(Permission.VIEW_CHECK_STATISTICS)
def check_statistics(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    days = _period(request.GET.get("days"))
    state = check_selectors.check_page_state(organization=user.organization)
    # Archived texts are for compliance, not for steering communication: the officer only.
    shows_archive = state.archive_drafts and user.can(Permission.MANAGE_POLICY)
    drafts = (
        Paginator(check_selectors.archived_drafts(organization=user.organization), ARCHIVE_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        if shows_archive
        else None
    )
    context = {
        "nav": "check",
        "statistics": check_selectors.check_statistics(organization=user.organization, days=days),
        "periods": check_selectors.STATISTICS_PERIODS,
        "shows_archive": shows_archive,
        "page": drafts,
        "archived": [(draft, _outcome_label(draft.outcome)) for draft in drafts] if drafts is not None else [],
        "query": f"days={days}",
    }
    return render(request, "policies/check_statistics.html", context)


app_name = "check"
urlpatterns = [
    path("", check_post, name="page"),
    path("statistics/", check_statistics, name="statistics"),
]
