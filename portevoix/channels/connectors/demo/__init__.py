"""The demo connector: a demo channel publishes to nothing real.

Posts are "published" in this process only, with an id derived from the idempotency key, so a
replay returns the same post and a demo channel goes through the same outbox states as a real
one. Nothing leaves the machine; the channels page says so next to every demo channel.

So that a demo can show what a failure looks like, the demo "network" can be told what to answer
for a given post (`script_errors`): each call for that post raises the next error, as a real
network's refusal or silence would, and the outbox handles it as it handles theirs.
"""

import datetime
import hashlib
import threading
from collections.abc import Iterable, Sequence

from django.utils import timezone

from portevoix.channels.connectors.base import (
    AccountIdentity,
    Capabilities,
    ConnectionKind,
    Connector,
    ConnectorEntry,
    ConnectorError,
    InteractionPage,
    OutgoingPost,
    PostMetrics,
    PublishedPost,
)
from portevoix.lib.networks import Network

_scripted: dict[str, list[ConnectorError]] = {}
_scripted_lock = threading.Lock()


def script_errors(idempotency_key: str, errors: Iterable[ConnectorError]) -> None:
    """The next calls about the post with this key raise these errors, in order, then succeed."""
    with _scripted_lock:
        _scripted[idempotency_key] = list(errors)


def _next_error(idempotency_key: str) -> ConnectorError | None:
    with _scripted_lock:
        errors = _scripted.get(idempotency_key)
        if not errors:
            _scripted.pop(idempotency_key, None)
            return None
        return errors.pop(0)


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
        if (error := _next_error(post.idempotency_key)) is not None:
            raise error
        digest = hashlib.sha256(post.idempotency_key.encode()).hexdigest()[:16]
        return PublishedPost(remote_id=f"demo-{digest}", remote_url="", published_at=timezone.now())

    def find_published(self, post: OutgoingPost, *, since: datetime.datetime) -> PublishedPost | None:
        # A demo post is on the "network" unless its script says the network cannot be read.
        if (error := _next_error(post.idempotency_key)) is not None:
            raise error
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
