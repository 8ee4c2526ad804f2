"""The X connector against exchanges recorded from X API v2's documentation (no local X server exists)."""

import dataclasses
import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import respx
from django.utils import timezone

from portevoix.channels.connectors import base
from portevoix.channels.connectors.registry import connector_entry
from portevoix.channels.connectors.x.connector import XConnector
from portevoix.channels.connectors.x.oauth import XOAuth, code_challenge, code_verifier
from portevoix.lib.networks import Network
from tests.recorded_exchanges import Exchange, access_for, publish_fails, published_once, refresh_then_publish, replay

ACCOUNT, APP = access_for("x", base_url="https://api.x.com", remote_account_id="1450000000000000001", handle="@acme")
TEXT = "Nos équipes & nos clients au salon Vivatech : https://acme.example/vivatech"
POST = base.OutgoingPost(text=TEXT, idempotency_key="dispatch-41")


def test_a_post_goes_out_with_its_text_as_given(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    published = published_once(respx_mock, recorded["create_post"], XConnector(ACCOUNT), POST)

    assert published.remote_id == "1862441906311733248"
    assert published.remote_url == "https://x.com/acme/status/1862441906311733248"


def test_the_rate_limit_state_is_read_from_x_headers(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["create_post"])
    connector = XConnector(ACCOUNT)

    connector.publish(POST)

    assert connector.rate_limit is not None
    assert connector.rate_limit.remaining == 99
    assert connector.rate_limit.reset_at == datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)


def test_an_image_is_uploaded_with_its_alt_text_before_the_post(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange], tmp_path: Path
) -> None:
    image = tmp_path / "usine.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 60)
    upload = replay(respx_mock, recorded["upload_image"])
    alt = replay(respx_mock, recorded["image_alt_text"])
    create = replay(respx_mock, recorded["create_post_with_image"])
    media = base.MediaItem(
        path=str(image), alt_text="Le hall de l'usine, panneaux solaires sur le toit", content_type="image/png"
    )

    published = XConnector(ACCOUNT).publish(
        base.OutgoingPost("Notre nouvelle usine de Lyon", "dispatch-42", media=(media,))
    )

    assert (upload.call_count, alt.call_count, create.call_count) == (1, 1, 1)
    assert published.remote_id == "1862441906311733250"


