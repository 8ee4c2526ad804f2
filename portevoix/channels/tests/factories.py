"""Channels and dispatches built through the real services, so tests obey the same rules as people do."""

import datetime

import httpx
from django.utils import timezone

from portevoix.accounts.models import User
from portevoix.channels import connections, services
from portevoix.channels.models import Channel, Dispatch, NetworkApp
from portevoix.channels.tokens import encrypt_secret
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


def network_channel(
    owner: User,
    network: Network,
    *,
    access: str,
    refresh: str,
    remote_account_id: str,
    handle: str,
    client: tuple[str, str] | None = None,
    base_url: str = "",
    expires_at: datetime.datetime | None = None,
) -> Channel:
    """A connected channel as the connection pages leave it: tokens encrypted, the organisation's app."""
    app = None
    if client is not None:
        app, _created = NetworkApp.objects.get_or_create(
            organization=owner.organization,
            network=network,
            base_url="",
            defaults={
                "client_id": client[0],
                "client_secret_encrypted": encrypt_secret(client[1]),
                "redirect_uri": REDIRECT,
            },
        )
    return Channel.objects.create(
        organization=owner.organization,
        network=network,
        name=f"Acme {remote_account_id[-4:]} on {network.label}",
        handle=handle,
        base_url=base_url,
        remote_account_id=remote_account_id,
        state=Channel.State.CONNECTED,
        owner=owner,
        app=app,
        access_token_encrypted=encrypt_secret(access),
        refresh_token_encrypted=encrypt_secret(refresh),
        token_expires_at=expires_at,
        connected_at=timezone.now(),
    )


def x_channel(
    owner: User,
    *,
    access: str = "x-access-expired",
    expires_at: datetime.datetime | None = None,
    remote_account_id: str = "1450000000000000001",
) -> Channel:
    return network_channel(
        owner,
        Network.X,
        access=access,
        refresh="x-refresh-1",
        remote_account_id=remote_account_id,
        handle="@acme",
        client=("x-client", "x-secret"),
        expires_at=expires_at,
    )
