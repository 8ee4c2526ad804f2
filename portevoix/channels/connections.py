"""Connecting and disconnecting channels: the organisation's app on the network, OAuth, encrypted tokens.

Mastodon registers the organisation's app on each server by itself; X, LinkedIn and Meta use
the app set on the app page or in the environment (`network_apps`); Bluesky signs in with an
app password, which is used once and never stored. Facebook, Instagram and LinkedIn let the
person choose which page to connect when their login gives several: what the login gave (Meta's
long-lived user token, LinkedIn's member tokens) waits, encrypted, on the pending channel until
the choice is made, and the list is read again from the network when the person chooses.
"""

import contextlib
import datetime
import ipaddress
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import User
from portevoix.audit.services import record
from portevoix.channels import network_apps
from portevoix.channels.connection import connector_for, timeouts
from portevoix.channels.connectors.base import (
    AccountAccess,
    AccountIdentity,
    AppCredentials,
    Connector,
    ConnectorError,
    OAuthFlow,
    PermanentError,
    RetryableError,
    TokenGrant,
)
from portevoix.channels.connectors.bluesky.session import DEFAULT_PDS, BlueskySession, SignInRefused
from portevoix.channels.connectors.linkedin.connector import LinkedInConnector
from portevoix.channels.connectors.linkedin.oauth import LinkedInOAuth
from portevoix.channels.connectors.meta.oauth import MetaOAuth
from portevoix.channels.connectors.registry import UnsupportedNetwork, connector_entry
from portevoix.channels.models import Channel, Dispatch, NetworkApp
from portevoix.channels.tokens import TokenKeyError, decrypt_secret, encrypt_secret
from portevoix.lib.networks import Network

MissingAppCredentials = network_apps.MissingAppCredentials
# A connection not finished within this time is forgotten, with what the login gave (a Meta
# user token covers all the person's pages): see `forget_abandoned_connections`.
ABANDONED_AFTER = datetime.timedelta(days=1)
# A post due longer ago than this when its channel is connected again is not sent late by itself:
# it fails, for a person to reschedule (a crisis's frozen posts are handled the same way).
MISSED_AFTER = datetime.timedelta(hours=1)


class ChannelConnectionError(ValueError):
    """A connection that cannot be made: the message says why, for the person; `field` is the form field at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AccountChoice:
    """One of the accounts a login gives access to, for the person to choose from."""

    account_id: str
    label: str


@dataclass(frozen=True)
class _Account:
    """An account a login gives: as the person sees it, the channel's tokens for it, and whom it acts as if known."""

    choice: AccountChoice
    grant: TokenGrant
    identity: AccountIdentity | None = None


@dataclass(frozen=True)
class PendingConnection:
    channel: Channel
    authorization_url: str
    state: str


def normalise_server(value: str) -> str:
    """`https://host` for a server address typed as `host`, `https://host/…`.

    The server is called from inside the installation's network, so it must be a public one:
    addresses that resolve to loopback, private, link-local or reserved networks are refused
    (and plain http with them), unless `CHANNELS_ALLOW_PRIVATE_SERVERS` is set, for a server run
    on the premises or in tests.
    """
    value = value.strip().rstrip("/")
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    try:
        host, port = parts.hostname or "", parts.port
    except ValueError:
        host, port = "", None
    if not host or parts.scheme not in {"http", "https"} or parts.path not in {"", "/"} or parts.query:
        raise ChannelConnectionError(_("Give the server's address, for example mastodon.social."), field="server")
    if parts.username is not None or parts.password is not None:
        raise ChannelConnectionError(_("Give the server's address without a user name or password."), field="server")
    private = _is_private(host)
    if private and not settings.CHANNELS_ALLOW_PRIVATE_SERVERS:
        raise ChannelConnectionError(
            _("%(host)s is not a public address: Porte-Voix only connects to servers on the internet.")
            % {"host": host},
            field="server",
        )
    if parts.scheme == "http" and not private:
        raise ChannelConnectionError(_("The server must be reached over https."), field="server")
    netloc = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{netloc}{f':{port}' if port else ''}"


