"""Facebook pages and Instagram business accounts against exchanges recorded from Meta's Graph API documentation."""

import dataclasses
import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import respx

from portevoix.channels.connectors import base
from portevoix.channels.connectors.meta.facebook import FacebookPageConnector
from portevoix.channels.connectors.meta.instagram import InstagramConnector
from portevoix.channels.connectors.meta.oauth import InstagramOAuth, MetaOAuth
from portevoix.channels.connectors.registry import connector_entry
from portevoix.lib.networks import Network
from tests.recorded_exchanges import (
    Exchange,
    publish_fails,
    refresh_then_publish,
    replay,
)

PAGE = base.AccountAccess(
    base_url="https://graph.facebook.com",
    access_token="fb-page-1",
    remote_account_id="104857362918273",
    handle="acmeenergie",
    refresh_token="104857362918273|fb-user-long-1",
)
INSTAGRAM_ACCOUNT = dataclasses.replace(PAGE, remote_account_id="17841405822304914", handle="@acme.energie")
APP = base.AppCredentials(client_id="meta-app", client_secret="meta-secret")
CALLBACK = "https://portevoix.acme.example/channels/oauth/callback/"
TEXT = "Nos équipes au salon Vivatech : https://acme.example/vivatech"
POST = base.OutgoingPost(text=TEXT, idempotency_key="dispatch-71")
SINCE = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)
PHOTO = base.MediaItem(
    "https://media.acme.example/usine.jpg", "Le hall de l'usine, panneaux solaires sur le toit", "image/jpeg"
)
IG_POST = base.OutgoingPost("Notre nouvelle usine de Lyon #energie", "dispatch-72", (PHOTO,))


def test_a_page_post_goes_out_and_the_usage_headers_give_the_quota_left(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    route = replay(respx_mock, recorded["page_post"])
    connector = FacebookPageConnector(PAGE)

    published = connector.publish(POST)

    assert route.call_count == 1
    assert published.remote_id == "104857362918273_122189034567890123"
    assert published.remote_url == "https://www.facebook.com/104857362918273_122189034567890123"
    assert connector.rate_limit == base.RateLimit(remaining=70, reset_at=None)


def test_a_page_photo_carries_its_caption_and_alt_text(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange], tmp_path: Path
) -> None:
    image = tmp_path / "usine.jpg"
    image.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 60)
    route = replay(respx_mock, recorded["page_photo"])
    media = dataclasses.replace(PHOTO, path=str(image))

    published = FacebookPageConnector(PAGE).publish(base.OutgoingPost("Notre nouvelle usine de Lyon", "d-73", (media,)))

    assert route.call_count == 1
    assert published.remote_id == "104857362918273_122189034567890556"


def test_a_reply_is_a_comment_under_what_it_answers(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["comment_reply"])
    reply = base.OutgoingPost("Stand B12, venez nous voir !", "r-71", (), "122189034567890123_998877665544")

    assert FacebookPageConnector(PAGE).reply(reply).remote_id == "122189034567890123_998877665599"


