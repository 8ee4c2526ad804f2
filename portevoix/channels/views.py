"""Channels page: the organisation's accounts, connecting them, and each channel's queue with its attempts.

Every view needs MANAGE_CHANNELS (community managers, the communication director), including
the page of the organisation's apps on X, LinkedIn and Meta; objects are fetched through
selectors scoped by organisation, so another organisation's are a 404.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portevoix.accounts.models import User
from portevoix.accounts.permissions import authenticated_request, require_permission
from portevoix.accounts.roles import Permission
from portevoix.channels import connections, network_apps, selectors, services
from portevoix.channels.forms import (
    AppCredentialsForm,
    ConnectForm,
    MarkPublishedForm,
    RescheduleForm,
)
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
        **_connect_context(user, ConnectForm()),
    }
    return render(request, "channels/channel_list.html", context)


def _connect_context(user: User, form: ConnectForm) -> dict[str, Any]:
    """The connect form, and the app the network chosen still needs, if any."""
    network = form.chosen_network
    provider = network_apps.provider_for(network) if network else None
    ready = {status.provider for status in network_apps.app_statuses(user.organization) if status.is_ready}
    return {"form": form, "missing_app": provider if provider and provider not in ready else None}


@manage
@require_http_methods(["GET", "POST"])
def channel_connect(request: HttpRequest) -> HttpResponse:
    """GET: the fields of the network chosen (an htmx swap, or a page without JavaScript); POST: connect."""
    user = authenticated_request(request).user
    if request.method == "GET":
        form = ConnectForm(initial=request.GET.dict())
        template = "channels/channel_connect.html#fields" if _is_htmx(request) else "channels/channel_connect.html"
        return render(request, template, {"nav": "channels", **_connect_context(user, form)})
    form = ConnectForm(request.POST)
    if form.is_valid():
        try:
            return _connect(request, user, form)
        except connections.MissingAppCredentials:
            pass  # the page says so, with a link to the app page
        except connections.ChannelConnectionError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
    return render(
        request, "channels/channel_connect.html", {"nav": "channels", **_connect_context(user, form)}, status=400
    )


def _connect(request: HttpRequest, user: User, form: ConnectForm) -> HttpResponse:
    data, network = form.cleaned_data, Network(form.cleaned_data["network"])
    if data["is_demo"]:
        channel = services.create_demo_channel(
            organization=user.organization, network=network, name=data["name"], handle="", owner=user, actor=user
        )
        return redirect("channels:channel-detail", channel_id=channel.pk)
    if network == Network.BLUESKY:
        channel = connections.connect_bluesky(
            actor=user,
            name=data["name"],
            identifier=data["identifier"],
            app_password=data["app_password"],
            server=data["server"],
        )
        messages.success(request, _("%(channel)s is connected.") % {"channel": channel.name})
        return redirect("channels:channel-detail", channel_id=channel.pk)
    pending = connections.start_connection(
        actor=user, network=network, server=data.get("server", ""), name=data["name"], redirect_uri=_callback(request)
    )
    request.session[SESSION_KEY] = {"state": pending.state, "channel": pending.channel.pk}
    return redirect(pending.authorization_url)


def _callback(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("channels:channel-callback"))


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
        channel = connections.finish_connection(
            actor=user, channel=channel, code=request.GET["code"], redirect_uri=_callback(request)
        )
    except connections.ChannelConnectionError as error:
        messages.error(request, str(error))
        return redirect("channels:channel-list")
    if connections.is_awaiting_choice(channel):
        return redirect("channels:channel-choose", channel_id=channel.pk)
    messages.success(request, _("%(channel)s is connected.") % {"channel": channel.name})
    return redirect("channels:channel-detail", channel_id=channel.pk)


@manage
@require_http_methods(["GET", "POST"])
def channel_choose(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Which of the pages a Meta or LinkedIn login gives this channel connects; only the person who approved chooses."""
    user = authenticated_request(request).user
    channel = selectors.get_channel_for_user(user=user, channel_id=channel_id)
    if channel.owner_id != user.pk:
        raise Http404
    error = ""
    try:
        if request.method == "POST":
            try:
                channel = connections.choose_account(
                    actor=user, channel=channel, account_id=request.POST.get("account", "")
                )
            except connections.ChannelConnectionError as refused:
                if refused.field != "account":
                    raise
                error = str(refused)
            else:
                messages.success(request, _("%(channel)s is connected.") % {"channel": channel.name})
                return redirect("channels:channel-detail", channel_id=channel.pk)
        choices = connections.account_choices(channel)
    except connections.ChannelConnectionError as refused:
        messages.error(request, str(refused))
        return redirect("channels:channel-list")
    context = {"nav": "channels", "channel": channel, "choices": choices, "error": error}
    return render(request, "channels/channel_choose.html", context, status=400 if error else 200)


