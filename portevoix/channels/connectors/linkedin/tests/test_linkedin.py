"""The LinkedIn connector against exchanges recorded from LinkedIn's Marketing API documentation."""

import dataclasses
import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import respx
from django.utils import timezone

from portevoix.channels.connectors import base
from portevoix.channels.connectors.linkedin.connector import LinkedInConnector, commentary
from portevoix.channels.connectors.linkedin.oauth import LinkedInOAuth
from portevoix.channels.connectors.registry import connector_entry
from portevoix.lib.networks import Network
from tests.recorded_exchanges import Exchange, access_for, publish_fails, published_once, refresh_then_publish, replay

PAGE, APP = access_for(
    "li", base_url="https://api.linkedin.com", remote_account_id="urn:li:organization:2414183", handle="acme-energie"
)
TEXT = "Nos équipes au salon Vivatech (stand B12) : https://acme.example/vivatech #Vivatech"
POST = base.OutgoingPost(text=TEXT, idempotency_key="dispatch-51")
CALLBACK = "https://portevoix.acme.example/channels/oauth/callback/"


def test_the_recorded_exchanges_use_the_pinned_api_version(recorded: dict[str, Exchange]) -> None:
    versions = {e.request.get("headers", {}).get("linkedin-version") for e in recorded.values()}
    assert versions == {None, base.API_VERSIONS[Network.LINKEDIN]}


def test_commentary_escapes_little_text_reserved_characters_and_keeps_hashtags() -> None:
    assert commentary("Stand (B12) @Acme *nouveau* #Vivatech 100 # de réduction") == (
        "Stand \\(B12\\) \\@Acme \\*nouveau\\* {hashtag|\\#|Vivatech} 100 \\# de réduction"
    )


def test_a_page_post_goes_out_as_the_organization(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    published = published_once(respx_mock, recorded["create_post"], LinkedInConnector(PAGE), POST)

    assert published.remote_id == "urn:li:share:7265432109876543210"
    assert published.remote_url == "https://www.linkedin.com/feed/update/urn:li:share:7265432109876543210/"


def test_an_image_is_registered_uploaded_and_posted_with_its_alt_text(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange], tmp_path: Path
) -> None:
    image = tmp_path / "usine.jpg"
    image.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 60)
    steps = [
        replay(respx_mock, recorded[name]) for name in ("initialize_image", "upload_image", "create_post_with_image")
    ]
    media = base.MediaItem(str(image), "Le hall de l'usine, panneaux solaires sur le toit", "image/jpeg")

    published = LinkedInConnector(PAGE).publish(
        base.OutgoingPost("Notre nouvelle usine de Lyon", "dispatch-52", (media,))
    )

    assert [step.call_count for step in steps] == [1, 1, 1]
    assert steps[1].calls.last.request.content == image.read_bytes()
    assert published.remote_id == "urn:li:share:7265432109876543222"


def test_a_reply_to_a_comment_is_a_nested_comment_as_the_page(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["create_comment_reply"])
    parent = "urn:li:comment:(urn:li:activity:7265432100000000001,7265440000000000042)"

    published = LinkedInConnector(PAGE).reply(
        base.OutgoingPost("Merci Claire ! Rendez-vous au stand B12.", "r-1", (), parent)
    )

    assert published.remote_id == "urn:li:comment:(urn:li:activity:7265432100000000001,7265441111111111111)"