def _is_private(host: str) -> bool:
    """Whether `host` is, or resolves to, an address outside the public internet."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return False  # unknown here: the connection itself will say the server cannot be reached
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
    return any(not address.is_global for address in addresses)


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
            _("The server refused to register Porte-Voix: %(error)s") % {"error": error.message}, field="server"
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


def credentials_for(channel: Channel) -> AppCredentials:
    """The app a channel was connected with: the organisation's, or the installation's when it has none."""
    if channel.app is not None:
        return _credentials(channel.app)
    # A channel without an organisation's app was connected with the installation's: its tokens
    # belong to that app's client, even after the organisation sets an app of its own.
    try:
        return network_apps.installation_credentials(channel.network_enum)
    except (MissingAppCredentials, ValueError) as missing:
        raise ChannelConnectionError(str(missing)) from None


def _checked_name(name: str) -> str:
    if not name.strip():
        raise ChannelConnectionError(_("A channel needs a name."), field="name")
    return name.strip()


def start_connection(*, actor: User, network: Network, server: str, name: str, redirect_uri: str) -> PendingConnection:
    """Create the channel, waiting for the network's approval, and give the address where the person approves.

    Mastodon: registers the organisation's app on the server if needed. X, LinkedIn, Meta: raises
    MissingAppCredentials when neither the organisation nor the installation has an app there.
    """
    name = _checked_name(name)
    flow = _flow(network, "")
    if network_apps.provider_for(network) is None:
        base_url = normalise_server(server)
        registered = _app(actor, network, base_url, redirect_uri)
        app: NetworkApp | None = registered
        flow, credentials = _flow(network, base_url), _credentials(registered)
    else:
        base_url = ""
        app, credentials = network_apps.app_credentials(actor.organization, network)
    state = secrets.token_urlsafe(24)
    channel = Channel.objects.create(
        organization=actor.organization, network=network, name=name, base_url=base_url, app=app, owner=actor
    )
    url = flow.authorization_url(credentials, redirect_uri=redirect_uri, state=state)
    return PendingConnection(channel=channel, authorization_url=url, state=state)


def finish_connection(*, actor: User, channel: Channel, code: str, redirect_uri: str) -> Channel:
    """Exchange the network's code for a token, check whom it acts as, and store it encrypted.

    When the login gives several accounts (Meta's pages, the LinkedIn pages the person
    administers), the channel stays pending until the person chooses one (`account_choices`,
    `choose_account`).
    """
    if channel.is_demo or channel.state != Channel.State.PENDING:
        raise ChannelConnectionError(_("This connection was not started here, or is already finished."))
    flow = _flow(channel.network_enum, channel.base_url)
    credentials = credentials_for(channel)
    try:
        if isinstance(flow, MetaOAuth):
            user_token = flow.user_token(credentials, code=code, redirect_uri=redirect_uri)
            # Meta's refresh token is `<page id>|<user token>`: no page id yet, until the person chooses.
            kept = TokenGrant(access_token="", refresh_token=f"|{user_token}")
        else:
            kept = flow.exchange_code(credentials, code=code, redirect_uri=redirect_uri)
        accounts = _accounts(channel, flow, kept)
        if len(accounts) > 1:
            return _await_choice(channel, kept)
        return _connect_account(channel, accounts[0], actor)
    except ConnectorError as error:
        raise _refused(error) from None


def _accounts(channel: Channel, flow: OAuthFlow, kept: TokenGrant) -> list[_Account]:
    """The accounts the login (`kept`: what the pending channel keeps of it) gives; raises ConnectorError."""
    if isinstance(flow, MetaOAuth):
        user_token = kept.refresh_token.partition("|")[2]
        pages = flow.candidates(flow.pages(user_token=user_token))
        instagram = channel.network_enum == Network.INSTAGRAM
        return [
            _Account(
                AccountChoice(page.page_id, f"@{page.instagram_username} ({page.name})" if instagram else page.name),
                flow.grant_for(page, user_token=user_token),
            )
            for page in pages
        ]
    if isinstance(flow, LinkedInOAuth):
        # One member token acts as every page the person administers: the page is the channel's author.
        member = AccountAccess(base_url=channel.base_url, access_token=kept.access_token)
        with LinkedInConnector(member, timeouts=timeouts()) as connector:
            administered = connector.administered_pages()
        return [_Account(AccountChoice(page.remote_account_id, _page_label(page)), kept, page) for page in administered]
    return [_Account(AccountChoice("", ""), kept)]


def _page_label(page: AccountIdentity) -> str:
    return f"{page.display_name} (linkedin.com/company/{page.handle})" if page.handle else page.display_name


def _connector(channel: Channel, grant: TokenGrant) -> Connector:
    channel.access_token_encrypted = encrypt_secret(grant.access_token)
    channel.refresh_token_encrypted = encrypt_secret(grant.refresh_token)
    return connector_for(channel)


def _refused(error: ConnectorError) -> ChannelConnectionError:
    return ChannelConnectionError(_("The network refused the connection: %(error)s") % {"error": error.message})


def _connect_account(channel: Channel, account: _Account, actor: User) -> Channel:
    """Connect the channel as `account`; raises ConnectorError when the network does not say whom it acts as."""
    identity = account.identity
    if identity is None:
        with _connector(channel, account.grant) as connector:
            identity = connector.identity()
    return _save_connected(channel, account.grant, identity, actor)


def _save_connected(channel: Channel, grant: TokenGrant, identity: AccountIdentity, actor: User) -> Channel:
    """Store the connection; the same account connected again takes back its expired or disconnected channel."""
    try:
        with transaction.atomic():
            earlier = _earlier_channel(channel, identity)
            target = earlier or channel
            if earlier is not None:
                earlier.app = channel.app
            target.access_token_encrypted = encrypt_secret(grant.access_token)
            target.refresh_token_encrypted = encrypt_secret(grant.refresh_token)
            target.token_expires_at = grant.expires_at
            target.remote_account_id, target.handle = identity.remote_account_id, identity.handle
            target.profile_url = identity.url
            target.state, target.connected_at, target.last_error = Channel.State.CONNECTED, timezone.now(), ""
            target.disconnected_at = target.expiry_warned_at = None
            target.save()
            if earlier is None:
                record(organization=actor.organization, actor=actor, action="channel.connected", target=channel)
                return channel
            missed = _fail_missed_posts(earlier)
            if channel.pk is not None:
                channel.delete()  # the pending channel of this connection: nothing was ever queued on it
            record(
                organization=actor.organization,
                actor=actor,
                action="channel.reconnected",
                target=earlier,
                data={"missed_posts": missed},
            )
            return earlier
    except IntegrityError:
        raise ChannelConnectionError(_("This account is already connected as another channel.")) from None


def _earlier_channel(channel: Channel, identity: AccountIdentity) -> Channel | None:
    """The organisation's expired (else latest disconnected) channel for the same account, locked."""
    earlier = (
        Channel.objects.select_for_update()
        .filter(
            organization_id=channel.organization_id,
            network=channel.network,
            base_url=channel.base_url,
            remote_account_id=identity.remote_account_id,
            state__in=[Channel.State.EXPIRED, Channel.State.DISCONNECTED],
            is_demo=False,
        )
        .exclude(pk=channel.pk)
    )
    return earlier.filter(state=Channel.State.EXPIRED).first() or earlier.order_by("-disconnected_at", "-pk").first()


