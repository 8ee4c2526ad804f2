"""Channels page: the organisation's accounts, connecting them, and each channel's queue with its attempts.

Every view needs MANAGE_CHANNELS (community managers, the communication director); objects are
fetched through selectors scoped by organisation, so another organisation's are a 404.
"""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission
from portevoix.channels import connections, selectors, services
from portevoix.channels.forms import ConnectForm, MarkPublishedForm, RescheduleForm
from portevoix.channels.models import Channel, Dispatch
from portevoix.lib.networks import Network

PAGE_SIZE = 50
SESSION_KEY = "channels.oauth"
manage = require_permission(Permission.MANAGE_CHANNELS)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@manage
@require_GET
def channel_list(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    context = {
        "nav": "channels",
        "channels": selectors.channels_of(user),
        "alerts": selectors.unread_alerts(user=user)[:20],
        "form": ConnectForm(),
    }
    return render(request, "channels/channel_list.html", context)


@manage
@require_POST
def channel_connect(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    form = ConnectForm(request.POST)
    if not form.is_valid():
        context = {"nav": "channels", "channels": selectors.channels_of(user), "alerts": [], "form": form}
        return render(request, "channels/channel_list.html", context, status=400)
    network, name = Network(form.cleaned_data["network"]), form.cleaned_data["name"]
    if form.cleaned_data["is_demo"]:
        channel = services.create_demo_channel(
            organization=user.organization, network=network, name=name, handle="", owner=user, actor=user
        )
        return redirect("channels:channel-detail", channel_id=channel.pk)
    redirect_uri = request.build_absolute_uri(reverse("channels:channel-callback"))
    try:
        pending = connections.start_connection(
            actor=user, network=network, server=form.cleaned_data["server"], name=name, redirect_uri=redirect_uri
        )
    except connections.ChannelConnectionError as error:
        form.add_error("server", str(error))
        context = {"nav": "channels", "channels": selectors.channels_of(user), "alerts": [], "form": form}
        return render(request, "channels/channel_list.html", context, status=400)
    request.session[SESSION_KEY] = {"state": pending.state, "channel": pending.channel.pk}
    return redirect(pending.authorization_url)


@manage
@require_GET
def channel_callback(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    pending = request.session.pop(SESSION_KEY, None) or {}
    if not pending or request.GET.get("state") != pending.get("state") or not request.GET.get("code"):
        messages.error(request, _("This connection could not be verified. Start it again from this page."))
        return redirect("channels:channel-list")
    channel = selectors.get_channel_for_user(user=user, channel_id=int(pending["channel"]))
    try:
        connections.finish_connection(
            actor=user,
            channel=channel,
            code=request.GET["code"],
            redirect_uri=request.build_absolute_uri(reverse("channels:channel-callback")),
        )
    except connections.ChannelConnectionError as error:
        messages.error(request, str(error))
        return redirect("channels:channel-list")
    messages.success(request, _("%(channel)s is connected.") % {"channel": channel.name})
    return redirect("channels:channel-detail", channel_id=channel.pk)


@manage
@require_GET
def channel_detail(request: HttpRequest, channel_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    channel = selectors.get_channel_for_user(user=user, channel_id=channel_id)
    state = request.GET.get("state", "")
    state = state if state in Dispatch.State.values else ""
    page = Paginator(selectors.queue_of(channel, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    alerts = list(selectors.unread_alerts(user=user, channel=channel))
    services.mark_alerts_read(alerts=alerts)
    context = {
        "nav": "channels",
        "channel": channel,
        "page": page,
        "state": state,
        "states": Dispatch.State.choices,
        "alerts": alerts,
        "now": timezone.localtime(),
    }
    template = "channels/channel_detail.html#queue" if _is_htmx(request) else "channels/channel_detail.html"
    return render(request, template, context)


@manage
@require_POST
def channel_disconnect(request: HttpRequest, channel_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    channel = selectors.get_channel_for_user(user=user, channel_id=channel_id)
    if channel.state != Channel.State.DISCONNECTED:
        connections.disconnect_channel(channel=channel, actor=user)
        messages.success(
            request, _("%(channel)s is disconnected. Its queue is kept, paused.") % {"channel": channel.name}
        )
    return redirect("channels:channel-detail", channel_id=channel.pk)


@manage
@require_POST
def dispatch_decide(request: HttpRequest, dispatch_id: int) -> HttpResponse:
    user = authenticated_request(request).user
    dispatch = selectors.get_dispatch_for_user(user=user, dispatch_id=dispatch_id)
    error = _decide(request, dispatch, user)
    dispatch.refresh_from_db()
    if _is_htmx(request):
        context: dict[str, Any] = {"dispatch": dispatch, "channel": dispatch.channel, "decision_error": error}
        return render(request, "channels/channel_detail.html#dispatch", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect("channels:channel-detail", channel_id=dispatch.channel_id)


def _decide(request: HttpRequest, dispatch: Dispatch, user: Any) -> str:
    """Apply the person's decision; return the error to show, or an empty string."""
    action = request.POST.get("action")
    try:
        if action == "mark_published":
            form: MarkPublishedForm | RescheduleForm = MarkPublishedForm(request.POST)
            if not form.is_valid():
                return _("Give the address of the post on the network, starting with https://.")
            services.mark_dispatch_published(dispatch=dispatch, remote_url=form.cleaned_data["remote_url"], actor=user)
        elif action == "reschedule":
            form = RescheduleForm(request.POST)
            if not form.is_valid():
                return _("Give the date and time to publish at.")
            services.reschedule_dispatch(dispatch=dispatch, scheduled_at=form.cleaned_data["scheduled_at"], actor=user)
        elif action == "cancel":
            services.cancel_dispatch(channel=dispatch.channel, source_key=dispatch.source_key, actor=user)
        else:
            return _("Unknown action.")
    except services.DispatchError as refused:
        return str(refused)
    return ""


app_name = "channels"
urlpatterns = [
    path("", channel_list, name="channel-list"),
    path("connect/", channel_connect, name="channel-connect"),
    path("connect/callback/", channel_callback, name="channel-callback"),
    path("<int:channel_id>/", channel_detail, name="channel-detail"),
    path("<int:channel_id>/disconnect/", channel_disconnect, name="channel-disconnect"),
    path("dispatches/<int:dispatch_id>/decide/", dispatch_decide, name="dispatch-decide"),
]