def test_a_daily_429_without_retry_after_waits_until_midnight_utc(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    raised = publish_fails(
        respx_mock, recorded["create_post_rate_limited"], LinkedInConnector(PAGE), POST, base.RateLimited
    )

    back_at = (timezone.now() + raised.retry_after).astimezone(datetime.UTC)
    midnight = datetime.datetime.combine(back_at.date(), datetime.time(0, 0), tzinfo=datetime.UTC)
    assert abs(back_at - midnight) < datetime.timedelta(seconds=5)
    assert raised.retry_after <= datetime.timedelta(days=1)


def test_a_429_with_retry_after_waits_as_long_as_it_says(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    raised = publish_fails(
        respx_mock, recorded["create_post_retry_after"], LinkedInConnector(PAGE), POST, base.RateLimited
    )

    assert raised.retry_after == datetime.timedelta(seconds=60)


def test_an_expired_token_is_refreshed_and_the_post_then_goes_out_once(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    expired = dataclasses.replace(PAGE, access_token="li-access-expired")
    flow = LinkedInOAuth(base_url="https://api.linkedin.com")

    grant, published = refresh_then_publish(
        respx_mock, recorded, LinkedInConnector, expired, POST, lambda token: flow.refresh(APP, refresh_token=token)
    )

    assert grant.expires_at is not None
    assert abs(grant.expires_at - timezone.now() - datetime.timedelta(days=60)) < datetime.timedelta(minutes=1)
    assert published.remote_id == "urn:li:share:7265432109876543210"


def test_an_app_without_refresh_tokens_must_reconnect(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["token_refresh_not_granted"])

    with pytest.raises(base.AuthExpired, match="not allowed"):
        LinkedInOAuth(base_url="https://api.linkedin.com").refresh(APP, refresh_token="li-refresh-1")


def test_a_timeout_after_sending_is_ambiguous_and_never_retried(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    publish_fails(respx_mock, recorded["create_post_timeout"], LinkedInConnector(PAGE), POST, base.AmbiguousOutcome)


def test_a_gateway_timeout_on_a_post_is_ambiguous(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    exchange = recorded["create_post_server_error"]

    assert publish_fails(respx_mock, exchange, LinkedInConnector(PAGE), POST, base.AmbiguousOutcome).status == 504


def test_a_duplicate_is_refused_permanently_with_the_existing_post(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    exchange = recorded["create_post_duplicate"]

    raised = publish_fails(respx_mock, exchange, LinkedInConnector(PAGE), POST, base.PermanentError)

    assert (raised.status, "urn:li:share:7265432109876543210" in raised.message) == (422, True)


def test_an_ambiguous_post_behind_a_page_of_newer_posts_is_found_on_the_next_page(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    # A burst of posts after the ambiguous send: the next page (start=2) leads back to it.
    route = replay(respx_mock, recorded["recent_posts_page_1"], recorded["recent_posts_page_2"])

    found = LinkedInConnector(PAGE).find_published(
        POST, since=datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)
    )

    assert route.call_count == 2
    assert found is not None
    assert found.remote_id == "urn:li:share:7265432109876543210"


def test_comments_and_mentions_come_from_the_page_notifications_after_the_cursor(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    route = replay(respx_mock, recorded["notifications"], recorded["notifications_none_new"])
    connector = LinkedInConnector(PAGE)

    page = connector.fetch_interactions(cursor="1795770000000")
    again = connector.fetch_interactions(cursor=page.cursor)

    comment, mention = page.items
    assert page.cursor == "1795773900000"
    assert (comment.kind, comment.author_handle, comment.in_reply_to) == (
        "comment",
        "urn:li:person:A1b2C3d4",
        "urn:li:share:7265432109876543210",
    )
    assert comment.text == "Vous serez sur quel stand ? J'aimerais voir la démo."
    assert comment.remote_id == "urn:li:comment:(urn:li:activity:7265432100000000001,7265440000000000042)"
    assert (mention.kind, mention.text) == ("mention", "Belle rencontre avec l'équipe d'Acme ce matin.")
    assert mention.created_at == datetime.datetime(2026, 11, 27, 10, 1, tzinfo=datetime.UTC)
    starts = [parse_qs(urlsplit(str(call.request.url)).query)["timeRange"][0] for call in route.calls]
    assert starts[0].startswith("(start:1795770000001,")
    assert starts[1].startswith("(start:1795773900001,")
    assert (again.items, again.cursor) == ([], "1795773900000")


def test_metrics_include_impressions_and_clicks_for_shares_and_ugc_posts(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["metrics"])

    share, ugc = LinkedInConnector(PAGE).fetch_metrics(
        ["urn:li:share:7265432109876543210", "urn:li:ugcPost:7265400000000000001"]
    )

    assert (share.likes, share.reposts, share.replies, share.impressions, share.clicks) == (71, 6, 4, 2540, 52)
    assert (ugc.remote_id, ugc.impressions, ugc.clicks) == ("urn:li:ugcPost:7265400000000000001", 412, 3)


def test_authorization_asks_for_the_page_scopes_and_the_code_gives_a_60_day_token(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["token_from_code"])
    flow = LinkedInOAuth(base_url="https://api.linkedin.com")

    url = flow.authorization_url(APP, redirect_uri=CALLBACK, state="st4te")
    code = recorded["token_from_code"].request["form"]["code"]
    grant = flow.exchange_code(APP, code=code, redirect_uri=CALLBACK)

    query = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    assert url.startswith("https://www.linkedin.com/oauth/v2/authorization?")
    assert query["scope"].split() == ["r_organization_social", "w_organization_social", "rw_organization_admin"]
    assert (query["state"], query["redirect_uri"], query["client_id"]) == ("st4te", CALLBACK, "li-client")
    assert (grant.access_token, grant.refresh_token) == ("li-access-1", "li-refresh-1")
    assert grant.expires_at is not None
    assert grant.expires_at - timezone.now() > datetime.timedelta(days=59)


def test_capabilities_and_share_page() -> None:
    capabilities = connector_entry(Network.LINKEDIN).connector.capabilities

    assert (capabilities.text_limit, capabilities.token_lifetime) == (3000, datetime.timedelta(days=60))
    assert not capabilities.has_idempotency_key
    assert LinkedInConnector(PAGE).share_page(text="Bonjour", url="https://acme.example/") == (
        "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Facme.example%2F"
    )


MEMBER = dataclasses.replace(PAGE, remote_account_id="", handle="")


def test_at_connection_the_pages_the_person_administers_are_listed_with_their_names(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    acls = replay(respx_mock, recorded["administered_pages"])
    named = replay(respx_mock, recorded["administered_pages_named"])

    pages = LinkedInConnector(MEMBER).administered_pages()

    assert (acls.call_count, named.call_count) == (1, 1)
    assert pages == [
        base.AccountIdentity(
            remote_account_id="urn:li:organization:2414183",
            handle="acme-energie",
            display_name="Acme Énergie",
            url="https://www.linkedin.com/company/acme-energie/",
        ),
        base.AccountIdentity(
            remote_account_id="urn:li:organization:90577283",
            handle="acme-energie-recrutement",
            display_name="Acme Énergie Recrutement",
            url="https://www.linkedin.com/company/acme-energie-recrutement/",
        ),
    ]


def test_identity_never_picks_one_of_several_pages_by_itself(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["administered_pages"])
    replay(respx_mock, recorded["administered_pages_named"])

    with pytest.raises(base.PermanentError, match="several company pages: choose the one to connect"):
        LinkedInConnector(MEMBER).identity()


def test_a_connected_page_is_read_by_its_own_id(respx_mock: respx.MockRouter, recorded: dict[str, Exchange]) -> None:
    page = replay(respx_mock, recorded["organization"])

    identity = LinkedInConnector(PAGE).identity()

    assert page.call_count == 1
    assert (identity.remote_account_id, identity.handle, identity.url) == (
        "urn:li:organization:2414183",
        "acme-energie",
        "https://www.linkedin.com/company/acme-energie/",
    )


def _acl_page(start: int, page_ids: range, *, more: bool) -> Exchange:
    """One page of the person's page roles, as LinkedIn pages them (`start`, `count`, a `next` link)."""
    query = f"q=roleAssignee&role=ADMINISTRATOR&state=APPROVED&count=50&start={start + 50}"
    links = [{"rel": "next", "type": "application/json", "href": f"/rest/organizationAcls?{query}"}] if more else []
    elements = [
        {"roleAssignee": "urn:li:person:A1b2C3d4", "state": "APPROVED", "role": "ADMINISTRATOR", "organization": urn}
        for urn in (f"urn:li:organization:{page_id}" for page_id in page_ids)
    ]
    return Exchange(
        f"acls from {start}",
        {"method": "GET", "url": "https://api.linkedin.com/rest/organizationAcls", "params": {"start": str(start)}},
        {"status": 200, "json": {"paging": {"start": start, "count": 50, "links": links}, "elements": elements}},
    )


def _named(page_ids: range) -> Exchange:
    ids = ",".join(str(page_id) for page_id in page_ids)
    results = {str(i): {"id": i, "localizedName": f"Acme {i}", "vanityName": f"acme-{i}"} for i in page_ids}
    return Exchange(
        f"pages {ids}",
        {"method": "GET", "url": "https://api.linkedin.com/rest/organizations", "params": {"ids": f"List({ids})"}},
        {"status": 200, "json": {"results": results, "statuses": dict.fromkeys(results, 200), "errors": {}}},
    )


def test_every_page_of_roles_is_read_and_the_pages_named_fifty_at_a_time(respx_mock: respx.MockRouter) -> None:
    acls = replay(respx_mock, _acl_page(0, range(1000, 1050), more=True), _acl_page(50, range(1050, 1053), more=False))
    named = replay(respx_mock, _named(range(1000, 1050)), _named(range(1050, 1053)))

    pages = LinkedInConnector(MEMBER).administered_pages()

    assert (acls.call_count, named.call_count) == (2, 2)
    assert [page.remote_account_id for page in pages] == [f"urn:li:organization:{i}" for i in range(1000, 1053)]
    assert pages[-1].display_name == "Acme 1052"


def test_a_member_without_a_page_cannot_connect_one(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["no_administered_page"])

    with pytest.raises(base.PermanentError, match="not a super admin of any company page"):
        LinkedInConnector(MEMBER).identity()


def test_a_post_stamped_a_little_before_the_first_send_is_still_found(
    respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["recent_posts"])
    # LinkedIn's clock five minutes behind ours: its createdAt precedes our first send.
    first_sent = datetime.datetime(2026, 11, 27, 9, 5, 2, tzinfo=datetime.UTC)

    found = LinkedInConnector(PAGE).find_published(POST, since=first_sent)

    assert found is not None
    assert found.remote_id == "urn:li:share:7265432109876543210"
