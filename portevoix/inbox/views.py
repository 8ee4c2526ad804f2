"""The unified inbox (C6): every channel's mentions and comments in one queue, answered from here.

Only the official team (community managers, communication director) enters; a message of
another organisation is a 404, as if it did not exist.
"""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from compliance_engine.model import Scope
from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission
from portevoix.crisis.selectors import active_crisis
from portevoix.inbox import selectors, services
from portevoix.inbox.forms import AssignForm, FilterForm, ReplyForm, SavedReplyForm, StatusForm, TagsForm, TargetsForm
from portevoix.inbox.models import Message, SavedReply
from portevoix.policies import checking
from portevoix.policies import services as policy_services

PAGE_SIZE = 50


def _team(user: User) -> list[tuple[int, str]]:
    return [(person.pk, person.full_name) for person in selectors.team_of(user)]


@never_cache
@require_permission(Permission.USE_INBOX)
def message_list(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    channels = [(channel.pk, str(channel)) for channel in selectors.channels_of(user)]
    form = FilterForm(request.GET or None, channels=channels, team=_team(user))
    filters = selectors.MessageFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.MessageFilters(
            status=data["status"] or "open",
            channel_id=data["channel"],
            assignee=data["assignee"],
            risk=data["risk"],
            tag=data["tag"].strip(),
            query=data["q"].strip(),
        )
    page = Paginator(selectors.messages_for(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": "inbox",
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "counts": selectors.open_counts(user),
        "now": timezone.now(),
        "crisis": active_crisis(user.organization),
    }
    return render(request, "inbox/message_list.html", context)


def _detail_context(user: User, message: Message, reply_form: ReplyForm) -> dict[str, Any]:
    return {
        "nav": "inbox",
        "message": message,
        "thread": selectors.thread_of(message),
        "replies": selectors.replies_with_dispatches(message),
        "assign_form": AssignForm(initial={"assignee": message.assignee_id}, team=_team(user)),
        "status_form": StatusForm(initial={"status": message.status}),
        "tags_form": TagsForm(initial={"tags": ", ".join(tag.name for tag in message.tags.all())}),
        "reply_form": reply_form,
        "saved_replies": selectors.saved_replies_of(user),
        "now": timezone.now(),
        "crisis": active_crisis(user.organization),
    }


@never_cache
@require_permission(Permission.USE_INBOX)
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    message = selectors.get_message_for(user, message_id)
    return render(request, "inbox/message_detail.html", _detail_context(user, message, ReplyForm()))


@require_POST
@require_permission(Permission.USE_INBOX)
def message_assign(request: HttpRequest, message_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    message = selectors.get_message_for(user, message_id)
    form = AssignForm(request.POST, team=_team(user))
    if form.is_valid():
        assignee_id = form.cleaned_data["assignee"]
        assignee = get_object_or_404(selectors.team_of(user), pk=assignee_id) if assignee_id else None
        services.assign(message=message, assignee=assignee, actor=user)
        messages.success(request, _("Assignment saved."))
    else:
        messages.error(request, _("Choose someone of the team."))
    return redirect("inbox:detail", message_id=message.pk)


@require_POST
@require_permission(Permission.USE_INBOX)
def message_status(request: HttpRequest, message_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    message = selectors.get_message_for(user, message_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.set_status(message=message, status=form.cleaned_data["status"], actor=user)
        messages.success(request, _("Status saved."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("inbox:detail", message_id=message.pk)


@require_POST
@require_permission(Permission.USE_INBOX)
def message_tags(request: HttpRequest, message_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    message = selectors.get_message_for(user, message_id)
    form = TagsForm(request.POST)
    if form.is_valid():
        services.set_tags(message=message, names=form.names(), actor=user)
        messages.success(request, _("Tags saved."))
    else:
        messages.error(request, _("Tags are names of at most 60 characters, separated by commas."))
    return redirect("inbox:detail", message_id=message.pk)


def _reply_check(user: User, text: str) -> checking.CheckReport | None:
    language = (translation.get_language() or "en")[:2]
    checked = policy_services.check_text(user=user, text=text, scope=Scope.OFFICIAL, language=language, channel="inbox")
    if checked is None:
        return None
    verdict, version = checked
    return checking.report(
        verdict,
        policy_services.policy_of(version),
        text=text,
        language=language,
        scope=Scope.OFFICIAL,
        date=timezone.localdate(),
        policy_version=version.number,
    )


@never_cache
@require_POST
@require_permission(Permission.USE_INBOX)
def message_reply(request: HttpRequest, message_id: int) -> HttpResponse:
    """Send a reply; with htmx and `check` in the request, only check the draft and show the findings."""
    user = authenticated_request(request).user
    message = selectors.get_message_for(user, message_id)
    form = ReplyForm(request.POST)
    if getattr(request, "htmx", False) and "check" in request.POST:
        text = request.POST.get("text", "")
        report = _reply_check(user, text) if text.strip() else None
        return render(request, "inbox/message_detail.html#reply-check", {"report": report})
    report = None
    if form.is_valid():
        try:
            services.reply(
                message=message,
                author=user,
                text=form.cleaned_data["text"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except services.InboxError as error:
            form.add_error(None, str(error))
            report = _reply_check(user, form.cleaned_data["text"])
        else:
            messages.success(request, _("Your reply is on its way: it leaves through the channel's outbox."))
            return redirect("inbox:detail", message_id=message.pk)
    context = _detail_context(user, message, form) | {"report": report}
    return render(request, "inbox/message_detail.html", context, status=422)


@never_cache
@require_permission(Permission.USE_INBOX)
def saved_reply_list(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    targets = services.settings_of(user.organization)
    form = SavedReplyForm()
    targets_form = TargetsForm(
        initial={
            "response_target_hours": targets.response_target_hours,
            "hostile_target_hours": targets.hostile_target_hours,
        }
    )
    status = 200
    if request.method == "POST" and request.POST.get("form") == "targets":
        targets_form = TargetsForm(request.POST)
        if targets_form.is_valid():
            services.update_targets(
                organization=user.organization,
                actor=user,
                normal_hours=targets_form.cleaned_data["response_target_hours"],
                hostile_hours=targets_form.cleaned_data["hostile_target_hours"],
            )
            messages.success(request, _("Response targets saved. They apply to messages received from now on."))
            return redirect("inbox:saved-replies")
        status = 422
    elif request.method == "POST":
        form = SavedReplyForm(request.POST)
        if form.is_valid():
            services.save_reply_template(organization=user.organization, actor=user, **form.cleaned_data)
            messages.success(request, _("Saved reply added."))
            return redirect("inbox:saved-replies")
        status = 422
    context = {
        "nav": "inbox",
        "saved_replies": selectors.saved_replies_of(user),
        "form": form,
        "targets_form": targets_form,
    }
    return render(request, "inbox/saved_reply_list.html", context, status=status)


def _saved_reply(user: User, saved_id: int) -> SavedReply:
    return get_object_or_404(SavedReply, pk=saved_id, organization=user.organization)


@never_cache
@require_permission(Permission.USE_INBOX)
def saved_reply_edit(request: HttpRequest, saved_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    saved = _saved_reply(user, saved_id)
    form = SavedReplyForm(
        request.POST or None, initial={"title": saved.title, "language": saved.language, "text": saved.text}
    )
    if request.method == "POST" and form.is_valid():
        services.save_reply_template(organization=user.organization, actor=user, saved=saved, **form.cleaned_data)
        messages.success(request, _("Saved reply updated."))
        return redirect("inbox:saved-replies")
    status = 422 if request.method == "POST" else 200
    return render(request, "inbox/saved_reply_edit.html", {"nav": "inbox", "form": form, "saved": saved}, status=status)


@require_POST
@require_permission(Permission.USE_INBOX)
def saved_reply_delete(request: HttpRequest, saved_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    _saved_reply(user, saved_id).delete()
    messages.success(request, _("Saved reply deleted."))
    return redirect("inbox:saved-replies")


app_name = "inbox"
urlpatterns = [
    path("", message_list, name="list"),
    path("<int:message_id>/", message_detail, name="detail"),
    path("<int:message_id>/assign/", message_assign, name="assign"),
    path("<int:message_id>/status/", message_status, name="status"),
    path("<int:message_id>/tags/", message_tags, name="tags"),
    path("<int:message_id>/reply/", message_reply, name="reply"),
    path("saved-replies/", saved_reply_list, name="saved-replies"),
    path("saved-replies/<int:saved_id>/", saved_reply_edit, name="saved-reply-edit"),
    path("saved-replies/<int:saved_id>/delete/", saved_reply_delete, name="saved-reply-delete"),
]
