"""Connecting each network from the pages: the fields each asks for, Bluesky by app password, the choice of a Meta page.

Bluesky and Meta have no local server here: their answers are replayed from recorded exchanges
(`connect_exchanges.json`), which also check every request Porte-Voix sends.
"""

import datetime
from pathlib import Path

import httpx
import pytest
import respx
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from conftest import Personas
from portevoix.accounts.models import User
from portevoix.accounts.services import set_interface_language
from portevoix.audit.models import AuditEntry
from portevoix.channels import network_apps
from portevoix.channels.connections import forget_abandoned_connections, normalise_server
from portevoix.channels.models import Channel, Dispatch
from portevoix.channels.tests.factories import schedule
from portevoix.channels.tests.test_pages import globex_manager
from portevoix.channels.tokens import decrypt_secret
from portevoix.jobs.periodic import registered_jobs
from tests.recorded_exchanges import Exchange, load_exchanges, replay

RECORDED = Path(__file__).with_name("connect_exchanges.json")
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"


@pytest.fixture
def recorded() -> dict[str, Exchange]:
    return load_exchanges(RECORDED)


def bluesky_form(
    identifier: str = "@acme.bsky.social", app_password: str = APP_PASSWORD, **extra: str
) -> dict[str, str]:
    return {
        "network": "bluesky",
        "name": "Acme sur Bluesky",
        "identifier": identifier,
        "app_password": app_password,
        **extra,
    }


def signed_in(client: Client, person: User, language: str = "en") -> Client:
    set_interface_language(person=person, language=language)
    client.force_login(person)
    return client


def test_the_form_asks_each_network_only_for_its_own_fields(client: Client, personas: Personas) -> None:
    signed_in(client, personas.community_manager)

    fields = {
        network: client.get("/channels/connect/", {"network": network}).content.decode()
        for network in ("mastodon", "bluesky", "x", "linkedin")
    }

    assert 'name="server"' in fields["mastodon"]
    assert 'name="app_password"' not in fields["mastodon"]
    assert all(name in fields["bluesky"] for name in ('name="identifier"', 'name="app_password"', 'name="server"'))
    assert "App passwords" in fields["bluesky"]
    assert not any(name in fields["x"] for name in ('name="server"', 'name="identifier"', 'name="app_password"'))
    assert "company page, not as a member&#x27;s own profile" in fields["linkedin"]


