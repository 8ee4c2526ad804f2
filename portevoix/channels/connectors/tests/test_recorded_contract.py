"""What every connector with recorded exchanges does alike: say who the token acts as, read back, delete.

Each network's own tests keep what differs (formats, errors, rate limits, OAuth).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import respx

from portevoix.channels.connectors import base
from portevoix.channels.connectors.bluesky.connector import BlueskyConnector
from portevoix.channels.connectors.linkedin.connector import LinkedInConnector
from portevoix.channels.connectors.meta.facebook import FacebookPageConnector
from portevoix.channels.connectors.x.connector import XConnector
from tests.recorded_exchanges import access_for, load_exchanges, replay

CONNECTORS = Path(__file__).resolve().parent.parent
SINCE = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Network:
    folder: str
    connector: Callable[[], base.Connector]
    text: str
    read_back: tuple[str, str]  # the exchanges of a read-back that finds the post, then of one that does not
    post_id: str  # the post found, then deleted
    gone_id: str  # a post already deleted
    identity: tuple[str, base.AccountIdentity]  # the exchange that says who the token acts as, and who


def _bluesky() -> base.Connector:
    account, _app = access_for(
        "bsky", base_url="https://pds.acme.example", remote_account_id="did:plc:ewvi7nxzyoun6zhxrhs64oiz", handle=""
    )
    return BlueskyConnector(account)


NETWORKS = {
    "x": Network(
        "x",
        lambda: XConnector(
            access_for("x", base_url="https://api.x.com", remote_account_id="1450000000000000001", handle="@acme")[0]
        ),
        "Nos équipes & nos clients au salon Vivatech : https://acme.example/vivatech",
        ("recent_posts", "recent_posts_without_it"),
        "1862441906311733248",
        "1862441906311733999",
        ("me", base.AccountIdentity("1450000000000000001", "@acme", "Acme", "https://x.com/acme")),
    ),
    "linkedin": Network(
        "linkedin",
        lambda: LinkedInConnector(
            access_for(
                "li", base_url="https://api.linkedin.com", remote_account_id="urn:li:organization:2414183", handle=""
            )[0]
        ),
        "Nos équipes au salon Vivatech (stand B12) : https://acme.example/vivatech #Vivatech",
        ("recent_posts", "recent_posts_without_it"),
        "urn:li:share:7265432109876543210",
        "urn:li:share:7265432109876543999",
        (
            "organization",
            base.AccountIdentity(
                "urn:li:organization:2414183",
                "acme-energie",
                "Acme Énergie",
                "https://www.linkedin.com/company/acme-energie/",
            ),
        ),
    ),
    "facebook": Network(
        "meta",
        lambda: FacebookPageConnector(
            access_for("fb", base_url="https://graph.facebook.com", remote_account_id="104857362918273", handle="")[0]
        ),
        "Nos équipes au salon Vivatech : https://acme.example/vivatech",
        ("published_posts", "published_posts_without_it"),
        "104857362918273_122189034567890123",
        "104857362918273_122189034567890999",
        (
            "page_identity",
            base.AccountIdentity(
                "104857362918273", "acmeenergie", "Acme Énergie", "https://www.facebook.com/acmeenergie"
            ),
        ),
    ),
}


@pytest.mark.parametrize("network", NETWORKS)
def test_an_ambiguous_post_is_found_on_the_account_and_one_not_there_is_absent(
    respx_mock: respx.MockRouter, network: str
) -> None:
    case = NETWORKS[network]
    recorded = load_exchanges(CONNECTORS / case.folder / "tests" / "exchanges.json")
    post = base.OutgoingPost(text=case.text, idempotency_key="dispatch-1")
    connector = case.connector()
    replay(respx_mock, *(recorded[name] for name in case.read_back))

    found = connector.find_published(post, since=SINCE)
    absent = connector.find_published(post, since=SINCE)

    assert found is not None
    assert (found.remote_id, found.published_at) == (
        case.post_id,
        datetime.datetime(2026, 11, 27, 9, 0, 2, tzinfo=datetime.UTC),
    )
    assert absent is None


@pytest.mark.parametrize("network", NETWORKS)
def test_delete_removes_a_post_and_one_already_gone_is_not_an_error(respx_mock: respx.MockRouter, network: str) -> None:
    case = NETWORKS[network]
    recorded = load_exchanges(CONNECTORS / case.folder / "tests" / "exchanges.json")
    deleted = replay(respx_mock, recorded["delete_post"])
    gone = replay(respx_mock, recorded["delete_post_gone"])
    connector = case.connector()

    connector.delete(case.post_id)
    connector.delete(case.gone_id)

    assert (deleted.call_count, gone.call_count) == (1, 1)


# Bluesky reads back and deletes by record key (its own tests): only its identity is shared here.
IDENTITIES = {
    **{name: (network.folder, network.connector, *network.identity) for name, network in NETWORKS.items()},
    "bluesky": (
        "bluesky",
        _bluesky,
        "session",
        base.AccountIdentity(
            "did:plc:ewvi7nxzyoun6zhxrhs64oiz", "@acme.example", "acme.example", "https://bsky.app/profile/acme.example"
        ),
    ),
}


@pytest.mark.parametrize("network", IDENTITIES)
def test_identity_says_who_the_token_acts_as(respx_mock: respx.MockRouter, network: str) -> None:
    folder, connector, exchange, expected = IDENTITIES[network]
    route = replay(respx_mock, load_exchanges(CONNECTORS / folder / "tests" / "exchanges.json")[exchange])

    assert connector().identity() == expected
    assert route.call_count == 1
