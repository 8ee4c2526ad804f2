"""Connecting and disconnecting channels: the organisation's app on the network, OAuth, encrypted tokens."""

import contextlib
import ipaddress
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import User
from portevoix.audit.services import record
from portevoix.channels.connection import connector_for, timeouts
from portevoix.channels.connectors.base import AppCredentials, ConnectorError, OAuthFlow
from portevoix.channels.connectors.registry import UnsupportedNetwork, connector_entry
from portevoix.channels.models import Channel, NetworkApp
from portevoix.channels.tokens import decrypt_secret, encrypt_secret
from portevoix.lib.networks import Network


class ChannelConnectionError(ValueError):
    """A connection that cannot be made: the message says why, for the person."""


@dataclass(frozen=True)
class PendingConnection:
    channel: Channel
    authorization_url: str
    state: str


def normalise_server(value: str) -> str:
    """`https://host` for a server address typed as `host`, `https://host/…`; plain http only on loopback."""
    value = value.strip().rstrip("/")
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    host = parts.hostname or ""
    if not host or parts.scheme not in {"http", "https"} or parts.path not in {"", "/"} or parts.query:
        raise ChannelConnectionError(_("Give the server's address, for example mastodon.social."))
    if parts.scheme == "http" and not _is_loopback(host):
        raise ChannelConnectionError(_("The server must be reached over https."))
    return f"{parts.scheme}://{parts.netloc}"


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _flow(network: Network, base_url: str) -> OAuthFlow:
    try:
        flow = connector_entry(network).oauth
    except UnsupportedNetwork:
        flow = None
    if flow is None:
        raise ChannelConnectionError(_("%(network)s cannot be connected yet.") % {"network": network.label})
    return flow(base_url=base_url, timeouts=timeouts())


def _app(actor: User, network: Network, base_url: str, redirect_uri: str) -> NetworkApp:
    existing = NetworkApp.objects.filter(organization=actor.organization, network=network, base_url=base_url).first()
    if existing is not None and existing.redirect_uri == redirect_uri:
        return existing
    try:
        credentials = _flow(network, base_url).register_app(
            redirect_uri=redirect_uri, name=f"Porte-Voix {actor.organization.name}", website=settings.PUBLIC_URL
        )
    except ConnectorError as error:
        raise ChannelConnectionError(
            _("The server refused to register Porte-Voix: %(error)s") % {"error": error.message}
        ) from None
    app, _created = NetworkApp.objects.update_or_create(
        organization=actor.organization,
        network=network,
        base_url=base_url,
        defaults={
            "client_id": credentials.client_id,
            "client_secret_encrypted": encrypt_secret(credentials.client_secret),
            "redirect_uri": redirect_uri,
        },
    )
    return app


def _credentials(app: NetworkApp) -> AppCredentials:
    return AppCredentials(
        client_id=app.client_id, client_secret=decrypt_secret(app.client_secret_encrypted), base_url=app.base_url
    )


def start_connection(*, actor: User, network: Network, server: str, name: str, redirect_uri: str) -> PendingConnection:
    """Register the organisation's app on the server if needed and create the channel, waiting for approval."""
    name = name.strip()
    if not name:
        raise ChannelConnectionError(_("A channel needs a name."))
    base_url = normalise_server(server)
    app = _app(actor, network, base_url, redirect_uri)
    state = secrets.token_urlsafe(24)
    channel = Channel.objects.create(
        organization=actor.organization, network=network, name=name, base_url=base_url, app=app, owner=actor
    )
    url = _flow(network, base_url).authorization_url(_credentials(app), redirect_uri=redirect_uri, state=state)
    return PendingConnection(channel=channel, authorization_url=url, state=state)


def finish_connection(*, actor: User, channel: Channel, code: str, redirect_uri: str) -> Channel:
    """Exchange the network's code for a token, check whom it acts as, and store it encrypted."""
    if channel.app is None or channel.state != Channel.State.PENDING:
        raise ChannelConnectionError(_("This connection was not started here, or is already finished."))
    flow = _flow(channel.network_enum, channel.base_url)
    try:
        grant = flow.exchange_code(_credentials(channel.app), code=code, redirect_uri=redirect_uri)
        channel.access_token_encrypted = encrypt_secret(grant.access_token)
        channel.refresh_token_encrypted = encrypt_secret(grant.refresh_token)
        with connector_for(channel) as connector:
            identity = connector.identity()
    except ConnectorError as error:
        raise ChannelConnectionError(
            _("The network refused the connection: %(error)s") % {"error": error.message}
        ) from None
    channel.token_expires_at = grant.expires_at
    channel.remote_account_id, channel.handle = identity.remote_account_id, identity.handle
    channel.profile_url = identity.url
    channel.state, channel.connected_at, channel.last_error = Channel.State.CONNECTED, timezone.now(), ""
    try:
        with transaction.atomic():
            channel.save()
            record(organization=actor.organization, actor=actor, action="channel.connected", target=channel)
    except IntegrityError:
        raise ChannelConnectionError(_("This account is already connected as another channel.")) from None
    return channel


def disconnect_channel(*, channel: Channel, actor: User) -> Channel:
    """Forget the channel's tokens (revoking them on the network where possible); its queue stays visible, paused."""
    token = decrypt_secret(channel.access_token_encrypted)
    if token and channel.app is not None and not channel.is_demo:
        # Revocation is a courtesy: forgetting the token is what disconnects.
        with contextlib.suppress(ConnectorError, ChannelConnectionError):
            _flow(channel.network_enum, channel.base_url).revoke(_credentials(channel.app), access_token=token)
    with transaction.atomic():
        channel.state = Channel.State.DISCONNECTED
        channel.access_token_encrypted = channel.refresh_token_encrypted = ""
        channel.disconnected_at = timezone.now()
        channel.save(update_fields=["state", "access_token_encrypted", "refresh_token_encrypted", "disconnected_at"])
        record(organization=channel.organization, actor=actor, action="channel.disconnected", target=channel)
    return channel
