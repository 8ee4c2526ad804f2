"""The Mastodon connector against a real Mastodon API server over HTTP: outcomes and what a retry may do."""

import contextlib
import datetime
import socket
from collections.abc import Iterator

import httpx
import pytest

from portevoix.channels.connectors.base import (
    AccountAccess,
    AmbiguousOutcome,
    AuthExpired,
    OutgoingPost,
    PermanentError,
    RateLimited,
    RetryableError,
    Timeouts,
)
from portevoix.channels.connectors.mastodon.client import MastodonConnector, plain_text
from portevoix.channels.connectors.mastodon.oauth import MastodonOAuth
from portevoix.channels.tests.conftest import MastodonServer

# Generous: the server runs in this process, and on a loaded machine (CI runs two suites at
# once) it can take seconds to answer. The timeout test sets its own short read timeout.
TIMEOUTS = Timeouts(connect=15, read=15, write=15, pool=15)
SINCE = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


def connector(mastodon: MastodonServer, username: str = "alice", *, timeouts: Timeouts = TIMEOUTS) -> MastodonConnector:
    return MastodonConnector(
        AccountAccess(base_url=mastodon.base_url, access_token=mastodon.token(username)), timeouts=timeouts
    )


def post(text: str = "Bonjour depuis Porte-Voix", key: str = "key-1") -> OutgoingPost:
    return OutgoingPost(text=text, idempotency_key=key)


def test_publishing_creates_the_status_as_written(mastodon: MastodonServer) -> None:
    with connector(mastodon) as alice:
        published = alice.publish(post("Première ligne\nSeconde ligne https://example.com/a?b=1"))

    statuses = mastodon.statuses()
    assert [s["id"] for s in statuses] == [published.remote_id]
    assert plain_text(statuses[0]["content"]) == "Première ligne Seconde ligne https://example.com/a?b=1"
    assert published.remote_url == statuses[0]["url"]
    assert published.published_at is not None


def test_a_replayed_idempotency_key_returns_the_first_status_without_a_second_post(mastodon: MastodonServer) -> None:
    with connector(mastodon) as alice:
        first = alice.publish(post(key="same"))
        again = alice.publish(post(key="same"))

    assert again.remote_id == first.remote_id
    assert len(mastodon.statuses()) == 1


def test_a_timeout_after_sending_is_ambiguous(mastodon: MastodonServer) -> None:
    mastodon.add_fault(effect="latency", delay_ms=3000)
    short_read = Timeouts(connect=15, read=1, write=15, pool=15)

    with connector(mastodon, timeouts=short_read) as alice, pytest.raises(AmbiguousOutcome):
        alice.publish(post("Publié malgré le délai ?"))


def test_reading_back_finds_a_published_post_by_its_text(mastodon: MastodonServer) -> None:
    with connector(mastodon) as alice:
        published = alice.publish(post("Une annonce\navec deux lignes & un lien https://example.com/x", key="k"))
        alice.publish(post("Une autre", key="k2"))

        found = alice.find_published(post("Une annonce\navec deux lignes & un lien https://example.com/x"), since=SINCE)

    assert found == published


def test_reading_back_says_not_found_when_the_post_is_not_there(mastodon: MastodonServer) -> None:
    with connector(mastodon) as alice:
        alice.publish(post("Un autre texte", key="k-other"))

        assert alice.find_published(post("Jamais publié"), since=SINCE) is None


def test_a_server_error_on_publish_is_ambiguous(mastodon: MastodonServer) -> None:
    mastodon.add_fault(effect="status", status=500)

    with connector(mastodon) as alice, pytest.raises(AmbiguousOutcome) as error:
        alice.publish(post())

    assert error.value.status == 500


