"""The Bluesky connector against exchanges recorded from the AT Protocol's lexicons and a PDS's answers.

A real PDS (`@atproto/dev-env`) takes minutes to install here, beyond the CI budget, so these
tests replay recorded exchanges, as the issue allows; `test_bluesky_pds.py` runs the connector
against a real PDS where one is installed, and the exchange of a repeated create is what it answered.
"""

import dataclasses
import datetime
import re
from pathlib import Path

import pytest
import respx
from django.utils import timezone

from portevoix.channels.connectors import base
from portevoix.channels.connectors.bluesky.connector import BlueskyConnector, facets, record_key
from portevoix.channels.connectors.bluesky.session import BlueskySession
from portevoix.channels.connectors.registry import connector_entry
from portevoix.lib.networks import Network
from tests.recorded_exchanges import Exchange, publish_fails, refresh_then_publish, replay

ACCOUNT = base.AccountAccess(
    base_url="https://pds.acme.example",
    access_token="bsky-access-1",
    remote_account_id="did:plc:ewvi7nxzyoun6zhxrhs64oiz",
    handle="@acme.example",
    refresh_token="bsky-refresh-1",
)
TEXT = "Nos équipes au salon Vivatech : https://acme.example/vivatech #Vivatech"
POST = base.OutgoingPost(text=TEXT, idempotency_key="dispatch-61", language="fr")
URI = "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3m6duxvpwhs5c"


