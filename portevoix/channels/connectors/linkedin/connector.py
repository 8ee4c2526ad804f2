"""LinkedIn, REST Posts API (`/rest/posts`), acting as an organisation page or a member.

Every call sends the pinned `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0`. Company
pages need LinkedIn's Community Management API approval for the organisation's own app.

LinkedIn has no idempotency key. A publish whose outcome is unknown is reconciled by reading
back the author's latest posts (`GET /rest/posts?q=author`) and looking for the same commentary.
"""

import datetime
import itertools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote

import httpx
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.channels.connectors import base, readback
from portevoix.lib import outbound
from portevoix.lib.networks import Network

API_ROOT = "https://api.linkedin.com"
NAME = "LinkedIn"
# Characters LinkedIn's "little text" format reserves in a post's commentary: escaped, or the
# text would be cut or turned into a mention. Hashtags become LinkedIn's hashtag template.
_RESERVED = re.compile(r"([\\|{}@\[\]()<>*_~])")
_HASHTAG = re.compile(r"#(\w+)")
_LONE_HASH = re.compile(r"(?<![|\\])#(?!\w)")


def commentary(text: str) -> str:
    """A post's text in LinkedIn's little text format: reserved characters escaped, hashtags kept."""
    escaped = _RESERVED.sub(r"\\\1", text)
    escaped = _HASHTAG.sub(lambda match: "{hashtag|\\#|" + match.group(1) + "}", escaped)
    return _LONE_HASH.sub(r"\\#", escaped)


_PAGE = 50  # posts, comments or page roles per page read
_PAGES_PER_CALL = 50  # company pages named in one call
_MAX_ACL_PAGES = 20  # 1,000 pages administered: enough for anyone


