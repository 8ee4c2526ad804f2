"""One interface for every network: what a connector does, what it can do, and how it fails.

Networks change their APIs often, so connectors stay thin: each one translates between this
interface and one network's HTTP API, and nothing else. Everything a connector needs to know
about an account comes in `AccountAccess`; everything it learns comes back as the frozen
dataclasses below. A connector never touches the database: the publishing outbox
(`portevoix.channels.publishing`) decides what to do with each outcome.

Errors say whether a retry is safe, which is what the outbox needs to keep "exactly once":

- `RetryableError`: nothing happened on the network (refused before sending, connection never
  made, 429, 503 before processing): retry later, with backoff.
- `RateLimited(retry_after)`: a `RetryableError` with the delay the network asked for.
- `PermanentError`: the network refused the request as it is (422, 403…): do not retry.
- `AuthExpired`: the token is no longer valid: the channel must be reconnected (or refreshed).
- `AmbiguousOutcome`: the request may have taken effect (a timeout after sending, a 5xx while
  processing): never retried blindly; the outbox reconciles it with `find_published` first.
"""

import abc
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar, Self

from portevoix.lib.networks import NETWORKS, Network, share_url

# API versions, pinned in one place: a connector reads its version from here, never from a
# literal of its own, so upgrading a network's API is one reviewed line.
API_VERSIONS: dict[Network, str] = {
    Network.MASTODON: "v1",  # /api/v1/statuses; media upload is /api/v2/media
    Network.BLUESKY: "atproto-2024",  # com.atproto.repo.* lexicons
    Network.LINKEDIN: "202607",  # LinkedIn-Version header (REST Posts API)
    Network.X: "2",  # /2/tweets
    Network.FACEBOOK: "v23.0",  # Graph API
    Network.INSTAGRAM: "v23.0",  # Graph API (Instagram business accounts)
    Network.THREADS: "v1.0",  # Threads API
}


@dataclass(frozen=True)
class Timeouts:
    """Every outbound call has explicit timeouts, in seconds."""

    connect: float = 5.0
    read: float = 15.0
    write: float = 15.0
    pool: float = 5.0


DEFAULT_TIMEOUTS = Timeouts()


@dataclass(frozen=True)
class MediaItem:
    """An image or video to attach: a file on local storage, with its alternative text."""

    path: str
    alt_text: str
    content_type: str


class ConnectionKind(StrEnum):
    OAUTH = "oauth"  # authorization code flow with the organisation's own app
    APP_PASSWORD = "app_password"  # noqa: S105 (a kind of connection, not a password)


@dataclass(frozen=True)
class Capabilities:
    """What a network can do, for the composer and the outbox."""

    network: Network
    connection: ConnectionKind
    max_media: int
    media_types: frozenset[str]
    has_idempotency_key: bool  # the network deduplicates a replayed publish by a key we send
    can_read_back: bool  # recent posts of the account can be read, to reconcile an ambiguous publish
    can_delete: bool = True
    can_reply: bool = True
    can_fetch_interactions: bool = True
    can_fetch_metrics: bool = True
    can_refresh_token: bool = False
    token_lifetime: datetime.timedelta | None = None  # None: tokens do not expire by themselves

    @property
    def text_limit(self) -> int:
        return NETWORKS[self.network].text_limit


@dataclass(frozen=True)
class AccountAccess:
    """What a connector needs to act as one account (tokens decrypted, for this call only)."""

    base_url: str  # e.g. https://mastodon.social; the API root for networks with one server
    access_token: str
    remote_account_id: str = ""
    handle: str = ""
    refresh_token: str = ""


@dataclass(frozen=True)
class OutgoingPost:
    """A post as it leaves: the text goes out exactly as given."""

    text: str
    idempotency_key: str
    media: Sequence[MediaItem] = ()
    in_reply_to: str = ""  # the remote id of the post answered, for replies
    language: str = ""


@dataclass(frozen=True)
class PublishedPost:
    remote_id: str
    remote_url: str
    published_at: datetime.datetime | None = None


@dataclass(frozen=True)
class Interaction:
    """A mention, comment or reply received on a channel."""

    remote_id: str
    kind: str  # "mention", "comment", "reply"
    author_handle: str
    author_name: str
    text: str
    url: str
    created_at: datetime.datetime
    in_reply_to: str = ""


@dataclass(frozen=True)
class InteractionPage:
    items: Sequence[Interaction]
    cursor: str  # give it back to fetch only what came after


@dataclass(frozen=True)
class PostMetrics:
    remote_id: str
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    impressions: int | None = None  # None: the network does not say
    clicks: int | None = None


@dataclass(frozen=True)
class RateLimit:
    """An account's rate-limit state, as the network last reported it."""

    remaining: int | None
    reset_at: datetime.datetime | None


