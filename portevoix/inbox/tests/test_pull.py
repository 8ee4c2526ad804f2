"""Pulling a channel's mentions from a real Mastodon API server over HTTP (mastodon-mock)."""

import datetime

from django.utils import timezone

from conftest import Personas
from portevoix.channels.connectors.base import AccountAccess, OutgoingPost, Timeouts
from portevoix.channels.connectors.mastodon.client import MastodonConnector
from portevoix.channels.models import Channel, Dispatch
from portevoix.channels.publishing import publish_dispatch
from portevoix.channels.tests import conftest as channels_fixtures
from portevoix.channels.tests.conftest import MastodonServer
from portevoix.channels.tokens import encrypt_secret
from portevoix.inbox.models import Message, PullState
from portevoix.inbox.services import pull_all_channels, pull_channel, reply
from portevoix.policies.tests.check_policy import publish_policy

# The channels tests' Mastodon server fixtures, used here as they are.
_mastodon_process_server = channels_fixtures._mastodon_process_server
mastodon = channels_fixtures.mastodon

FAST = Timeouts(connect=2, read=2, write=2, pool=2)


def _connector(server: MastodonServer, username: str) -> MastodonConnector:
    return MastodonConnector(
        AccountAccess(base_url=server.base_url, access_token=server.token(username)), timeouts=FAST
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
