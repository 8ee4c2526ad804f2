"""Renewing a channel's access: on a refused token while publishing, once for racing workers, ahead of expiry.

X, LinkedIn, Meta and Bluesky answer from their recorded exchanges (respx); Mastodon is a real
server (mastodon-mock) over HTTP.
"""

import datetime
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from django.db import connections
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import Mailbox, Personas
from portevoix.audit.models import AuditEntry
from portevoix.channels import alerts, publishing
from portevoix.channels.models import Alert, Attempt, Channel, Dispatch, NetworkApp
from portevoix.channels.refresh import RENEW_AHEAD, ReconnectNeeded, refresh_channel_tokens, refresh_expiring_tokens
from portevoix.channels.tasks import refresh_expiring_tokens_task
from portevoix.channels.tests.conftest import MastodonServer
from portevoix.channels.tests.factories import connect_mastodon, network_channel, schedule, x_channel
from portevoix.channels.tokens import decrypt_secret
from portevoix.jobs.periodic import registered_jobs
from portevoix.lib.networks import Network
from tests.recorded_exchanges import Exchange, load_exchanges, replay

CONNECTORS = Path(__file__).resolve().parent.parent / "connectors"
X = load_exchanges(CONNECTORS / "x" / "tests" / "exchanges.json")
LINKEDIN = load_exchanges(CONNECTORS / "linkedin" / "tests" / "exchanges.json")
META = load_exchanges(CONNECTORS / "meta" / "tests" / "exchanges.json")
BLUESKY = load_exchanges(CONNECTORS / "bluesky" / "tests" / "exchanges.json")
X_TEXT = "Nos équipes & nos clients au salon Vivatech : https://acme.example/vivatech"
WORKER = "test-worker"


