"""Renewing a channel's access where its network allows it: once, by one worker, whoever asks first.

Networks that refresh: X (two-hour access tokens, single-use refresh tokens: each refresh returns
a new pair and the old refresh token stops working), Bluesky (`refreshSession`, which revokes the
refresh JWT it used), LinkedIn (only for apps LinkedIn granted refresh tokens) and Meta (the page
token read again with the long-lived user token kept as `<page id>|<user token>`). Mastodon
tokens never expire by themselves: a refused one means reconnecting.

Because a refresh token may be single-use, two workers must never refresh the same channel at
once: the second would be refused and the channel disconnected for nothing. A refresh locks the
channel's row (on SQLite, the write lock taken at BEGIN does the same), reads it again, and calls
the network only if nobody renewed the token since the refused call; otherwise it uses what the
other worker stored.

A refusal (a used, expired or revoked refresh token, a network without refresh, a channel without
a refresh token) means only a new connection helps: the channel is marked expired, which stops
its publishing and its inbox, and its owner is alerted once. A token endpoint that did not
answer changes nothing: the caller tries again later.
"""

import datetime
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.audit.services import record
from portevoix.channels import alerts
from portevoix.channels.connection import connector_for, timeouts
from portevoix.channels.connections import ChannelConnectionError, credentials_for
from portevoix.channels.connectors.base import (
    AuthExpired,
    Connector,
    ConnectorError,
    PermanentError,
    TokenGrant,
)
from portevoix.channels.connectors.registry import UnsupportedNetwork, connector_entry
from portevoix.channels.models import Channel, Dispatch
from portevoix.channels.tokens import decrypt_secret, encrypt_secret
from portevoix.lib.networks import Network

logger = logging.getLogger(__name__)

# How long before its expiry the periodic job renews a token, by network: X's and Bluesky's access
# tokens last two hours; LinkedIn's sixty days. Meta's page tokens do not expire (no expiry is
# stored), so they are only renewed when the network refuses one.
RENEW_AHEAD: dict[Network, datetime.timedelta] = {
    Network.X: datetime.timedelta(minutes=30),
    Network.BLUESKY: datetime.timedelta(minutes=30),
    Network.LINKEDIN: datetime.timedelta(days=7),
    Network.FACEBOOK: datetime.timedelta(days=7),
    Network.INSTAGRAM: datetime.timedelta(days=7),
}
DEFAULT_RENEW_AHEAD = datetime.timedelta(days=1)


class ReconnectNeeded(AuthExpired):
    """The channel's access was refused and cannot be renewed: it is marked expired.

    `alerted` says whether this refusal is the one that alerted the owner (only the first does).
    """

    def __init__(self, message: str, *, alerted: bool) -> None:
        super().__init__(message)
        self.alerted = alerted


def refreshable(channel: Channel) -> bool:
    """Whether the channel's tokens can be renewed without the person: its network allows it, it has what it takes."""
    if channel.is_demo or not channel.refresh_token_encrypted:
        return False
    try:
        entry = connector_entry(channel.network)
    except UnsupportedNetwork:
        return False
    if not entry.connector.capabilities.can_refresh_token:
        return False
    # Bluesky refreshes its session with the refresh JWT alone; OAuth networks need the app the
    # channel was connected with: the organisation's, or the installation's.
    if channel.network == Network.BLUESKY:
        return True
    if entry.oauth is None:
        return False
    try:
        credentials_for(channel)
    except ChannelConnectionError:
        return False
    return True


def _new_grant(channel: Channel) -> TokenGrant:
    refresh_token = decrypt_secret(channel.refresh_token_encrypted)
    if channel.network == Network.BLUESKY:
        from portevoix.channels.connectors.bluesky.session import BlueskySession

        return BlueskySession(base_url=channel.base_url, timeouts=timeouts()).refresh(refresh_token=refresh_token)
    flow = connector_entry(channel.network).oauth
    if flow is None:  # refreshable() rules it out; a refusal all the same
        raise PermanentError(_("This network's tokens cannot be renewed."))
    try:
        credentials = credentials_for(channel)
    except ChannelConnectionError as missing:  # the app was removed since the connection
        raise PermanentError(str(missing)) from None
    return flow(base_url=channel.base_url, timeouts=timeouts()).refresh(credentials, refresh_token=refresh_token)


def _store(channel: Channel, grant: TokenGrant, *, reason: str) -> None:
    channel.access_token_encrypted = encrypt_secret(grant.access_token)
    if grant.refresh_token:  # a network that keeps the same refresh token may leave it out
        channel.refresh_token_encrypted = encrypt_secret(grant.refresh_token)
    channel.token_expires_at = grant.expires_at
    channel.expiry_warned_at = None
    channel.last_error = ""
    channel.save(
        update_fields=[
            "access_token_encrypted",
            "refresh_token_encrypted",
            "token_expires_at",
            "expiry_warned_at",
            "last_error",
        ]
    )
    record(
        organization=channel.organization,
        actor=None,
        action="channel.token_refreshed",
        target=channel,
        data={"reason": reason, "expires_at": grant.expires_at},
    )


def _reconnect_message(channel: Channel, detail: str) -> str:
    return _("Access to %(channel)s was refused and cannot be renewed: reconnect the channel. %(detail)s") % {
        "channel": channel.name,
        "detail": detail,
    }


