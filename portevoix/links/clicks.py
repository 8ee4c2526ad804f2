"""Counting clicks without slowing or ever failing a redirect.

A redirect only adds one to a counter in memory (`ClickBuffer.add`, a dictionary update under
a lock). A flusher thread in each web process writes the counters every `FLUSH_SECONDS` as one
upsert per (link, minute, referrer category, preview) slot, adding to what is stored, so a
thousand clicks on a link in one second cost one row write. If the write fails (database down,
locked, full) the counters stay in memory and go with the next flush; a process that dies
loses at most the last `FLUSH_SECONDS` of clicks, and a database that stays down past
`MAX_PENDING_SLOTS` distinct slots makes the newest clicks go uncounted (logged), never the
redirect fail.

Only a category of the Referer header and whether the request was a link preview are read;
the address, browser, cookies and exact time of the person who clicked are never kept.
"""

import atexit
import datetime
import logging
import re
import threading
import time
from collections import Counter
from typing import NamedTuple
from urllib.parse import urlsplit

from django.db import close_old_connections, connection, transaction

from portevoix.links.models import ClickCount, ReferrerCategory, TrackedLink

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 1.0
MAX_PENDING_SLOTS = 50_000

# Link previews: networks and chat apps fetch a shared link to draw its card, nobody clicked.
# Counted apart, as previews, and never as clicks. Mastodon instances fetch with "Mastodon/x.y".
_PREVIEW_AGENTS = re.compile(
    r"bot\b|bot/|crawler|spider|preview|facebookexternalhit|facebot|linkedinbot|twitterbot|slackbot|"
    r"slack-imgproxy|discordbot|whatsapp|telegrambot|skypeuripreview|embedly|pinterest|mastodon/|"
    r"cardyb|iframely|bitlybot|quora link preview|vkshare|python-requests|python-urllib|curl/|wget/|"
    r"go-http-client|okhttp|java/|http\.rb",
    re.IGNORECASE,
)

# Host suffixes per category; a host matches a suffix when it is it or one of its subdomains.
_HOSTS: tuple[tuple[ReferrerCategory, tuple[str, ...]], ...] = (
    (ReferrerCategory.LINKEDIN, ("linkedin.com", "lnkd.in", "com.linkedin.android")),
    (ReferrerCategory.X, ("x.com", "twitter.com", "t.co", "com.twitter.android")),
    (ReferrerCategory.FACEBOOK, ("facebook.com", "fb.com", "fb.me", "messenger.com", "com.facebook.katana")),
    (ReferrerCategory.INSTAGRAM, ("instagram.com", "com.instagram.android")),
    (ReferrerCategory.BLUESKY, ("bsky.app", "bsky.social", "xyz.blueskyweb.app")),
    (ReferrerCategory.THREADS, ("threads.net", "threads.com", "com.instagram.barcelona")),
    (ReferrerCategory.MASTODON, ("mastodon.social", "mastodon.online", "mstdn.social", "joinmastodon.org")),
    (
        ReferrerCategory.OTHER_SOCIAL,
        ("reddit.com", "youtube.com", "tiktok.com", "pinterest.com", "xing.com", "tumblr.com", "wa.me",
         "whatsapp.com", "t.me", "telegram.org", "discord.com", "slack.com", "teams.microsoft.com"),
    ),
    (
        ReferrerCategory.SEARCH,
        ("bing.com", "duckduckgo.com", "qwant.com", "ecosia.org", "search.yahoo.com", "search.brave.com",
         "startpage.com", "baidu.com", "com.google.android.googlequicksearchbox"),
    ),
    (ReferrerCategory.EMAIL_OR_DIRECT, ("com.google.android.gm", "mail.google.com", "outlook.live.com",
                                        "outlook.office.com", "outlook.office365.com")),
)  # fmt: skip
_SEARCH_LABELS = {"google", "yandex"}  # google.fr, www.google.co.uk, yandex.ru…


