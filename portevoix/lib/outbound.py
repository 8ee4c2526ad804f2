"""Outbound HTTP calls to the networks: explicit timeouts, and whether a failed call may have taken effect.

The connectors need one fact about every failure to keep "exactly once": did the request reach
the network? A connection refused or a connect timeout means it did not, so trying again is
safe. A read timeout, a connection cut while waiting for the answer, or a server error while
processing means the network may have acted on it: the caller must reconcile, never retry
blindly. This module tells the two apart, reads the networks' waiting and rate-limit headers,
and maps failures to the connector interface's errors, which the connectors hand over (this
module sits below the channels app): as a module to the functions below, or as `HttpClient.errors`.
"""

import datetime
import email.utils
from collections.abc import Callable
from enum import StrEnum
from typing import Any, ClassVar, Protocol

import httpx
from django.utils import timezone
from django.utils.translation import gettext as _

# How far before the first send a read-back looks: the network's clock may be behind ours, and
# missing a post that is there would publish it twice.
CLOCK_SKEW = datetime.timedelta(minutes=10)


class Delivery(StrEnum):
    NOT_SENT = "not_sent"  # the request never reached the network: repeating it is safe
    MAYBE_SENT = "maybe_sent"  # the request left; the network may have acted on it


class OutboundFailure(Exception):
    """A call that got no HTTP answer, and whether the request may have reached the network."""

    def __init__(self, message: str, *, delivery: Delivery) -> None:
        super().__init__(message)
        self.delivery = delivery


def timeout(*, connect: float, read: float, write: float, pool: float) -> httpx.Timeout:
    return httpx.Timeout(connect=connect, read=read, write=write, pool=pool)


def send(client: httpx.Client, request: httpx.Request) -> httpx.Response:
    """Send `request`; raise OutboundFailure, saying whether it may have arrived, when no answer came."""
    try:
        return client.send(request)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol) as error:
        raise OutboundFailure(f"{type(error).__name__}: {error}", delivery=Delivery.NOT_SENT) from error
    except httpx.TransportError as error:
        # ReadTimeout, WriteTimeout, RemoteProtocolError, ReadError: the bytes (or some) left.
        raise OutboundFailure(f"{type(error).__name__}: {error}", delivery=Delivery.MAYBE_SENT) from error


def retry_after(headers: httpx.Headers, *, now: datetime.datetime) -> datetime.timedelta | None:
    """The wait a `Retry-After` header asks for (seconds or an HTTP date), None without one."""
    raw = headers.get("retry-after", "").strip()
    if not raw:
        return None
    if raw.isdigit():
        return datetime.timedelta(seconds=int(raw))
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(when - now, datetime.timedelta(0))


def moment_header(headers: httpx.Headers, name: str) -> datetime.datetime | None:
    """A header holding a moment: Unix seconds (X's `x-rate-limit-reset`, Bluesky's `ratelimit-reset`) or
    ISO 8601 (Mastodon's `x-ratelimit-reset`); None without one or when malformed."""
    raw = headers.get(name, "").strip()
    if raw.isdigit():
        return datetime.datetime.fromtimestamp(int(raw), tz=datetime.UTC)
    try:
        return datetime.datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None
    except ValueError:
        return None


def int_header(headers: httpx.Headers, name: str) -> int | None:
    raw = headers.get(name, "").strip()
    return int(raw) if raw.isdigit() else None


def rate_limit_headers(
    headers: httpx.Headers, *, remaining: str, reset: str
) -> tuple[int | None, datetime.datetime | None] | None:
    """Calls left and the moment the window resets, from the network's own headers; None without them."""
    left, reset_at = int_header(headers, remaining), moment_header(headers, reset)
    return None if left is None and reset_at is None else (left, reset_at)


