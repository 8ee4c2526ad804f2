"""Each web process remembers the links it redirected lately, so a redirect reads no database.

An entry lives `TTL_SECONDS`: a link deactivated in another process stops redirecting here
within that time (at once in the process that deactivated it). An expiry date needs no wait:
it is kept in the entry and checked at every click.
"""

import datetime
import threading
import time
from dataclasses import dataclass

TTL_SECONDS = 60.0
MAX_ENTRIES = 100_000


@dataclass(frozen=True, slots=True)
class CachedLink:
    link_id: int
    location: str
    expires_at: datetime.datetime | None
    is_active: bool
    cached_at: float


_entries: dict[str, CachedLink] = {}
_lock = threading.Lock()


def get(code: str) -> CachedLink | None:
    entry = _entries.get(code)
    if entry is None or time.monotonic() - entry.cached_at > TTL_SECONDS:
        return None
    return entry


def put(*, code: str, link_id: int, location: str, expires_at: datetime.datetime | None, is_active: bool) -> CachedLink:
    entry = CachedLink(link_id, location, expires_at, is_active, time.monotonic())
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            # A crawler walking many codes must not grow the process without bound; starting
            # over costs one query per link on the next clicks.
            _entries.clear()
        _entries[code] = entry
    return entry


def forget(code: str) -> None:
    with _lock:
        _entries.pop(code, None)


def clear() -> None:
    with _lock:
        _entries.clear()
