"""Channels and dispatches built through the real services, so tests obey the same rules as people do."""

import datetime

import httpx

from portevoix.accounts.models import User
from portevoix.channels import connections, services
from portevoix.channels.models import Channel, Dispatch
from portevoix.lib.networks import Network

T0 = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)


def demo_channel(owner: User, *, network: Network = Network.MASTODON, name: str = "Acme on Mastodon") -> Channel:
    return services.create_demo_channel(
        organization=owner.organization, network=network, name=name, handle="@acme", owner=owner, actor=owner
    )


def schedule(
    channel: Channel,
    actor: User,
    *,
    source_key: str = "post:1",
    text: str = "Bonjour Mastodon",
    at: datetime.datetime = T0,
) -> Dispatch:
    return services.schedule_dispatch(channel=channel, source_key=source_key, text=text, scheduled_at=at, actor=actor)


REDIRECT = "http://testserver/channels/connect/callback/"


def connect_mastodon(base_url: str, owner: User, *, username: str = "alice", name: str = "Acme Mastodon") -> Channel:
    """Connect a channel by the real OAuth flow; the person's approval is posted to the server's own page."""
    pending = connections.start_connection(
        actor=owner, network=Network.MASTODON, server=base_url, name=name, redirect_uri=REDIRECT
    )
    assert pending.channel.app is not None
    approval = httpx.post(
        f"{base_url}/oauth/authorize",
        data={
            "username": username,
            "redirect_uri": REDIRECT,
            "client_id": pending.channel.app.client_id,
            "state": pending.state,
        },
    )
    code = httpx.URL(approval.headers["location"]).params["code"]
    return connections.finish_connection(actor=owner, channel=pending.channel, code=code, redirect_uri=REDIRECT)