def test_the_record_key_is_a_valid_tid_fixed_by_the_idempotency_key() -> None:
    keys = {record_key(f"dispatch-{number}") for number in range(500)}

    assert record_key("dispatch-61") == record_key("dispatch-61") == "3m6duxvpwhs5c"
    assert len(keys) == 500
    assert all(re.fullmatch(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}", key) for key in keys)


def test_links_and_hashtags_become_facets_indexed_in_utf8_bytes() -> None:
    link, tag = facets(TEXT)

    encoded = TEXT.encode()
    assert encoded[link["index"]["byteStart"] : link["index"]["byteEnd"]] == b"https://acme.example/vivatech"
    assert encoded[tag["index"]["byteStart"] : tag["index"]["byteEnd"]] == b"#Vivatech"
    assert tag["features"] == [{"$type": "app.bsky.richtext.facet#tag", "tag": "Vivatech"}]


def test_a_post_is_created_under_its_record_key(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    route = replay(respx_mock, recorded["create_post"])
    connector = BlueskyConnector(ACCOUNT)

    published = connector.publish(POST)

    assert route.call_count == 1
    assert published.remote_id == URI
    assert published.remote_url == "https://bsky.app/profile/acme.example/post/3m6duxvpwhs5c"
    assert connector.rate_limit == base.RateLimit(4998, datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC))


def test_publishing_again_under_the_same_key_returns_the_existing_post(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    create = replay(respx_mock, recorded["create_post_again"])
    read_back = replay(respx_mock, recorded["get_record"])

    published = BlueskyConnector(ACCOUNT).publish(POST)

    assert (create.call_count, read_back.call_count) == (1, 1)
    assert published.remote_id == URI
    assert published.published_at == datetime.datetime(2026, 11, 27, 9, 0, 2, tzinfo=datetime.UTC)


def test_an_image_blob_is_uploaded_and_embedded_with_its_alt_text(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange], tmp_path: Path
) -> None:
    image = tmp_path / "usine.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 60)
    upload = replay(respx_mock, recorded["upload_image"])
    create = replay(respx_mock, recorded["create_post_with_image"])
    media = base.MediaItem(str(image), "Le hall de l'usine, panneaux solaires sur le toit", "image/png")

    BlueskyConnector(ACCOUNT).publish(base.OutgoingPost("Notre nouvelle usine de Lyon", "dispatch-62", (media,)))

    assert (upload.call_count, create.call_count) == (1, 1)
    assert upload.calls.last.request.content == image.read_bytes()


def test_an_image_over_the_blob_limit_is_refused_before_any_call(respx_mock: respx.MockRouter, tmp_path: Path) -> None:
    image = tmp_path / "affiche.jpg"
    image.write_bytes(b"\xff" * 1_000_001)
    media = base.MediaItem(str(image), "Affiche", "image/jpeg")

    with pytest.raises(base.PermanentError, match=r"affiche\.jpg"):
        BlueskyConnector(ACCOUNT).publish(base.OutgoingPost("Affiche", "dispatch-63", (media,)))


def test_a_reply_names_its_parent_and_the_thread_root(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["parent_post"])
    create = replay(respx_mock, recorded["create_reply"])
    parent = "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3m6dw4cmkxk2x"

    published = BlueskyConnector(ACCOUNT).reply(
        base.OutgoingPost("Stand B12, venez nous voir !", "reply-9", (), parent)
    )

    assert create.call_count == 1
    assert published.remote_id.endswith("/3noq65dotknse")


def test_a_429_waits_until_the_pds_ratelimit_reset(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    exchange = recorded["create_post_rate_limited"]
    reset_at = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=20)
    exchange.response["headers"]["ratelimit-reset"] = str(int(reset_at.timestamp()))

    raised = publish_fails(respx_mock, exchange, BlueskyConnector(ACCOUNT), POST, base.RateLimited)

    assert datetime.timedelta(minutes=19) < raised.retry_after <= datetime.timedelta(minutes=20)


def test_a_429_with_retry_after_waits_as_long_as_it_says(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    exchange = recorded["create_post_retry_after"]

    raised = publish_fails(respx_mock, exchange, BlueskyConnector(ACCOUNT), POST, base.RateLimited)

    assert raised.retry_after == datetime.timedelta(seconds=30)


def test_an_expired_session_is_refreshed_and_the_post_then_goes_out_once(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    expired = dataclasses.replace(ACCOUNT, access_token="bsky-access-expired")
    session = BlueskySession(base_url=ACCOUNT.base_url)
    recorded["token_refresh"] = recorded["refresh_session"]

    grant, published = refresh_then_publish(
        respx_mock, recorded, BlueskyConnector, expired, POST, lambda token: session.refresh(refresh_token=token)
    )

    assert grant.refresh_token == "bsky-refresh-2"
    assert grant.expires_at == datetime.datetime(2026, 11, 27, 12, 56, 40, tzinfo=datetime.UTC)
    assert published.remote_id == URI


def test_a_401_also_asks_for_a_new_session(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    revoked = BlueskyConnector(dataclasses.replace(ACCOUNT, access_token="bsky-access-revoked"))

    publish_fails(respx_mock, recorded["create_post_unauthorized"], revoked, POST, base.AuthExpired)


def test_a_revoked_refresh_token_means_signing_in_again(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["refresh_session_revoked"])

    with pytest.raises(base.AuthExpired, match="revoked"):
        BlueskySession(base_url=ACCOUNT.base_url).refresh(refresh_token="bsky-refresh-1")


def test_a_timeout_after_sending_is_ambiguous_and_settled_by_reading_the_record_key(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    read_back = replay(respx_mock, recorded["get_record"])
    connector = BlueskyConnector(ACCOUNT)

    publish_fails(respx_mock, recorded["create_post_timeout"], connector, POST, base.AmbiguousOutcome)
    found = connector.find_published(POST, since=datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC))

    assert read_back.call_count == 1
    assert found is not None
    assert found.remote_id == URI


def test_a_record_key_with_nothing_under_it_means_not_published(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["get_record_missing"])

    assert (
        BlueskyConnector(ACCOUNT).find_published(POST, since=datetime.datetime(2026, 11, 27, tzinfo=datetime.UTC))
        is None
    )


def test_delete_removes_the_record(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    route = replay(respx_mock, recorded["delete_post"])

    BlueskyConnector(ACCOUNT).delete(URI)

    assert route.call_count == 1


def test_mentions_replies_and_quotes_come_from_notifications_newer_than_the_cursor(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["notifications"], recorded["notifications"])
    connector = BlueskyConnector(ACCOUNT)

    page = connector.fetch_interactions(cursor="2026-11-27T00:00:00.000Z")
    again = connector.fetch_interactions(cursor=page.cursor)

    reply, mention = page.items
    assert page.cursor == "2026-11-27T10:05:01.214Z"
    assert (reply.kind, reply.author_handle, reply.author_name) == ("reply", "@claire.bsky.social", "Claire D.")
    assert reply.in_reply_to == URI
    assert reply.url == "https://bsky.app/profile/claire.bsky.social/post/3m6dw4cmkxk2x"
    assert (mention.kind, mention.text) == ("mention", "Quelqu'un a testé le service client de @acme.example ?")
    assert mention.created_at == datetime.datetime(2026, 11, 27, 10, 1, tzinfo=datetime.UTC)
    assert (again.items, again.cursor) == ([], page.cursor)


def test_metrics_count_likes_reposts_with_quotes_and_replies(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    route = replay(respx_mock, recorded["metrics"])

    (metrics,) = BlueskyConnector(ACCOUNT).fetch_metrics([URI])

    assert (metrics.likes, metrics.reposts, metrics.replies, metrics.impressions) == (42, 9, 3, None)
    assert route.calls.last.request.url.params["uris"] == URI


def test_signing_in_with_an_app_password_gives_the_session_and_who_it_is(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["create_session"])

    grant, identity = BlueskySession(base_url="https://pds.acme.example").sign_in(
        identifier="@acme.example", app_password="abcd-efgh-ijkl-mnop"
    )

    assert (grant.refresh_token, grant.expires_at) == (
        "bsky-refresh-1",
        datetime.datetime(2026, 11, 27, 11, 0, tzinfo=datetime.UTC),
    )
    assert (identity.remote_account_id, identity.handle) == ("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "@acme.example")


def test_an_account_password_is_refused_before_it_leaves(respx_mock: respx.MockRouter) -> None:
    with pytest.raises(base.PermanentError, match="app password"):
        BlueskySession(base_url="https://pds.acme.example").sign_in(identifier="acme.example", app_password="hunter2!")

    assert not respx_mock.calls


def test_a_wrong_app_password_is_refused(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    replay(respx_mock, recorded["create_session_wrong_password"])

    with pytest.raises(base.AuthExpired, match="Invalid identifier or password"):
        BlueskySession(base_url="https://pds.acme.example").sign_in(
            identifier="acme.example", app_password="zzzz-zzzz-zzzz-zzzz"
        )


def test_capabilities_say_idempotent_by_record_key_and_app_password() -> None:
    capabilities = connector_entry(Network.BLUESKY).connector.capabilities

    assert capabilities.has_idempotency_key
    assert (capabilities.connection, capabilities.max_media, capabilities.text_limit) == (
        base.ConnectionKind.APP_PASSWORD,
        4,
        300,
    )
    assert connector_entry(Network.BLUESKY).oauth is None
    assert BlueskyConnector(ACCOUNT).share_page(text="Bonjour", url="https://acme.example/") == (
        "https://bsky.app/intent/compose?text=Bonjour+https%3A%2F%2Facme.example%2F"
    )
