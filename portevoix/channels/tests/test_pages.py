"""The channels pages: who may see and act, connecting by OAuth through the pages, the queue and decisions.

Only community managers and the communication director see channels; anyone else gets a 403,
and another organisation's channel or post is a 404 with nothing changed.
"""

import datetime

import httpx
import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from conftest import Personas
from portevoix.accounts.models import User
from portevoix.accounts.roles import Role
from portevoix.accounts.services import create_person, set_interface_language
from portevoix.audit.models import AuditEntry
from portevoix.channels.models import Channel, Dispatch
from portevoix.channels.tests.conftest import MastodonServer
from portevoix.channels.tests.factories import demo_channel, schedule
from portevoix.channels.tokens import decrypt_secret

ALLOWED = {"communication_director", "community_manager"}


def globex_manager(personas: Personas) -> User:
    return create_person(
        organization=personas.globex,
        email="gina@globex.test",
        full_name="Gina Globex",
        password="x",
        roles=frozenset({Role.COMMUNITY_MANAGER}),
        language="en",
    )


@pytest.mark.parametrize(
    "role",
    [
        "communication_director",
        "community_manager",
        "compliance_officer",
        "hr",
        "ambassador",
        "employee",
        "administrator",
    ],
)
def test_only_the_communication_team_sees_the_channels(client: Client, personas: Personas, role: str) -> None:
    channel = demo_channel(personas.community_manager)
    client.force_login(personas.by_role()[role])

    listing = client.get("/channels/")
    detail = client.get(f"/channels/{channel.pk}/")

    expected = 200 if role in ALLOWED else 403
    assert (listing.status_code, detail.status_code) == (expected, expected)


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, personas: Personas) -> None:
    response = client.get("/channels/")

    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_another_organisation_sees_none_of_the_channels_nor_can_act_on_them(client: Client, personas: Personas) -> None:
    channel = demo_channel(personas.community_manager, name="Acme secret channel")
    dispatch = schedule(channel, personas.community_manager, at=timezone.now() - datetime.timedelta(minutes=1))
    Dispatch.objects.filter(pk=dispatch.pk).update(state=Dispatch.State.UNCONFIRMED)
    client.force_login(globex_manager(personas))

    listing = client.get("/channels/")
    detail = client.get(f"/channels/{channel.pk}/")
    decide = client.post(
        f"/channels/dispatches/{dispatch.pk}/decide/", {"action": "mark_published", "remote_url": "https://x.example/1"}
    )
    disconnect = client.post(f"/channels/{channel.pk}/disconnect/")

    assert "Acme secret channel" not in listing.content.decode()
    assert (detail.status_code, decide.status_code, disconnect.status_code) == (404, 404, 404)
    dispatch.refresh_from_db()
    channel.refresh_from_db()
    assert (dispatch.state, channel.state) == (Dispatch.State.UNCONFIRMED, Channel.State.CONNECTED)


def test_a_demo_channel_says_it_publishes_to_nothing_real(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.community_manager, language="en")
    client.force_login(personas.community_manager)

    response = client.post(
        "/channels/connect/", {"network": "linkedin", "name": "Acme LinkedIn (demo)", "is_demo": "on"}
    )

    channel = Channel.objects.get()
    assert response["Location"] == f"/channels/{channel.pk}/"
    assert (channel.is_demo, channel.state, channel.network) == (True, Channel.State.CONNECTED, "linkedin")
    page = client.get(f"/channels/{channel.pk}/").content.decode()
    assert "published to nothing real" in page


def test_a_network_without_connector_is_refused_unless_demo(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.community_manager, language="en")
    client.force_login(personas.community_manager)

    response = client.post("/channels/connect/", {"network": "linkedin", "name": "Acme LinkedIn"})

    assert response.status_code == 400
    assert "cannot be connected yet" in response.content.decode()
    assert not Channel.objects.exists()


