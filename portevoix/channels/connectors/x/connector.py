"""X (formerly Twitter), API v2, acting as one account with a user-context OAuth 2.0 token.

X has no idempotency key for posts. A publish whose outcome is unknown is reconciled by reading
back the account's own recent posts (`GET /2/users/:id/tweets`) and looking for the same text;
X itself refuses a second post with the same text as a recent one ("duplicate content"), which
is a second guard.
"""

import datetime
import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import httpx
from django.utils import timezone

from portevoix.channels.connectors import base, readback
from portevoix.lib import outbound
from portevoix.lib.networks import Network

API_ROOT = "https://api.x.com"
NAME = "X"
VERSION = base.API_VERSIONS[Network.X]  # paths are /2/...
# X gives no delay with some 429s; its windows are 15 minutes long.
DEFAULT_WAIT = datetime.timedelta(minutes=15)
_LINK = re.compile(r"https?://\S+")
_TWEET_FIELDS = "created_at,author_id,conversation_id,referenced_tweets"


def comparable_text(text: str) -> str:
    """A post's text as X gives it back: HTML entities undone, links (shortened to t.co) set aside."""
    return " ".join(_LINK.sub("<link>", html.unescape(text)).split())


class XConnector(base.Connector):
    network: ClassVar[Network] = Network.X
    capabilities: ClassVar[base.Capabilities] = base.Capabilities(
        network=Network.X,
        connection=base.ConnectionKind.OAUTH,
        max_media=4,
        media_types=frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"}),
        has_idempotency_key=False,
        can_read_back=True,
        can_refresh_token=True,  # OAuth 2.0 refresh tokens (scope offline.access), rotated at each use
        token_lifetime=datetime.timedelta(hours=2),
    )

    def _client(self) -> httpx.Client:
        t = self.timeouts
        return httpx.Client(
            base_url=self.account.base_url or API_ROOT,
            timeout=outbound.timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
            headers={"Authorization": f"Bearer {self.account.access_token}"},
        )

    def _call(self, method: str, path: str, *, repeat_safe: bool, **kwargs: Any) -> dict[str, Any]:
        with self._client() as client:
            try:
                response = outbound.send(client, client.build_request(method, path, **kwargs))
            except outbound.OutboundFailure as failure:
                raise outbound.transport_error(base, failure, network=NAME, repeat_safe=repeat_safe) from failure
        self._note_rate_limit(response.headers)
        if response.is_success:
            body: dict[str, Any] = response.json() if response.content else {}
            return body
        # A 429 without Retry-After waits until x-rate-limit-reset (X's windows last 15 minutes).
        reset_at = outbound.moment_header(response.headers, "x-rate-limit-reset")
        wait = reset_at - timezone.now() if reset_at else DEFAULT_WAIT
        detail = _problem_detail(response)
        raise outbound.status_error(base, response, network=NAME, detail=detail, repeat_safe=repeat_safe, wait=wait)

    def _note_rate_limit(self, headers: httpx.Headers) -> None:
        if state := outbound.rate_limit_headers(
            headers, remaining="x-rate-limit-remaining", reset="x-rate-limit-reset"
        ):
            self.rate_limit = base.RateLimit(*state)

    def _upload(self, path: str, content_type: str, alt_text: str) -> str:
        # An upload creates no post: if its answer is lost, uploading again is harmless.
        data = Path(path).read_bytes()
        uploaded = self._call(
            "POST",
            f"/{VERSION}/media/upload",
            repeat_safe=True,
            data={"media_category": "tweet_image", "media_type": content_type},
            files={"media": (Path(path).name, data, content_type)},
        )
        media_id = str(uploaded["data"]["id"])
        if alt_text:
            metadata = {"id": media_id, "metadata": {"alt_text": {"text": alt_text}}}
            self._call("POST", f"/{VERSION}/media/metadata", repeat_safe=True, json=metadata)
        return media_id

    def publish(self, post: base.OutgoingPost) -> base.PublishedPost:
        body: dict[str, Any] = {"text": post.text}
        media_ids = [self._upload(item.path, item.content_type, item.alt_text) for item in post.media]
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        if post.in_reply_to:
            body["reply"] = {"in_reply_to_tweet_id": post.in_reply_to}
        created = self._call("POST", f"/{VERSION}/tweets", repeat_safe=False, json=body)["data"]
        return base.PublishedPost(remote_id=str(created["id"]), remote_url=self._url(str(created["id"])))

    def _url(self, tweet_id: str) -> str:
        handle = self.account.handle.lstrip("@")
        return f"https://x.com/{handle}/status/{tweet_id}" if handle else f"https://x.com/i/web/status/{tweet_id}"

    def find_published(self, post: base.OutgoingPost, *, since: datetime.datetime) -> base.PublishedPost | None:
        """Page through the account's posts since the first send (minus the clock skew), 100 at a time."""
        start_time = readback.window_start(since).astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        path = f"/{VERSION}/users/{self.account.remote_account_id}/tweets"

        def page(token: str) -> readback.Page[dict[str, Any]]:
            params = {"start_time": start_time, "max_results": 100, "tweet.fields": "created_at,text"}
            if token:
                params["pagination_token"] = token
            answer = self._call("GET", path, repeat_safe=True, params=params)
            return answer.get("data", []), str(answer.get("meta", {}).get("next_token", ""))

        wanted = comparable_text(post.text)
        found = readback.search(
            page,
            matches=lambda tweet: comparable_text(tweet["text"]) == wanted,
            created=lambda tweet: datetime.datetime.fromisoformat(tweet["created_at"]),
            since=since,
            network=NAME,
        )
        if found is None:
            return None
        published_at = datetime.datetime.fromisoformat(found["created_at"])
        return base.PublishedPost(str(found["id"]), self._url(str(found["id"])), published_at)

    def delete(self, remote_id: str) -> None:
        try:
            self._call("DELETE", f"/{VERSION}/tweets/{remote_id}", repeat_safe=True)
        except base.PermanentError as error:
            if error.status != 404:
                raise

    def fetch_interactions(self, *, cursor: str = "") -> base.InteractionPage:
        params: dict[str, str | int] = {
            "max_results": 100,
            "tweet.fields": _TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": "username,name",
        }
        if cursor:
            params["since_id"] = cursor
        path = f"/{VERSION}/users/{self.account.remote_account_id}/mentions"
        answer = self._call("GET", path, repeat_safe=True, params=params)
        users = {user["id"]: user for user in answer.get("includes", {}).get("users", [])}
        items = [_interaction(tweet, users) for tweet in answer.get("data", [])]
        return base.InteractionPage(items=items, cursor=answer.get("meta", {}).get("newest_id", cursor))

    def fetch_metrics(self, remote_ids: Sequence[str]) -> list[base.PostMetrics]:
        if not remote_ids:
            return []
        params = {"ids": ",".join(remote_ids), "tweet.fields": "public_metrics"}
        answer = self._call("GET", f"/{VERSION}/tweets", repeat_safe=True, params=params)
        return [_metrics(tweet) for tweet in answer.get("data", [])]

    def identity(self) -> base.AccountIdentity:
        me = self._call("GET", f"/{VERSION}/users/me", repeat_safe=True)["data"]
        return base.AccountIdentity(
            remote_account_id=str(me["id"]),
            handle=f"@{me['username']}",
            display_name=me["name"],
            url=f"https://x.com/{me['username']}",
        )


