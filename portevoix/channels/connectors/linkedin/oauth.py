"""Connecting a LinkedIn page or member: OAuth 2.0 authorization code flow (3-legged).

Access tokens last 60 days. LinkedIn gives refresh tokens (valid 365 days from the first
authorization, not extended by refreshing) only to apps it approved for them, such as those of
the Community Management API; without one, the person authorizes again before the 60 days are
over, which is what the channel's expiry warning is for. A refresh answered `invalid_grant` or
`invalid_request` means the same: reconnect.
"""

import datetime
from typing import ClassVar
from urllib.parse import urlencode

from django.utils import timezone

from portevoix.channels.connectors import base
from portevoix.channels.connectors.base import AppCredentials, OAuthFlow, TokenGrant
from portevoix.lib import outbound
from portevoix.lib.networks import Network

OAUTH_ROOT = "https://www.linkedin.com/oauth/v2"
# Post, comment and read statistics as the organisation; list the pages the person administers.
SCOPES = ("r_organization_social", "w_organization_social", "rw_organization_admin")


class LinkedInOAuth(OAuthFlow):
    network: ClassVar[Network] = Network.LINKEDIN

    def authorization_url(self, app: AppCredentials, *, redirect_uri: str, state: str) -> str:
        query = {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "scope": " ".join(SCOPES),
        }
        return f"{OAUTH_ROOT}/authorization?{urlencode(query)}"

    def exchange_code(self, app: AppCredentials, *, code: str, redirect_uri: str) -> TokenGrant:
        return self._token({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}, app)

    def refresh(self, app: AppCredentials, *, refresh_token: str) -> TokenGrant:
        return self._token({"grant_type": "refresh_token", "refresh_token": refresh_token}, app)

    def _token(self, form: dict[str, str], app: AppCredentials) -> TokenGrant:
        t = self.timeouts
        body = outbound.request_token(
            base,
            f"{OAUTH_ROOT}/accessToken",
            {**form, "client_id": app.client_id, "client_secret": app.client_secret},
            network="LinkedIn",
            timeout=outbound.timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
        )
        return TokenGrant(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token", ""),
            expires_at=timezone.now() + datetime.timedelta(seconds=int(body["expires_in"])),
            scope=body.get("scope", ""),
        )