def test_a_rate_limit_says_how_long_to_wait(mastodon: MastodonServer) -> None:
    mastodon.add_fault(effect="ratelimit", headers={"Retry-After": "7"})

    with connector(mastodon) as alice, pytest.raises(RateLimited) as error:
        alice.publish(post())

    assert error.value.retry_after == datetime.timedelta(seconds=7)
    assert alice.rate_limit is not None
    assert alice.rate_limit.remaining == 0
    assert mastodon.statuses() == []


def test_a_revoked_token_is_an_expired_authorisation(mastodon: MastodonServer) -> None:
    access = AccountAccess(base_url=mastodon.base_url, access_token="revoked-token")

    with MastodonConnector(access, timeouts=TIMEOUTS) as stranger, pytest.raises(AuthExpired):
        stranger.publish(post())


def test_a_post_over_the_limit_is_refused_for_good(mastodon: MastodonServer) -> None:
    with connector(mastodon) as alice, pytest.raises(PermanentError) as error:
        alice.publish(post("x" * 600))

    assert not isinstance(error.value, AuthExpired)
    assert error.value.status == 422


def test_an_unreachable_server_is_safe_to_retry() -> None:
    with socket_free_port() as port:
        access = AccountAccess(base_url=f"http://127.0.0.1:{port}", access_token="t")
        with MastodonConnector(access, timeouts=TIMEOUTS) as nowhere, pytest.raises(RetryableError):
            nowhere.publish(post())


@contextlib.contextmanager
def socket_free_port() -> Iterator[int]:
    # Bound but not listening: connecting is refused at once.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        yield probe.getsockname()[1]


def test_identity_interactions_metrics_reply_and_delete(mastodon: MastodonServer) -> None:
    with connector(mastodon) as alice, connector(mastodon, "bob") as bob:
        me = alice.identity()
        mine = alice.publish(post("Notre annonce", key="announce"))
        bob.publish(OutgoingPost(text="@alice bravo !", idempotency_key="b1", in_reply_to=mine.remote_id))

        page = alice.fetch_interactions()
        metrics = alice.fetch_metrics([mine.remote_id])
        answer = alice.reply(
            OutgoingPost(text="@bob merci !", idempotency_key="r1", in_reply_to=page.items[0].remote_id)
        )
        later = alice.fetch_interactions(cursor=page.cursor)
        alice.delete(answer.remote_id)
        alice.delete(answer.remote_id)

    assert (me.handle, me.display_name) == ("@alice", "Alice")
    assert [(i.kind, i.author_handle, i.text) for i in page.items] == [("reply", "bob", "@alice bravo !")]
    assert metrics[0].replies == 1
    assert later.items == []
    assert [s["id"] for s in mastodon.statuses()] == [mine.remote_id]


def test_connecting_by_oauth_registers_the_app_and_exchanges_the_code(mastodon: MastodonServer) -> None:
    flow = MastodonOAuth(base_url=mastodon.base_url, timeouts=TIMEOUTS)
    redirect = "http://127.0.0.1:8000/channels/connect/callback/"

    app = flow.register_app(redirect_uri=redirect, name="Porte-Voix Acme", website="http://127.0.0.1:8000")
    url = flow.authorization_url(app, redirect_uri=redirect, state="s1")
    # The person approves on the instance: the mock's page posts the chosen account back.
    approval = httpx.post(
        f"{mastodon.base_url}/oauth/authorize",
        data={"username": "alice", "redirect_uri": redirect, "client_id": app.client_id, "state": "s1"},
    )
    code = httpx.URL(approval.headers["location"]).params["code"]
    grant = flow.exchange_code(app, code=code, redirect_uri=redirect)

    assert url.startswith(f"{mastodon.base_url}/oauth/authorize?client_id={app.client_id}&")
    assert "state=s1" in url
    assert httpx.URL(approval.headers["location"]).params["state"] == "s1"
    access = AccountAccess(base_url=mastodon.base_url, access_token=grant.access_token)
    with MastodonConnector(access, timeouts=TIMEOUTS) as alice:
        assert alice.identity().handle == "@alice"
    assert grant.expires_at is None