def test_connecting_a_mastodon_account_through_the_pages(
    client: Client, personas: Personas, mastodon: MastodonServer
) -> None:
    client.force_login(personas.community_manager)

    start = client.post(
        "/channels/connect/", {"network": "mastodon", "server": mastodon.base_url, "name": "Acme sur Mastodon"}
    )
    authorize = httpx.URL(start["Location"])
    assert authorize.path == "/oauth/authorize"
    # The person approves on the instance, which sends them back to Porte-Voix with a code.
    approval = httpx.post(
        f"{mastodon.base_url}/oauth/authorize",
        data={
            "username": "alice",
            "redirect_uri": authorize.params["redirect_uri"],
            "client_id": authorize.params["client_id"],
            "state": authorize.params["state"],
        },
    )
    back = httpx.URL(approval.headers["location"])
    finish = client.get(back.path, dict(back.params))

    channel = Channel.objects.get()
    assert finish["Location"] == f"/channels/{channel.pk}/"
    assert (channel.state, channel.handle, channel.owner) == (
        Channel.State.CONNECTED,
        "@alice",
        personas.community_manager,
    )
    clear_token = decrypt_secret(channel.access_token_encrypted)
    assert len(clear_token) >= 16
    assert clear_token not in channel.access_token_encrypted
    assert AuditEntry.objects.filter(action="channel.connected", actor=personas.community_manager).count() == 1


def test_a_callback_with_another_state_connects_nothing(
    client: Client, personas: Personas, mastodon: MastodonServer
) -> None:
    client.force_login(personas.community_manager)
    client.post("/channels/connect/", {"network": "mastodon", "server": mastodon.base_url, "name": "Acme"})

    response = client.get("/channels/connect/callback/", {"code": "mock-code:alice", "state": "forged"})

    assert response["Location"] == "/channels/"
    assert Channel.objects.get().state == Channel.State.PENDING


def test_an_unconfirmed_post_is_marked_published_from_its_row(client: Client, personas: Personas) -> None:
    set_interface_language(person=personas.community_manager, language="en")
    channel = demo_channel(personas.community_manager)
    dispatch = schedule(channel, personas.community_manager)
    Dispatch.objects.filter(pk=dispatch.pk).update(state=Dispatch.State.UNCONFIRMED)
    client.force_login(personas.community_manager)
    url = f"/channels/dispatches/{dispatch.pk}/decide/"

    refused = client.post(
        url, {"action": "mark_published", "remote_url": "not an address"}, headers={"HX-Request": "true"}
    )
    accepted = client.post(
        url,
        {"action": "mark_published", "remote_url": "https://mastodon.example/@acme/9"},
        headers={"HX-Request": "true"},
    )

    assert refused.status_code == 400
    assert "starting with https://" in refused.content.decode()
    assert accepted.status_code == 200
    assert f'id="dispatch-{dispatch.pk}"' in accepted.content.decode()
    assert "dispatch-state-sent" in accepted.content.decode()
    dispatch.refresh_from_db()
    assert (dispatch.state, dispatch.remote_url) == (Dispatch.State.SENT, "https://mastodon.example/@acme/9")


def test_a_frozen_post_is_scheduled_again_by_a_person(client: Client, personas: Personas) -> None:
    channel = demo_channel(personas.community_manager)
    dispatch = schedule(channel, personas.community_manager)
    Dispatch.objects.filter(pk=dispatch.pk).update(state=Dispatch.State.FROZEN)
    client.force_login(personas.director)

    response = client.post(
        f"/channels/dispatches/{dispatch.pk}/decide/", {"action": "reschedule", "scheduled_at": "2026-06-01T10:30"}
    )

    assert response["Location"] == f"/channels/{channel.pk}/"
    dispatch.refresh_from_db()
    assert dispatch.state == Dispatch.State.SCHEDULED
    assert timezone.localtime(dispatch.scheduled_at).strftime("%Y-%m-%d %H:%M") == "2026-06-01 10:30"
    assert AuditEntry.objects.filter(action="dispatch.rescheduled", actor=personas.director).count() == 1


def test_the_queue_shows_each_post_and_its_attempts_in_few_queries(
    client: Client, personas: Personas, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    channel = demo_channel(personas.community_manager)
    for number in range(5):
        schedule(channel, personas.community_manager, source_key=f"post:{number}", text=f"Texte {number}")
    client.force_login(personas.community_manager)

    with django_assert_max_num_queries(12):
        response = client.get(f"/channels/{channel.pk}/")

    assert response.content.decode().count('class="dispatch dispatch-scheduled"') == 5


def test_disconnecting_forgets_the_token_and_is_audited(client: Client, personas: Personas) -> None:
    channel = demo_channel(personas.community_manager)
    client.force_login(personas.director)

    client.post(f"/channels/{channel.pk}/disconnect/")

    channel.refresh_from_db()
    assert (channel.state, channel.access_token_encrypted) == (Channel.State.DISCONNECTED, "")
    assert AuditEntry.objects.filter(action="channel.disconnected", actor=personas.director).count() == 1