def test_a_page_rate_limit_waits_for_the_time_meta_announces(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    connector = FacebookPageConnector(PAGE)

    raised = publish_fails(respx_mock, recorded["page_post_rate_limited"], connector, POST, base.RateLimited)

    assert (raised.retry_after, raised.status) == (datetime.timedelta(minutes=17), 400)
    assert connector.rate_limit is not None
    assert connector.rate_limit.remaining == 0


def test_a_429_with_retry_after_waits_as_long_as_it_says(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    exchange = recorded["page_post_retry_after"]

    raised = publish_fails(respx_mock, exchange, FacebookPageConnector(PAGE), POST, base.RateLimited)

    assert raised.retry_after == datetime.timedelta(seconds=90)


def test_an_invalid_token_is_renewed_through_the_user_token_and_the_post_goes_out_once(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    page_token = replay(respx_mock, recorded["page_token"])
    flow = MetaOAuth(base_url="https://graph.facebook.com")
    expired = dataclasses.replace(PAGE, access_token="fb-page-expired")

    grant, published = refresh_then_publish(
        respx_mock, recorded, FacebookPageConnector, expired, POST, lambda token: flow.refresh(APP, refresh_token=token)
    )

    assert page_token.call_count == 1
    assert (grant.access_token, grant.refresh_token, grant.expires_at) == (
        "fb-page-2",
        "104857362918273|fb-user-long-2",
        None,
    )
    assert published.remote_id == "104857362918273_122189034567890123"


def test_a_timeout_after_sending_is_ambiguous_and_never_retried(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    publish_fails(respx_mock, recorded["page_post_timeout"], FacebookPageConnector(PAGE), POST, base.AmbiguousOutcome)


def test_a_transient_graph_error_on_a_post_is_ambiguous(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    exchange = recorded["page_post_transient"]

    assert publish_fails(respx_mock, exchange, FacebookPageConnector(PAGE), POST, base.AmbiguousOutcome).status == 500


def test_a_duplicate_status_is_a_permanent_refusal(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    exchange = recorded["page_post_duplicate"]

    raised = publish_fails(respx_mock, exchange, FacebookPageConnector(PAGE), POST, base.PermanentError)

    assert "Duplicate status message" in raised.message


@pytest.mark.parametrize(
    ("connector", "post", "pages", "remote_id"),
    [
        (FacebookPageConnector(PAGE), POST, "published_posts", "104857362918273_122189034567890123"),
        (InstagramConnector(INSTAGRAM_ACCOUNT), IG_POST, "ig_recent_media", "17918195224117851"),
    ],
    ids=["facebook", "instagram"],
)
def test_an_ambiguous_post_behind_a_page_of_newer_posts_is_found_by_following_the_cursor(
    respx_mock: respx.MockRouter,
    recorded: dict[str, Exchange],
    connector: base.Connector,
    post: base.OutgoingPost,
    pages: str,
    remote_id: str,
) -> None:
    route = replay(respx_mock, recorded[f"{pages}_page_1"], recorded[f"{pages}_page_2"])

    found = connector.find_published(post, since=SINCE)

    assert route.call_count == 2
    assert found is not None
    assert found.remote_id == remote_id


def test_comments_from_others_and_tags_of_the_page_come_after_the_cursor(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["page_comments"], recorded["page_comments"])
    replay(respx_mock, recorded["page_tagged"], recorded["page_tagged"])
    connector = FacebookPageConnector(PAGE)

    page = connector.fetch_interactions(cursor="2026-11-27T00:00:00+0000")
    again = connector.fetch_interactions(cursor=page.cursor)

    mention, comment = page.items
    assert (mention.kind, mention.author_name, mention.text) == (
        "mention",
        "Marc",
        "Merci à Acme Énergie pour l'accueil ce matin",
    )
    assert (comment.kind, comment.author_name, comment.in_reply_to) == (
        "comment",
        "Claire Dupont",
        "104857362918273_122189034567890123",
    )
    assert comment.created_at == datetime.datetime(2026, 11, 27, 10, 5, tzinfo=datetime.UTC)
    assert page.cursor == "2026-11-27T10:05:00+0000"
    assert (again.items, again.cursor) == ([], page.cursor)


def test_page_metrics_count_reactions_shares_and_comments(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["page_metrics"])

    (metrics,) = FacebookPageConnector(PAGE).fetch_metrics(["104857362918273_122189034567890123"])

    assert (metrics.likes, metrics.reposts, metrics.replies, metrics.impressions) == (57, 6, 4, None)


def test_login_gives_the_page_token_and_keeps_the_long_lived_user_token_to_refresh_it(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["code_token"], recorded["long_lived_token"])
    replay(respx_mock, recorded["accounts"], recorded["accounts"])
    replay(respx_mock, recorded["me_page"])
    flow = MetaOAuth(base_url="https://graph.facebook.com")

    url = flow.authorization_url(APP, redirect_uri=CALLBACK, state="st4te")
    grant = flow.exchange_code(APP, code="AQBx-fb-code", redirect_uri=CALLBACK)
    acme, careers = flow.pages(user_token="fb-user-long-1")
    page = FacebookPageConnector(
        dataclasses.replace(PAGE, access_token=grant.access_token, remote_account_id="")
    ).identity()

    query = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    assert url.startswith("https://www.facebook.com/v23.0/dialog/oauth?")
    assert {"pages_manage_posts", "instagram_content_publish"} <= set(query["scope"].split(","))
    assert (grant.access_token, grant.refresh_token, grant.expires_at) == (
        "fb-page-1",
        "104857362918273|fb-user-long-1",
        None,
    )
    assert (acme.instagram_id, acme.instagram_username) == ("17841405822304914", "acme.energie")
    assert (careers.name, careers.instagram_id) == ("Acme Careers", "")
    assert (page.remote_account_id, page.display_name) == ("104857362918273", "Acme Énergie")


def test_the_secrets_meta_takes_in_its_addresses_never_reach_the_logs(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange], caplog: pytest.LogCaptureFixture
) -> None:
    # Meta's token exchange is a GET: the app secret, the code and the user token ride in the query string.
    replay(respx_mock, recorded["code_token"], recorded["long_lived_token"])
    replay(respx_mock, recorded["accounts"])

    MetaOAuth(base_url="https://graph.facebook.com").exchange_code(APP, code="AQBx-fb-code", redirect_uri=CALLBACK)

    assert respx_mock.calls.call_count == 3
    assert APP.client_secret in str(respx_mock.calls[0].request.url)
    for secret in (APP.client_secret, "AQBx-fb-code", "fb-user-long-1"):
        assert secret not in caplog.text


def test_an_instagram_connection_takes_the_page_linked_to_a_business_account(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["code_token"], recorded["long_lived_token"])
    replay(respx_mock, recorded["accounts"])
    replay(respx_mock, recorded["me_instagram"])

    grant = InstagramOAuth(base_url="https://graph.facebook.com").exchange_code(
        APP, code="AQBx-fb-code", redirect_uri=CALLBACK
    )
    account = dataclasses.replace(INSTAGRAM_ACCOUNT, access_token=grant.access_token, remote_account_id="")
    me = InstagramConnector(account).identity()

    assert grant.access_token == "fb-page-1"
    assert (me.remote_account_id, me.handle, me.url) == (
        "17841405822304914",
        "@acme.energie",
        "https://www.instagram.com/acme.energie/",
    )


def test_an_instagram_connection_needs_a_page_with_a_business_account(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["code_token"], recorded["long_lived_token"])
    replay(respx_mock, recorded["accounts_without_instagram"])

    with pytest.raises(base.PermanentError, match="Instagram business account"):
        InstagramOAuth(base_url="https://graph.facebook.com").exchange_code(
            APP, code="AQBx-fb-code", redirect_uri=CALLBACK
        )


def test_an_instagram_post_is_a_container_then_a_publish(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    steps = [replay(respx_mock, recorded[name]) for name in ("ig_container", "ig_publish", "ig_permalink")]

    published = InstagramConnector(INSTAGRAM_ACCOUNT).publish(IG_POST)

    assert [step.call_count for step in steps] == [1, 1, 1]
    assert (published.remote_id, published.remote_url) == (
        "17918195224117851",
        "https://www.instagram.com/p/DAbCdEfGhIj/",
    )


def test_an_instagram_post_is_published_even_if_its_address_cannot_be_read(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    for name in ("ig_container", "ig_publish", "ig_permalink_unavailable"):
        replay(respx_mock, recorded[name])

    published = InstagramConnector(INSTAGRAM_ACCOUNT).publish(IG_POST)

    assert (published.remote_id, published.remote_url) == ("17918195224117851", "")


def test_an_instagram_publish_that_times_out_is_ambiguous_and_found_by_its_caption(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["ig_container"])
    recent = replay(respx_mock, recorded["ig_recent_media"])
    connector = InstagramConnector(INSTAGRAM_ACCOUNT)

    publish_fails(respx_mock, recorded["ig_publish_timeout"], connector, IG_POST, base.AmbiguousOutcome)
    found = connector.find_published(IG_POST, since=SINCE)

    assert recent.call_count == 1
    assert found is not None
    assert found.remote_id == "17918195224117851"


def test_an_ambiguous_instagram_reply_is_ours_only_if_the_account_wrote_it(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["ig_comment_replies"])
    reply = base.OutgoingPost(text="@claire.d merci !", idempotency_key="dispatch-72", in_reply_to="17870913679156914")

    found = InstagramConnector(INSTAGRAM_ACCOUNT).find_published(reply, since=SINCE)

    # A visitor wrote the same words a second earlier: that reply is not ours.
    assert found is not None
    assert found.remote_id == "17870913679157000"


def test_instagram_refuses_a_post_without_an_image_or_with_a_private_one(respx_mock: respx.MockRouter) -> None:
    connector = InstagramConnector(INSTAGRAM_ACCOUNT)
    private = dataclasses.replace(PHOTO, path="/var/portevoix/media/usine.jpg")

    with pytest.raises(base.PermanentError, match="at least one image"):
        connector.publish(base.OutgoingPost("Texte seul", "d-74"))
    with pytest.raises(base.PermanentError, match="public https address"):
        connector.publish(base.OutgoingPost("Photo", "d-75", (private,)))
    assert not respx_mock.calls


def test_instagram_comments_replies_and_tags_come_after_the_cursor(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["ig_comments"])
    replay(respx_mock, recorded["ig_tags"])

    page = InstagramConnector(INSTAGRAM_ACCOUNT).fetch_interactions(cursor="2026-11-27T10:02:00+0000")

    comment, reply = page.items
    assert (comment.kind, comment.author_handle, comment.text) == ("comment", "@claire.d", "Magnifique bâtiment 😍")
    assert (comment.in_reply_to, comment.url) == ("17918195224117851", "https://www.instagram.com/p/DAbCdEfGhIj/")
    assert (reply.kind, reply.in_reply_to) == ("reply", "17870913679156914")
    assert page.cursor == "2026-11-27T10:07:00+0000"


def test_an_instagram_reply_answers_the_comment(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    replay(respx_mock, recorded["ig_comment_reply"])
    reply = base.OutgoingPost("@claire.d merci !", "r-72", (), "17870913679156914")

    assert InstagramConnector(INSTAGRAM_ACCOUNT).reply(reply).remote_id == "17870913679157000"


def test_capabilities_of_the_two_meta_networks() -> None:
    facebook = connector_entry(Network.FACEBOOK).connector.capabilities
    instagram = connector_entry(Network.INSTAGRAM).connector.capabilities

    assert (facebook.text_limit, instagram.text_limit) == (63206, 2200)
    assert (facebook.has_idempotency_key, instagram.has_idempotency_key) == (False, False)
    assert instagram.media_types == frozenset({"image/jpeg"})
    assert FacebookPageConnector(PAGE).share_page(text="Bonjour", url="https://acme.example/") == (
        "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Facme.example%2F"
    )
