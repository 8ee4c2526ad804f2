"""Meta's Graph API, shared by Facebook pages and Instagram business accounts.

Graph errors come in the body, whatever the HTTP status (often 400): `error.code` says what
happened. 190 means the token is expired or revoked; 4, 17, 32, 613 and 80001-80014 are rate
limits, with the wait in the `X-Business-Use-Case-Usage` header; `is_transient` (or codes 1
and 2) is a server-side failure, ambiguous for a write. Usage headers give the share of each
quota already used, in percent.
"""

import datetime
import json
from collections.abc import Sequence
from typing import Any

import httpx
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.channels.connectors import base
from portevoix.lib import outbound
from portevoix.lib.networks import Network

GRAPH_ROOT = "https://graph.facebook.com"
VERSION = base.API_VERSIONS[Network.FACEBOOK]
_EXPIRED_TOKEN_CODES = {102, 190}
_RATE_LIMIT_CODES = {4, 17, 32, 613, *range(80001, 80015)}
_SERVER_CODES = {1, 2}
_DEFAULT_WAIT = datetime.timedelta(hours=1)


def usage(headers: httpx.Headers) -> tuple[int | None, datetime.timedelta]:
    """The share of quota left (percent) and the wait Meta announces, from its usage headers."""
    used: list[int] = []
    wait_minutes = 0
    try:
        app = json.loads(headers.get("x-app-usage", "{}"))
        business = json.loads(headers.get("x-business-use-case-usage", "{}"))
    except ValueError:
        return None, datetime.timedelta(0)
    used += [int(app.get(key, 0)) for key in ("call_count", "total_time", "total_cputime")] if app else []
    for entries in business.values():
        for entry in entries:
            used += [int(entry.get(key, 0)) for key in ("call_count", "total_time", "total_cputime")]
            wait_minutes = max(wait_minutes, int(entry.get("estimated_time_to_regain_access", 0)))
    return (max(0, 100 - max(used)) if used else None), datetime.timedelta(minutes=wait_minutes)


class GraphConnector(base.Connector):
    """What a Facebook page and an Instagram account have in common: one Graph call, its errors."""

    name: str

    @property
    def node(self) -> str:
        return self.account.remote_account_id

    def graph(self, method: str, path: str, *, repeat_safe: bool, **kwargs: Any) -> dict[str, Any]:
        """One Graph API call (`/vNN.0/<path>`), with the token in the Authorization header, never in the URL."""
        t = self.timeouts
        with httpx.Client(
            base_url=f"{(self.account.base_url or GRAPH_ROOT).rstrip('/')}/{VERSION}",
            timeout=outbound.timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
            headers={"Authorization": f"Bearer {self.account.access_token}"},
        ) as client:
            try:
                response = outbound.send(client, client.build_request(method, path, **kwargs))
            except outbound.OutboundFailure as failure:
                raise outbound.transport_error(base, failure, network=self.name, repeat_safe=repeat_safe) from failure
        left, wait = usage(response.headers)
        if left is not None:
            self.rate_limit = base.RateLimit(remaining=left, reset_at=timezone.now() + wait if wait else None)
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.is_success and "error" not in body:
            return dict(body)
        raise self._error(response, body.get("error") or {}, repeat_safe=repeat_safe, wait=wait)

    def _error(
        self, response: httpx.Response, error: dict[str, Any], *, repeat_safe: bool, wait: datetime.timedelta
    ) -> Exception:
        code = int(error.get("code") or 0)
        values = {"network": self.name, "detail": error.get("error_user_msg") or error.get("message") or ""}
        status = response.status_code
        if code in _EXPIRED_TOKEN_CODES:
            return base.AuthExpired(_("%(network)s refused the token: %(detail)s") % values, status=status)
        if code in _RATE_LIMIT_CODES:
            message = _("%(network)s asks to wait (rate limit): %(detail)s") % values
            delay = outbound.retry_after(response.headers, now=timezone.now()) or wait or _DEFAULT_WAIT
            return base.RateLimited(message, retry_after=delay, status=status)
        if error.get("is_transient") or code in _SERVER_CODES or status >= 500:
            if repeat_safe:
                return base.RetryableError(_("%(network)s is unavailable: %(detail)s") % values, status=status)
            message = _("%(network)s failed while handling the post: %(detail)s") % values
            return base.AmbiguousOutcome(message, status=status)
        return base.PermanentError(_("%(network)s refused the request: %(detail)s") % values, status=status)

    def nodes(self, ids: Sequence[str], *, fields: str) -> dict[str, dict[str, Any]]:
        """Several objects in one call (`/?ids=a,b&fields=...`), by id."""
        return self.graph("GET", "/", repeat_safe=True, params={"ids": ",".join(ids), "fields": fields})

    @staticmethod
    def after(items: Sequence[base.Interaction], cursor: str) -> base.InteractionPage:
        """The interactions newer than `cursor` (a Graph time), oldest first, and the new cursor."""
        since = graph_time(cursor) if cursor else None
        fresh = sorted((i for i in items if since is None or i.created_at > since), key=lambda i: i.created_at)
        newest = fresh[-1].created_at.strftime("%Y-%m-%dT%H:%M:%S+0000") if fresh else cursor
        return base.InteractionPage(items=fresh, cursor=newest)


def graph_time(value: str) -> datetime.datetime:
    """Graph's times: `2026-11-27T10:05:00+0000` (Facebook) or with a colon in the offset."""
    return datetime.datetime.strptime(value.replace(":", "")[:22], "%Y-%m-%dT%H%M%S%z").astimezone(datetime.UTC)