@dataclass(frozen=True)
class AppCredentials:
    """The organisation's own app on a network (per instance for Mastodon)."""

    client_id: str
    client_secret: str
    base_url: str = ""


@dataclass(frozen=True)
class TokenGrant:
    access_token: str
    refresh_token: str = ""
    expires_at: datetime.datetime | None = None
    scope: str = ""


@dataclass(frozen=True)
class AccountIdentity:
    remote_account_id: str
    handle: str
    display_name: str
    url: str


class ConnectorError(Exception):
    """A network call that did not succeed. `message` is for people; `status` is the HTTP status, if any."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class RetryableError(ConnectorError):
    """Nothing took effect on the network: trying again later is safe."""


class RateLimited(RetryableError):
    """The network asked us to wait `retry_after` before the next call on this account."""

    def __init__(self, message: str, *, retry_after: datetime.timedelta, status: int | None = 429) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class PermanentError(ConnectorError):
    """The network refused the request as it is; the same request will fail again."""


class AuthExpired(PermanentError):
    """The token is expired or revoked: the channel must be reconnected (or its token refreshed)."""


class AmbiguousOutcome(ConnectorError):
    """The request may have taken effect (timeout after sending, server error): reconcile, never retry blindly."""


class Connector(abc.ABC):
    """One network, acting as one account. Subclasses live in `connectors/<network>/`."""

    network: ClassVar[Network]
    capabilities: ClassVar[Capabilities]

    def __init__(self, account: AccountAccess, *, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        self.account = account
        self.timeouts = timeouts
        self.rate_limit: RateLimit | None = None  # updated from the network's answers

    @abc.abstractmethod
    def publish(self, post: OutgoingPost) -> PublishedPost:
        """Publish, sending `post.idempotency_key` with the network's own mechanism where it has one."""

    @abc.abstractmethod
    def find_published(self, post: OutgoingPost, *, since: datetime.datetime) -> PublishedPost | None:
        """Look for `post` on the account (by idempotency key or by reading back recent posts since `since`).

        Returns the post if it is there, None if it is certainly not; raises a ConnectorError
        when the network cannot tell now.
        """

    @abc.abstractmethod
    def delete(self, remote_id: str) -> None:
        """Delete one of the account's posts; deleting one already gone is not an error."""

    @abc.abstractmethod
    def fetch_interactions(self, *, cursor: str = "") -> InteractionPage:
        """Mentions, comments and replies received after `cursor` (all recent ones without it)."""

    @abc.abstractmethod
    def fetch_metrics(self, remote_ids: Sequence[str]) -> list[PostMetrics]:
        """Counts for the account's posts, as far as the network gives them."""

    @abc.abstractmethod
    def identity(self) -> AccountIdentity:
        """Who the token acts as: checks the token on connection and on demand."""

    def close(self) -> None:  # noqa: B027
        """Release the connector's connections; a connector is also a context manager."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def reply(self, post: OutgoingPost) -> PublishedPost:
        """Answer `post.in_reply_to`; most networks publish replies the same way as posts."""
        if not post.in_reply_to:
            raise PermanentError("A reply needs the post it answers.")
        return self.publish(post)

    def share_page(self, *, text: str, url: str = "") -> str:
        """The network's own share page (no API): see `portevoix.lib.networks.share_url`."""
        instance = self.account.base_url.removeprefix("https://").removeprefix("http://").rstrip("/")
        return share_url(self.network, text=text, url=url, instance=instance)


class OAuthFlow(abc.ABC):
    """Connecting an account by OAuth's authorization code flow, with the organisation's own app."""

    network: ClassVar[Network]

    def __init__(self, *, base_url: str, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeouts = timeouts

    def register_app(self, *, redirect_uri: str, name: str, website: str) -> AppCredentials:
        """Create the organisation's app on the network (Mastodon: per instance); most networks do it by hand."""
        raise PermanentError("This network's apps are created in its developer console.")

    @abc.abstractmethod
    def authorization_url(self, app: AppCredentials, *, redirect_uri: str, state: str) -> str:
        """Where to send the person to approve access."""

    @abc.abstractmethod
    def exchange_code(self, app: AppCredentials, *, code: str, redirect_uri: str) -> TokenGrant:
        """Turn the authorization code the network sent back into tokens."""

    def refresh(self, app: AppCredentials, *, refresh_token: str) -> TokenGrant:
        """A new access token from a refresh token, where the network allows it."""
        raise AuthExpired("This network's tokens cannot be refreshed: reconnect the account.")

    def revoke(self, app: AppCredentials, *, access_token: str) -> None:  # noqa: B027
        """Revoke the token on the network, where it allows it; disconnection never depends on it."""


@dataclass(frozen=True)
class ConnectorEntry:
    connector: type[Connector]
    oauth: type[OAuthFlow] | None = None
    scopes: Sequence[str] = field(default_factory=tuple)