class ErrorVocabulary(Protocol):
    """The errors and rate-limit record of the connector interface (`portevoix.channels.connectors.base`).

    This module sits below the channels app, so it cannot import them; the connectors hand them over.
    """

    @property
    def RetryableError(self) -> Callable[..., Exception]: ...
    @property
    def RateLimited(self) -> Callable[..., Exception]: ...
    @property
    def PermanentError(self) -> Callable[..., Exception]: ...
    @property
    def AuthExpired(self) -> Callable[..., Exception]: ...
    @property
    def AmbiguousOutcome(self) -> Callable[..., Exception]: ...
    @property
    def RateLimit(self) -> Callable[..., Any]: ...


class TimeoutSettings(Protocol):
    """Seconds for each phase of a call (`portevoix.channels.connectors.base.Timeouts`)."""

    @property
    def connect(self) -> float: ...
    @property
    def read(self) -> float: ...
    @property
    def write(self) -> float: ...
    @property
    def pool(self) -> float: ...


def transport_error(errors: ErrorVocabulary, failure: OutboundFailure, *, network: str, repeat_safe: bool) -> Exception:
    """No answer came: retry if the request never left or repeating it is harmless, else reconcile."""
    if repeat_safe or failure.delivery is Delivery.NOT_SENT:
        return errors.RetryableError(
            _("%(network)s did not answer: %(error)s") % {"network": network, "error": failure}
        )
    return errors.AmbiguousOutcome(
        _("%(network)s did not answer in time; the post may be online.") % {"network": network}
    )


def status_error(
    errors: ErrorVocabulary,
    response: httpx.Response,
    *,
    network: str,
    detail: str,
    repeat_safe: bool,
    wait: datetime.timedelta,
) -> Exception:
    """The error for a refusal: `wait` is how long to wait after a 429 that has no Retry-After."""
    status = response.status_code
    values = {"network": network, "detail": detail}
    if status == 429:
        delay = retry_after(response.headers, now=timezone.now()) or wait
        message = _("%(network)s asks to wait (rate limit): %(detail)s") % values
        return errors.RateLimited(message, retry_after=max(delay, datetime.timedelta(0)), status=status)
    if status == 401:
        return errors.AuthExpired(_("%(network)s refused the token: %(detail)s") % values, status=status)
    if status >= 500 and not repeat_safe:
        return errors.AmbiguousOutcome(
            _("%(network)s failed while handling the post: %(detail)s") % values, status=status
        )
    if status >= 500:
        return errors.RetryableError(_("%(network)s is unavailable: %(detail)s") % values, status=status)
    return errors.PermanentError(_("%(network)s refused the request: %(detail)s") % values, status=status)


def request_token(
    errors: ErrorVocabulary,
    url: str,
    form: dict[str, str],
    *,
    network: str,
    timeout: httpx.Timeout,
    auth: httpx.Auth | None = None,
    method: str = "POST",
) -> dict[str, Any]:
    """An OAuth 2.0 token request (code exchange or refresh); a refused grant means reconnecting."""
    with httpx.Client(timeout=timeout, auth=auth) as client:
        if method == "POST":
            request = client.build_request(method, url, data=form)
        else:
            request = client.build_request(method, url, params=form)
        try:
            response = send(client, request)
        except OutboundFailure as failure:
            raise transport_error(errors, failure, network=network, repeat_safe=True) from failure
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.is_success:
        return dict(body)
    # OAuth 2.0 puts `error`/`error_description` at the top; Meta's Graph API nests them in `error`.
    problem = body.get("error", {}) if isinstance(body.get("error"), dict) else body
    detail = str(
        problem.get("error_description") or problem.get("message") or problem.get("error") or response.reason_phrase
    )
    message = _("%(network)s refused the authorization: %(detail)s") % {"network": network, "detail": detail}
    if response.status_code >= 500 or response.status_code == 429:
        raise errors.RetryableError(message, status=response.status_code)
    if response.status_code in {400, 401}:
        # invalid_grant / invalid_request (a used, expired or revoked token or code): only a new connection helps.
        raise errors.AuthExpired(message, status=response.status_code)
    raise errors.PermanentError(message, status=response.status_code)


