"""Requests to the communication team: a person's own, the team's queue, one thread.

Who sees a request is decided by `selectors.get_ask_for_user` alone: its author and the team of
its organisation; anyone else gets a 404, as if it did not exist.
"""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portevoix.accounts.permissions import authenticated_request, login_required, require_permission
from portevoix.accounts.roles import Permission
from portevoix.asks import display, selectors, services
from portevoix.asks.forms import AskForm, ReplyForm
from portevoix.asks.models import Ask
from portevoix.policies import services as policy_services

PAGE_SIZE = 50


@login_required
def ask_list(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    page = Paginator(selectors.asks_of(author=user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"nav": "asks", "page": page, "is_team_member": selectors.is_team_member(user)}
    return render(request, "asks/ask_list.html", context)


@login_required
def ask_new(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    scopes = policy_services.scopes_for(user)
    if request.method == "POST" and "prefill" not in request.POST:
        form = AskForm(request.POST, scopes=scopes)
        if form.is_valid():
            ask = services.open_ask(
                author=user,
                question=form.cleaned_data["question"],
                draft=form.cleaned_data["text"],
                draft_date=form.cleaned_data["date"],
                scope=form.cleaned_data["scope"],
                clause_id=form.cleaned_data["clause"],
            )
            messages.success(request, _("Your request was sent to the communication team."))
            return redirect("asks:detail", ask_id=ask.pk)
    else:
        # From the check page (a POST, so the draft never travels in an address) or a clause link.
        source = request.POST if request.method == "POST" else request.GET
        initial = {key: source.get(key) for key in ("text", "scope", "date", "clause") if source.get(key)}
        form = AskForm(scopes=scopes, initial={"date": timezone.localdate()} | initial)
    return render(request, "asks/ask_new.html", {"nav": "asks", "form": form})


@never_cache
@login_required
def ask_detail(request: HttpRequest, ask_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    ask = selectors.get_ask_for_user(user=user, ask_id=ask_id)
    services.mark_read(ask=ask, reader=user)
    return render(request, "asks/ask_detail.html", _detail_context(user, ask, ReplyForm()))


def _detail_context(user: Any, ask: Ask, reply_form: ReplyForm) -> dict[str, Any]:
    findings = display.reported_findings(ask)
    is_team_member = selectors.is_team_member(user)
    return {
        "nav": "asks",
        "ask": ask,
        "thread": selectors.thread(ask=ask),
        "findings": findings,
        "outcome_label": display.outcome_label(ask.outcome),
        "pieces": display.draft_pieces(ask, findings),
        "reply_form": reply_form,
        "is_team_member": is_team_member,
        "can_assign": is_team_member and ask.assignee_id != user.pk and not ask.is_closed,
    }


@require_POST
@login_required
def ask_reply(request: HttpRequest, ask_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    ask = selectors.get_ask_for_user(user=user, ask_id=ask_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return render(request, "asks/ask_detail.html", _detail_context(user, ask, form), status=400)
    try:
        services.reply(ask=ask, author=user, body=form.cleaned_data["body"])
    except services.AskRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Your message was sent."))
    return redirect("asks:detail", ask_id=ask.pk)


@require_POST
@require_permission(Permission.ANSWER_ASKS)
def ask_assign(request: HttpRequest, ask_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    ask = selectors.get_ask_for_user(user=user, ask_id=ask_id)
    services.assign_to_self(ask=ask, actor=user)
    messages.success(request, _("You took this request."))
    return redirect("asks:detail", ask_id=ask.pk)


@require_POST
@login_required
def ask_close(request: HttpRequest, ask_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    ask = selectors.get_ask_for_user(user=user, ask_id=ask_id)
    try:
        services.close_ask(ask=ask, actor=user)
    except services.AskRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The request is closed."))
    return redirect("asks:detail", ask_id=ask.pk)


@require_permission(Permission.ANSWER_ASKS)
def ask_queue(request: HttpRequest) -> HttpResponse:
    organization = authenticated_request(request).user.organization
    status = request.GET.get("status", Ask.Status.OPEN)
    if status not in Ask.Status.values:
        status = Ask.Status.OPEN
    counts = selectors.queue_counts(organization=organization)
    page = Paginator(selectors.queue(organization=organization, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "nav": "asks",
        "status": status,
        "statuses": [(value, label, counts[value]) for value, label in Ask.Status.choices],
        "page": page,
        "rows": [(ask, display.outcome_label(ask.outcome)) for ask in page],
        "query": f"status={status}",
    }
    return render(request, "asks/ask_queue.html", context)


@never_cache
@login_required
def ask_badge(request: HttpRequest) -> HttpResponse:
    """The unread count beside the requests link, loaded by the page after it is shown."""
    unread = selectors.unread_counts(user=authenticated_request(request).user)
    return render(request, "asks/ask_badge.html", {"unread": unread})


app_name = "asks"
urlpatterns = [
    path("", ask_list, name="list"),
    path("new/", ask_new, name="new"),
    path("queue/", ask_queue, name="queue"),
    path("unread/", ask_badge, name="badge"),
    path("<int:ask_id>/", ask_detail, name="detail"),
    path("<int:ask_id>/reply/", ask_reply, name="reply"),
    path("<int:ask_id>/assign/", ask_assign, name="assign"),
    path("<int:ask_id>/close/", ask_close, name="close"),
]