def _fail_missed_posts(channel: Channel) -> int:
    """Posts whose time passed while the channel could not publish wait for a person: never sent late by themselves."""
    cutoff = timezone.now() - MISSED_AFTER
    return Dispatch.objects.filter(
        channel=channel, state=Dispatch.State.SCHEDULED, scheduled_at__lt=cutoff, first_sent_at__isnull=True
    ).update(
        state=Dispatch.State.FAILED,
        last_error=_(
            "Not published: its time passed while the channel was not connected. Reschedule it if still wanted."
        ),
        updated_at=timezone.now(),
    )


def _await_choice(channel: Channel, kept: TokenGrant) -> Channel:
    """Keep the login's tokens, encrypted, on the pending channel until the person chooses."""
    channel.access_token_encrypted = encrypt_secret(kept.access_token)
    channel.refresh_token_encrypted = encrypt_secret(kept.refresh_token)
    channel.token_expires_at = kept.expires_at
    channel.save(update_fields=["access_token_encrypted", "refresh_token_encrypted", "token_expires_at"])
    return channel


def is_awaiting_choice(channel: Channel) -> bool:
    """Whether the person must choose which account of their login this pending channel connects."""
    return channel.state == Channel.State.PENDING and bool(
        channel.refresh_token_encrypted or channel.access_token_encrypted
    )


def _pending_accounts(channel: Channel) -> list[_Account]:
    """The accounts the login kept on the pending channel gives, read again from the network."""
    flow = _flow(channel.network_enum, channel.base_url)
    if not is_awaiting_choice(channel) or not isinstance(flow, MetaOAuth | LinkedInOAuth):
        raise ChannelConnectionError(_("This connection was not started here, or is already finished."))
    kept = TokenGrant(
        access_token=decrypt_secret(channel.access_token_encrypted),
        refresh_token=decrypt_secret(channel.refresh_token_encrypted),
        expires_at=channel.token_expires_at,
    )
    try:
        return _accounts(channel, flow, kept)
    except ConnectorError as error:
        raise _refused(error) from None


def account_choices(channel: Channel) -> list[AccountChoice]:
    """The pages (Facebook, LinkedIn) or business accounts (Instagram) the person's login gives."""
    return [account.choice for account in _pending_accounts(channel)]


def choose_account(*, actor: User, channel: Channel, account_id: str) -> Channel:
    """Connect the chosen account; nothing of the others is stored (Meta's other pages' tokens never are)."""
    accounts = _pending_accounts(channel) if account_id else []
    account = next((account for account in accounts if account.choice.account_id == account_id), None)
    if account is None:
        raise ChannelConnectionError(_("Choose one of the accounts listed."), field="account")
    try:
        return _connect_account(channel, account, actor)
    except ConnectorError as error:
        raise _refused(error) from None


