"""The connector for a channel, with its tokens decrypted for the call (demo channels publish to nothing)."""

from django.conf import settings

from portevoix.channels.connectors.base import AccountAccess, Connector, Timeouts
from portevoix.channels.connectors.registry import connector_entry, demo_entry
from portevoix.channels.models import Channel
from portevoix.channels.tokens import decrypt_secret


def timeouts() -> Timeouts:
    seconds = float(settings.CHANNELS_HTTP_TIMEOUT_SECONDS)
    return Timeouts(connect=min(5.0, seconds), read=seconds, write=seconds, pool=min(5.0, seconds))


def connector_for(channel: Channel) -> Connector:
    """A connector acting as `channel`'s account; close it after use (it is a context manager)."""
    entry = demo_entry() if channel.is_demo else connector_entry(channel.network)
    access = AccountAccess(
        base_url=channel.base_url,
        access_token=decrypt_secret(channel.access_token_encrypted),
        refresh_token=decrypt_secret(channel.refresh_token_encrypted),
        remote_account_id=channel.remote_account_id,
        handle=channel.handle,
    )
    return entry.connector(access, timeouts=timeouts())