def _epoch_ms(moment: datetime.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _from_ms(value: Any) -> datetime.datetime | None:
    return datetime.datetime.fromtimestamp(int(value) / 1000, tz=datetime.UTC) if value else None


def post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


def _list(urns: Sequence[str]) -> str:
    """Rest.li's List(...) of URNs: each URN encoded, the parentheses and commas left as they are."""
    return "List(" + ",".join(quote(urn, safe="") for urn in urns) + ")"


class LinkedInConnector(base.Connector):
    network: ClassVar[Network] = Network.LINKEDIN
    capabilities: ClassVar[base.Capabilities] = base.Capabilities(
        network=Network.LINKEDIN,
        connection=base.ConnectionKind.OAUTH,
        max_media=20,  # a single image, or a multi-image post of 2 to 20
        media_types=frozenset({"image/jpeg", "image/png", "image/gif"}),
        has_idempotency_key=False,
        can_read_back=True,
        can_refresh_token=True,  # only for apps LinkedIn granted refresh tokens (Community Management)
        token_lifetime=datetime.timedelta(days=60),
    )

    @property
    def author(self) -> str:
        return self.account.remote_account_id

    def _client(self) -> httpx.Client:
        t = self.timeouts
        return httpx.Client(
            base_url=self.account.base_url or API_ROOT,
            timeout=outbound.timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
            headers={
                "Authorization": f"Bearer {self.account.access_token}",
                "LinkedIn-Version": base.API_VERSIONS[Network.LINKEDIN],
                "X-Restli-Protocol-Version": "2.0.0",
            },
        )

    def _call(self, method: str, url: str, *, repeat_safe: bool, **kwargs: Any) -> httpx.Response:
        with self._client() as client:
            try:
                response = outbound.send(client, client.build_request(method, url, **kwargs))
            except outbound.OutboundFailure as failure:
                raise outbound.transport_error(base, failure, network=NAME, repeat_safe=repeat_safe) from failure
        if response.is_success:
            return response
        try:
            detail = str(response.json().get("message") or response.reason_phrase)
        except (ValueError, AttributeError):
            detail = response.reason_phrase
        # LinkedIn's quotas are per day and reset at midnight UTC; it seldom sends Retry-After.
        wait = _until_midnight_utc(timezone.now())
        raise outbound.status_error(base, response, network=NAME, detail=detail, repeat_safe=repeat_safe, wait=wait)

    def _upload(self, path: str) -> str:
        """Register an image for the author and put its bytes; returns its `urn:li:image`."""
        registered = self._call(
            "POST",
            "/rest/images",
            repeat_safe=True,
            params={"action": "initializeUpload"},
            json={"initializeUploadRequest": {"owner": self.author}},
        ).json()["value"]
        self._call("PUT", registered["uploadUrl"], repeat_safe=True, content=Path(path).read_bytes())
        return str(registered["image"])

    def publish(self, post: base.OutgoingPost) -> base.PublishedPost:
        if post.in_reply_to:
            return self._comment(post)
        body: dict[str, Any] = {
            "author": self.author,
            "commentary": commentary(post.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        images = [{"id": self._upload(item.path), "altText": item.alt_text} for item in post.media]
        if len(images) == 1:
            body["content"] = {"media": images[0]}
        elif images:
            body["content"] = {"multiImage": {"images": images}}
        response = self._call("POST", "/rest/posts", repeat_safe=False, json=body)
        urn = response.headers["x-restli-id"]
        return base.PublishedPost(remote_id=urn, remote_url=post_url(urn))

    def _comment(self, post: base.OutgoingPost) -> base.PublishedPost:
        """A reply is a comment: on the post, or nested under a comment (`urn:li:comment:(post,id)`)."""
        target, parent = _comment_target(post.in_reply_to)
        body: dict[str, Any] = {"actor": self.author, "object": target, "message": {"text": post.text}}
        if parent:
            body["parentComment"] = parent
        path = f"/rest/socialActions/{quote(target, safe='')}/comments"
        created = self._call("POST", path, repeat_safe=False, json=body).json()
        return base.PublishedPost(remote_id=created["commentUrn"], remote_url=post_url(target))

    def find_published(self, post: base.OutgoingPost, *, since: datetime.datetime) -> base.PublishedPost | None:
        """Page back through the author's posts (latest modified first) to the first send, minus the clock skew."""
        if post.in_reply_to:
            return self._find_comment(post, since=since)
        query = f"?author={quote(self.author, safe='')}&q=author&count={_PAGE}&sortBy=LAST_MODIFIED"
        wanted = commentary(post.text)
        start_ms = _epoch_ms(readback.window_start(since))
        found = readback.search(
            lambda start: self._page(f"/rest/posts{query}", start),
            # A post created since the first send was modified since too: the order by last
            # modification can stop at the first one modified before.
            matches=lambda element: element.get("commentary") == wanted and element.get("createdAt", 0) >= start_ms,
            created=lambda element: _from_ms(element.get("lastModifiedAt") or element.get("createdAt")),
            since=since,
            network=NAME,
        )
        if found is None:
            return None
        return base.PublishedPost(found["id"], post_url(found["id"]), _from_ms(found["createdAt"]))

    def _find_comment(self, post: base.OutgoingPost, *, since: datetime.datetime) -> base.PublishedPost | None:
        target, _parent = _comment_target(post.in_reply_to)
        found = readback.search(
            lambda start: self._page(f"/rest/socialActions/{quote(target, safe='')}/comments?count={_PAGE}", start),
            matches=lambda element: (
                element.get("actor") == self.author and element.get("message", {}).get("text") == post.text
            ),
            created=lambda element: _from_ms(element.get("created", {}).get("time")),
            since=since,
            network=NAME,
            newest_first=False,  # LinkedIn does not say in which order comments come
        )
        return None if found is None else base.PublishedPost(found["commentUrn"], post_url(target))

    def _page(self, path: str, start: str) -> readback.Page[dict[str, Any]]:
        """One page of a Rest.li collection from `start` (an offset), and the next offset if there is more."""
        separator = "&" if "?" in path else "?"
        answer = self._call("GET", f"{path}{separator}start={start or 0}", repeat_safe=True).json()
        elements, paging = answer.get("elements", []), answer.get("paging", {})
        offset = int(paging.get("start", start or 0)) + len(elements)
        more = any(link.get("rel") == "next" for link in paging.get("links", [])) or offset < paging.get("total", 0)
        return elements, str(offset) if more and elements else ""

    def delete(self, remote_id: str) -> None:
        try:
            self._call(
                "DELETE",
                f"/rest/posts/{quote(remote_id, safe='')}",
                repeat_safe=True,
                headers={"X-RestLi-Method": "DELETE"},
            )
        except base.PermanentError as error:
            if error.status not in {404, 410}:
                raise

    def fetch_interactions(self, *, cursor: str = "") -> base.InteractionPage:
        """Comments on the page's posts and mentions of the page, from its notifications (kept 60 days)."""
        now_ms = int(timezone.now().timestamp() * 1000)
        start_ms = int(cursor) + 1 if cursor else now_ms - 60 * 24 * 3600 * 1000
        query = (
            f"?q=criteria&actions=List(COMMENT,SHARE_MENTION)&organizationalEntity={quote(self.author, safe='')}"
            f"&timeRange=(start:{start_ms},end:{now_ms})&count=100"
        )
        answer = self._call("GET", f"/rest/organizationalEntityNotifications{query}", repeat_safe=True).json()
        elements = answer.get("elements", [])
        items = [_interaction(element) for element in elements]
        newest = max((int(element["lastModifiedAt"]) for element in elements), default=0)
        return base.InteractionPage(items=items, cursor=str(newest) if newest else cursor)

    def fetch_metrics(self, remote_ids: Sequence[str]) -> list[base.PostMetrics]:
        if not remote_ids:
            return []
        shares = [urn for urn in remote_ids if urn.startswith("urn:li:share:")]
        ugc_posts = [urn for urn in remote_ids if urn.startswith("urn:li:ugcPost:")]
        query = f"?q=organizationalEntity&organizationalEntity={quote(self.author, safe='')}"
        query += f"&shares={_list(shares)}" if shares else ""
        query += f"&ugcPosts={_list(ugc_posts)}" if ugc_posts else ""
        answer = self._call("GET", f"/rest/organizationalEntityShareStatistics{query}", repeat_safe=True).json()
        return [_metrics(element) for element in answer.get("elements", [])]

    def identity(self) -> base.AccountIdentity:
        """The page acted as: the channel's, or at connection the one page the person administers."""
        if not self.author:
            pages = self.administered_pages()
            if len(pages) > 1:
                raise base.PermanentError(
                    _("This LinkedIn account administers several company pages: choose the one to connect.")
                )
            return pages[0]
        page_id = self.author.rsplit(":", 1)[-1]
        return _page_identity(self._call("GET", f"/rest/organizations/{page_id}", repeat_safe=True).json())

    def administered_pages(self) -> list[base.AccountIdentity]:
        """The company pages the person is a super admin of, named, in LinkedIn's order.

        Raises PermanentError when there is none. Only the ADMINISTRATOR role counts: the page's
        statistics and notifications (`rw_organization_admin`) are refused to the other roles.
        """
        page_ids = self._administered_page_ids()
        if not page_ids:
            raise base.PermanentError(
                _(
                    "This LinkedIn account is not a super admin of any company page. Approve access with an "
                    "account that is one, or ask a super admin of the page to connect it."
                )
            )
        found: dict[str, Any] = {}
        for chunk in itertools.batched(page_ids, _PAGES_PER_CALL):
            answer = self._call("GET", f"/rest/organizations?ids=List({','.join(chunk)})", repeat_safe=True).json()
            found.update(answer.get("results", {}))
        return [_page_identity(found.get(page_id) or {"id": page_id}) for page_id in page_ids]

    def _administered_page_ids(self) -> list[str]:
        path = f"/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&count={_PAGE}"
        page_ids: list[str] = []
        start = ""
        for _read in range(_MAX_ACL_PAGES):
            acls, start = self._page(path, start)
            page_ids += [str(acl["organization"]).rsplit(":", 1)[-1] for acl in acls if acl.get("organization")]
            if not start:
                break
        return list(dict.fromkeys(page_ids))


def _page_identity(page: Mapping[str, Any]) -> base.AccountIdentity:
    """A company page as LinkedIn describes it (`/rest/organizations`); its address by its vanity name."""
    vanity = page.get("vanityName", "")
    return base.AccountIdentity(
        remote_account_id=f"urn:li:organization:{page['id']}",
        handle=vanity,
        display_name=page.get("localizedName") or f"urn:li:organization:{page['id']}",
        url=f"https://www.linkedin.com/company/{vanity or page['id']}/",
    )


def _comment_target(in_reply_to: str) -> tuple[str, str]:
    """The post a comment goes on, and the comment it answers if any."""
    match = re.fullmatch(r"urn:li:comment:\((urn:li:[a-zA-Z]+:\d+),\d+\)", in_reply_to)
    return (match.group(1), in_reply_to) if match else (in_reply_to, "")


def _until_midnight_utc(now: datetime.datetime) -> datetime.timedelta:
    tomorrow = (now.astimezone(datetime.UTC) + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0)
    return tomorrow.replace(microsecond=0) - now


def _interaction(element: Mapping[str, Any]) -> base.Interaction:
    activity = element.get("decoratedGeneratedActivity", {})
    is_comment = element["action"] == "COMMENT"
    content = activity.get("comment" if is_comment else "share", {})
    source = element.get("sourcePost", "")
    return base.Interaction(
        remote_id=element["generatedActivity"],
        kind="comment" if is_comment else "mention",
        author_handle=content.get("owner", ""),
        author_name="",  # LinkedIn does not give members' names to a page's app
        text=content.get("fullText") or content.get("text", ""),
        url=post_url(source or element["generatedActivity"]),
        created_at=datetime.datetime.fromtimestamp(int(element["lastModifiedAt"]) / 1000, tz=datetime.UTC),
        in_reply_to=source if is_comment else "",
    )


def _metrics(element: Mapping[str, Any]) -> base.PostMetrics:
    counts = element.get("totalShareStatistics", {})
    return base.PostMetrics(
        remote_id=element.get("share") or element.get("ugcPost", ""),
        likes=counts.get("likeCount", 0),
        reposts=counts.get("shareCount", 0),
        replies=counts.get("commentCount", 0),
        impressions=counts.get("impressionCount"),
        clicks=counts.get("clickCount"),
    )