# The wait after a 429 that names neither a delay nor a reset (HttpClient).
DEFAULT_RETRY_AFTER = datetime.timedelta(seconds=60)
USER_AGENT = "Porte-Voix (+https://github.com/porte-voix)"


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(body, dict):
        return str(body.get("error_description") or body.get("error") or body.get("message") or body)[:500]
    return str(body)[:500]


class HttpClient:
    """An httpx client for one base URL, with explicit timeouts and every failure mapped to what a retry may do.

    A subclass names the interface's errors in `errors` (`portevoix.channels.connectors.HttpClient`).
    A write (`is_write`) that got no answer after it left, or a server error, may have taken
    effect (AmbiguousOutcome); a read is always safe to retry. The rate-limit state is read from
    `X-RateLimit-Remaining` and `X-RateLimit-Reset` (Unix seconds or ISO 8601).
    """

    errors: ClassVar[ErrorVocabulary]

    def __init__(self, base_url: str, *, timeouts: TimeoutSettings, token: str = "") -> None:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=headers,
            timeout=timeout(connect=timeouts.connect, read=timeouts.read, write=timeouts.write, pool=timeouts.pool),
            follow_redirects=False,
        )
        self.rate_limit: Any = None  # the interface's RateLimit, once the network sent its headers

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, path: str, *, is_write: bool = False, **kwargs: Any) -> httpx.Response:
        """Send one request; raise the connector error that says whether a retry is safe."""
        try:
            response = send(self.client, self.client.build_request(method, path, **kwargs))
        except OutboundFailure as failure:
            cause = type(failure.__cause__).__name__
            if failure.delivery is Delivery.NOT_SENT:
                raise self.errors.RetryableError(
                    _("Could not reach the network: %(cause)s.") % {"cause": cause}
                ) from failure
            # Sent, or partly sent: the network may have acted on it.
            if is_write:
                raise self.errors.AmbiguousOutcome(
                    _("No answer after sending: %(cause)s.") % {"cause": cause}
                ) from failure
            raise self.errors.RetryableError(
                _("No answer from the network: %(cause)s.") % {"cause": cause}
            ) from failure
        if "x-ratelimit-remaining" in response.headers or "x-ratelimit-reset" in response.headers:
            state = rate_limit_headers(response.headers, remaining="x-ratelimit-remaining", reset="x-ratelimit-reset")
            self.rate_limit = self.errors.RateLimit(*(state or (None, None)))
        self._raise_for_status(response, is_write=is_write)
        return response

    def json(self, method: str, path: str, *, is_write: bool = False, **kwargs: Any) -> Any:
        response = self.request(method, path, is_write=is_write, **kwargs)
        try:
            return response.json()
        except ValueError as error:
            unreadable = self.errors.AmbiguousOutcome if is_write else self.errors.RetryableError
            raise unreadable(_("The network answered with an unreadable body."), status=200) from error

    def _raise_for_status(self, response: httpx.Response, *, is_write: bool) -> None:
        status = response.status_code
        if status < 400:
            return
        errors, message = self.errors, _message(response)
        if status == 429:
            raise errors.RateLimited(message, retry_after=self._wait(response.headers), status=status)
        if status == 401:
            raise errors.AuthExpired(message, status=status)
        if status >= 500 or status == 408:
            raise (errors.AmbiguousOutcome if is_write else errors.RetryableError)(message, status=status)
        raise errors.PermanentError(message, status=status)

    @staticmethod
    def _wait(headers: httpx.Headers) -> datetime.timedelta:
        """`Retry-After` (seconds or a date), else until `X-RateLimit-Reset`, else DEFAULT_RETRY_AFTER."""
        now = timezone.now()
        asked = retry_after(headers, now=now)
        if asked is not None:
            return asked
        reset_at = moment_header(headers, "x-ratelimit-reset")
        return max(datetime.timedelta(0), reset_at - now) if reset_at is not None else DEFAULT_RETRY_AFTER
