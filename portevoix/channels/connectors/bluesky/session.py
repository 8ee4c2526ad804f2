"""Connecting a Bluesky account: a session opened with the handle and an app password.

Bluesky has no OAuth client registration to do here: the person creates an app password in
Bluesky's settings (Privacy and security > App passwords), which can be revoked there at any
time without touching the account's password. Porte-Voix keeps only the session's tokens, not
the app password: the access JWT lasts about two hours, the refresh JWT about 90 days, and
each refresh returns a new pair.
"""

import base64
import datetime
import json
import re
from typing import Any

from django.utils.translation import gettext as _

from portevoix.channels.connectors import base
from portevoix.channels.connectors.bluesky.connector import BlueskyConnector

DEFAULT_PDS = "https://bsky.social"
_APP_PASSWORD = re.compile(r"^[a-z0-9]{4}(-[a-z0-9]{4}){3}$")


def token_expiry(jwt: str) -> datetime.datetime | None:
    """The `exp` claim of a JWT (read, not verified: the PDS is the one that checks it)."""
    try:
        payload = jwt.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return datetime.datetime.fromtimestamp(int(claims["exp"]), tz=datetime.UTC)
    except (IndexError, KeyError, TypeError, ValueError):
        return None


class BlueskySession:
    def __init__(self, *, base_url: str = DEFAULT_PDS, timeouts: base.Timeouts = base.DEFAULT_TIMEOUTS) -> None:
        self.base_url = (base_url or DEFAULT_PDS).rstrip("/")
        self.timeouts = timeouts

    def sign_in(self, *, identifier: str, app_password: str) -> tuple[base.TokenGrant, base.AccountIdentity]:
        """Open a session; refuses an account password, which must never be stored by a third party."""
        if not _APP_PASSWORD.match(app_password.strip()):
            raise base.PermanentError(
                _("Use an app password (xxxx-xxxx-xxxx-xxxx), created in Bluesky's settings, not the account password.")
            )
        form = {"identifier": identifier.strip().lstrip("@"), "password": app_password.strip()}
        body = self._xrpc("com.atproto.server.createSession", json_body=form)
        identity = base.AccountIdentity(
            remote_account_id=body["did"],
            handle=f"@{body['handle']}",
            display_name=body["handle"],
            url=f"https://bsky.app/profile/{body['handle']}",
        )
        return self._grant(body), identity

    def refresh(self, *, refresh_token: str) -> base.TokenGrant:
        """A new session pair; the refresh JWT used is revoked by the PDS, so store the new one at once."""
        return self._grant(self._xrpc("com.atproto.server.refreshSession", bearer=refresh_token))

    @staticmethod
    def _grant(body: dict[str, Any]) -> base.TokenGrant:
        access = str(body["accessJwt"])
        return base.TokenGrant(
            access_token=access, refresh_token=str(body["refreshJwt"]), expires_at=token_expiry(access)
        )

    def _xrpc(self, nsid: str, *, json_body: dict[str, str] | None = None, bearer: str = "") -> dict[str, Any]:
        account = base.AccountAccess(base_url=self.base_url, access_token=bearer)
        kwargs: dict[str, Any] = {"json": json_body} if json_body is not None else {}
        return BlueskyConnector(account, timeouts=self.timeouts).xrpc("POST", nsid, repeat_safe=True, **kwargs)
