"""Composer (C3), a post's page with its approvals (C4) and dispatches, and the approvals queue.

Who sees a post is decided by `selectors.get_post_for_user`: people of its organisation with a
permission of the official voice; another organisation's post is a 404.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission, Role
from portevoix.crisis.selectors import active_crisis
from portevoix.lib.networks import NETWORKS, text_length
from portevoix.publishing import checks, selectors, services
from portevoix.publishing.calendar_views import calendar_response
from portevoix.publishing.forms import ComposeForm, DecisionForm, MoveForm, in_zone
from portevoix.publishing.models import Post, PostMedia


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _compose_form(user: User, post: Post | None, data: Any = None, files: Any = None) -> ComposeForm:
    media = list(post.media.all()) if post is not None else []
    zone = selectors.time_zone(user.organization)
    initial: dict[str, Any] = {}
    if post is not None:
        initial = {
            "title": post.title,
            "message": post.message,
            "campaign": post.campaign_id,
            "is_sensitive": post.is_sensitive,
            "scheduled_at": post.scheduled_at.astimezone(zone) if post.scheduled_at else None,
            "channels": [str(variant.channel_id) for variant in post.variants.all()],
        }
        # A variant equal to the message follows it: its field stays empty.
        initial |= {f"variant_{v.channel_id}": v.text for v in post.variants.all() if v.text != post.message}
    return ComposeForm(
        data,
        files,
        channels=selectors.channels_of(user.organization),
        campaigns=selectors.campaigns(organization=user.organization),
        media=media,
        zone=zone,
        initial=initial,
    )


def _previews(user: User, form: ComposeForm) -> dict[str, Any]:
    """Each chosen channel's text as its network counts it, and the check of each, for the live panel."""
    form.is_valid()
    chosen = form.chosen_channels()
    texts = {str(channel.pk): form.text_for(channel) for channel in chosen}
    scheduled_at = getattr(form, "cleaned_data", {}).get("scheduled_at")
    date = timezone.localdate(scheduled_at) if scheduled_at else timezone.localdate()
    checked = checks.check_texts(organization=user.organization, texts=texts, date=date, language=_language())
    previews = []
    for channel in chosen:
        info = NETWORKS[channel.network_enum]
        text = texts[str(channel.pk)]
        length = text_length(channel.network, text)
        previews.append(
            {
                "channel": channel,
                "network": info.name,
                "text": text,
                "length": length,
                "limit": info.text_limit,
                "remaining": info.text_limit - length,
                "over": length - info.text_limit,
                "is_over": length > info.text_limit,
                "check": checked.texts.get(str(channel.pk)),
            }
        )
    return {"previews": previews, "has_policy": checked.has_policy, "blocks": checked.blocks}


def _compose_context(user: User, form: ComposeForm, post: Post | None) -> dict[str, Any]:
    zone = selectors.time_zone(user.organization)
    return {
        "nav": "publishing",
        "form": form,
        "post": post,
        "zone": zone,
        "now_local": timezone.now().astimezone(zone),
        "crisis": active_crisis(user.organization),
        "has_channels": bool(form.channel_list),
    } | _previews(user, form)


@never_cache
@require_permission(Permission.COMPOSE_OFFICIAL_POSTS)
def post_compose(request: HttpRequest, post_id: int | None = None) -> HttpResponse:
    user = authenticated_request(request).user
    post = selectors.get_post_for_user(user=user, post_id=post_id) if post_id is not None else None
    if request.method != "POST":
        form = _compose_form(user, post)
        return render(request, "publishing/post_compose.html", _compose_context(user, form, post))
    form = _compose_form(user, post, request.POST, request.FILES)
    if _is_htmx(request):
        return render(request, "publishing/post_compose.html#preview", _compose_context(user, form, post))
    if form.is_valid():
        try:
            saved = services.save_post(actor=user, composition=form.composition(), post=post)
        except services.PostRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The post is saved."))
            return redirect("publishing:post-detail", post_id=saved.pk)
    return render(request, "publishing/post_compose.html", _compose_context(user, form, post), status=400)


@never_cache
@require_permission(Permission.REVIEW_OFFICIAL_POSTS)
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    post = selectors.get_post_for_user(user=user, post_id=post_id)
    return render(request, "publishing/post_detail.html", _detail_context(user, post))


