"""The outbox as other apps use it: schedule, update, cancel, read back by source key."""

import datetime

import pytest

from conftest import Personas
from portevoix.audit.models import AuditEntry
from portevoix.channels import services
from portevoix.channels.models import Attempt, Dispatch
from portevoix.channels.selectors import dispatches_for_sources
from portevoix.channels.services import DispatchError, MediaItem
from portevoix.channels.tests.factories import T0, demo_channel, schedule
from portevoix.lib.networks import Network


def test_scheduling_creates_one_dispatch_per_channel_and_source(personas: Personas) -> None:
    channel = demo_channel(personas.community_manager)

    first = schedule(channel, personas.community_manager, text="Premier")
    again = schedule(channel, personas.community_manager, text="Premier, corrigé", at=T0 + datetime.timedelta(hours=1))

    assert again.pk == first.pk
    assert Dispatch.objects.count() == 1
    again.refresh_from_db()
    assert (again.state, again.text, again.scheduled_at, again.next_attempt_at) == (
        Dispatch.State.SCHEDULED,
        "Premier, corrigé",
        T0 + datetime.timedelta(hours=1),
        T0 + datetime.timedelta(hours=1),
    )
    assert again.organization_id == personas.acme.pk


def test_changing_the_text_changes_the_idempotency_key_but_moving_the_time_does_not(personas: Personas) -> None:
    channel = demo_channel(personas.community_manager)
    first_key = schedule(channel, personas.community_manager).idempotency_key

    moved_key = schedule(channel, personas.community_manager, at=T0 + datetime.timedelta(days=1)).idempotency_key
    edited_key = schedule(channel, personas.community_manager, text="Autre texte").idempotency_key

    assert moved_key == first_key
    assert edited_key != first_key


@pytest.mark.parametrize("state", [Dispatch.State.SENDING, Dispatch.State.SENT, Dispatch.State.UNCONFIRMED])
def test_a_dispatch_being_sent_sent_or_unconfirmed_cannot_be_changed(personas: Personas, state: str) -> None:
    channel = demo_channel(personas.community_manager)
    dispatch = schedule(channel, personas.community_manager)
    Dispatch.objects.filter(pk=dispatch.pk).update(state=state)

    with pytest.raises(DispatchError):
        schedule(channel, personas.community_manager, text="Changé")

    dispatch.refresh_from_db()
    assert (dispatch.state, dispatch.text) == (state, "Bonjour Mastodon")


def test_a_post_over_the_network_limit_is_refused_saying_by_how_much(personas: Personas) -> None:
    channel = demo_channel(personas.community_manager, network=Network.X, name="Acme on X")

    with pytest.raises(DispatchError) as refused:
        schedule(channel, personas.community_manager, text="x" * 281)

    assert "281" in str(refused.value)
    assert "280" in str(refused.value)
    assert not Dispatch.objects.exists()


def test_media_without_alternative_text_is_refused(personas: Personas) -> None:
    channel = demo_channel(personas.community_manager)

    with pytest.raises(DispatchError) as refused:
        services.schedule_dispatch(
            channel=channel,
            source_key="post:1",
            text="Photo",
            media=[MediaItem(path="media/a.png", alt_text=" ", content_type="image/png")],
            scheduled_at=T0,
            actor=personas.community_manager,
        )

    assert "media/a.png" in str(refused.value)
    assert not Dispatch.objects.exists()


def test_media_are_kept_with_the_dispatch(personas: Personas) -> None:
    channel = demo_channel(personas.community_manager)
    item = MediaItem(path="media/a.png", alt_text="Une éolienne", content_type="image/png")

    dispatch = services.schedule_dispatch(
        channel=channel, source_key="p", text="", media=[item], scheduled_at=T0, actor=personas.community_manager
    )

    dispatch.refresh_from_db()
    assert dispatch.media == [{"path": "media/a.png", "alt_text": "Une éolienne", "content_type": "image/png"}]


def test_a_naive_time_is_refused(personas: Personas) -> None:
    channel = demo_channel(personas.community_manager)

    with pytest.raises(DispatchError):
        schedule(channel, personas.community_manager, at=datetime.datetime(2026, 5, 4, 9, 0))


def test_cancelling_is_logged_and_audited(personas: Personas) -> None:
    channel = demo_channel(personas.community_manager)
    schedule(channel, personas.community_manager)

    cancelled = services.cancel_dispatch(channel=channel, source_key="post:1", actor=personas.community_manager)

    assert cancelled is not None
    assert cancelled.state == Dispatch.State.CANCELLED
    attempt = Attempt.objects.get(dispatch=cancelled)
    assert (attempt.kind, attempt.outcome, attempt.actor) == (
        Attempt.Kind.DECISION,
        Attempt.Outcome.DECIDED,
        personas.community_manager,
    )
    assert AuditEntry.objects.filter(action="dispatch.cancelled", organization=personas.acme).count() == 1


def test_cancelling_a_published_post_is_refused(personas: Personas) -> None:
    channel = demo_channel(personas.community_manager)
    dispatch = schedule(channel, personas.community_manager)
    Dispatch.objects.filter(pk=dispatch.pk).update(state=Dispatch.State.SENT)

    with pytest.raises(DispatchError):
        services.cancel_dispatch(channel=channel, source_key="post:1", actor=personas.community_manager)

    assert Dispatch.objects.get().state == Dispatch.State.SENT


def test_cancelling_an_unknown_source_does_nothing(personas: Personas) -> None:
    channel = demo_channel(personas.community_manager)

    assert services.cancel_dispatch(channel=channel, source_key="nope", actor=personas.community_manager) is None


def test_a_cancelled_dispatch_scheduled_again_is_back_in_the_queue(personas: Personas) -> None:
    channel = demo_channel(personas.community_manager)
    schedule(channel, personas.community_manager)
    services.cancel_dispatch(channel=channel, source_key="post:1", actor=personas.community_manager)

    again = schedule(channel, personas.community_manager)

    assert again.state == Dispatch.State.SCHEDULED


def test_dispatches_are_found_by_their_source_keys(personas: Personas) -> None:
    channel = demo_channel(personas.community_manager)
    other = demo_channel(personas.community_manager, network=Network.BLUESKY, name="Acme on Bluesky")
    schedule(channel, personas.community_manager, source_key="post:1")
    schedule(other, personas.community_manager, source_key="post:1")
    schedule(channel, personas.community_manager, source_key="post:2")

    found = dispatches_for_sources(["post:1"])

    assert sorted(d.channel.name for d in found) == ["Acme on Bluesky", "Acme on Mastodon"]
