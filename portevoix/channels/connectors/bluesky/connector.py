"""Bluesky, through the account's PDS (AT Protocol XRPC), with a session opened by an app password.

Idempotency: each post is written with `com.atproto.repo.createRecord` under a record key (a TID)
derived from the publish's idempotency key, so the same publish always targets the same record:
a repeated create cannot make a second post, and an ambiguous outcome is settled by reading the
record back (`com.atproto.repo.getRecord`) under that key.
"""

import datetime
import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

import httpx
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.channels.connectors import base
from portevoix.lib import outbound
from portevoix.lib.networks import Network

NAME = "Bluesky"
POST = "app.bsky.feed.post"
MAX_IMAGE_BYTES = 1_000_000  # the PDS refuses larger image blobs
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
# Derived TIDs carry a time after this moment (2024-01-01), within 2**48 µs (about 8.9 years).
_TID_EPOCH_US = 1_704_067_200_000_000
_LINK = re.compile(rb"https?://[^\s<>\"']+")
_TAG = re.compile(rb"(?<![\w#])#([^\s#.,;:!?()\[\]{}\"']+)")
_INTERACTION_REASONS = {"mention": "mention", "reply": "reply", "quote": "mention"}


def record_key(idempotency_key: str) -> str:
    """A valid TID (13 base32-sortable characters) that is always the same for the same idempotency key."""
    digest = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8], "big")
    micros = _TID_EPOCH_US + (digest >> 16) % (1 << 48)
    value = (micros << 10) | (digest & 0x3FF)
    return "".join(_TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def facets(text: str) -> list[dict[str, Any]]:
    """Links and hashtags as AT Protocol rich-text facets, indexed in UTF-8 bytes as the lexicon requires."""
    encoded = text.encode()
    found = []
    for match in _LINK.finditer(encoded):
        link = match.group().rstrip(b".,;:!?)").decode()
        end = match.start() + len(link.encode())
        found.append(_facet(match.start(), end, {"$type": "app.bsky.richtext.facet#link", "uri": link}))
    for match in _TAG.finditer(encoded):
        feature = {"$type": "app.bsky.richtext.facet#tag", "tag": match.group(1).decode()}
        found.append(_facet(match.start(), match.end(), feature))
    return sorted(found, key=lambda facet: facet["index"]["byteStart"])


def _facet(start: int, end: int, feature: dict[str, str]) -> dict[str, Any]:
    return {"index": {"byteStart": start, "byteEnd": end}, "features": [feature]}


def post_url(uri: str, handle: str) -> str:
    """The bsky.app address of `at://did/app.bsky.feed.post/rkey`."""
    did, _collection, rkey = uri.removeprefix("at://").split("/")
    return f"https://bsky.app/profile/{handle.lstrip('@') or did}/post/{rkey}"


class BlueskyConnector(base.Connector):
    network: ClassVar[Network] = Network.BLUESKY
    capabilities: ClassVar[base.Capabilities] = base.Capabilities(
        network=Network.BLUESKY,
        connection=base.ConnectionKind.APP_PASSWORD,
        max_media=4,
        media_types=frozenset({"image/jpeg", "image/png", "image/webp"}),
        has_idempotency_key=True,  # a record key derived from the idempotency key
        can_read_back=True,
        can_refresh_token=True,  # com.atproto.server.refreshSession
        token_lifetime=datetime.timedelta(hours=2),  # the access JWT; the refresh JWT lasts 90 days
    )

    @property
    def did(self) -> str:
        return self.account.remote_account_id

    def xrpc(self, method: str, nsid: str, *, repeat_safe: bool, **kwargs: Any) -> dict[str, Any]:
        """One XRPC call to the PDS (`/xrpc/<nsid>`), its failures mapped to the interface's errors."""
        t = self.timeouts
        with httpx.Client(
            base_url=self.account.base_url.rstrip("/"),
            timeout=outbound.timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
            headers={"Authorization": f"Bearer {self.account.access_token}"} if self.account.access_token else {},
        ) as client:
            try:
                response = outbound.send(client, client.build_request(method, f"/xrpc/{nsid}", **kwargs))
            except outbound.OutboundFailure as failure:
                raise outbound.transport_error(base, failure, network=NAME, repeat_safe=repeat_safe) from failure
        self._note_rate_limit(response.headers)
        body = _json(response)
        if response.is_success:
            return body
        detail = str(body.get("message") or body.get("error") or response.reason_phrase)
        if body.get("error") in {"ExpiredToken", "InvalidToken"}:
            # The PDS answers an expired access JWT with 400 ExpiredToken: refresh the session.
            message = _("%(network)s refused the token: %(detail)s") % {"network": NAME, "detail": detail}
            raise base.AuthExpired(message, status=response.status_code)
        reset_at = outbound.moment_header(response.headers, "ratelimit-reset")
        wait = reset_at - timezone.now() if reset_at else datetime.timedelta(minutes=5)
        raise outbound.status_error(base, response, network=NAME, detail=detail, repeat_safe=repeat_safe, wait=wait)

    def _note_rate_limit(self, headers: httpx.Headers) -> None:
        if state := outbound.rate_limit_headers(headers, remaining="ratelimit-remaining", reset="ratelimit-reset"):
            self.rate_limit = base.RateLimit(*state)

    def _upload(self, item: base.MediaItem) -> dict[str, Any]:
        data = Path(item.path).read_bytes()
        if len(data) > MAX_IMAGE_BYTES:
            message = _("%(network)s accepts images up to %(size)s bytes; %(name)s has %(actual)s.") % {
                "network": NAME,
                "size": MAX_IMAGE_BYTES,
                "name": Path(item.path).name,
                "actual": len(data),
            }
            raise base.PermanentError(message)
        headers = {"Content-Type": item.content_type}
        uploaded = self.xrpc("POST", "com.atproto.repo.uploadBlob", repeat_safe=True, content=data, headers=headers)
        return {"alt": item.alt_text, "image": uploaded["blob"]}

    def _record(self, post: base.OutgoingPost) -> dict[str, Any]:
        record: dict[str, Any] = {
            "$type": POST,
            "text": post.text,
            "createdAt": timezone.now()
            .astimezone(datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
        }
        if found := facets(post.text):
            record["facets"] = found
        if post.language:
            record["langs"] = [post.language]
        if post.media:
            record["embed"] = {"$type": "app.bsky.embed.images", "images": [self._upload(item) for item in post.media]}
        if post.in_reply_to:
            record["reply"] = self._reply_references(post.in_reply_to)
        return record

    def _reply_references(self, parent_uri: str) -> dict[str, Any]:
        """A reply names its parent and the thread's root, each by URI and CID (read from the parent's record)."""
        did, collection, rkey = parent_uri.removeprefix("at://").split("/")
        params = {"repo": did, "collection": collection, "rkey": rkey}
        try:
            found = self.xrpc("GET", "com.atproto.repo.getRecord", repeat_safe=True, params=params)
        except base.PermanentError as error:
            if isinstance(error, base.AuthExpired) or error.status != 400:
                raise
            raise base.PermanentError(
                _("The post to answer is no longer on %(network)s.") % {"network": NAME}
            ) from error
        parent = {"uri": found["uri"], "cid": found["cid"]}
        return {"root": found["value"].get("reply", {}).get("root", parent), "parent": parent}

    def publish(self, post: base.OutgoingPost) -> base.PublishedPost:
        rkey = record_key(post.idempotency_key)
        body = {"repo": self.did, "collection": POST, "rkey": rkey, "record": self._record(post)}
        try:
            created = self.xrpc("POST", "com.atproto.repo.createRecord", repeat_safe=False, json=body)
        except (base.AmbiguousOutcome, base.PermanentError) as error:
            # A PDS answers a second create under the same key with an error (a local PDS: 500).
            # The key is ours: if the record is there, this publish already happened. A timeout
            # stays ambiguous, for the outbox to reconcile later.
            answered = error.status == 400 or (error.status or 0) >= 500
            if isinstance(error, base.AuthExpired) or not answered:
                raise
            existing = self._read_back(rkey)
            if existing is None:
                raise
            return existing
        return base.PublishedPost(remote_id=created["uri"], remote_url=post_url(created["uri"], self.account.handle))

    def _read_back(self, rkey: str) -> base.PublishedPost | None:
        """The record under `rkey`, or None when it is not there or the PDS cannot say now."""
        try:
            return self._get_record(rkey)
        except base.ConnectorError:
            return None

    def _get_record(self, rkey: str) -> base.PublishedPost | None:
        params = {"repo": self.did, "collection": POST, "rkey": rkey}
        try:
            found = self.xrpc("GET", "com.atproto.repo.getRecord", repeat_safe=True, params=params)
        except base.AuthExpired:
            raise
        except base.PermanentError as error:
            if error.status == 400:  # RecordNotFound
                return None
            raise
        created_at = datetime.datetime.fromisoformat(found["value"]["createdAt"])
        return base.PublishedPost(found["uri"], post_url(found["uri"], self.account.handle), created_at)

    def find_published(self, post: base.OutgoingPost, *, since: datetime.datetime) -> base.PublishedPost | None:
        return self._get_record(record_key(post.idempotency_key))

    def delete(self, remote_id: str) -> None:
        rkey = remote_id.rsplit("/", 1)[-1]
        body = {"repo": self.did, "collection": POST, "rkey": rkey}
        self.xrpc("POST", "com.atproto.repo.deleteRecord", repeat_safe=True, json=body)

    def fetch_interactions(self, *, cursor: str = "") -> base.InteractionPage:
        """Mentions, replies and quotes from the notifications (through the PDS's AppView), newer than `cursor`."""
        answer = self.xrpc("GET", "app.bsky.notification.listNotifications", repeat_safe=True, params={"limit": 100})
        fresh = [
            item
            for item in answer.get("notifications", [])
            if item["reason"] in _INTERACTION_REASONS and (not cursor or item["indexedAt"] > cursor)
        ]
        newest = max((item["indexedAt"] for item in fresh), default=cursor)
        return base.InteractionPage(items=[_interaction(item) for item in fresh], cursor=newest)

    def fetch_metrics(self, remote_ids: Sequence[str]) -> list[base.PostMetrics]:
        if not remote_ids:
            return []
        query = "&".join(f"uris={quote(uri, safe='')}" for uri in remote_ids)
        posts = self.xrpc("GET", f"app.bsky.feed.getPosts?{query}", repeat_safe=True)["posts"]
        return [
            base.PostMetrics(
                remote_id=item["uri"],
                likes=item.get("likeCount", 0),
                reposts=item.get("repostCount", 0) + item.get("quoteCount", 0),
                replies=item.get("replyCount", 0),
            )
            for item in posts
        ]

    def identity(self) -> base.AccountIdentity:
        session = self.xrpc("GET", "com.atproto.server.getSession", repeat_safe=True)
        return base.AccountIdentity(
            remote_account_id=session["did"],
            handle=f"@{session['handle']}",
            display_name=session["handle"],
            url=f"https://bsky.app/profile/{session['handle']}",
        )


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _interaction(item: Mapping[str, Any]) -> base.Interaction:
    author = item["author"]
    record = item.get("record", {})
    return base.Interaction(
        remote_id=item["uri"],
        kind=_INTERACTION_REASONS[item["reason"]],
        author_handle=f"@{author['handle']}",
        author_name=author.get("displayName", ""),
        text=record.get("text", ""),
        url=post_url(item["uri"], author["handle"]),
        created_at=datetime.datetime.fromisoformat(record.get("createdAt") or item["indexedAt"]),
        in_reply_to=record.get("reply", {}).get("parent", {}).get("uri", ""),
    )
