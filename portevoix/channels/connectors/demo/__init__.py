"""The demo connector: a demo channel publishes to nothing real.

Posts are "published" in this process only, with an id derived from the idempotency key, so a
replay returns the same post and a demo channel goes through the same outbox states as a real
one. Nothing leaves the machine; the channels page says so next to every demo channel.
"""

import datetime
import hashlib
from collections.abc import Sequence

from django.utils import timezone

from portevoix.channels.connectors.base import (
    AccountIdentity,
    Capabilities,
    ConnectionKind,
    Connector,
    ConnectorEntry,
    InteractionPage,
    OutgoingPost,
    PostMetrics,
    PublishedPost,
)
from portevoix.lib.networks import Network


class DemoConnector(Connector):
    network = Network.MASTODON  # unused: a demo channel keeps its own network for limits and labels
    capabilities = Capabilities(
        network=Network.MASTODON,
        connection=ConnectionKind.OAUTH,
        max_media=4,
        media_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
        has_idempotency_key=True,
        can_read_back=True,
    )

    def publish(self, post: OutgoingPost) -> PublishedPost:
        digest = hashlib.sha256(post.idempotency_key.encode()).hexdigest()[:16]
        return PublishedPost(remote_id=f"demo-{digest}", remote_url="", published_at=timezone.now())

    def find_published(self, post: OutgoingPost, *, since: datetime.datetime) -> PublishedPost | None:
        # Publishing a demo post cannot fail half-way: what was claimed was "published".
        return self.publish(post)

    def delete(self, remote_id: str) -> None:
        return None

    def fetch_interactions(self, *, cursor: str = "") -> InteractionPage:
        return InteractionPage(items=(), cursor=cursor)

    def fetch_metrics(self, remote_ids: Sequence[str]) -> list[PostMetrics]:
        return [PostMetrics(remote_id=remote_id) for remote_id in remote_ids]

    def identity(self) -> AccountIdentity:
        return AccountIdentity(
            remote_account_id=self.account.remote_account_id,
            handle=self.account.handle,
            display_name=self.account.handle,
            url="",
        )


ENTRY = ConnectorEntry(connector=DemoConnector)