def _detail_context(user: User, post: Post, decision_form: DecisionForm | None = None) -> dict[str, Any]:
    zone = selectors.time_zone(user.organization)
    card = selectors.post_card(post)
    step = selectors.current_step(post) if post.status == Post.Status.IN_REVIEW else None
    texts = {str(variant.channel_id): variant.text for variant in post.variants.all()}
    date = timezone.localdate(post.scheduled_at) if post.scheduled_at else timezone.localdate()
    checked = checks.check_texts(organization=post.organization, texts=texts, date=date, language=_language())
    can_compose = user.can(Permission.COMPOSE_OFFICIAL_POSTS)
    return {
        "nav": "publishing",
        "post": post,
        "card": card,
        "zone": zone,
        "local_time": post.scheduled_at.astimezone(zone) if post.scheduled_at else None,
        "variants": [(variant, checked.texts.get(str(variant.channel_id))) for variant in post.variants.all()],
        "media": list(post.media.all()),
        "steps": selectors.steps_of(post),
        "current_step": step,
        "can_decide": step is not None and user.has_role(Role(step.role)) and post.author_id != user.pk,
        "blocks": checked.blocks,
        "decisions": selectors.decisions_of(post),
        "revisions": selectors.revisions_of(post),
        "decision_form": decision_form or DecisionForm(initial={"revision": post.revision}),
        "move_form": MoveForm(
            initial={"scheduled_at": post.scheduled_at.astimezone(zone) if post.scheduled_at else None}
        ),
        "can_compose": can_compose,
        "can_edit": can_compose and card.is_movable,
        "can_submit": can_compose
        and post.status in (Post.Status.DRAFT, Post.Status.CHANGES_REQUESTED, Post.Status.REJECTED),
        "crisis": active_crisis(post.organization_id),
    }


@require_POST
@require_permission(Permission.COMPOSE_OFFICIAL_POSTS)
def post_submit(request: HttpRequest, post_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    post = selectors.get_post_for_user(user=user, post_id=post_id)
    try:
        submitted = services.submit_post(actor=user, post=post)
    except services.PostRefused as refused:
        messages.error(request, str(refused))
    else:
        if submitted.status == Post.Status.APPROVED:
            messages.success(request, _("No approval step applies to this post: it is scheduled."))
        else:
            messages.success(request, _("The post is sent for approval."))
    return redirect("publishing:post-detail", post_id=post.pk)


@require_POST
@require_permission(Permission.REVIEW_OFFICIAL_POSTS)
def post_decide(request: HttpRequest, post_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    post = selectors.get_post_for_user(user=user, post_id=post_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "publishing/post_detail.html", _detail_context(user, post, form), status=400)
    try:
        decision = services.decide_post(actor=user, post=post, **form.cleaned_data)
    except services.PostRefused as refused:
        form.add_error(None, str(refused))
        return render(request, "publishing/post_detail.html", _detail_context(user, post, form), status=400)
    messages.success(request, _("Recorded: %(decision)s.") % {"decision": decision.get_kind_display()})
    return redirect("publishing:post-detail", post_id=post.pk)


@require_POST
@require_permission(Permission.COMPOSE_OFFICIAL_POSTS)
def post_move(request: HttpRequest, post_id: int) -> HttpResponse:
    """Move a post (from the calendar's drag and drop, or the form on its page); reschedule a frozen one."""
    user = authenticated_request(request).user
    post = selectors.get_post_for_user(user=user, post_id=post_id)
    form = MoveForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Give the new date and time, e.g. 2026-05-04 09:30.")
    else:
        when = in_zone(form.cleaned_data["scheduled_at"], selectors.time_zone(user.organization))
        assert when is not None
        try:
            services.move_post(actor=user, post=post, scheduled_at=when)
        except services.PostRefused as refused:
            error = str(refused)
    if _is_htmx(request):
        return calendar_response(request, error=error, moved=post if not error else None)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The post is moved."))
    return redirect("publishing:post-detail", post_id=post.pk)


@require_permission(Permission.REVIEW_OFFICIAL_POSTS)
def post_media(request: HttpRequest, post_id: int, media_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    post = selectors.get_post_for_user(user=user, post_id=post_id)
    media = get_object_or_404(PostMedia, post=post, pk=media_id)
    with media.file.open("rb") as image:  # at most 5 MB: read whole, as the page's other answers are
        response = HttpResponse(image.read(), content_type=media.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_permission(Permission.REVIEW_OFFICIAL_POSTS)
def approval_queue(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    waiting = selectors.posts_awaiting_decision(user=user)
    zone = selectors.time_zone(user.organization)
    context = {
        "nav": "publishing",
        "mine": [item for item in waiting if item[2]],
        "others": [item for item in waiting if not item[2]],
        "zone": zone,
    }
    return render(request, "publishing/approval_queue.html", context)
