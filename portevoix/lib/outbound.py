"""Outbound HTTP calls to the networks: explicit timeouts, and whether a failed call may have taken effect.

The connectors need one fact about every failure to keep "exactly once": did the request reach
the network? A connection refused or a connect timeout means it did not, so trying again is
safe. A read timeout, a connection cut while waiting for the answer, or a server error while
processing means the network may have acted on it: the caller must reconcile, never retry
blindly. This module tells the two apart; the connectors turn the answer into their own errors.
"""

import datetime
import email.utils
from enum import StrEnum

import httpx


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


def epoch_header(headers: httpx.Headers, name: str) -> datetime.datetime | None:
    """A header holding a moment as Unix seconds (X's `x-rate-limit-reset`, Bluesky's `ratelimit-reset`)."""
    raw = headers.get(name, "").strip()
    if not raw.isdigit():
        return None
    return datetime.datetime.fromtimestamp(int(raw), tz=datetime.UTC)


def int_header(headers: httpx.Headers, name: str) -> int | None:
    raw = headers.get(name, "").strip()
    return int(raw) if raw.isdigit() else None