def soon(**delta: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(**delta)


def past() -> datetime.datetime:
    return soon(seconds=-1)


def tokens(channel: Channel) -> tuple[str, str]:
    channel.refresh_from_db()
    return decrypt_secret(channel.access_token_encrypted), decrypt_secret(channel.refresh_token_encrypted)


def test_a_scheduled_post_on_x_with_an_expired_token_goes_out_after_one_refresh(
    respx_mock: respx.MockRouter, personas: Personas
) -> None:
    channel = x_channel(personas.community_manager)
    dispatch = schedule(channel, personas.community_manager, text=X_TEXT, at=past())
    posts = replay(respx_mock, X["create_post_expired_token"], X["create_post_after_refresh"])
    token = replay(respx_mock, X["token_refresh"])

    assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "sent"

    dispatch.refresh_from_db()
    assert (posts.call_count, token.call_count) == (2, 1)
    assert (dispatch.state, dispatch.remote_id, dispatch.attempts) == (Dispatch.State.SENT, "1862441906311733248", 1)
    [attempt] = dispatch.attempt_log.all()
    assert attempt.outcome == Attempt.Outcome.PUBLISHED
    assert "renewed" in attempt.detail
    assert tokens(channel) == ("x-access-2", "x-refresh-2")
    assert "x-access-2" not in channel.access_token_encrypted
    assert "x-refresh-2" not in channel.refresh_token_encrypted
    assert channel.token_expires_at is not None
    assert soon(minutes=119) < channel.token_expires_at <= soon(hours=2)
    assert channel.state == Channel.State.CONNECTED
    entry = AuditEntry.objects.get(action="channel.token_refreshed")
    assert (entry.actor, entry.actor_label, entry.target_id) == (None, "system", str(channel.pk))
    assert "x-access-2" not in str(entry.data)
    assert not Alert.objects.exists()


def test_a_channel_connected_with_the_installations_app_renews_with_it(
    respx_mock: respx.MockRouter, personas: Personas, settings: pytest.FixtureRequest
) -> None:
    settings.CHANNEL_APPS = {"x": ("x-client", "x-secret")}  # type: ignore[attr-defined]
    channel = network_channel(
        personas.community_manager,
        Network.X,
        access="x-access-expired",
        refresh="x-refresh-1",
        remote_account_id="1450000000000000001",
        handle="@acme",
    )
    token = replay(respx_mock, X["token_refresh"])

    # The organisation sets an app of its own since: the channel's tokens still belong to the installation's.
    NetworkApp.objects.create(
        organization=personas.acme, network="x", base_url="", client_id="acme-own-x", client_secret_encrypted=""
    )
    refresh_channel_tokens(channel, refused="X refused the token")

    assert channel.app is None
    assert token.call_count == 1
    assert tokens(channel) == ("x-access-2", "x-refresh-2")
    # Without the installation's app any more, a refusal cannot be renewed: the channel must be reconnected.
    settings.CHANNEL_APPS = {}  # type: ignore[attr-defined]
    with pytest.raises(ReconnectNeeded):
        refresh_channel_tokens(Channel.objects.get(pk=channel.pk), refused="X refused the token")
    assert token.call_count == 1
    channel.refresh_from_db()
    assert channel.state == Channel.State.EXPIRED


def test_two_workers_renewing_with_the_same_stale_token_reach_the_network_once(
    respx_mock: respx.MockRouter, personas: Personas
) -> None:
    channel = x_channel(personas.community_manager)
    first_worker, second_worker = Channel.objects.get(pk=channel.pk), Channel.objects.get(pk=channel.pk)
    # One recorded answer only: a second refresh with X's single-use token would be "one call too many".
    token = replay(respx_mock, X["token_refresh"])

    first = refresh_channel_tokens(first_worker, refused="X refused the token")
    second = refresh_channel_tokens(second_worker, refused="X refused the token")

    assert token.call_count == 1
    assert tokens(first) == tokens(second) == ("x-access-2", "x-refresh-2")
    assert AuditEntry.objects.filter(action="channel.token_refreshed").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_renewing_at_the_same_moment_reach_the_network_once(
    respx_mock: respx.MockRouter, personas: Personas
) -> None:
    channel = x_channel(personas.community_manager)
    token = replay(respx_mock, X["token_refresh"])
    answer = token.side_effect
    assert callable(answer)

    def slow_answer(request: httpx.Request) -> httpx.Response:
        time.sleep(0.3)  # the other worker asks meanwhile
        response = answer(request)
        assert isinstance(response, httpx.Response)
        return response

    token.side_effect = slow_answer
    barrier = threading.Barrier(2, timeout=10)
    renewed: list[tuple[str, str]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            stale = Channel.objects.get(pk=channel.pk)  # each worker read the channel before X refused
            barrier.wait()
            renewed.append(tokens(refresh_channel_tokens(stale, refused="X refused the token")))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert token.call_count == 1
    assert renewed == [("x-access-2", "x-refresh-2")] * 2


def test_a_refused_refresh_fails_the_post_expires_the_channel_and_alerts_the_owner_once(
    respx_mock: respx.MockRouter,
    personas: Personas,
    mailbox: Mailbox,
    run_jobs: Callable[[], int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    channel = x_channel(personas.community_manager)
    stale = Channel.objects.get(pk=channel.pk)
    dispatch = schedule(channel, personas.community_manager, text=X_TEXT, at=past())
    replay(respx_mock, X["create_post_expired_token"])
    token = replay(respx_mock, X["token_refresh_reused"])

    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "failed"
        # Another worker meeting the same refusal afterwards neither calls X nor alerts again.
        with pytest.raises(ReconnectNeeded) as again:
            refresh_channel_tokens(stale, refused="X refused the token")
    run_jobs()

    dispatch.refresh_from_db()
    channel.refresh_from_db()
    assert token.call_count == 1
    assert not again.value.alerted
    assert channel.state == Channel.State.EXPIRED
    assert dispatch.state == Dispatch.State.FAILED
    assert "reconnect" in dispatch.last_error
    assert "Value passed for the token was invalid." in dispatch.last_error
    alert = Alert.objects.get()
    assert (alert.kind, alert.recipient, alert.dispatch_id) == (
        Alert.Kind.TOKEN_EXPIRED,
        personas.community_manager,
        dispatch.pk,
    )
    assert [m["Subject"] for m in mailbox.messages] == [f"Reconnectez {channel.name}"]
    assert AuditEntry.objects.filter(action="channel.expired", actor=None).count() == 1
    later = schedule(channel, personas.community_manager, source_key="post:2", text=X_TEXT, at=past())
    assert publishing.claim_dispatch(later.pk, worker=WORKER) is None


def test_a_refused_mastodon_token_is_not_refreshed_and_the_channel_must_be_reconnected(
    mastodon: MastodonServer, personas: Personas
) -> None:
    channel = connect_mastodon(mastodon.base_url, personas.community_manager)
    dispatch = schedule(channel, personas.community_manager, at=past())
    mastodon.add_fault(effect="status", status=401)

    assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "failed"

    dispatch.refresh_from_db()
    channel.refresh_from_db()
    assert channel.state == Channel.State.EXPIRED
    assert (dispatch.state, dispatch.attempts) == (Dispatch.State.FAILED, 1)
    assert "reconnect" in dispatch.last_error
    assert list(Alert.objects.values_list("kind", "dispatch_id")) == [(Alert.Kind.TOKEN_EXPIRED, dispatch.pk)]
    assert not AuditEntry.objects.filter(action="channel.token_refreshed").exists()
    assert mastodon.statuses() == []


BLUESKY_JWT = BLUESKY["refresh_session"].response["json"]["accessJwt"]
# Networks that renew differently from X: Bluesky's session, Meta's page token read again with the user token.
RENEWALS: dict[str, dict[str, Any]] = {
    "bluesky": {
        "channel": {
            "network": Network.BLUESKY,
            "access": "bsky-access-expired",
            "refresh": "bsky-refresh-1",
            "remote_account_id": "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
            "handle": "@acme.example",
            "base_url": "https://pds.acme.example",
        },
        "text": "Nos équipes au salon Vivatech : https://acme.example/vivatech #Vivatech",
        "posts": (BLUESKY["create_post_expired_token"], BLUESKY["create_post_after_refresh"]),
        "renewal": (BLUESKY["refresh_session"],),
        "tokens": (BLUESKY_JWT, "bsky-refresh-2"),
        "expires_at": datetime.datetime.fromtimestamp(1795784200, tz=datetime.UTC),  # the JWT's exp
    },
    "facebook": {
        "channel": {
            "network": Network.FACEBOOK,
            "access": "fb-page-expired",
            "refresh": "104857362918273|fb-user-long-1",
            "remote_account_id": "104857362918273",
            "handle": "acmeenergie",
            "client": ("meta-app", "meta-secret"),
        },
        "text": "Nos équipes au salon Vivatech : https://acme.example/vivatech",
        "posts": (META["create_post_expired_token"], META["create_post_after_refresh"]),
        "renewal": (META["token_refresh"], META["page_token"]),
        "tokens": ("fb-page-2", "104857362918273|fb-user-long-2"),
        "expires_at": None,  # a page token does not expire
    },
}


@pytest.mark.parametrize("network", RENEWALS)
def test_a_refused_token_is_renewed_the_networks_own_way_and_the_post_goes_out_once(
    respx_mock: respx.MockRouter, personas: Personas, network: str
) -> None:
    case = RENEWALS[network]
    channel = network_channel(personas.community_manager, **case["channel"])
    dispatch = schedule(channel, personas.community_manager, text=case["text"], at=past())
    # Bluesky's record key comes from the idempotency key: the recorded one's.
    Dispatch.objects.filter(pk=dispatch.pk).update(idempotency_key="dispatch-61")
    posts = replay(respx_mock, *case["posts"])
    renewal = [replay(respx_mock, exchange) for exchange in case["renewal"]]

    assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "sent"

    assert posts.call_count == 2
    assert [route.call_count for route in renewal] == [1] * len(renewal)
    assert tokens(channel) == case["tokens"]
    assert channel.token_expires_at == case["expires_at"]


def test_tokens_about_to_expire_are_renewed_ahead_and_the_others_are_left_or_warned(
    respx_mock: respx.MockRouter, personas: Personas
) -> None:
    owner = personas.community_manager
    x_soon = x_channel(owner, access="x-access-1", expires_at=soon(minutes=20))
    x_later = x_channel(owner, access="x-access-1", expires_at=soon(hours=1), remote_account_id="1450000000000000002")
    linkedin_soon, linkedin_manual = (
        network_channel(
            owner,
            Network.LINKEDIN,
            access="li-access-1",
            refresh=refresh,
            remote_account_id=f"urn:li:organization:{organization}",
            handle=f"acme-{organization}",
            client=("li-client", "li-secret"),
            expires_at=soon(days=5),
        )
        # The second app was given no refresh tokens by LinkedIn: only the person can renew, so they are warned.
        for refresh, organization in (("li-refresh-1", "2414183"), ("", "9"))
    )
    x_token = replay(respx_mock, X["token_refresh"])
    linkedin_token = replay(respx_mock, LINKEDIN["token_refresh"])

    assert refresh_expiring_tokens() == 2
    assert alerts.warn_expiring_tokens() == 1

    assert (x_token.call_count, linkedin_token.call_count) == (1, 1)
    assert tokens(x_soon) == ("x-access-2", "x-refresh-2")
    assert tokens(x_later) == ("x-access-1", "x-refresh-1")
    assert tokens(linkedin_soon) == ("li-access-2", "li-refresh-1")
    assert linkedin_soon.token_expires_at is not None
    assert linkedin_soon.token_expires_at > soon(days=59)
    assert list(Alert.objects.values_list("kind", "channel")) == [(Alert.Kind.TOKEN_EXPIRING, linkedin_manual.pk)]


def test_a_renewal_refused_ahead_warns_the_owner_once_and_keeps_the_channel_working_until_expiry(
    respx_mock: respx.MockRouter, personas: Personas
) -> None:
    channel = x_channel(personas.community_manager, access="x-access-1", expires_at=soon(minutes=20))
    token = replay(respx_mock, X["token_refresh_reused"])

    assert refresh_expiring_tokens() == 0
    assert refresh_expiring_tokens() == 0  # warned: not asked again

    channel.refresh_from_db()
    assert token.call_count == 1
    assert channel.state == Channel.State.CONNECTED
    assert tokens(channel) == ("x-access-1", "x-refresh-1")
    alert = Alert.objects.get()
    assert (alert.kind, alert.recipient) == (Alert.Kind.TOKEN_EXPIRING, personas.community_manager)
    assert "Value passed for the token was invalid." in alert.detail


def test_the_periodic_renewal_runs_often_enough_for_two_hour_tokens() -> None:
    [job] = [job for job in registered_jobs() if job.name == "channels.token_refresh"]

    assert job.task is refresh_expiring_tokens_task
    assert job.every * 2 <= RENEW_AHEAD[Network.X]  # at least two chances before an X token expires


def test_a_token_still_refused_after_renewal_expires_the_channel(
    respx_mock: respx.MockRouter, personas: Personas
) -> None:
    channel = x_channel(personas.community_manager)
    dispatch = schedule(channel, personas.community_manager, text=X_TEXT, at=past())
    refused = X["create_post_expired_token"]
    refused_again = Exchange(
        "create_post_refused_after_refresh",
        {**refused.request, "headers": {"authorization": "Bearer x-access-2"}},
        refused.response,
    )
    posts = replay(respx_mock, refused, refused_again)
    replay(respx_mock, X["token_refresh"])

    assert publishing.publish_dispatch(dispatch.pk, worker=WORKER) == "failed"

    channel.refresh_from_db()
    dispatch.refresh_from_db()
    assert posts.call_count == 2
    assert dispatch.state == Dispatch.State.FAILED
    assert channel.state == Channel.State.EXPIRED
    assert Alert.objects.get().kind == Alert.Kind.TOKEN_EXPIRED