@manage
@require_GET
def app_list(request: HttpRequest) -> HttpResponse:
    user = authenticated_request(request).user
    return render(request, "channels/app_list.html", _apps_context(request, user, {}))


def _apps_context(request: HttpRequest, user: User, bound: dict[str, AppCredentialsForm]) -> dict[str, Any]:
    statuses = network_apps.app_statuses(user.organization)
    rows = [(status, bound.get(status.provider.key) or _app_form(status)) for status in statuses]
    return {"nav": "channels", "rows": rows, "redirect_uri": _callback(request)}


def _app_form(status: network_apps.AppStatus) -> AppCredentialsForm:
    initial = {"client_id": status.own_app.client_id} if status.own_app else {}
    return AppCredentialsForm(prefix=status.provider.key, initial=initial)


@manage
@require_POST
def app_set(request: HttpRequest, provider_key: str) -> HttpResponse:
    user = authenticated_request(request).user
    provider = _provider(provider_key)
    form = AppCredentialsForm(request.POST, prefix=provider.key)
    if form.is_valid():
        try:
            network_apps.set_app(
                actor=user,
                provider=provider,
                client_id=form.cleaned_data["client_id"],
                client_secret=form.cleaned_data["client_secret"],
                redirect_uri=_callback(request),
            )
        except network_apps.AppInUse as in_use:
            form.add_error("client_id", str(in_use))
        except ValueError as error:
            form.add_error("client_secret", str(error))
        else:
            messages.success(request, _("The app on %(provider)s is set.") % {"provider": provider.name})
            return redirect("channels:app-list")
    return render(request, "channels/app_list.html", _apps_context(request, user, {provider.key: form}), status=400)


@manage
@require_POST
def app_remove(request: HttpRequest, provider_key: str) -> HttpResponse:
    user = authenticated_request(request).user
    provider = _provider(provider_key)
    try:
        network_apps.remove_app(actor=user, provider=provider)
    except network_apps.AppInUse as in_use:
        messages.error(request, str(in_use))
    else:
        messages.success(
            request, _("Your organisation's app on %(provider)s is removed.") % {"provider": provider.name}
        )
    return redirect("channels:app-list")


def _provider(key: str) -> network_apps.AppProvider:
    try:
        return network_apps.provider_by_key(key)
    except LookupError:
        raise Http404 from None


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
        "can_choose_account": channel.owner_id == user.pk and connections.is_awaiting_choice(channel),
        "reconnect_query": _reconnect_query(channel),
    }
    template = "channels/channel_detail.html#queue" if _is_htmx(request) else "channels/channel_detail.html"
    return render(request, template, context)


def _reconnect_query(channel: Channel) -> str:
    """The connect form's fields filled for the same account, which takes back this channel and its queue."""
    if channel.is_demo or channel.state not in {Channel.State.EXPIRED, Channel.State.DISCONNECTED}:
        return ""
    fields = {"network": channel.network, "name": channel.name}
    if channel.network in {Network.MASTODON, Network.BLUESKY}:
        fields["server"] = channel.base_url
    if channel.network == Network.BLUESKY:
        fields["identifier"] = channel.handle.lstrip("@")
    return urlencode(fields)


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
    path("apps/", app_list, name="app-list"),
    path("apps/<slug:provider_key>/", app_set, name="app-set"),
    path("apps/<slug:provider_key>/remove/", app_remove, name="app-remove"),
    path("<int:channel_id>/choose/", channel_choose, name="channel-choose"),
    path("<int:channel_id>/", channel_detail, name="channel-detail"),
    path("<int:channel_id>/disconnect/", channel_disconnect, name="channel-disconnect"),
    path("dispatches/<int:dispatch_id>/decide/", dispatch_decide, name="dispatch-decide"),
]
