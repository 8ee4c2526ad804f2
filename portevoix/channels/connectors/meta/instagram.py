"""An Instagram business (or creator) account linked to a Facebook page, through the Graph API.

Publishing takes two steps: create a media container (`/{ig-user-id}/media`, with the image's
public address: Instagram fetches it, it cannot be uploaded), then publish it
(`/{ig-user-id}/media_publish`). Only the second step makes a post, so only it is ambiguous;
the reconciliation reads back the account's latest media and looks for the same caption.
A post without an image is impossible on Instagram.
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from portevoix.channels.connectors import base, readback
from portevoix.channels.connectors.meta.graph import GraphConnector, graph_time
from portevoix.lib.networks import Network

_MEDIA_FIELDS = "id,caption,timestamp,permalink"
_COMMENT_FIELDS = "id,text,username,timestamp,replies{id,text,username,timestamp}"


class InstagramConnector(GraphConnector):
    name = "Instagram"
    network: ClassVar[Network] = Network.INSTAGRAM
    capabilities: ClassVar[base.Capabilities] = base.Capabilities(
        network=Network.INSTAGRAM,
        connection=base.ConnectionKind.OAUTH,
        max_media=10,  # a carousel
        media_types=frozenset({"image/jpeg"}),
        has_idempotency_key=False,
        can_read_back=True,
        can_refresh_token=True,  # through the linked page's token (see oauth.py)
        token_lifetime=None,
    )

    def _container(self, item: base.MediaItem, *, caption: str = "", in_carousel: bool = False) -> str:
        if not item.path.startswith("https://"):
            message = _("Instagram fetches images from a public https address; %(path)s is not one.")
            raise base.PermanentError(message % {"path": item.path})
        form = {"image_url": item.path, "alt_text": item.alt_text}
        if caption:
            form["caption"] = caption
        if in_carousel:
            form["is_carousel_item"] = "true"
        # A container is not a post: creating one again is harmless.
        return str(self.graph("POST", f"/{self.node}/media", repeat_safe=True, data=form)["id"])

    def publish(self, post: base.OutgoingPost) -> base.PublishedPost:
        if post.in_reply_to:
            # Replies answer comments (what the inbox receives): /{ig-comment-id}/replies.
            created = self.graph("POST", f"/{post.in_reply_to}/replies", repeat_safe=False, data={"message": post.text})
            return base.PublishedPost(remote_id=created["id"], remote_url="")
        if not post.media:
            raise base.PermanentError(_("An Instagram post needs at least one image."))
        if len(post.media) == 1:
            container = self._container(post.media[0], caption=post.text)
        else:
            children = [self._container(item, in_carousel=True) for item in post.media]
            form = {"media_type": "CAROUSEL", "children": ",".join(children), "caption": post.text}
            container = str(self.graph("POST", f"/{self.node}/media", repeat_safe=True, data=form)["id"])
        created = self.graph("POST", f"/{self.node}/media_publish", repeat_safe=False, data={"creation_id": container})
        return base.PublishedPost(remote_id=str(created["id"]), remote_url=self._permalink(str(created["id"])))

    def _permalink(self, media_id: str) -> str:
        """The post is online by now: failing to read its address must not make the publish look failed."""
        try:
            return str(self.graph("GET", f"/{media_id}", repeat_safe=True, params={"fields": "permalink"})["permalink"])
        except (base.ConnectorError, KeyError):
            return ""

    def find_published(self, post: base.OutgoingPost, *, since: datetime.datetime) -> base.PublishedPost | None:
        """Page back through the account's media (or the replies to a comment) to the first send, minus the skew."""
        if post.in_reply_to:
            # The order of replies is not documented: every page is read, those before the first send skipped.
            fields = {"fields": "id,text,username,timestamp", "limit": 50}
            pages = readback.graph_pages(self.graph, f"/{post.in_reply_to}/replies", fields)
            newest_first, text = False, "text"
        else:
            start = int(readback.window_start(since).timestamp())
            params = {"fields": _MEDIA_FIELDS, "since": start, "limit": 50}
            pages = readback.graph_pages(self.graph, f"/{self.node}/media", params)
            newest_first, text = True, "caption"
        found = readback.search(
            pages,
            # A reply is ours only if the account wrote it: others may answer with the same words.
            matches=lambda item: item.get(text) == post.text and (text == "caption" or self._is_ours(item)),
            created=lambda item: graph_time(item["timestamp"]),
            since=since,
            network=self.name,
            newest_first=newest_first,
        )
        if found is None:
            return None
        return base.PublishedPost(found["id"], found.get("permalink", ""), graph_time(found["timestamp"]))

    def _is_ours(self, reply: dict[str, Any]) -> bool:
        return str(reply.get("username", "")).lower() == self.account.handle.lstrip("@").lower()

    def delete(self, remote_id: str) -> None:
        self.graph("DELETE", f"/{remote_id}", repeat_safe=True)

    def fetch_interactions(self, *, cursor: str = "") -> base.InteractionPage:
        """Comments (and replies) on the latest media, and media where the account is tagged."""
        fields = f"id,permalink,comments.limit(50){{{_COMMENT_FIELDS}}}"
        media = self.graph("GET", f"/{self.node}/media", repeat_safe=True, params={"fields": fields, "limit": 25})
        tag_fields = "id,caption,username,timestamp,permalink"
        tags = self.graph("GET", f"/{self.node}/tags", repeat_safe=True, params={"fields": tag_fields, "limit": 50})
        items: list[base.Interaction] = []
        for item in media.get("data", []):
            for comment in item.get("comments", {}).get("data", []):
                items.append(_interaction(comment, "comment", on=item["id"], url=item.get("permalink", "")))
                items += [
                    _interaction(reply, "reply", on=comment["id"], url=item.get("permalink", ""))
                    for reply in comment.get("replies", {}).get("data", [])
                ]
        items += [_interaction(tag, "mention", on="", url=tag.get("permalink", "")) for tag in tags.get("data", [])]
        return self.after(items, cursor)

    def fetch_metrics(self, remote_ids: Sequence[str]) -> list[base.PostMetrics]:
        if not remote_ids:
            return []
        answer = self.nodes(remote_ids, fields="like_count,comments_count")
        return [
            base.PostMetrics(
                remote_id=media_id,
                likes=answer[media_id].get("like_count", 0),
                replies=answer[media_id].get("comments_count", 0),
            )
            for media_id in remote_ids
            if media_id in answer
        ]

    def identity(self) -> base.AccountIdentity:
        if self.node:
            me = self.graph("GET", f"/{self.node}", repeat_safe=True, params={"fields": "id,username,name"})
        else:  # a new connection: the business account linked to the page whose token this is
            fields = {"fields": "instagram_business_account{id,username,name}"}
            me = self.graph("GET", "/me", repeat_safe=True, params=fields).get("instagram_business_account") or {}
            if not me:
                raise base.PermanentError(_("This Facebook page has no Instagram business account."))
        return base.AccountIdentity(
            remote_account_id=me["id"],
            handle=f"@{me['username']}",
            display_name=me.get("name") or me["username"],
            url=f"https://www.instagram.com/{me['username']}/",
        )


def _interaction(item: Mapping[str, Any], kind: str, *, on: str, url: str) -> base.Interaction:
    username = item.get("username", "")
    return base.Interaction(
        remote_id=item["id"],
        kind=kind,
        author_handle=f"@{username}" if username else "",
        author_name="",
        text=item.get("text") or item.get("caption", ""),
        url=url,
        created_at=graph_time(item["timestamp"]),
        in_reply_to=on,
    )
