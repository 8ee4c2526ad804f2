"""Connecting a Bluesky account: a session opened with the handle and an app password.

Bluesky has no OAuth client registration to do here: the person creates an app password in
Bluesky's settings (Privacy and security > App passwords), which can be revoked there at any
time without touching the account's password. Porte-Voix keeps only the session's tokens, not
the app password: the access JWT lasts about two hours, the refresh JWT about 90 days, and
each refresh returns a new pair. Disconnecting the channel ends the session (`end`).
"""

import base64
import datetime
import json
import re
from typing import Any

import httpx
from django.utils.translation import gettext as _

from portevoix.channels.connectors import base
from portevoix.channels.connectors.bluesky.connector import NAME, BlueskyConnector, _json
from portevoix.lib import outbound

DEFAULT_PDS = "https://bsky.social"
_APP_PASSWORD = re.compile(r"^[a-z0-9]{4}(-[a-z0-9]{4}){3}$")
# createSession's refusals that say something about the account or the password (its XRPC
# error names): the person can act on them, unlike a generic refusal.
SIGN_IN_REFUSALS = frozenset(
    {"AuthenticationRequired", "AuthFactorTokenRequired", "AccountTakedown", "AccountDeactivated"}
)


class SignInRefused(base.AuthExpired):
    """The PDS refused the sign-in; `reason` is its XRPC error name, e.g. `AuthFactorTokenRequired`."""

    def __init__(self, message: str, *, reason: str, status: int) -> None:
        super().__init__(message, status=status)
        self.reason = reason


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
        body = self._create_session(form)
        identity = base.AccountIdentity(
            remote_account_id=body["did"],
            handle=f"@{body['handle']}",
            display_name=body["handle"],
            url=f"https://bsky.app/profile/{body['handle']}",
        )
        return self._grant(body), identity

    def handle_exists(self, handle: str) -> bool:
        """Whether `handle` resolves to an account (a PDS answers a wrong password and an unknown account alike)."""
        try:
            self._xrpc("com.atproto.identity.resolveHandle", params={"handle": handle.strip().lstrip("@")})
        except base.PermanentError as refused:
            if refused.status == 400:  # InvalidRequest: "Unable to resolve handle"
                return False
            raise
        return True

    def refresh(self, *, refresh_token: str) -> base.TokenGrant:
        """A new session pair; the refresh JWT used is revoked by the PDS, so store the new one at once."""
        return self._grant(self._xrpc("com.atproto.server.refreshSession", bearer=refresh_token))

    def end(self, *, refresh_token: str) -> None:
        """End the session on the PDS (`deleteSession`, with the refresh JWT): neither token works afterwards."""
        self._xrpc("com.atproto.server.deleteSession", bearer=refresh_token)

    @staticmethod
    def _grant(body: dict[str, Any]) -> base.TokenGrant:
        access = str(body["accessJwt"])
        return base.TokenGrant(
            access_token=access, refresh_token=str(body["refreshJwt"]), expires_at=token_expiry(access)
        )

    def _create_session(self, form: dict[str, str]) -> dict[str, Any]:
        # Not through the connector's `xrpc`: telling a wrong password from a second factor
        # needs the XRPC error name of the refusal, which the connector's errors do not keep.
        t = self.timeouts
        timeout = outbound.timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool)
        with httpx.Client(base_url=self.base_url, timeout=timeout) as client:
            request = client.build_request("POST", "/xrpc/com.atproto.server.createSession", json=form)
            try:
                response = outbound.send(client, request)
            except outbound.OutboundFailure as failure:
                raise outbound.transport_error(base, failure, network=NAME, repeat_safe=True) from failure
        body = _json(response)
        if response.is_success:
            return body
        reason, detail = str(body.get("error", "")), str(body.get("message") or body.get("error") or "")
        if reason in SIGN_IN_REFUSALS:
            message = _("%(network)s refused the sign-in: %(detail)s") % {"network": NAME, "detail": detail}
            raise SignInRefused(message, reason=reason, status=response.status_code)
        raise outbound.status_error(
            base, response, network=NAME, detail=detail or response.reason_phrase, repeat_safe=True, wait=_WAIT
        )

    def _xrpc(
        self,
        nsid: str,
        *,
        json_body: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        bearer: str = "",
    ) -> dict[str, Any]:
        """A POST with `json_body` (procedures) or a GET with `params` (queries)."""
        account = base.AccountAccess(base_url=self.base_url, access_token=bearer)
        connector = BlueskyConnector(account, timeouts=self.timeouts)
        if params is not None:
            return connector.xrpc("GET", nsid, repeat_safe=True, params=params)
        kwargs: dict[str, Any] = {"json": json_body} if json_body is not None else {}
        return connector.xrpc("POST", nsid, repeat_safe=True, **kwargs)


_WAIT = datetime.timedelta(minutes=5)
