"""Every page and API endpoint so far, against every role: allowed roles get it, others get a 403 and nothing."""

import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.roles import Permission, Role, permissions_for

PAGES: list[tuple[str, Permission | None]] = [
    ("/", None),
    ("/map/", Permission.VIEW_MAP),
    ("/audit/", Permission.VIEW_AUDIT),
    ("/system/", Permission.VIEW_SYSTEM),
    ("/guidelines/", None),
    ("/ambassadors/", None),
    ("/official/", Permission.VIEW_OFFICIAL_CHANNELS),
    ("/accounts/profile/", None),
    ("/policy/", Permission.MANAGE_POLICY),
    ("/check/", None),
    ("/check/statistics/", Permission.VIEW_CHECK_STATISTICS),
    ("/asks/", None),
    ("/asks/new/", None),
    ("/asks/queue/", Permission.ANSWER_ASKS),
    ("/incidents/", Permission.VIEW_INCIDENTS),
    ("/incidents/new/", Permission.MANAGE_INCIDENTS),
    ("/incidents/export.csv", Permission.VIEW_INCIDENTS),
    ("/api/v1/me", None),
    ("/api/v1/map", Permission.VIEW_MAP),
]

ROLES = [role for role in Role]


def _expected_status(role: Role, permission: Permission | None, url: str) -> int:
    if permission is not None and permission not in permissions_for(frozenset({Role.EMPLOYEE, role})):
        return 403
    if url == "/" and Permission.VIEW_MAP in permissions_for(frozenset({role})):
        return 302
    return 200


@pytest.mark.parametrize(("url", "permission"), PAGES)
def test_each_role_gets_exactly_what_its_permissions_allow(
    client: Client, personas: Personas, url: str, permission: Permission | None
) -> None:
    for role_name, person in personas.by_role().items():
        client.force_login(person)
        response = client.get(url)
        expected = _expected_status(Role(role_name), permission, url)
        assert response.status_code == expected, f"{role_name} on {url}"
        if expected == 403:
            assert b"Acme" not in response.content


def test_map_of_another_organisation_counts_only_its_own_people(client: Client, personas: Personas) -> None:
    from portevoix.accounts.services import create_person

    globex_director = create_person(
        organization=personas.globex,
        email="gina@globex.test",
        full_name="Gina Globex",
        roles=frozenset({Role.COMMUNICATION_DIRECTOR}),
    )
    client.force_login(globex_director)
    response = client.get("/api/v1/map")
    assert response.status_code == 200
    assert response.json()["people"] == 2
    assert response.json()["ambassadors"] == 0


def test_audit_page_shows_only_the_viewers_organisation(client: Client, personas: Personas) -> None:
    client.force_login(personas.outsider)
    response = client.get("/audit/")
    labels = {entry.target_label for entry in response.context["page"]}
    assert labels == {"Mallory Outsider"}


def test_left_person_loses_access_at_once(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)
    personas.director.is_active = False
    personas.director.save(update_fields=["is_active"])
    assert client.get("/map/").status_code == 302


def test_audit_page_names_actions_in_the_viewers_language(client: Client, personas: Personas) -> None:
    personas.compliance.language = "fr"
    personas.compliance.save(update_fields=["language"])
    client.force_login(personas.compliance)
    content = client.get("/audit/").content.decode()
    assert "Personne ajoutée" in content
    assert "person.created" in content
