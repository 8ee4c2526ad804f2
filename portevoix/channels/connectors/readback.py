"""Reading an account back, page after page, until its posts are older than the first send.

A publish whose outcome is unknown is settled by looking for the post on the account (see
docs/adr/0008-publishing-outbox.md). A fixed number of recent posts is not enough: after a
burst of posts the one we look for may be further back, and missing it would publish it twice.
So every connector pages back by time: from the newest post to the first one created before
the first send minus the clock skew allowed between our machine and the network's. Pages are
bounded; past the bound the network cannot tell us, and the post is left to a person.
"""

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from portevoix.channels.connectors import base
from portevoix.lib import outbound

# At most this many pages (of 40 to 100 posts, depending on the network) are read back.
READ_BACK_PAGES = 50

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
    to the last page. Raises PermanentError when the window spans more than READ_BACK_PAGES pages.
    """
    start = window_start(since)
    cursor = ""
    for _page in range(READ_BACK_PAGES):
        items, cursor = fetch(cursor)
        for item in items:
            when = created(item)
            if when is not None and when < start:
                if newest_first:
                    return None
                continue
            if matches(item):
                return item
        if not cursor or not items:
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
