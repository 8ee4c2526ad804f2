"""The outbox publishing to a real Mastodon API server: exactly once, never early, never in a crisis."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import Mailbox, Personas
from portevoix.accounts.services import set_interface_language
from portevoix.audit.models import AuditEntry
from portevoix.channels import publishing, services
from portevoix.channels.connection import connector_for
from portevoix.channels.connectors.base import OutgoingPost
from portevoix.channels.models import Alert, Attempt, Channel, Dispatch
from portevoix.channels.tests.conftest import MastodonServer
from portevoix.channels.tests.factories import connect_mastodon, demo_channel, schedule
from portevoix.crisis.models import TimelineEntry
from portevoix.crisis.services import lift_crisis, start_crisis

WORKER = "test-worker"


def past(seconds: int = 1) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def make_due(dispatch: Dispatch) -> None:
    # Time passing, as a clock would: the retry's moment has come.
    Dispatch.objects.filter(pk=dispatch.pk).update(next_attempt_at=past())


@pytest.fixture
def channel(mastodon: MastodonServer, personas: Personas) -> Channel:
    return connect_mastodon(mastodon.base_url, personas.community_manager)


def test_a_due_dispatch_is_published_once_with_its_address(
    mastodon: MastodonServer, channel: Channel, personas: Personas
) -> None:
    dispatch = schedule(channel, personas.community_manager, text="Notre rapport annuel est en ligne", at=past())

    first = publishing.publish_dispatch(dispatch.pk, worker=WORKER)
    second = publishing.publish_dispatch(dispatch.pk, worker=WORKER)

    statuses = mastodon.statuses()
    dispatch.refresh_from_db()
    assert (first, second) == ("sent", "not_claimed")
    assert len(statuses) == 1
    assert (dispatch.state, dispatch.remote_id, dispatch.remote_url, dispatch.attempts) == (
        Dispatch.State.SENT,
        statuses[0]["id"],
        statuses[0]["url"],
        1,
    )
    assert list(dispatch.attempt_log.values_list("kind", "outcome")) == [
        (Attempt.Kind.PUBLISH, Attempt.Outcome.PUBLISHED)
    ]


def test_nothing_goes_out_before_its_time(mastodon: MastodonServer, channel: Channel, personas: Personas) -> None:
    dispatch = schedule(channel, personas.community_manager, at=timezone.now() + datetime.timedelta(minutes=5))

    assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "not_claimed"

    assert mastodon.statuses() == []
    assert Dispatch.objects.get().state == Dispatch.State.SCHEDULED


def test_a_crisis_freezes_scheduled_posts_and_nothing_frozen_goes_out_until_a_person_reschedules(
    mastodon: MastodonServer, channel: Channel, personas: Personas
) -> None:
    dispatch = schedule(channel, personas.community_manager, at=past())

    crisis = start_crisis(actor=personas.director, title="Incident", holding_statement="Nous enquêtons.")
    during = publishing.publish_dispatch(dispatch.pk, worker=WORKER)
    lift_crisis(crisis=crisis, actor=personas.director, reason="Résolu")
    after = publishing.publish_dispatch(dispatch.pk, worker=WORKER)

    assert (during, after) == ("not_claimed", "not_claimed")
    assert Dispatch.objects.get().state == Dispatch.State.FROZEN
    assert TimelineEntry.objects.filter(crisis=crisis, kind="effect").get().text == "1 publication programmée gelée"
    assert mastodon.statuses() == []

    services.reschedule_dispatch(dispatch=dispatch, scheduled_at=past(), actor=personas.community_manager)

    assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "sent"
    assert len(mastodon.statuses()) == 1
    assert AuditEntry.objects.filter(action="dispatch.rescheduled").count() == 1


def test_a_post_frozen_while_it_may_already_be_out_says_so_and_is_looked_for_before_any_new_send(
    mastodon: MastodonServer, channel: Channel, personas: Personas, client: Client
) -> None:
    dispatch = schedule(channel, personas.community_manager, text="Envoyée juste avant la crise", at=past())
    claimed = publishing.claim_dispatch(dispatch.pk, worker="doomed")
    assert claimed is not None
    with connector_for(channel) as dead_worker:  # it went out, then the worker died before noting it
        dead_worker.publish(OutgoingPost(text=claimed.text, idempotency_key=claimed.idempotency_key))
    publishing.sweep_outbox(now=timezone.now() + datetime.timedelta(seconds=121))

    crisis = start_crisis(actor=personas.director, title="Incident", holding_statement="Nous enquêtons.")
    set_interface_language(person=personas.community_manager, language="en")
    client.force_login(personas.community_manager)
    page = client.get(f"/channels/{channel.pk}/").content.decode()
    lift_crisis(crisis=crisis, actor=personas.director, reason="Résolu")
    services.reschedule_dispatch(dispatch=dispatch, scheduled_at=past(), actor=personas.community_manager)
    outcome = publishing.publish_dispatch(dispatch.pk, worker=WORKER)

    assert "may already be online (sent just before the crisis without an answer)" in page
    assert outcome == "sent"
    assert len(mastodon.statuses()) == 1
    assert dispatch.attempt_log.order_by("pk").last().outcome == Attempt.Outcome.FOUND  # type: ignore[union-attr]


def test_the_claim_refuses_while_a_crisis_is_on_even_for_a_post_scheduled_during_it(
    mastodon: MastodonServer, channel: Channel, personas: Personas
) -> None:
    start_crisis(actor=personas.director, title="Incident", holding_statement="Nous enquêtons.")
    dispatch = schedule(channel, personas.community_manager, at=past())

    assert publishing.claim_dispatch(dispatch.pk, worker=WORKER) is None
    assert mastodon.statuses() == []


def test_a_rate_limit_waits_as_long_as_the_network_asks_without_counting_an_attempt(
    mastodon: MastodonServer, channel: Channel, personas: Personas
) -> None:
    dispatch = schedule(channel, personas.community_manager, at=past())
    mastodon.add_fault(effect="ratelimit", headers={"Retry-After": "30"})

    before = timezone.now()
    assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "rate_limited"

    dispatch.refresh_from_db()
    channel.refresh_from_db()
    assert (dispatch.state, dispatch.attempts) == (Dispatch.State.SCHEDULED, 0)
    assert (
        before + datetime.timedelta(seconds=30)
        <= dispatch.next_attempt_at
        <= timezone.now() + datetime.timedelta(seconds=30)
    )
    assert channel.rate_limited_until == dispatch.next_attempt_at
    assert mastodon.statuses() == []


def test_a_server_error_is_checked_on_the_network_before_sending_again(
    mastodon: MastodonServer, channel: Channel, personas: Personas
) -> None:
    dispatch = schedule(channel, personas.community_manager, text="Après une erreur du serveur", at=past())
    mastodon.add_fault(effect="status", status=502)

    assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "retry"
    dispatch.refresh_from_db()
    assert (dispatch.state, dispatch.needs_check) == (Dispatch.State.SCHEDULED, True)
    assert dispatch.next_attempt_at > timezone.now()

    make_due(dispatch)
    assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "sent"

    assert len(mastodon.statuses()) == 1
    assert list(dispatch.attempt_log.values_list("kind", "outcome", "http_status")) == [
        (Attempt.Kind.PUBLISH, Attempt.Outcome.AMBIGUOUS, 502),
        (Attempt.Kind.RECONCILE, Attempt.Outcome.PUBLISHED, None),
    ]


def test_a_worker_that_died_after_the_network_published_never_causes_a_second_post(
    mastodon: MastodonServer, channel: Channel, personas: Personas
) -> None:
    dispatch = schedule(channel, personas.community_manager, text="Le travailleur est mort après l'envoi", at=past())
    claimed = publishing.claim_dispatch(dispatch.pk, worker="doomed")
    assert claimed is not None
    with connector_for(channel) as dead_worker:  # what the killed worker had sent before it died
        dead_worker.publish(OutgoingPost(text=claimed.text, idempotency_key=claimed.idempotency_key))

    lease_over = timezone.now() + datetime.timedelta(seconds=121)
    swept = publishing.sweep_outbox(now=lease_over)
    make_due(dispatch)
    outcome = publishing.publish_dispatch(dispatch.pk, worker=WORKER)

    dispatch.refresh_from_db()
    assert swept["recovered"] == 1
    assert outcome == "sent"
    assert len(mastodon.statuses()) == 1
    assert dispatch.remote_id == mastodon.statuses()[0]["id"]
    assert list(dispatch.attempt_log.values_list("kind", "outcome")) == [
        (Attempt.Kind.RECONCILE, Attempt.Outcome.FOUND)
    ]


def test_a_worker_whose_claim_ran_out_before_it_sent_does_not_send(
    mastodon: MastodonServer, channel: Channel, personas: Personas
) -> None:
    dispatch = schedule(channel, personas.community_manager, text="Lent à envoyer", at=past())
    slow = publishing.claim_dispatch(dispatch.pk, worker="slow")
    assert slow is not None
    # The slow worker's lease ran out (a long read-back, a token renewal): the sweep gave the post back.
    publishing.sweep_outbox(now=timezone.now() + datetime.timedelta(seconds=121))
    attempt = Attempt.objects.create(dispatch=slow, kind=Attempt.Kind.PUBLISH, worker=slow.claimed_by)

    with connector_for(channel) as connector, pytest.raises(publishing.ClaimLost):
        publishing.send_post(connector, slow, attempt)
    make_due(dispatch)
    outcome = publishing.publish_dispatch(dispatch.pk, worker=WORKER)

    assert outcome == "sent"
    assert len(mastodon.statuses()) == 1


def test_a_refused_post_fails_and_its_owner_is_told_in_the_app_and_by_email(
    mastodon: MastodonServer,
    channel: Channel,
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    dispatch = schedule(channel, personas.community_manager, at=past())
    mastodon.add_fault(effect="status", status=422, count=None)

    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "failed"
    run_jobs()

    alert = Alert.objects.get()
    assert (alert.kind, alert.recipient, alert.dispatch_id) == (
        Alert.Kind.DISPATCH_FAILED,
        personas.community_manager,
        dispatch.pk,
    )
    assert [m["Subject"] for m in mailbox.messages] == ["Une publication pour Acme Mastodon a échoué"]
    assert mailbox.messages[0]["To"] == "camille@acme.test"
    assert f"/channels/{channel.pk}/" in mailbox.messages[0].get_content()
    assert mastodon.statuses() == []


def test_an_outcome_the_network_never_settles_is_left_for_a_person_who_marks_it_published(
    mastodon: MastodonServer, channel: Channel, personas: Personas, settings: pytest.FixtureRequest
) -> None:
    settings.CHANNELS_MAX_ATTEMPTS = 2  # type: ignore[attr-defined]
    dispatch = schedule(channel, personas.community_manager, at=past())
    mastodon.add_fault(effect="status", status=500, count=None, method="POST")
    mastodon.add_fault(effect="status", status=503, count=None, method="GET", path="/api/v1/accounts/*")

    assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "retry"
    make_due(dispatch)
    assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "unconfirmed"
    assert Alert.objects.get().kind == Alert.Kind.DISPATCH_UNCONFIRMED

    services.mark_dispatch_published(
        dispatch=dispatch, remote_url="https://mastodon.example/@acme/1", actor=personas.community_manager
    )

    dispatch.refresh_from_db()
    assert (dispatch.state, dispatch.remote_url) == (Dispatch.State.SENT, "https://mastodon.example/@acme/1")
    assert AuditEntry.objects.filter(action="dispatch.marked_published", actor=personas.community_manager).count() == 1


def test_an_expired_token_fails_the_post_and_marks_the_channel_expired(
    mastodon: MastodonServer, channel: Channel, personas: Personas
) -> None:
    dispatch = schedule(channel, personas.community_manager, at=past())
    mastodon.add_fault(effect="status", status=401)

    assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "failed"

    channel.refresh_from_db()
    assert channel.state == Channel.State.EXPIRED
    later = schedule(channel, personas.community_manager, source_key="post:2", at=past())
    assert publishing.claim_dispatch(later.pk, worker=WORKER) is None


def test_a_demo_channel_publishes_to_nothing_real(personas: Personas) -> None:
    channel = demo_channel(personas.community_manager)
    dispatch = schedule(channel, personas.community_manager, at=past())

    assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "sent"

    dispatch.refresh_from_db()
    assert dispatch.remote_id.startswith("demo-")
    assert dispatch.remote_url == ""


def test_the_sweep_rings_for_overdue_dispatches_but_not_early_ones(
    personas: Personas, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    channel = demo_channel(personas.community_manager)
    schedule(channel, personas.community_manager, source_key="late", at=past(60))
    schedule(channel, personas.community_manager, source_key="early", at=timezone.now() + datetime.timedelta(hours=1))

    with django_capture_on_commit_callbacks() as rung:
        swept = publishing.sweep_outbox()

    assert swept == {"recovered": 0, "rung": 1}
    assert len(rung) == 1