def _problem_detail(response: httpx.Response) -> str:
    """X's errors come as RFC 7807 problems (`title`, `detail`) or as a list of `errors`."""
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase
    if not isinstance(body, dict):
        return response.reason_phrase
    if body.get("detail") or body.get("title"):
        return str(body.get("detail") or body.get("title"))
    errors = body.get("errors") or [{}]
    return str(errors[0].get("message") or response.reason_phrase)


def _interaction(tweet: Mapping[str, Any], users: Mapping[str, Mapping[str, str]]) -> base.Interaction:
    author = users.get(tweet.get("author_id", ""), {})
    replied_to = next((ref["id"] for ref in tweet.get("referenced_tweets", []) if ref["type"] == "replied_to"), "")
    username = author.get("username", "")
    return base.Interaction(
        remote_id=str(tweet["id"]),
        kind="reply" if replied_to else "mention",
        author_handle=f"@{username}" if username else "",
        author_name=author.get("name", ""),
        text=html.unescape(tweet["text"]),
        url=f"https://x.com/{username or 'i/web'}/status/{tweet['id']}",
        created_at=datetime.datetime.fromisoformat(tweet["created_at"]),
        in_reply_to=str(replied_to),
    )


def _metrics(tweet: Mapping[str, Any]) -> base.PostMetrics:
    counts = tweet.get("public_metrics", {})
    return base.PostMetrics(
        remote_id=str(tweet["id"]),
        likes=counts.get("like_count", 0),
        reposts=counts.get("retweet_count", 0) + counts.get("quote_count", 0),
        replies=counts.get("reply_count", 0),
        impressions=counts.get("impression_count"),
    )
