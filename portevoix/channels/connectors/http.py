"""The one HTTP client of the connectors: explicit timeouts, errors mapped to what a retry may do.

Which failures are safe to retry depends on whether the request may have taken effect: a
connection that never opened changed nothing; a write that timed out after it was sent, or a
server error while processing it, may have published. Reads are always safe to retry.
"""

import datetime
import email.utils
from collections.abc import Mapping
from typing import Any

import httpx
from django.utils import timezone

from portevoix.channels.connectors.base import (
    AmbiguousOutcome,
    AuthExpired,
    PermanentError,
    RateLimit,
    RateLimited,
    RetryableError,
    Timeouts,
)

DEFAULT_RETRY_AFTER = datetime.timedelta(seconds=60)
USER_AGENT = "Porte-Voix (+https://github.com/porte-voix)"


def retry_after(headers: Mapping[str, str], *, now: datetime.datetime | None = None) -> datetime.timedelta:
    """The delay a network asked for: `Retry-After` in seconds or as a date, else the rate-limit reset."""
    now = now or timezone.now()
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return datetime.timedelta(seconds=int(value))
    if value:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            return max(datetime.timedelta(0), when - now)
    reset = rate_limit_from(headers).reset_at
    if reset is not None:
        return max(datetime.timedelta(0), reset - now)
    return DEFAULT_RETRY_AFTER


def rate_limit_from(headers: Mapping[str, str]) -> RateLimit:
    """`X-RateLimit-Remaining` and `X-RateLimit-Reset` (epoch seconds or ISO 8601), where given."""
    remaining_text = headers.get("x-ratelimit-remaining", "")
    remaining = int(remaining_text) if remaining_text.lstrip("-").isdigit() else None
    reset_text = headers.get("x-ratelimit-reset", "").strip()
    reset_at: datetime.datetime | None = None
    if reset_text.isdigit():
        reset_at = datetime.datetime.fromtimestamp(int(reset_text), tz=datetime.UTC)
    elif reset_text:
        try:
            reset_at = datetime.datetime.fromisoformat(reset_text.replace("Z", "+00:00"))
        except ValueError:
            reset_at = None
    return RateLimit(remaining=remaining, reset_at=reset_at)


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(body, dict):
        return str(body.get("error_description") or body.get("error") or body.get("message") or body)[:500]
    return str(body)[:500]


class HttpClient:
    """An httpx client for one base URL, with explicit timeouts and the error mapping above."""

    def __init__(self, base_url: str, *, timeouts: Timeouts, token: str = "") -> None:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=headers,
            timeout=httpx.Timeout(
                connect=timeouts.connect, read=timeouts.read, write=timeouts.write, pool=timeouts.pool
            ),
            follow_redirects=False,
        )
        self.rate_limit: RateLimit | None = None

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, path: str, *, is_write: bool = False, **kwargs: Any) -> httpx.Response:
        """Send one request; raise the connector error that says whether a retry is safe."""
        try:
            response = self.client.request(method, path, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            raise RetryableError(f"Could not reach the network: {error.__class__.__name__}.") from error
        except httpx.TransportError as error:
            # Sent, or partly sent: the network may have acted on it.
            if is_write:
                raise AmbiguousOutcome(f"No answer after sending: {error.__class__.__name__}.") from error
            raise RetryableError(f"No answer from the network: {error.__class__.__name__}.") from error
        if "x-ratelimit-remaining" in response.headers or "x-ratelimit-reset" in response.headers:
            self.rate_limit = rate_limit_from(response.headers)
        self._raise_for_status(response, is_write=is_write)
        return response

    def json(self, method: str, path: str, *, is_write: bool = False, **kwargs: Any) -> Any:
        response = self.request(method, path, is_write=is_write, **kwargs)
        try:
            return response.json()
        except ValueError as error:
            if is_write:
                raise AmbiguousOutcome("The network answered with an unreadable body.", status=200) from error
            raise RetryableError("The network answered with an unreadable body.", status=200) from error

    def _raise_for_status(self, response: httpx.Response, *, is_write: bool) -> None:
        status = response.status_code
        if status < 400:
            return
        message = _message(response)
        if status == 429:
            raise RateLimited(message, retry_after=retry_after(response.headers), status=status)
        if status == 401:
            raise AuthExpired(message, status=status)
        if status >= 500:
            if is_write:
                raise AmbiguousOutcome(message, status=status)
            raise RetryableError(message, status=status)
        if status == 408:
            raise (AmbiguousOutcome if is_write else RetryableError)(message, status=status)
        raise PermanentError(message, status=status)