def connect_bluesky(*, actor: User, name: str, identifier: str, app_password: str, server: str = "") -> Channel:
    """Sign in to the account's PDS with an app password and keep only the session's tokens, encrypted."""
    name = _checked_name(name)
    base_url = normalise_server(server or DEFAULT_PDS)
    session = BlueskySession(base_url=base_url, timeouts=timeouts())
    try:
        grant, identity = session.sign_in(identifier=identifier, app_password=app_password)
    except ConnectorError as error:
        raise _bluesky_refusal(error, session, identifier) from None
    channel = Channel(
        organization=actor.organization, network=Network.BLUESKY, name=name, base_url=base_url, owner=actor
    )
    return _save_connected(channel, grant, identity, actor)


def _bluesky_refusal(error: ConnectorError, session: BlueskySession, identifier: str) -> ChannelConnectionError:
    """What the person can do about a refused Bluesky sign-in, on the field at fault."""
    server = session.base_url.removeprefix("https://")
    values = {"account": identifier.strip(), "server": server, "error": error.message}
    reason = error.reason if isinstance(error, SignInRefused) else ""
    if isinstance(error, RetryableError):
        message = _("The Bluesky server %(server)s cannot be reached (%(error)s). Check its address, or try later.")
        return ChannelConnectionError(message % values, field="server")
    if reason == "AuthFactorTokenRequired":
        message = _(
            "Bluesky asks for the sign-in code it e-mailed, which happens with the account's own password. "
            "Use an app password instead: it needs no code."
        )
        return ChannelConnectionError(message, field="app_password")
    if reason in {"AccountTakedown", "AccountDeactivated"}:
        message = _("This Bluesky account is suspended or deactivated (%(error)s).")
        return ChannelConnectionError(message % values, field="identifier")
    if reason == "AuthenticationRequired":
        if _is_unknown_handle(session, identifier):
            message = _("No Bluesky account has the handle %(account)s. Check its spelling.")
            return ChannelConnectionError(message % values, field="identifier")
        message = _(
            "%(server)s refused this app password for %(account)s. Check that it was copied whole and that "
            "the account is hosted on %(server)s, or create a new app password."
        )
        return ChannelConnectionError(message % values, field="app_password")
    if isinstance(error, PermanentError) and error.status is None:  # refused before anything left
        return ChannelConnectionError(error.message, field="app_password")
    return ChannelConnectionError(_("Bluesky refused the connection: %(error)s") % values)


def _is_unknown_handle(session: BlueskySession, identifier: str) -> bool:
    identifier = identifier.strip().lstrip("@")
    if "@" in identifier:  # an e-mail address: only its server knows it, and says nothing
        return False
    try:
        return not session.handle_exists(identifier)
    except ConnectorError:
        return False


def disconnect_channel(*, channel: Channel, actor: User) -> Channel:
    """Forget the channel's tokens (revoking them on the network where possible); its queue stays visible, paused."""
    if not channel.is_demo:
        # Revocation is a courtesy: forgetting the tokens is what disconnects.
        with contextlib.suppress(ConnectorError, ChannelConnectionError, TokenKeyError):
            _revoke(channel)
    with transaction.atomic():
        channel.state = Channel.State.DISCONNECTED
        channel.access_token_encrypted = channel.refresh_token_encrypted = ""
        channel.disconnected_at = timezone.now()
        channel.save(update_fields=["state", "access_token_encrypted", "refresh_token_encrypted", "disconnected_at"])
        record(organization=channel.organization, actor=actor, action="channel.disconnected", target=channel)
    return channel


def _revoke(channel: Channel) -> None:
    """Bluesky: end the session with its refresh JWT; OAuth networks: revoke the access token where they allow it."""
    if channel.network_enum == Network.BLUESKY:
        if refresh_token := decrypt_secret(channel.refresh_token_encrypted):
            BlueskySession(base_url=channel.base_url, timeouts=timeouts()).end(refresh_token=refresh_token)
    elif access_token := decrypt_secret(channel.access_token_encrypted):
        flow = _flow(channel.network_enum, channel.base_url)
        flow.revoke(credentials_for(channel), access_token=access_token)


def forget_abandoned_connections(now: datetime.datetime | None = None) -> int:
    """Delete the connections started over ABANDONED_AFTER ago and never finished; return how many."""
    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    abandoned = Channel.objects.filter(state=Channel.State.PENDING, is_demo=False, created_at__lt=cutoff).exclude(
        pk__in=Dispatch.objects.values("channel_id")
    )
    forgotten = 0
    for channel in abandoned.select_related("organization"):
        with transaction.atomic():
            record(organization=channel.organization, actor=None, action="channel.abandoned", target=channel)
            channel.delete()
        forgotten += 1
    return forgotten
