"""Connecting Facebook pages and their Instagram business accounts: Facebook Login for Business.

Meta has no refresh tokens. The code gives a short-lived user token (about two hours), which
is exchanged at once for a long-lived one (about 60 days, `fb_exchange_token`). A page token
read with a long-lived user token does not expire (until the person loses their role on the
page, changes their password or removes the app), and an Instagram business account acts with
its page's token. "Refreshing" is therefore: exchange the long-lived user token again while it
is still valid (a new 60-day token), then read the page's token again with it.

The channel keeps the page token as its access token (it does not expire, hence no expiry
date) and `<page id>|<long-lived user token>` as its refresh token, so that a refresh knows
which page to read the token of. `exchange_code` takes the first page the person manages (for
Instagram, the first with a linked business account); to let the person choose, call
`user_token`, list the `candidates` among `pages`, and make the grant of the chosen one with
`grant_for`.
"""

from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from portevoix.channels.connectors import base
from portevoix.channels.connectors.base import AppCredentials, OAuthFlow, TokenGrant
from portevoix.channels.connectors.meta.graph import GRAPH_ROOT, VERSION
from portevoix.lib import outbound
from portevoix.lib.networks import Network

DIALOG_URL = f"https://www.facebook.com/{VERSION}/dialog/oauth"
SCOPES = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_posts",
    "pages_manage_engagement",
    "read_insights",
    "business_management",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
)


@dataclass(frozen=True)
class Page:
    """A page the person manages, with its token and its Instagram business account, if any."""

    page_id: str
    name: str
    access_token: str
    instagram_id: str = ""
    instagram_username: str = ""


class MetaOAuth(OAuthFlow):
    network: ClassVar[Network] = Network.FACEBOOK

    def authorization_url(self, app: AppCredentials, *, redirect_uri: str, state: str) -> str:
        query = {
            "client_id": app.client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "response_type": "code",
            "scope": ",".join(SCOPES),
        }
        return f"{DIALOG_URL}?{urlencode(query)}"

    def exchange_code(self, app: AppCredentials, *, code: str, redirect_uri: str) -> TokenGrant:
        """The code's short-lived user token, made long-lived, then the token of the page to act as."""
        user_token = self.user_token(app, code=code, redirect_uri=redirect_uri)
        return self.grant_for(self.choose(self.pages(user_token=user_token)), user_token=user_token)

    def user_token(self, app: AppCredentials, *, code: str, redirect_uri: str) -> str:
        """The code's short-lived user token, made long-lived (about 60 days)."""
        form = {
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "redirect_uri": redirect_uri,
            "code": code,
        }
        return self._long_lived(app, self._token(form)["access_token"])

    @staticmethod
    def grant_for(page: Page, *, user_token: str) -> TokenGrant:
        """The channel's tokens for `page`: its page token, and `<page id>|<user token>` to refresh it."""
        return TokenGrant(access_token=page.access_token, refresh_token=f"{page.page_id}|{user_token}")

    def refresh(self, app: AppCredentials, *, refresh_token: str) -> TokenGrant:
        """A new long-lived user token from the one kept (still valid), and the page's token read again with it."""
        page_id, _separator, user_token = refresh_token.partition("|")
        if not user_token:
            raise base.AuthExpired(_("Reconnect this Facebook page: its refresh token is missing."))
        user_token = self._long_lived(app, user_token)
        page = self._graph(user_token, f"/{page_id}", {"fields": "access_token"})
        return TokenGrant(access_token=page["access_token"], refresh_token=f"{page_id}|{user_token}")

    def pages(self, *, user_token: str) -> list[Page]:
        """The pages the person manages, with their tokens and linked Instagram business accounts."""
        fields = "id,name,access_token,instagram_business_account{id,username}"
        body = self._graph(user_token, "/me/accounts", {"fields": fields, "limit": "100"})
        return [_page(item) for item in body.get("data", [])]

    def candidates(self, pages: list[Page]) -> list[Page]:
        """The pages this network can connect; raises PermanentError when there is none."""
        if not pages:
            raise base.PermanentError(_("This Facebook account manages no page."))
        return pages

    def choose(self, pages: list[Page]) -> Page:
        return self.candidates(pages)[0]

    def _long_lived(self, app: AppCredentials, user_token: str) -> str:
        """Meta's `fb_exchange_token`: a user token valid about 60 days, from one still valid."""
        form = {
            "grant_type": "fb_exchange_token",
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "fb_exchange_token": user_token,
        }
        return str(self._token(form)["access_token"])

    def _token(self, form: dict[str, str]) -> dict[str, Any]:
        t = self.timeouts
        return outbound.request_token(
            base,
            f"{self.base_url or GRAPH_ROOT}/{VERSION}/oauth/access_token",
            form,
            network="Facebook",
            timeout=outbound.timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
            method="GET",
        )

    def _graph(self, token: str, path: str, params: dict[str, str]) -> dict[str, Any]:
        # The same call, failures and rate-limit reading as the page connector's.
        from portevoix.channels.connectors.meta.facebook import FacebookPageConnector

        account = base.AccountAccess(base_url=self.base_url or GRAPH_ROOT, access_token=token)
        return FacebookPageConnector(account, timeouts=self.timeouts).graph(
            "GET", path, repeat_safe=True, params=params
        )


class InstagramOAuth(MetaOAuth):
    """The same login; the page chosen is the first with an Instagram business account."""

    network: ClassVar[Network] = Network.INSTAGRAM

    def candidates(self, pages: list[Page]) -> list[Page]:
        linked = [page for page in pages if page.instagram_id]
        if not linked:
            raise base.PermanentError(_("None of this account's Facebook pages has an Instagram business account."))
        return linked


def _page(item: dict[str, Any]) -> Page:
    instagram = item.get("instagram_business_account") or {}
    return Page(
        page_id=item["id"],
        name=item["name"],
        access_token=item["access_token"],
        instagram_id=instagram.get("id", ""),
        instagram_username=instagram.get("username", ""),
    )
