"""Connecting an X account: OAuth 2.0 authorization code flow with PKCE, as a confidential client.

Access tokens last two hours. With the `offline.access` scope X also gives a refresh token,
which is single-use: each refresh returns a new pair, and the old refresh token stops working,
so the caller must store the new one at once.

PKCE's code verifier is derived from the app (an HMAC of its client id with its secret), so
nothing has to be kept between the redirect and the callback. A verifier that is the same for
every authorization weakens PKCE, but the token endpoint also requires the app's secret (X's
confidential clients), which is what stops an intercepted code from being redeemed; `state`
protects the callback.
"""

import base64
import datetime
import hashlib
import hmac
from typing import ClassVar
from urllib.parse import urlencode

import httpx
from django.utils import timezone

from portevoix.channels.connectors import base
from portevoix.channels.connectors.base import API_VERSIONS, AppCredentials, OAuthFlow, TokenGrant
from portevoix.lib import outbound
from portevoix.lib.networks import Network

API_ROOT = "https://api.x.com"
AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
SCOPES = ("tweet.read", "tweet.write", "users.read", "media.write", "offline.access")


def code_verifier(app: AppCredentials) -> str:
    digest = hmac.new(app.client_secret.encode(), f"pkce:{app.client_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def code_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class XOAuth(OAuthFlow):
    network: ClassVar[Network] = Network.X

    def authorization_url(self, app: AppCredentials, *, redirect_uri: str, state: str) -> str:
        query = {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(SCOPES),
            "state": state,
            "code_challenge": code_challenge(code_verifier(app)),
            "code_challenge_method": "S256",
        }
        return f"{AUTHORIZE_URL}?{urlencode(query)}"

    def exchange_code(self, app: AppCredentials, *, code: str, redirect_uri: str) -> TokenGrant:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier(app),
            "client_id": app.client_id,
        }
        return self._token(app, form)

    def refresh(self, app: AppCredentials, *, refresh_token: str) -> TokenGrant:
        return self._token(
            app, {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": app.client_id}
        )

    def _token(self, app: AppCredentials, form: dict[str, str]) -> TokenGrant:
        t = self.timeouts
        body = outbound.request_token(
            base,
            f"{self.base_url or API_ROOT}/{API_VERSIONS[Network.X]}/oauth2/token",
            form,
            network="X",
            timeout=outbound.timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
            auth=httpx.BasicAuth(app.client_id, app.client_secret),
        )
        expires_in = body.get("expires_in")
        return TokenGrant(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token", ""),
            expires_at=timezone.now() + datetime.timedelta(seconds=int(expires_in)) if expires_in else None,
            scope=body.get("scope", ""),
        )
