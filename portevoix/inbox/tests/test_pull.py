"""Pulling a channel's mentions: a real Mastodon API server over HTTP (mastodon-mock), X's recorded exchanges."""

import datetime
from pathlib import Path

import respx
from django.utils import timezone

from conftest import Personas
from portevoix.channels.connectors.base import AccountAccess, OutgoingPost, Timeouts
from portevoix.channels.connectors.mastodon.client import MastodonConnector
from portevoix.channels.connectors.x import tests as x_tests
from portevoix.channels.models import Alert, Channel, Dispatch
from portevoix.channels.publishing import publish_dispatch
from portevoix.channels.tests import conftest as channels_fixtures
from portevoix.channels.tests.conftest import MastodonServer
from portevoix.channels.tests.factories import x_channel
from portevoix.channels.tokens import decrypt_secret, encrypt_secret
from portevoix.inbox.models import Message, PullState
from portevoix.inbox.services import pull_all_channels, pull_channel, reply
from portevoix.policies.tests.check_policy import publish_policy
from tests.recorded_exchanges import load_exchanges, replay

# The channels tests' Mastodon server fixtures, used here as they are.
_mastodon_process_server = channels_fixtures._mastodon_process_server
mastodon = channels_fixtures.mastodon

# Generous: the server runs in this process, and on a loaded machine (CI runs two suites at
# once) it can take seconds to answer. A pull that times out stores 0 messages and keeps the
# error to itself, which here would only read as a wrong count.
TIMEOUTS = Timeouts(connect=15, read=15, write=15, pool=15)


def _connector(server: MastodonServer, username: str) -> MastodonConnector:
    return MastodonConnector(
        AccountAccess(base_url=server.base_url, access_token=server.token(username)), timeouts=TIMEOUTS
    )


def _channel(personas: Personas, server: MastodonServer) -> Channel:
    return Channel.objects.create(
        organization=personas.acme,
        network="mastodon",
        name="Acme on Mastodon",
        handle="@alice",
        base_url=server.base_url,
        state=Channel.State.CONNECTED,
    )


def test_mentions_are_pulled_once_however_often_the_channel_is_pulled(
    personas: Personas, mastodon: MastodonServer
) -> None:
    publish_policy(personas.acme, personas.compliance)
    channel = _channel(personas, mastodon)
    with _connector(mastodon, "alice") as alice, _connector(mastodon, "bob") as bob:
        bob.publish(OutgoingPost(text="@alice bonjour, une question", idempotency_key="b1"))
        bob.publish(OutgoingPost(text="@alice bande de connards", idempotency_key="b2"))
        assert pull_channel(channel=channel, connector=alice) == 2
        assert pull_channel(channel=channel, connector=alice) == 0
        bob.publish(OutgoingPost(text="@alice merci pour la réponse", idempotency_key="b3"))
        assert pull_channel(channel=channel, connector=alice) == 1
    received = Message.objects.filter(channel=channel).order_by("sent_at")
    assert [message.text for message in received] == [
        "@alice bonjour, une question",
        "@alice bande de connards",
        "@alice merci pour la réponse",
    ]
    assert [message.risk for message in received] == ["none", "hostile", "none"]
    assert {message.author_handle for message in received} == {"bob"}


def test_a_rate_limit_postpones_the_channel_and_loses_nothing(
    personas: Personas,
    mastodon: MastodonServer,
) -> None:
    channel = _channel(personas, mastodon)
    with _connector(mastodon, "alice") as alice, _connector(mastodon, "bob") as bob:
        bob.publish(OutgoingPost(text="@alice bonjour", idempotency_key="b1"))
        mastodon.add_fault(
            effect="status", status=429, path="/api/v1/notifications", method="GET", headers={"Retry-After": "120"}
        )
        assert pull_channel(channel=channel, connector=alice) == 0
        state = PullState.objects.get(channel=channel)
        assert state.not_before is not None
        assert state.not_before > timezone.now() + datetime.timedelta(seconds=60)
        assert pull_channel(channel=channel, connector=alice) == 0  # still waiting: the network is not called
        later = timezone.now() + datetime.timedelta(minutes=3)
        assert pull_channel(channel=channel, connector=alice, now=later) == 1
    assert Message.objects.filter(channel=channel).count() == 1


def test_a_reply_leaves_through_the_outbox_as_an_answer_on_the_network(
    personas: Personas, mastodon: MastodonServer
) -> None:
    channel = _channel(personas, mastodon)
    Channel.objects.filter(pk=channel.pk).update(access_token_encrypted=encrypt_secret(mastodon.token("alice")))
    channel.refresh_from_db()
    with _connector(mastodon, "bob") as bob:
        question = bob.publish(OutgoingPost(text="@alice vous ouvrez quand ?", idempotency_key="q1"))
    pull_all_channels()
    message = Message.objects.get(channel=channel)
    answer = reply(message=message, author=personas.community_manager, text="@bob lundi à 9 h !")
    dispatch = Dispatch.objects.get(source_key=answer.source_key)
    assert publish_dispatch(dispatch.pk, worker="test") == "sent"
    [published] = mastodon.statuses("alice")
    assert published["in_reply_to_id"] == question.remote_id
    assert pull_all_channels() == 0  # our own reply is not a new message


X_EXCHANGES = load_exchanges(Path(x_tests.__file__).with_name("exchanges.json"))


def test_a_refused_token_is_renewed_once_and_the_pull_goes_on(personas: Personas, respx_mock: respx.MockRouter) -> None:
    channel = x_channel(personas.community_manager)
    PullState.objects.create(channel=channel, cursor="1862400000000000000")
    mentions = replay(respx_mock, X_EXCHANGES["mentions_expired_token"], X_EXCHANGES["mentions"])
    token = replay(respx_mock, X_EXCHANGES["token_refresh"])

    assert pull_all_channels() == 2

    channel.refresh_from_db()
    assert (mentions.call_count, token.call_count) == (2, 1)
    assert decrypt_secret(channel.access_token_encrypted) == "x-access-2"
    assert PullState.objects.get(channel=channel).cursor == "1862450000000000009"


def test_a_token_that_cannot_be_renewed_expires_the_channel_and_its_pulls_stop(
    personas: Personas, respx_mock: respx.MockRouter
) -> None:
    channel = x_channel(personas.community_manager)
    PullState.objects.create(channel=channel, cursor="1862400000000000000")
    mentions = replay(respx_mock, X_EXCHANGES["mentions_expired_token"])
    replay(respx_mock, X_EXCHANGES["token_refresh_reused"])

    assert pull_all_channels() == 0
    assert pull_all_channels() == 0  # an expired channel is not pulled: X is not called again

    channel.refresh_from_db()
    assert mentions.call_count == 1
    assert channel.state == Channel.State.EXPIRED
    assert "reconnect" in PullState.objects.get(channel=channel).last_error
    assert list(Alert.objects.values_list("kind", flat=True)) == [Alert.Kind.TOKEN_EXPIRED]
