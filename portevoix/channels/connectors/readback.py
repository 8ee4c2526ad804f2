"""Reading an account back, page after page, until its posts are older than the first send.

A publish whose outcome is unknown is settled by looking for the post on the account (see
docs/adr/0008-publishing-outbox.md). A fixed number of recent posts is not enough: after a
burst of posts the one we look for may be further back, and missing it would publish it twice.
So every connector pages back by time: from the newest post to the first one created before
the first send minus the clock skew allowed between our machine and the network's. Pages are
bounded; past the bound the network cannot tell us, and the post is left to a person.
"""

import datetime
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from portevoix.channels.connectors import base
from portevoix.lib import outbound

# At most this many pages (of 40 to 100 posts, depending on the network) are read back.
READ_BACK_PAGES = 50
# And for at most this long: well under the publishing claim's lease (120 s by default), so that
# a slow read-back gives up and tries again later rather than outlive the claim.
READ_BACK_SECONDS = 45.0

# One page of the account's posts and the cursor of the next one ("" after the last page).
type Page[T] = tuple[Sequence[T], str]


def window_start(since: datetime.datetime) -> datetime.datetime:
    """The oldest creation time a post sent at `since` can have on the network (its clock may be behind ours)."""
    return since - outbound.CLOCK_SKEW


def search[T](
    fetch: Callable[[str], Page[T]],
    *,
    matches: Callable[[T], bool],
    created: Callable[[T], datetime.datetime | None],
    since: datetime.datetime,
    network: str,
    newest_first: bool = True,
) -> T | None:
    """The first post that `matches` among those created since `since` (minus the clock skew), or None.

    `fetch(cursor)` reads one page ("" for the first). With `newest_first`, the search stops at the
    first post older than the window: all the following ones are older still. Otherwise it reads
    to the last page. Raises PermanentError when the window spans more than READ_BACK_PAGES pages,
    and RetryableError when reading takes longer than READ_BACK_SECONDS (tried again later).
    """
    start = window_start(since)
    cursor = ""
    deadline = time.monotonic() + READ_BACK_SECONDS
    for number in range(READ_BACK_PAGES):
        if number and time.monotonic() > deadline:
            raise base.RetryableError(
                _("%(network)s: reading the account back took too long; it will be read again later.")
                % {"network": network}
            )
        items, cursor = fetch(cursor)
        for item in items:
            when = created(item)
            if when is not None and when < start:
                if newest_first:
                    return None
                continue
            if matches(item):
                return item
        # An empty page with a next cursor is not the end: some networks filter pages after paging them.
        if not cursor:
            return None
    message = _(
        "%(network)s: reading the account back went through %(pages)d pages without reaching the posts "
        "before the first send (%(since)s); whether this post is online cannot be told."
    ) % {"network": network, "pages": READ_BACK_PAGES, "since": since.isoformat(timespec="seconds")}
    raise base.PermanentError(message)


def graph_pages(graph: Callable[..., dict[str, Any]], path: str, params: dict[str, Any]) -> Callable[[str], Page[Any]]:
    """The pages of a Meta Graph API edge (`data`), followed by their `after` cursor while there is a next one."""

    def page(after: str) -> Page[Any]:
        answer = graph("GET", path, repeat_safe=True, params={**params, "after": after} if after else params)
        paging = answer.get("paging", {})
        cursor = paging.get("cursors", {}).get("after", "") if paging.get("next") else ""
        return answer.get("data", []), str(cursor)

    return page