def test_a_reply_names_the_post_it_answers(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    replay(respx_mock, recorded["create_reply"])
    reply = base.OutgoingPost("Merci ! Le programme est en ligne.", "reply-7", in_reply_to="1862450000000000007")

    published = XConnector(ACCOUNT).reply(reply)

    assert published.remote_id == "1862451111111111111"


def test_a_429_waits_until_x_rate_limit_reset(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    reset_at = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=9)
    exchange = recorded["create_post_rate_limited"]
    exchange.response["headers"]["x-rate-limit-reset"] = str(int(reset_at.timestamp()))

    raised = publish_fails(respx_mock, exchange, XConnector(ACCOUNT), POST, base.RateLimited)

    assert datetime.timedelta(minutes=8) < raised.retry_after <= datetime.timedelta(minutes=9)


def test_a_429_with_retry_after_waits_as_long_as_it_says(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    raised = publish_fails(respx_mock, recorded["create_post_retry_after"], XConnector(ACCOUNT), POST, base.RateLimited)

    assert (raised.retry_after, raised.status) == (datetime.timedelta(seconds=120), 429)


def test_a_401_is_refreshed_with_the_refresh_token_and_the_post_then_goes_out_once(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    expired = dataclasses.replace(ACCOUNT, access_token="x-access-expired")
    flow = XOAuth(base_url="https://api.x.com")

    grant, published = refresh_then_publish(
        respx_mock, recorded, XConnector, expired, POST, lambda token: flow.refresh(APP, refresh_token=token)
    )

    assert (grant.access_token, grant.refresh_token) == ("x-access-2", "x-refresh-2")
    assert grant.expires_at is not None
    assert abs(grant.expires_at - timezone.now() - datetime.timedelta(hours=2)) < datetime.timedelta(minutes=1)
    assert published.remote_id == "1862441906311733248"


def test_a_used_refresh_token_means_the_account_must_be_reconnected(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["token_refresh_reused"])

    with pytest.raises(base.AuthExpired):
        XOAuth(base_url="https://api.x.com").refresh(APP, refresh_token="x-refresh-1")


def test_a_timeout_after_sending_is_ambiguous_and_never_retried(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    publish_fails(respx_mock, recorded["create_post_timeout"], XConnector(ACCOUNT), POST, base.AmbiguousOutcome)


def test_a_server_error_on_a_post_is_ambiguous(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    raised = publish_fails(
        respx_mock, recorded["create_post_server_error"], XConnector(ACCOUNT), POST, base.AmbiguousOutcome
    )

    assert raised.status == 503


def test_a_connect_timeout_is_safe_to_retry(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    raised = publish_fails(
        respx_mock, recorded["create_post_unreachable"], XConnector(ACCOUNT), POST, base.RetryableError
    )

    assert not isinstance(raised, base.AmbiguousOutcome)


def test_duplicate_content_is_a_permanent_refusal(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    raised = publish_fails(
        respx_mock, recorded["create_post_duplicate"], XConnector(ACCOUNT), POST, base.PermanentError
    )

    assert "duplicate content" in raised.message


def test_an_ambiguous_post_behind_a_page_of_newer_posts_is_found_on_the_next_page(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    # A burst of posts after the ambiguous send: X's next_token leads back to it.
    route = replay(respx_mock, recorded["recent_posts_page_1"], recorded["recent_posts_page_2"])

    found = XConnector(ACCOUNT).find_published(POST, since=datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC))

    assert route.call_count == 2
    assert found is not None
    assert found.remote_id == "1862441906311733248"


def test_mentions_and_replies_come_after_the_cursor_with_their_authors(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["mentions"], recorded["mentions_none_new"])
    connector = XConnector(ACCOUNT)

    page = connector.fetch_interactions(cursor="1862400000000000000")
    again = connector.fetch_interactions(cursor=page.cursor)

    reply, mention = page.items
    assert page.cursor == "1862450000000000009"
    assert (reply.kind, reply.author_handle, reply.in_reply_to) == ("reply", "@claire_d", "1862441906311733248")
    assert reply.text == "@acme Vous serez sur quel stand ? <3"
    assert reply.url == "https://x.com/claire_d/status/1862450000000000009"
    assert (mention.kind, mention.author_name, mention.in_reply_to) == ("mention", "Marc", "")
    assert mention.created_at == datetime.datetime(2026, 11, 27, 10, 1, tzinfo=datetime.UTC)
    assert (again.items, again.cursor) == ([], "1862450000000000009")


def test_metrics_give_likes_reposts_replies_and_impressions(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["metrics"])

    first, second = XConnector(ACCOUNT).fetch_metrics(["1862441906311733248", "1862400000000000000"])

    assert (first.likes, first.reposts, first.replies, first.impressions, first.clicks) == (85, 14, 3, 5321, None)
    assert (second.remote_id, second.likes, second.impressions) == ("1862400000000000000", 7, 410)


def test_the_authorization_url_asks_for_offline_access_with_pkce() -> None:
    url = XOAuth(base_url="https://api.x.com").authorization_url(
        APP, redirect_uri="https://portevoix.acme.example/channels/oauth/callback/", state="st4te"
    )

    query = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    assert url.startswith("https://x.com/i/oauth2/authorize?")
    assert query["scope"].split() == ["tweet.read", "tweet.write", "users.read", "media.write", "offline.access"]
    assert query["code_challenge"] == code_challenge(code_verifier(APP))
    assert (query["code_challenge_method"], query["state"], query["client_id"]) == ("S256", "st4te", "x-client")


def test_the_code_is_exchanged_with_the_app_verifier(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    exchange = recorded["token_from_code"]
    exchange.request["form"]["code_verifier"] = code_verifier(APP)
    replay(respx_mock, exchange)

    grant = XOAuth(base_url="https://api.x.com").exchange_code(
        APP,
        code="VGNibzFWSWREZm01bjN1N3dicWlNUG1oa2xRRVNNdmVHelJGY2hVTl8",
        redirect_uri="https://portevoix.acme.example/channels/oauth/callback/",
    )

    assert (grant.access_token, grant.refresh_token) == ("x-access-1", "x-refresh-1")
    assert "offline.access" in grant.scope.split()


def test_capabilities_say_four_images_no_idempotency_key_and_a_share_page() -> None:
    capabilities = connector_entry(Network.X).connector.capabilities

    assert (capabilities.max_media, capabilities.text_limit) == (4, 280)
    assert not capabilities.has_idempotency_key
    assert capabilities.can_read_back
    assert capabilities.can_refresh_token
    assert XConnector(ACCOUNT).share_page(text="Bonjour", url="https://acme.example/") == (
        "https://x.com/intent/post?text=Bonjour&url=https%3A%2F%2Facme.example%2F"
    )
