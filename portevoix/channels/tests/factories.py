"""Channels and dispatches built through the real services, so tests obey the same rules as people do."""

import datetime

from portevoix.accounts.models import User
from portevoix.channels import services
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
