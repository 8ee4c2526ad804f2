"""A Facebook page, through the Graph API, acting with the page's own access token.

The Graph API has no idempotency key. A publish whose outcome is unknown is reconciled by
reading back the page's latest published posts (`/{page-id}/published_posts`) and looking for
the same message; a reply, by reading back the comments under what it answered.
"""

import datetime
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from portevoix.channels.connectors import base, readback
from portevoix.channels.connectors.meta.graph import GraphConnector, graph_time
from portevoix.lib.networks import Network

_COMMENT_FIELDS = "id,message,from,created_time,permalink_url,parent{id}"
_RECENT_POSTS = 25


def post_url(post_id: str) -> str:
    return f"https://www.facebook.com/{post_id}"


class FacebookPageConnector(GraphConnector):
    name = "Facebook"
    network: ClassVar[Network] = Network.FACEBOOK
    capabilities: ClassVar[base.Capabilities] = base.Capabilities(
        network=Network.FACEBOOK,
        connection=base.ConnectionKind.OAUTH,
        max_media=10,
        media_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
        has_idempotency_key=False,
        can_read_back=True,
        # Page tokens obtained from a long-lived user token do not expire; the user token (60
        # days) is extended by exchanging it again while it is valid (see oauth.py).
        can_refresh_token=True,
        token_lifetime=None,
    )

    def _photo(self, item: base.MediaItem, *, caption: str = "", published: bool) -> dict[str, Any]:
        form = {"published": "true" if published else "false", "alt_text_custom": item.alt_text}
        if caption:
            form["caption"] = caption
        files = {"source": (Path(item.path).name, Path(item.path).read_bytes(), item.content_type)}
        # An unpublished photo is invisible until a post attaches it: sending it again is harmless.
        return self.graph("POST", f"/{self.node}/photos", repeat_safe=not published, data=form, files=files)

    def publish(self, post: base.OutgoingPost) -> base.PublishedPost:
        if post.in_reply_to:
            created = self.graph(
                "POST", f"/{post.in_reply_to}/comments", repeat_safe=False, data={"message": post.text}
            )
            return base.PublishedPost(remote_id=created["id"], remote_url=post_url(created["id"]))
        if len(post.media) == 1:
            photo = self._photo(post.media[0], caption=post.text, published=True)
            return base.PublishedPost(remote_id=photo["post_id"], remote_url=post_url(photo["post_id"]))
        body: dict[str, Any] = {"message": post.text}
        if post.media:
            photos = [self._photo(item, published=False) for item in post.media]
            body["attached_media"] = [{"media_fbid": photo["id"]} for photo in photos]
        created = self.graph("POST", f"/{self.node}/feed", repeat_safe=False, json=body)
        return base.PublishedPost(remote_id=created["id"], remote_url=post_url(created["id"]))

    def find_published(self, post: base.OutgoingPost, *, since: datetime.datetime) -> base.PublishedPost | None:
        """Page back through the page's posts (or the comments answered) to the first send, minus the clock skew."""
        if post.in_reply_to:
            params = {"fields": _COMMENT_FIELDS, "order": "reverse_chronological", "limit": 100}
            pages = readback.graph_pages(self.graph, f"/{post.in_reply_to}/comments", params)
        else:
            start = int(readback.window_start(since).timestamp())
            params = {"fields": "id,message,created_time", "since": start, "limit": 100}
            pages = readback.graph_pages(self.graph, f"/{self.node}/published_posts", params)
        found = readback.search(
            pages,
            matches=lambda item: (
                item.get("message") == post.text
                and (not post.in_reply_to or item.get("from", {}).get("id") == self.node)
            ),
            created=lambda item: graph_time(item["created_time"]),
            since=since,
            network=self.name,
        )
        if found is None:
            return None
        return base.PublishedPost(found["id"], post_url(found["id"]), graph_time(found["created_time"]))

    def delete(self, remote_id: str) -> None:
        try:
            self.graph("DELETE", f"/{remote_id}", repeat_safe=True)
        except base.PermanentError as error:
            if "does not exist" not in error.message:
                raise

    def fetch_interactions(self, *, cursor: str = "") -> base.InteractionPage:
        """Comments on the page's latest posts, and posts that tag the page, newer than `cursor`."""
        posts_fields = f"id,comments.order(reverse_chronological).limit(50){{{_COMMENT_FIELDS}}}"
        posts = self.graph(
            "GET",
            f"/{self.node}/published_posts",
            repeat_safe=True,
            params={"fields": posts_fields, "limit": _RECENT_POSTS},
        )
        tag_params = {"fields": "id,message,from,created_time,permalink_url", "limit": 50}
        tagged = self.graph("GET", f"/{self.node}/tagged", repeat_safe=True, params=tag_params)
        items = [
            _interaction(comment, "comment", on=item["id"])
            for item in posts.get("data", [])
            for comment in item.get("comments", {}).get("data", [])
            if comment.get("from", {}).get("id") != self.node
        ]
        items += [_interaction(mention, "mention", on="") for mention in tagged.get("data", [])]
        return self.after(items, cursor)

    def fetch_metrics(self, remote_ids: Sequence[str]) -> list[base.PostMetrics]:
        if not remote_ids:
            return []
        fields = "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),shares"
        answer = self.nodes(remote_ids, fields=fields)
        return [
            base.PostMetrics(
                remote_id=post_id,
                likes=answer[post_id].get("reactions", {}).get("summary", {}).get("total_count", 0),
                reposts=answer[post_id].get("shares", {}).get("count", 0),
                replies=answer[post_id].get("comments", {}).get("summary", {}).get("total_count", 0),
            )
            for post_id in remote_ids
            if post_id in answer
        ]

    def identity(self) -> base.AccountIdentity:
        # With a page token, /me is the page: that is how a new connection learns which page it is.
        path = f"/{self.node}" if self.node else "/me"
        page = self.graph("GET", path, repeat_safe=True, params={"fields": "id,name,username,link"})
        return base.AccountIdentity(
            remote_account_id=page["id"],
            handle=page.get("username", ""),
            display_name=page["name"],
            url=page.get("link") or f"https://www.facebook.com/{page['id']}",
        )


def _interaction(item: Mapping[str, Any], kind: str, *, on: str) -> base.Interaction:
    author = item.get("from", {})
    return base.Interaction(
        remote_id=item["id"],
        kind="reply" if kind == "comment" and item.get("parent") else kind,
        author_handle=author.get("id", ""),
        author_name=author.get("name", ""),
        text=item.get("message", ""),
        url=item.get("permalink_url") or post_url(item["id"]),
        created_at=graph_time(item["created_time"]),
        in_reply_to=item.get("parent", {}).get("id") or on,
    )
