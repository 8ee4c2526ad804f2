"""The Mastodon connector: statuses, media, notifications and read-back over httpx."""

import datetime
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from portevoix.channels.connectors import HttpClient, readback
from portevoix.channels.connectors.base import (
    API_VERSIONS,
    DEFAULT_TIMEOUTS,
    AccountAccess,
    AccountIdentity,
    Capabilities,
    ConnectionKind,
    Connector,
    ConnectorError,
    Interaction,
    InteractionPage,
    OutgoingPost,
    PermanentError,
    PostMetrics,
    PublishedPost,
    Timeouts,
)
from portevoix.lib.networks import Network

VERSION = API_VERSIONS[Network.MASTODON]
SCOPES = ("read", "write")
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PARAGRAPH = re.compile(r"</p>\s*<p>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def plain_text(content_html: str) -> str:
    """A status's HTML content back to comparable text: tags dropped, entities decoded, spaces collapsed."""
    text = _PARAGRAPH.sub("\n\n", _BREAK.sub("\n", content_html))
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", text))).strip()


def _when(value: Any) -> datetime.datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


class MastodonConnector(Connector):
    network = Network.MASTODON
    capabilities = Capabilities(
        network=Network.MASTODON,
        connection=ConnectionKind.OAUTH,
        max_media=4,
        media_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4"}),
        has_idempotency_key=True,
        can_read_back=True,
    )

    def __init__(self, account: AccountAccess, *, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        super().__init__(account, timeouts=timeouts)
        self.http = HttpClient(account.base_url, timeouts=timeouts, token=account.access_token)

    def close(self) -> None:
        self.http.close()

    def _json(self, method: str, path: str, *, is_write: bool = False, **kwargs: Any) -> Any:
        try:
            return self.http.json(method, path, is_write=is_write, **kwargs)
        finally:
            self.rate_limit = self.http.rate_limit

    def publish(self, post: OutgoingPost) -> PublishedPost:
        media_ids = [self._upload(item.path, item.alt_text, item.content_type) for item in post.media]
        data: dict[str, Any] = {"status": post.text, "visibility": "public"}
        if media_ids:
            data["media_ids[]"] = media_ids
        if post.in_reply_to:
            data["in_reply_to_id"] = post.in_reply_to
        if post.language:
            data["language"] = post.language
        status = self._json(
            "POST",
            f"/api/{VERSION}/statuses",
            is_write=True,
            data=data,
            headers={"Idempotency-Key": post.idempotency_key},
        )
        return self._published(status)

    def _upload(self, path: str, alt_text: str, content_type: str) -> str:
        file = Path(path)
        if not file.is_file():
            raise PermanentError(f"The file {file.name} is missing.")
        with file.open("rb") as handle:
            media = self._json(
                "POST",
                "/api/v2/media",  # Mastodon uploads media on v2 only
                files={"file": (file.name, handle, content_type)},
                data={"description": alt_text},
            )
        return str(media["id"])

    def _published(self, status: Any) -> PublishedPost:
        if not isinstance(status, dict) or "id" not in status:
            raise ConnectorError(_("Mastodon answered without a status."))
        return PublishedPost(
            remote_id=str(status["id"]),
            remote_url=str(status.get("url") or ""),
            published_at=_when(status.get("created_at")),
        )

    def find_published(self, post: OutgoingPost, *, since: datetime.datetime) -> PublishedPost | None:
        """Page back through the account's statuses (newest first, by `max_id`) to the first send."""
        wanted = plain_text(html.escape(post.text).replace("\n", "<br>"))
        if not wanted:
            raise ConnectorError("A post without text cannot be recognised by reading the account back.")
        account_id = self.account.remote_account_id or self.identity().remote_account_id

        def page(max_id: str) -> readback.Page[dict[str, Any]]:
            params: dict[str, Any] = {"limit": 40, "exclude_reblogs": "true"}
            if max_id:
                params["max_id"] = max_id
            statuses = self._json("GET", f"/api/{VERSION}/accounts/{account_id}/statuses", params=params)
            if not isinstance(statuses, list):
                raise ConnectorError(_("Mastodon answered without a list of statuses."))
            return statuses, str(statuses[-1]["id"]) if statuses else ""

        found = readback.search(
            page,
            matches=lambda status: (
                plain_text(str(status.get("content", ""))) == wanted
                and str(status.get("in_reply_to_id") or "") == post.in_reply_to
            ),
            created=lambda status: _when(status.get("created_at")),
            since=since,
            network="Mastodon",
        )
        return None if found is None else self._published(found)

    def delete(self, remote_id: str) -> None:
        try:
            self._json("DELETE", f"/api/{VERSION}/statuses/{remote_id}", is_write=True)
        except PermanentError as error:
            if error.status != 404:
                raise

    def fetch_interactions(self, *, cursor: str = "") -> InteractionPage:
        params: dict[str, Any] = {"types[]": ["mention"], "limit": 40}
        if cursor:
            params["min_id"] = cursor
        notifications = self._json("GET", f"/api/{VERSION}/notifications", params=params)
        items = [self._interaction(n) for n in notifications if isinstance(n, dict) and n.get("status")]
        ids = [str(n["id"]) for n in notifications if isinstance(n, dict) and "id" in n]
        newest = max(ids, key=lambda value: (len(value), value)) if ids else cursor
        return InteractionPage(items=items, cursor=newest)

    def _interaction(self, notification: dict[str, Any]) -> Interaction:
        status, account = notification["status"], notification.get("account") or {}
        return Interaction(
            remote_id=str(status["id"]),
            kind="reply" if status.get("in_reply_to_id") else "mention",
            author_handle=str(account.get("acct", "")),
            author_name=str(account.get("display_name", "")),
            text=plain_text(str(status.get("content", ""))),
            url=str(status.get("url") or ""),
            created_at=_when(status.get("created_at")) or datetime.datetime.now(tz=datetime.UTC),
            in_reply_to=str(status.get("in_reply_to_id") or ""),
        )

    def fetch_metrics(self, remote_ids: Sequence[str]) -> list[PostMetrics]:
        metrics = []
        for remote_id in remote_ids:
            status = self._json("GET", f"/api/{VERSION}/statuses/{remote_id}")
            metrics.append(
                PostMetrics(
                    remote_id=remote_id,
                    likes=int(status.get("favourites_count", 0)),
                    reposts=int(status.get("reblogs_count", 0)),
                    replies=int(status.get("replies_count", 0)),
                )
            )
        return metrics

    def identity(self) -> AccountIdentity:
        account = self._json("GET", f"/api/{VERSION}/accounts/verify_credentials")
        return AccountIdentity(
            remote_account_id=str(account["id"]),
            handle="@" + str(account.get("acct") or account.get("username", "")),
            display_name=str(account.get("display_name") or account.get("username", "")),
            url=str(account.get("url") or ""),
        )