def referrer_category(referer: str) -> ReferrerCategory:
    """The category of a Referer header (an address, or `android-app://<package>/` from Android apps)."""
    if not referer.strip():
        # Mail clients, apps and typed or pasted addresses send none.
        return ReferrerCategory.EMAIL_OR_DIRECT
    try:
        host = (urlsplit(referer.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return ReferrerCategory.OTHER
    if not host:
        return ReferrerCategory.OTHER
    for category, suffixes in _HOSTS:
        for suffix in suffixes:
            if host == suffix or host.endswith("." + suffix):
                return category
    labels = host.split(".")
    if "mastodon" in labels[0] or labels[0] == "mstdn":
        return ReferrerCategory.MASTODON
    if _SEARCH_LABELS.intersection(labels[:-1]):
        return ReferrerCategory.SEARCH
    return ReferrerCategory.OTHER


def is_preview(*, method: str, user_agent: str) -> bool:
    """A HEAD request, no browser at all, or a known preview fetcher or crawler."""
    return method == "HEAD" or not user_agent.strip() or _PREVIEW_AGENTS.search(user_agent) is not None


class Slot(NamedTuple):
    link_id: int
    minute: int  # seconds since the epoch, a multiple of 60
    referrer: str
    is_preview: bool


class ClickBuffer:
    """Click counters in memory, written to the database in batches by `flush`."""

    def __init__(self, *, max_slots: int = MAX_PENDING_SLOTS) -> None:
        self._counts: Counter[Slot] = Counter()
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self.max_slots = max_slots
        self.dropped = 0

    def add(self, *, link_id: int, method: str, referer: str, user_agent: str, now: float | None = None) -> None:
        """Count one visit of a link; never raises for the caller's sake."""
        try:
            minute = int((time.time() if now is None else now) // 60) * 60
            slot = Slot(
                link_id, minute, referrer_category(referer).value, is_preview(method=method, user_agent=user_agent)
            )
            with self._lock:
                if slot in self._counts or len(self._counts) < self.max_slots:
                    self._counts[slot] += 1
                else:
                    self.dropped += 1
        except Exception:
            logger.exception("click not counted")

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(self._counts.values())

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()
            self.dropped = 0

    def flush(self) -> int:
        """Write the pending counters; returns how many clicks were written.

        On failure the counters are put back for the next flush, and the error is raised.
        """
        with self._flush_lock:
            with self._lock:
                batch, self._counts = self._counts, Counter()
            if not batch:
                return 0
            try:
                return _write(batch)
            except Exception:
                self._put_back(batch)
                raise

    def _put_back(self, batch: Counter[Slot]) -> None:
        with self._lock:
            for slot, count in batch.items():
                if slot in self._counts or len(self._counts) < self.max_slots:
                    self._counts[slot] += count
                else:
                    self.dropped += count
            if self.dropped:
                logger.warning("clicks_dropped=%d pending_slots=%d", self.dropped, len(self._counts))


def _write(batch: Counter[Slot]) -> int:
    table = connection.ops.quote_name(ClickCount._meta.db_table)
    count_column = connection.ops.quote_name("count")
    # Table and column names come from the model; values go as parameters.
    sql = (
        f"INSERT INTO {table} (link_id, minute, referrer, is_preview, {count_column}) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s) "
        f"ON CONFLICT (link_id, minute, referrer, is_preview) "
        f"DO UPDATE SET {count_column} = {table}.{count_column} + excluded.{count_column}"
    )
    with transaction.atomic():
        # A link deleted since its clicks (with its organisation) takes its clicks with it.
        existing = set(TrackedLink.objects.filter(pk__in={slot.link_id for slot in batch}).values_list("pk", flat=True))
        rows = [
            (
                slot.link_id,
                connection.ops.adapt_datetimefield_value(datetime.datetime.fromtimestamp(slot.minute, tz=datetime.UTC)),
                slot.referrer,
                slot.is_preview,
                count,
            )
            for slot, count in batch.items()
            if slot.link_id in existing
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    return sum(row[4] for row in rows)


buffer = ClickBuffer()


class Flusher:
    """The thread that writes `buffer` every `FLUSH_SECONDS` in a web process, and once more at exit."""

    def __init__(self, click_buffer: ClickBuffer, *, interval: float = FLUSH_SECONDS) -> None:
        self.buffer = click_buffer
        self.interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="click-flusher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.wait(self.interval):
            self._flush_once()

    def _flush_once(self) -> None:
        try:
            close_old_connections()  # this thread has no requests to do it: drop a broken connection
            self.buffer.flush()
        except Exception as error:  # noqa: BLE001 - whatever the database says, the next tick retries
            logger.warning("click counts not written, kept for the next try: %s", error)

    def stop(self) -> None:
        """Stop the thread and write what is pending."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._flush_once()


_flusher: Flusher | None = None
_flusher_lock = threading.Lock()


def start_flusher() -> Flusher:
    """Start this process's flusher once; the web server calls it, tests flush by hand."""
    global _flusher  # one flusher per process, like the buffer it empties
    with _flusher_lock:
        if _flusher is None:
            _flusher = Flusher(buffer)
            _flusher.start()
            atexit.register(_flusher.stop)
        return _flusher
