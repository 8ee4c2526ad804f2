"""Inbox test data, built through the services."""

import datetime
import itertools

from django.utils import timezone

from portevoix.accounts.models import Organization, User
from portevoix.channels.connectors.base import Interaction
from portevoix.channels.models import Channel
from portevoix.channels.services import create_demo_channel
from portevoix.inbox.models import Message
from portevoix.inbox.services import receive_interactions
from portevoix.lib.networks import Network

_numbers = itertools.count(1)


def demo_channel(organization: Organization, owner: User | None = None, name: str = "Acme Mastodon") -> Channel:
    return create_demo_channel(
        organization=organization, network=Network.MASTODON, name=name, handle="@acme", owner=owner, actor=None
    )


def interaction(
    text: str, *, remote_id: str = "", author: str = "@client@example.social", reply_to: str = ""
) -> Interaction:
    return Interaction(
        remote_id=remote_id or f"remote-{next(_numbers)}",
        kind="mention",
        author_handle=author,
        author_name="Client",
        text=text,
        url="https://example.social/@client/1",
        created_at=timezone.now() - datetime.timedelta(minutes=5),
        in_reply_to=reply_to,
    )


def received(channel: Channel, text: str, **kwargs: str) -> Message:
    [message] = receive_interactions(channel=channel, interactions=[interaction(text, **kwargs)])
    return message