def _needs_reconnection(channel: Channel, detail: str, *, dispatch: Dispatch | None) -> ReconnectNeeded:
    """Mark the (locked) channel expired and alert its owner, unless another refusal did already."""
    message = _reconnect_message(channel, detail).strip()
    won = Channel.objects.filter(pk=channel.pk, state=Channel.State.CONNECTED).update(
        state=Channel.State.EXPIRED, last_error=message[:2000]
    )
    if won:
        channel.state, channel.last_error = Channel.State.EXPIRED, message[:2000]
        alerts.alert_reconnect(channel, dispatch=dispatch, detail=message)
        record(
            organization=channel.organization,
            actor=None,
            action="channel.expired",
            target=channel,
            data={"error": detail[:500]},
        )
    return ReconnectNeeded(message, alerted=bool(won))


def _refresh_locked(
    channel: Channel, *, refused: str, dispatch: Dispatch | None, ahead: bool
) -> Channel | ReconnectNeeded | None:
    locked = Channel.objects.select_for_update().get(pk=channel.pk)
    if locked.state != Channel.State.CONNECTED:
        return ReconnectNeeded(locked.last_error or _reconnect_message(locked, refused), alerted=False)
    if locked.access_token_encrypted != channel.access_token_encrypted:
        return locked  # another worker renewed it since the refused call: use its tokens
    if not refreshable(locked):
        detail = refused or _("This network's tokens cannot be renewed.")
        return _needs_reconnection(locked, detail, dispatch=dispatch)
    try:
        grant = _new_grant(locked)
    except PermanentError as error:  # AuthExpired included: a used, expired or revoked refresh token
        still_valid = locked.token_expires_at is not None and locked.token_expires_at > timezone.now()
        if ahead and still_valid:
            # The access token still works until it expires: warn the owner instead of stopping now.
            alerts.warn_cannot_renew(locked, detail=error.message)
            return None
        return _needs_reconnection(locked, error.message, dispatch=dispatch)
    _store(locked, grant, reason="ahead" if ahead else "refused")
    return locked


def refresh_channel_tokens(
    channel: Channel, *, refused: str = "", dispatch: Dispatch | None = None, ahead: bool = False
) -> Channel:
    """New tokens for `channel` (as read before the call the network refused, with `refused` its message).

    Returns the channel as now stored, with working tokens: renewed here, or by another worker
    since `channel` was read. Raises ReconnectNeeded when only a new connection helps (the channel
    is then expired and its owner alerted, once; `dispatch` is the post that met the refusal) and
    RetryableError when the token endpoint did not answer (nothing changed). With `ahead` (the
    periodic renewal), a refused refresh while the access token is still valid only warns the
    owner, once, and raises ReconnectNeeded with `alerted` set.
    """
    with transaction.atomic():
        outcome = _refresh_locked(channel, refused=refused, dispatch=dispatch, ahead=ahead)
    # Raised outside the transaction so that the expiry, the alert and the audit entry are kept.
    if outcome is None:
        raise ReconnectNeeded(_("The access could not be renewed; the owner was warned."), alerted=True)
    if isinstance(outcome, ReconnectNeeded):
        raise outcome
    return outcome


def with_renewed_access[T](
    channel: Channel,
    action: Callable[[Connector], T],
    *,
    dispatch: Dispatch | None = None,
    on_renewed: Callable[[], None] | None = None,
) -> T:
    """`action` with the channel's connector; if the network refuses the token, renew it once and run `action` again.

    Only for actions that are safe to repeat after the network refused the token: a refused token
    (AuthExpired) means the network did not act on the call. A token still refused after renewal
    means only a new connection helps (ReconnectNeeded, as for a refused refresh).
    """
    try:
        return _act(channel, action)
    except AuthExpired as error:
        refused = error.message
    renewed = refresh_channel_tokens(channel, refused=refused, dispatch=dispatch)
    if on_renewed is not None:
        on_renewed()
    try:
        return _act(renewed, action)
    except AuthExpired as error:
        with transaction.atomic():
            locked = Channel.objects.select_for_update().get(pk=renewed.pk)
            failure = _needs_reconnection(locked, error.message, dispatch=dispatch)
        raise failure from error


def _act[T](channel: Channel, action: Callable[[Connector], T]) -> T:
    with connector_for(channel) as connector:
        return action(connector)


def refresh_expiring_tokens(now: datetime.datetime | None = None) -> int:
    """Renew the tokens that expire soon (see RENEW_AHEAD), so that publishing rarely meets an expired one.

    Returns how many were renewed. A channel whose renewal was refused while its token still works
    is warned once (`expiry_warned_at`) and left alone until it is reconnected or expires.
    """
    now = now or timezone.now()
    horizon = now + max(*RENEW_AHEAD.values(), DEFAULT_RENEW_AHEAD)
    due = Channel.objects.filter(
        state=Channel.State.CONNECTED,
        is_demo=False,
        token_expires_at__isnull=False,
        token_expires_at__lte=horizon,
        expiry_warned_at__isnull=True,
    ).exclude(refresh_token_encrypted="")
    renewed = 0
    for channel in due:
        ahead = RENEW_AHEAD.get(channel.network_enum, DEFAULT_RENEW_AHEAD)
        if channel.token_expires_at is None or channel.token_expires_at > now + ahead or not refreshable(channel):
            continue
        try:
            refresh_channel_tokens(channel, ahead=True)
        except ConnectorError as error:
            logger.warning("channels.refresh_failed channel=%s error=%s", channel.pk, error.message)
            continue
        renewed += 1
    return renewed
