"""Connecting a Mastodon account: the organisation's app on the instance, then the authorization code flow."""

from urllib.parse import urlencode

from portevoix.channels.connectors import HttpClient
from portevoix.channels.connectors.base import API_VERSIONS, AppCredentials, OAuthFlow, TokenGrant
from portevoix.channels.connectors.mastodon.client import SCOPES
from portevoix.lib.networks import Network

VERSION = API_VERSIONS[Network.MASTODON]


class MastodonOAuth(OAuthFlow):
    network = Network.MASTODON

    def _client(self) -> HttpClient:
        return HttpClient(self.base_url, timeouts=self.timeouts)

    def register_app(self, *, redirect_uri: str, name: str, website: str) -> AppCredentials:
        http = self._client()
        try:
            app = http.json(
                "POST",
                f"/api/{VERSION}/apps",
                data={
                    "client_name": name,
                    "redirect_uris": redirect_uri,
                    "scopes": " ".join(SCOPES),
                    "website": website,
                },
            )
        finally:
            http.close()
        return AppCredentials(
            client_id=str(app["client_id"]), client_secret=str(app["client_secret"]), base_url=self.base_url
        )

    def authorization_url(self, app: AppCredentials, *, redirect_uri: str, state: str) -> str:
        query = {
            "client_id": app.client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": " ".join(SCOPES),
            "state": state,
        }
        return f"{self.base_url}/oauth/authorize?{urlencode(query)}"

    def exchange_code(self, app: AppCredentials, *, code: str, redirect_uri: str) -> TokenGrant:
        http = self._client()
        try:
            token = http.json(
                "POST",
                "/oauth/token",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "client_id": app.client_id,
                    "client_secret": app.client_secret,
                    "redirect_uri": redirect_uri,
                    "scope": " ".join(SCOPES),
                },
            )
        finally:
            http.close()
        # Mastodon's tokens have no lifetime: no expiry, no refresh token.
        return TokenGrant(access_token=str(token["access_token"]), scope=str(token.get("scope", "")))

    def revoke(self, app: AppCredentials, *, access_token: str) -> None:
        http = self._client()
        try:
            http.request(
                "POST",
                "/oauth/revoke",
                is_write=True,
                data={"client_id": app.client_id, "client_secret": app.client_secret, "token": access_token},
            )
        finally:
            http.close()
