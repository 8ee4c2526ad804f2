"""Reading a Mastodon account back after an ambiguous send, against a real Mastodon API server over HTTP.

The account's statuses come 40 to a page: after a burst of posts, the one we look for is pages
back, and reading back must reach it (or certainly not find it) rather than give up.
"""

import datetime

import pytest
from django.utils import timezone

from portevoix.channels.connectors import readback
from portevoix.channels.connectors.base import AccountAccess, OutgoingPost, PermanentError, RetryableError, Timeouts
from portevoix.channels.connectors.mastodon.client import MastodonConnector
from portevoix.channels.tests.conftest import MastodonServer
from portevoix.lib.outbound import CLOCK_SKEW

FAST = Timeouts(connect=2, read=5, write=2, pool=2)
BURST = 85  # more than two pages of 40
LONG_BURST = 205  # more than five pages


def connector(mastodon: MastodonServer) -> MastodonConnector:
    return MastodonConnector(AccountAccess(base_url=mastodon.base_url, access_token=mastodon.token()), timeouts=FAST)


def burst(alice: MastodonConnector, count: int = BURST) -> None:
    for number in range(count):
        alice.publish(OutgoingPost(text=f"Annonce de la rafale n° {number}", idempotency_key=f"burst-{number}"))


def test_a_post_sent_before_a_burst_is_found_pages_back_and_not_sent_again(mastodon: MastodonServer) -> None:
    target = OutgoingPost(text="Résultats du trimestre : en hausse", idempotency_key="dispatch-1")
    with connector(mastodon) as alice:
        first_send = timezone.now()
        published = alice.publish(target)
        burst(alice, LONG_BURST)

        found = alice.find_published(target, since=first_send)

    assert found == published
    statuses = mastodon.statuses()
    assert len(statuses) == LONG_BURST + 1
    assert statuses[-1]["id"] == published.remote_id  # the oldest: six pages back


def test_a_post_missing_behind_a_burst_is_reported_absent(mastodon: MastodonServer) -> None:
    with connector(mastodon) as alice:
        first_send = timezone.now()
        burst(alice)

        found = alice.find_published(OutgoingPost(text="Jamais publiée", idempotency_key="d-2"), since=first_send)

    assert found is None
    assert len(mastodon.statuses()) == BURST


def test_reading_back_looks_only_at_statuses_since_the_first_send_and_stops_there(
    mastodon: MastodonServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One page allowed: only stopping by time, not reaching the end, can answer.
    monkeypatch.setattr(readback, "READ_BACK_PAGES", 1)
    same_text = OutgoingPost(text="Bonne année à toutes et à tous", idempotency_key="d-3")
    with connector(mastodon) as alice:
        burst(alice)
        alice.publish(same_text)
        # Sent again a year later: the old status with the same text is not this post.
        later = timezone.now() + CLOCK_SKEW + datetime.timedelta(days=365)

        found = alice.find_published(same_text, since=later)

    assert found is None


def test_a_burst_longer_than_the_pages_allowed_is_a_clear_error_not_an_absence(
    mastodon: MastodonServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readback, "READ_BACK_PAGES", 2)
    first_send = timezone.now() - datetime.timedelta(minutes=1)
    with connector(mastodon) as alice:
        burst(alice)

        with pytest.raises(PermanentError) as error:
            alice.find_published(OutgoingPost(text="Perdue dans la rafale", idempotency_key="d-4"), since=first_send)

    assert "went through 2 pages" in error.value.message
    assert "Mastodon" in error.value.message


def test_a_read_back_slower_than_allowed_is_tried_again_later_not_an_absence(
    mastodon: MastodonServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readback, "READ_BACK_SECONDS", 0.0)
    first_send = timezone.now() - datetime.timedelta(minutes=1)
    with connector(mastodon) as alice:
        burst(alice)

        with pytest.raises(RetryableError) as error:
            alice.find_published(OutgoingPost(text="Lente à retrouver", idempotency_key="d-5"), since=first_send)

    assert "took too long" in error.value.message


def test_an_empty_page_that_has_a_next_one_does_not_end_the_search() -> None:
    now = timezone.now()
    pages = {"": ([], "p2"), "p2": ([("autre", now), ("la nôtre", now)], ""), "p3": ([], "")}
    seen: list[str] = []

    def fetch(cursor: str) -> readback.Page[tuple[str, datetime.datetime]]:
        seen.append(cursor)
        return pages[cursor]

    found = readback.search(
        fetch, matches=lambda item: item[0] == "la nôtre", created=lambda item: item[1], since=now, network="Test"
    )

    assert found == ("la nôtre", now)
    assert seen == ["", "p2"]
