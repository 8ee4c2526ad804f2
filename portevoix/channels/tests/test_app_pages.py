"""The page of the organisation's apps on X, LinkedIn and Meta: set, never shown back, audited, one organisation."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from pytest_django.fixtures import Settings

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.audit.models import AuditEntry
from portevoix.channels.models import Channel, NetworkApp
from portevoix.channels.tests.factories import x_channel
from portevoix.channels.tests.test_pages import globex_manager
from portevoix.channels.tokens import decrypt_secret
from portevoix.settings import _channel_apps

LINKEDIN_APP = {"linkedin-client_id": "86abcdefghijkl", "linkedin-client_secret": "WPL_AP1.secret.value"}


def test_the_director_sets_the_linkedin_app_and_its_secret_is_never_shown_back(
    client: Client, personas: Personas
) -> None:
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)

    response = client.post("/channels/apps/linkedin/", LINKEDIN_APP)
    page = client.get("/channels/apps/").content.decode()

    assert response["Location"] == "/channels/apps/"
    app = NetworkApp.objects.get()
    assert (app.organization, app.network, app.base_url, app.client_id) == (
        personas.acme,
        "linkedin",
        "",
        "86abcdefghijkl",
    )
    assert decrypt_secret(app.client_secret_encrypted) == "WPL_AP1.secret.value"
    assert "WPL_AP1.secret.value" not in app.client_secret_encrypted
    assert "WPL_AP1.secret.value" not in page
    assert "Client id 86abcdefghijkl; secret set on" in page
    assert "http://testserver/channels/connect/callback/" in page
    entry = AuditEntry.objects.get(action="channels.app_set")
    assert entry.actor == personas.director
    assert entry.data == {"provider": "linkedin", "client_id": "86abcdefghijkl", "secret_changed": True}


def test_an_empty_secret_keeps_the_one_set_but_a_first_app_needs_one(client: Client, personas: Personas) -> None:
    client.force_login(personas.community_manager)

    without_secret = client.post("/channels/apps/x/", {"x-client_id": "x-app", "x-client_secret": ""})
    client.post("/channels/apps/x/", {"x-client_id": "x-app", "x-client_secret": "x-secret"})
    new_id_only = client.post("/channels/apps/x/", {"x-client_id": "x-app-2", "x-client_secret": ""})

    assert without_secret.status_code == 400
    assert new_id_only.status_code == 302
    app = NetworkApp.objects.get()
    assert (app.client_id, decrypt_secret(app.client_secret_encrypted)) == ("x-app-2", "x-secret")


def test_removing_the_organisation_app_falls_back_to_the_installation_one(
    client: Client, personas: Personas, settings: Settings
) -> None:
    settings.CHANNEL_APPS = {"meta": ("installation-meta", "installation-secret")}
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)
    client.post("/channels/apps/meta/", {"meta-client_id": "acme-meta", "meta-client_secret": "acme-secret"})

    client.post("/channels/apps/meta/remove/")
    page = client.get("/channels/apps/").content.decode()

    assert not NetworkApp.objects.exists()
    assert "The installation's app" in page
    assert AuditEntry.objects.filter(action="channels.app_removed", actor=personas.director).count() == 1


@pytest.mark.parametrize("role", ["compliance_officer", "hr", "ambassador", "employee", "administrator"])
def test_other_roles_cannot_see_nor_set_the_apps(client: Client, personas: Personas, role: str) -> None:
    client.force_login(personas.director)
    client.post("/channels/apps/x/", {"x-client_id": "x-app", "x-client_secret": "x-secret"})
    client.force_login(personas.by_role()[role])

    responses = (
        client.get("/channels/apps/").status_code,
        client.post("/channels/apps/x/", {"x-client_id": "hijack", "x-client_secret": "hijack"}).status_code,
        client.post("/channels/apps/x/remove/").status_code,
    )

    assert responses == (403, 403, 403)
    assert NetworkApp.objects.get().client_id == "x-app"


def test_another_organisation_sees_nothing_of_the_app_and_cannot_change_it(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)
    client.post("/channels/apps/x/", {"x-client_id": "acme-x-app", "x-client_secret": "acme-x-secret"})
    client.force_login(globex_manager(personas))

    page = client.get("/channels/apps/").content.decode()
    client.post("/channels/apps/x/remove/")
    client.post("/channels/apps/x/", {"x-client_id": "globex-x-app", "x-client_secret": "globex-secret"})

    assert "acme-x-app" not in page
    assert "No app yet" in page
    apps = dict(NetworkApp.objects.values_list("organization__slug", "client_id"))
    assert apps == {"acme": "acme-x-app", "globex": "globex-x-app"}


def test_an_unknown_network_app_page_is_a_404(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)

    response = client.post("/channels/apps/mastodon/", {"mastodon-client_id": "a", "mastodon-client_secret": "b"})

    assert response.status_code == 404
    assert not NetworkApp.objects.exists()


def test_the_installation_apps_are_read_in_pairs_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTEVOIX_X_CLIENT_ID", "x-id")
    monkeypatch.setenv("PORTEVOIX_X_CLIENT_SECRET", "x-secret")
    monkeypatch.setenv("PORTEVOIX_META_CLIENT_ID", "meta-id")

    with pytest.raises(ImproperlyConfigured, match="PORTEVOIX_META_CLIENT_SECRET"):
        _channel_apps()
    monkeypatch.setenv("PORTEVOIX_META_CLIENT_SECRET", "meta-secret")

    assert _channel_apps() == {"x": ("x-id", "x-secret"), "meta": ("meta-id", "meta-secret")}


def test_an_app_that_channels_were_connected_through_keeps_its_client_until_they_are_disconnected(
    client: Client, personas: Personas
) -> None:
    set_interface_language(person=personas.director, language="en")
    client.force_login(personas.director)
    channel = x_channel(personas.community_manager)  # connected through the organisation's app "x-client"

    changed = client.post("/channels/apps/x/", {"x-client_id": "another-x-app", "x-client_secret": ""})
    removed = client.post("/channels/apps/x/remove/", follow=True)
    rotated = client.post("/channels/apps/x/", {"x-client_id": "x-client", "x-client_secret": "new-secret"})

    assert changed.status_code == 400
    refusal = f"The channel {channel.name} was connected through this app: disconnect it first"
    assert refusal in changed.content.decode()
    assert refusal in removed.content.decode()
    assert rotated.status_code == 302
    app = NetworkApp.objects.get()
    assert (app.client_id, decrypt_secret(app.client_secret_encrypted)) == ("x-client", "new-secret")

    Channel.objects.filter(pk=channel.pk).update(state=Channel.State.DISCONNECTED)
    client.post("/channels/apps/x/remove/")
    assert not NetworkApp.objects.exists()