def test_choosing_a_network_with_htmx_swaps_only_its_fields(client: Client, personas: Personas) -> None:
    signed_in(client, personas.community_manager)

    response = client.get("/channels/connect/", {"network": "bluesky"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="connect-fields"')
    assert "<html" not in page
    assert 'name="app_password"' in page


def test_connecting_bluesky_keeps_the_session_not_the_app_password(
    client: Client, personas: Personas, respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    sign_in = replay(respx_mock, recorded["bluesky_create_session"])
    signed_in(client, personas.community_manager)

    response = client.post("/channels/connect/", bluesky_form())

    channel = Channel.objects.get()
    assert response["Location"] == f"/channels/{channel.pk}/"
    assert sign_in.call_count == 1
    assert (channel.network, channel.state, channel.base_url) == (
        "bluesky",
        Channel.State.CONNECTED,
        "https://bsky.social",
    )
    assert (channel.handle, channel.remote_account_id, channel.profile_url) == (
        "@acme.bsky.social",
        DID,
        "https://bsky.app/profile/acme.bsky.social",
    )
    assert decrypt_secret(channel.refresh_token_encrypted) == "bsky-refresh-1"
    assert channel.token_expires_at is not None
    stored = " ".join(str(value) for value in Channel.objects.values().get().values())
    audit = " ".join(str(value) for value in AuditEntry.objects.values().get(action="channel.connected").values())
    assert APP_PASSWORD not in stored
    assert APP_PASSWORD not in audit


@pytest.mark.parametrize(
    ("exchanges", "form", "field", "message"),
    [
        pytest.param(
            ("bluesky_wrong_password", "bluesky_resolve_known"),
            {"app_password": "zzzz-zzzz-zzzz-zzzz"},
            "app_password",
            "bsky.social refused this app password for acme.bsky.social",
            id="wrong app password",
        ),
        pytest.param(
            ("bluesky_unknown_account", "bluesky_resolve_unknown"),
            {"identifier": "acme-typo.bsky.social"},
            "identifier",
            "No Bluesky account has the handle acme-typo.bsky.social",
            id="unknown handle",
        ),
        pytest.param(
            ("bluesky_auth_factor",),
            {"identifier": "social@acme.example"},
            "app_password",
            "Bluesky asks for the sign-in code it e-mailed, which happens with the account's own password. "
            "Use an app password instead",
            id="sign-in code asked",
        ),
        pytest.param(
            ("bluesky_unreachable",),
            {"server": "pds.acme.example"},
            "server",
            "The Bluesky server pds.acme.example cannot be reached",
            id="server unreachable",
        ),
    ],
)
def test_a_refused_bluesky_sign_in_says_why_on_the_field_at_fault(
    client: Client,
    personas: Personas,
    respx_mock: respx.MockRouter,
    recorded: dict[str, Exchange],
    exchanges: tuple[str, ...],
    form: dict[str, str],
    field: str,
    message: str,
) -> None:
    routes = [replay(respx_mock, recorded[name]) for name in exchanges]
    signed_in(client, personas.community_manager)

    response = client.post("/channels/connect/", bluesky_form(**form))

    page = response.content.decode()
    assert response.status_code == 400
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}' in page.replace("&#x27;", "'")
    assert [route.call_count for route in routes] == [1] * len(routes)
    assert not Channel.objects.exists()
    assert not AuditEntry.objects.filter(action="channel.connected").exists()


def test_an_account_password_and_missing_fields_are_refused_before_anything_leaves(
    client: Client, personas: Personas, respx_mock: respx.MockRouter
) -> None:
    signed_in(client, personas.community_manager)

    account_password = client.post("/channels/connect/", bluesky_form(app_password="hunter2-Secret"))
    empty = client.post("/channels/connect/", bluesky_form(identifier="", app_password=""))

    assert (account_password.status_code, empty.status_code) == (400, 400)
    assert "Use an app password (xxxx-xxxx-xxxx-xxxx)" in account_password.content.decode()
    assert "Give the account&#x27;s handle or e-mail address." in empty.content.decode()
    assert "Give an app password created in Bluesky&#x27;s settings." in empty.content.decode()
    assert not respx_mock.calls
    assert not Channel.objects.exists()


def test_the_bluesky_journey_speaks_french(
    client: Client, personas: Personas, respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    replay(respx_mock, recorded["bluesky_wrong_password"])
    replay(respx_mock, recorded["bluesky_resolve_known"])
    signed_in(client, personas.community_manager, language="fr")

    form = client.get("/channels/connect/", {"network": "bluesky"}).content.decode()
    refused = client.post("/channels/connect/", bluesky_form(app_password="zzzz-zzzz-zzzz-zzzz")).content.decode()

    assert "Mot de passe d&#x27;application" in form
    assert "bsky.social a refusé ce mot de passe d&#x27;application pour acme.bsky.social" in refused


@pytest.mark.parametrize("role", ["compliance_officer", "hr", "ambassador", "employee", "administrator"])
def test_other_roles_cannot_connect_a_channel(client: Client, personas: Personas, role: str) -> None:
    client.force_login(personas.by_role()[role])

    form = client.get("/channels/connect/", {"network": "bluesky"})
    connect = client.post("/channels/connect/", bluesky_form())

    assert (form.status_code, connect.status_code) == (403, 403)
    assert not Channel.objects.exists()


def set_app(person: User, provider: str) -> None:
    """The organisation's app on `provider` (`meta`, `linkedin`): client id `acme-<provider>-app`."""
    network_apps.set_app(
        actor=person,
        provider=network_apps.provider_by_key(provider),
        client_id=f"acme-{provider}-app",
        client_secret=f"acme-{provider}-secret",
        redirect_uri="http://testserver/channels/connect/callback/",
    )


def approve_on_facebook(client: Client, network: str = "facebook") -> httpx.Response:
    """Start connecting, and come back from Facebook's approval page with a code."""
    start = client.post("/channels/connect/", {"network": network, "name": "Acme sur Facebook"})
    dialog = httpx.URL(start["Location"])
    assert dialog.host == "www.facebook.com"
    assert dialog.params["client_id"] == "acme-meta-app"
    back = client.get("/channels/connect/callback/", {"code": "fb-code", "state": dialog.params["state"]})
    return httpx.Response(back.status_code, headers={"location": back["Location"]})


def test_a_person_managing_several_pages_chooses_the_facebook_page_to_connect(
    client: Client, personas: Personas, respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    set_app(personas.director, "meta")
    replay(respx_mock, recorded["meta_code_token"], recorded["meta_long_lived_token"])
    pages = replay(respx_mock, recorded["meta_pages"], recorded["meta_pages"], recorded["meta_pages"])
    replay(respx_mock, recorded["meta_me_careers"])
    signed_in(client, personas.community_manager)

    back = approve_on_facebook(client)
    channel = Channel.objects.get()
    detail = client.get(f"/channels/{channel.pk}/").content.decode()
    choice = client.get(back.headers["location"]).content.decode()
    chosen = client.post(f"/channels/{channel.pk}/choose/", {"account": "104857362918999"})

    assert back.headers["location"] == f"/channels/{channel.pk}/choose/"
    assert f'href="/channels/{channel.pk}/choose/"' in detail
    assert "Acme Énergie" in choice
    assert "Acme Careers" in choice
    assert chosen["Location"] == f"/channels/{channel.pk}/"
    channel.refresh_from_db()
    assert (channel.state, channel.remote_account_id, channel.handle) == (
        Channel.State.CONNECTED,
        "104857362918999",
        "acmecareers",
    )
    assert decrypt_secret(channel.access_token_encrypted) == "fb-page-careers"
    assert decrypt_secret(channel.refresh_token_encrypted) == "104857362918999|fb-user-long-1"
    stored = " ".join(str(value) for value in Channel.objects.values().get().values())
    assert "fb-page-1" not in stored
    assert pages.call_count == 3


def test_an_instagram_login_with_one_business_account_connects_it_without_asking(
    client: Client, personas: Personas, respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    set_app(personas.director, "meta")
    replay(respx_mock, recorded["meta_code_token"], recorded["meta_long_lived_token"])
    replay(respx_mock, recorded["meta_pages"])
    replay(respx_mock, recorded["meta_me_instagram"])
    signed_in(client, personas.community_manager)

    back = approve_on_facebook(client, network="instagram")

    channel = Channel.objects.get()
    assert back.headers["location"] == f"/channels/{channel.pk}/"
    assert (channel.network, channel.state, channel.handle) == ("instagram", Channel.State.CONNECTED, "@acme.energie")
    assert decrypt_secret(channel.refresh_token_encrypted) == "104857362918273|fb-user-long-1"


def test_connecting_x_without_an_app_links_to_the_app_page(client: Client, personas: Personas) -> None:
    signed_in(client, personas.community_manager)

    response = client.post("/channels/connect/", {"network": "x", "name": "Acme sur X"})

    assert response.status_code == 400
    assert 'href="/channels/apps/#app-x"' in response.content.decode()
    assert not Channel.objects.exists()


def test_the_installation_app_connects_x_until_the_organisation_sets_its_own(
    client: Client, personas: Personas, settings: Settings
) -> None:
    settings.CHANNEL_APPS = {"x": ("installation-x-app", "installation-x-secret")}
    signed_in(client, personas.community_manager)

    with_installation_app = httpx.URL(client.post("/channels/connect/", {"network": "x", "name": "A"})["Location"])
    client.post("/channels/apps/x/", {"x-client_id": "acme-x-app", "x-client_secret": "acme-x-secret"})
    with_own_app = httpx.URL(client.post("/channels/connect/", {"network": "x", "name": "B"})["Location"])

    assert with_installation_app.host == with_own_app.host == "x.com"
    assert with_installation_app.params["client_id"] == "installation-x-app"
    assert with_own_app.params["client_id"] == "acme-x-app"
    first, second = Channel.objects.order_by("pk")
    assert first.app is None
    assert second.app is not None
    assert second.app.client_id == "acme-x-app"


def approve_on_linkedin(
    client: Client,
    personas: Personas,
    respx_mock: respx.MockRouter,
    recorded: dict[str, Exchange],
    pages: str,
    *,
    reads: int = 1,
) -> tuple[str, respx.Route, respx.Route]:
    """The community manager approves on LinkedIn and comes back with a code; where Porte-Voix sends them next.

    LinkedIn answers `reads` times with `pages` (the person's page roles) and `<pages>_named`
    (their names); the routes returned count the calls.
    """
    set_app(personas.director, "linkedin")
    replay(respx_mock, recorded["linkedin_code_token"])
    acls = replay(respx_mock, *[recorded[pages]] * reads)
    named = replay(respx_mock, *[recorded.get(f"{pages}_named", recorded["linkedin_one_page_named"])] * reads)
    signed_in(client, personas.community_manager)
    start = client.post("/channels/connect/", {"network": "linkedin", "name": "Acme sur LinkedIn"})
    dialog = httpx.URL(start["Location"])
    assert (dialog.host, dialog.params["client_id"]) == ("www.linkedin.com", "acme-linkedin-app")
    back = client.get("/channels/connect/callback/", {"code": "li-code", "state": dialog.params["state"]})
    return str(back["Location"]), acls, named


def test_a_person_administering_several_linkedin_pages_chooses_the_one_to_connect(
    client: Client, personas: Personas, respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    back, acls, named = approve_on_linkedin(client, personas, respx_mock, recorded, "linkedin_two_pages", reads=3)
    channel = Channel.objects.get()
    waiting = (channel.state, decrypt_secret(channel.access_token_encrypted), channel.remote_account_id)
    choice = client.get(back).content.decode()
    chosen = client.post(f"/channels/{channel.pk}/choose/", {"account": "urn:li:organization:90577283"})

    assert back == f"/channels/{channel.pk}/choose/"
    assert waiting == (Channel.State.PENDING, "li-member-1", "")
    assert "Acme Énergie (linkedin.com/company/acme-energie)" in choice
    assert 'value="urn:li:organization:90577283"' in choice
    assert chosen["Location"] == f"/channels/{channel.pk}/"
    channel.refresh_from_db()
    assert (channel.state, channel.remote_account_id, channel.handle, channel.profile_url) == (
        Channel.State.CONNECTED,
        "urn:li:organization:90577283",
        "acme-energie-recrutement",
        "https://www.linkedin.com/company/acme-energie-recrutement/",
    )
    assert decrypt_secret(channel.access_token_encrypted) == "li-member-1"
    assert decrypt_secret(channel.refresh_token_encrypted) == "li-member-refresh-1"
    assert channel.token_expires_at is not None
    assert AuditEntry.objects.filter(action="channel.connected", actor=personas.community_manager).count() == 1
    assert (acls.call_count, named.call_count) == (3, 3)


def test_a_linkedin_login_with_one_page_connects_it_without_asking(
    client: Client, personas: Personas, respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    back, _acls, named = approve_on_linkedin(client, personas, respx_mock, recorded, "linkedin_one_page")

    channel = Channel.objects.get()
    assert back == f"/channels/{channel.pk}/"
    assert named.call_count == 1
    assert (channel.state, channel.remote_account_id, channel.handle, channel.profile_url) == (
        Channel.State.CONNECTED,
        "urn:li:organization:2414183",
        "acme-energie",
        "https://www.linkedin.com/company/acme-energie/",
    )


def test_a_linkedin_login_that_administers_no_page_says_so_and_keeps_nothing(
    client: Client, personas: Personas, respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    back, _acls, named = approve_on_linkedin(client, personas, respx_mock, recorded, "linkedin_no_page")

    page = client.get(back).content.decode().replace("&#x27;", "'")
    channel = Channel.objects.get()
    assert back == "/channels/"
    assert "This LinkedIn account is not a super admin of any company page." in page
    assert named.call_count == 0
    assert (channel.state, channel.access_token_encrypted, channel.refresh_token_encrypted) == (
        Channel.State.PENDING,
        "",
        "",
    )


def test_only_a_page_the_person_administers_can_be_chosen(
    client: Client, personas: Personas, respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    # Read at the return from LinkedIn, then for the refused choice and the page showing the list again.
    _back, acls, _named = approve_on_linkedin(client, personas, respx_mock, recorded, "linkedin_two_pages", reads=4)
    channel = Channel.objects.get()

    elsewhere = client.post(f"/channels/{channel.pk}/choose/", {"account": "urn:li:organization:1337"})
    nothing = client.post(f"/channels/{channel.pk}/choose/", {})

    assert (elsewhere.status_code, nothing.status_code) == (400, 400)
    assert "Choose one of the accounts listed." in elsewhere.content.decode()
    assert "Acme Énergie Recrutement" in nothing.content.decode()
    assert acls.call_count == 4
    channel.refresh_from_db()
    assert (channel.state, channel.remote_account_id) == (Channel.State.PENDING, "")


def awaiting_choice(
    network: str, client: Client, personas: Personas, respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> tuple[respx.Route, str]:
    """A login with several pages, approved by the community manager: the route listing them, and one page's id."""
    if network == "linkedin":
        _back, pages, _named = approve_on_linkedin(client, personas, respx_mock, recorded, "linkedin_two_pages")
        return pages, "urn:li:organization:2414183"
    set_app(personas.director, "meta")
    replay(respx_mock, recorded["meta_code_token"], recorded["meta_long_lived_token"])
    pages = replay(respx_mock, recorded["meta_pages"])
    signed_in(client, personas.community_manager)
    approve_on_facebook(client)
    return pages, "104857362918273"


@pytest.mark.parametrize("network", ["facebook", "linkedin"])
def test_only_the_person_who_approved_may_choose_and_no_one_elsewhere(
    client: Client, personas: Personas, respx_mock: respx.MockRouter, recorded: dict[str, Exchange], network: str
) -> None:
    pages, account = awaiting_choice(network, client, personas, respx_mock, recorded)
    channel = Channel.objects.get()
    attempts = {}

    for name, person in {
        "colleague": personas.director,
        "other_role": personas.compliance,
        "other_organisation": globex_manager(personas),
    }.items():
        client.force_login(person)
        attempts[name] = (
            client.get(f"/channels/{channel.pk}/choose/").status_code,
            client.post(f"/channels/{channel.pk}/choose/", {"account": account}).status_code,
        )

    assert attempts == {"colleague": (404, 404), "other_role": (403, 403), "other_organisation": (404, 404)}
    assert pages.call_count == 1  # the network is not asked again for anyone else
    channel.refresh_from_db()
    assert (channel.state, channel.remote_account_id) == (Channel.State.PENDING, "")
    assert not AuditEntry.objects.filter(action="channel.connected").exists()


def connect_bluesky(
    client: Client, person: User, respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> Channel:
    replay(respx_mock, recorded["bluesky_create_session"])
    signed_in(client, person)
    client.post("/channels/connect/", bluesky_form())
    return Channel.objects.get(state=Channel.State.CONNECTED)


def test_disconnecting_bluesky_ends_its_session_on_the_server(
    client: Client, personas: Personas, respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    channel = connect_bluesky(client, personas.community_manager, respx_mock, recorded)
    ended = replay(respx_mock, recorded["bluesky_delete_session"])

    client.post(f"/channels/{channel.pk}/disconnect/")

    assert ended.call_count == 1
    channel.refresh_from_db()
    assert (channel.state, channel.access_token_encrypted, channel.refresh_token_encrypted) == (
        Channel.State.DISCONNECTED,
        "",
        "",
    )


@pytest.mark.parametrize(
    "failure",
    ["bluesky_delete_session_expired", "bluesky_delete_session_server_error", "bluesky_delete_session_unreachable"],
)
def test_bluesky_is_disconnected_even_when_its_server_cannot_end_the_session(
    client: Client, personas: Personas, respx_mock: respx.MockRouter, recorded: dict[str, Exchange], failure: str
) -> None:
    channel = connect_bluesky(client, personas.community_manager, respx_mock, recorded)
    ended = replay(respx_mock, recorded[failure])

    response = client.post(f"/channels/{channel.pk}/disconnect/", follow=True)

    assert ended.call_count == 1
    assert "is disconnected. Its queue is kept, paused." in response.content.decode()
    channel.refresh_from_db()
    assert (channel.state, channel.access_token_encrypted, channel.refresh_token_encrypted) == (
        Channel.State.DISCONNECTED,
        "",
        "",
    )
    assert AuditEntry.objects.filter(action="channel.disconnected", target_id=str(channel.pk)).count() == 1


def test_connecting_an_expired_account_again_takes_back_its_channel_and_holds_the_posts_it_missed(
    client: Client, personas: Personas, respx_mock: respx.MockRouter, recorded: dict[str, Exchange]
) -> None:
    manager = personas.community_manager
    expired = Channel.objects.create(
        organization=personas.acme,
        network="bluesky",
        name="Acme sur Bluesky",
        base_url="https://bsky.social",
        handle="@acme.bsky.social",
        remote_account_id=DID,
        owner=manager,
        state=Channel.State.EXPIRED,
        last_error="Bluesky refused the token",
    )
    now = timezone.now()
    missed = schedule(expired, manager, source_key="post:missed", at=now - datetime.timedelta(hours=3))
    schedule(expired, manager, source_key="post:late", at=now - datetime.timedelta(minutes=10))
    schedule(expired, manager, source_key="post:coming", at=now + datetime.timedelta(days=1))
    replay(respx_mock, recorded["bluesky_create_session"])
    signed_in(client, manager)

    detail = client.get(f"/channels/{expired.pk}/").content.decode()
    form = client.get(
        "/channels/connect/?network=bluesky&name=Acme+sur+Bluesky&server=https%3A%2F%2Fbsky.social"
        "&identifier=acme.bsky.social"
    ).content.decode()
    response = client.post("/channels/connect/", bluesky_form())

    assert 'id="reconnect"' in detail
    assert 'value="acme.bsky.social"' in form
    assert response["Location"] == f"/channels/{expired.pk}/"
    channel = Channel.objects.get()
    assert (channel.pk, channel.state, channel.last_error) == (expired.pk, Channel.State.CONNECTED, "")
    assert decrypt_secret(channel.refresh_token_encrypted) == "bsky-refresh-1"
    states = dict(Dispatch.objects.values_list("source_key", "state"))
    assert states == {"post:missed": "failed", "post:late": "scheduled", "post:coming": "scheduled"}
    missed.refresh_from_db()
    assert "time passed while the channel was not connected" in missed.last_error
    entry = AuditEntry.objects.get(action="channel.reconnected")
    assert (entry.target_id, entry.data) == (str(expired.pk), {"missed_posts": 1})
    assert 'id="reconnect"' not in client.get(f"/channels/{expired.pk}/").content.decode()


@pytest.mark.parametrize(
    ("server", "message"),
    [
        ("127.0.0.1:8080", "127.0.0.1 is not a public address"),
        ("http://localhost:3000", "localhost is not a public address"),
        ("10.1.2.3", "10.1.2.3 is not a public address"),
        ("https://169.254.169.254", "169.254.169.254 is not a public address"),
        ("[::1]", "::1 is not a public address"),
        ("https://admin:hunter2@mastodon.example", "without a user name or password"),
        ("http://203.0.113.9", "not a public address"),  # a documentation network, not the internet
        ("http://9.9.9.9", "must be reached over https"),
        ("mastodon.example/@acme", "for example mastodon.social"),
    ],
)
def test_a_server_address_must_be_a_public_one_over_https(
    client: Client, personas: Personas, settings: Settings, server: str, message: str
) -> None:
    settings.CHANNELS_ALLOW_PRIVATE_SERVERS = False
    signed_in(client, personas.community_manager)

    response = client.post("/channels/connect/", {"network": "mastodon", "name": "Acme", "server": server})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Channel.objects.exists()


def test_a_public_server_address_is_kept_in_its_plain_form(settings: Settings) -> None:
    settings.CHANNELS_ALLOW_PRIVATE_SERVERS = False
    assert normalise_server(" https://9.9.9.9:8443/ ") == "https://9.9.9.9:8443"
    settings.CHANNELS_ALLOW_PRIVATE_SERVERS = True
    assert normalise_server("http://127.0.0.1:8080") == "http://127.0.0.1:8080"


def test_a_connection_left_unfinished_for_a_day_is_forgotten_with_what_the_login_gave(personas: Personas) -> None:
    def pending(name: str, *, hours_ago: float, state: str = Channel.State.PENDING) -> Channel:
        return Channel.objects.create(
            organization=personas.acme,
            network="facebook",
            name=name,
            owner=personas.community_manager,
            state=state,
            refresh_token_encrypted="|user-token" if state == Channel.State.PENDING else "",
            created_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        )

    pending("Abandoned", hours_ago=30)
    pending("Being chosen", hours_ago=2)
    pending("Connected long ago", hours_ago=900, state=Channel.State.CONNECTED)

    assert forget_abandoned_connections() == 1

    assert sorted(Channel.objects.values_list("name", flat=True)) == ["Being chosen", "Connected long ago"]
    entry = AuditEntry.objects.get(action="channel.abandoned")
    assert (entry.actor, entry.actor_label) == (None, "system")
    assert "channels.abandoned_connections" in [job.name for job in registered_jobs()]
