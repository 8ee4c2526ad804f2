import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.services import create_api_token
from portevoix.people.tests.factories import make_person


def bearer(personas: Personas, role: str) -> dict[str, str]:
    _, secret = create_api_token(user=personas.by_role()[role], name="test")
    return {"Authorization": f"Bearer {secret}"}


def test_list_is_paginated_and_scoped_to_the_organisation(client: Client, personas: Personas) -> None:
    response = client.get("/api/v1/people?page_size=3", headers=bearer(personas, "hr"))

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 7
    assert [person["full_name"] for person in body["items"]] == ["Adam Admin", "Alice Ambassador", "Bob Employee"]
    alice = body["items"][1]
    assert alice["languages"] == ["en", "fr"]
    assert alice["department"]["name"] == "Engineering"
    assert alice["roles"] == ["ambassador"]


def test_list_filters(client: Client, personas: Personas) -> None:
    make_person(personas.acme, "walt@acme.test", "Walt Welder", job_title="Welder")

    response = client.get("/api/v1/people?search=weld", headers=bearer(personas, "administrator"))
    by_role = client.get("/api/v1/people?role=ambassador", headers=bearer(personas, "administrator"))

    assert [person["email"] for person in response.json()["items"]] == ["walt@acme.test"]
    assert [person["email"] for person in by_role.json()["items"]] == ["alice@acme.test"]


def test_one_person(client: Client, personas: Personas) -> None:
    response = client.get(
        f"/api/v1/people/{personas.ambassador.pk}", headers=bearer(personas, "communication_director")
    )

    assert response.status_code == 200
    assert (response.json()["email"], response.json()["hire_date"]) == ("alice@acme.test", "2024-09-01")


@pytest.mark.parametrize("role", ["ambassador", "employee", "compliance_officer"])
def test_roles_without_the_directory_get_403_and_nothing(client: Client, personas: Personas, role: str) -> None:
    headers = bearer(personas, role)

    responses = [client.get("/api/v1/people", headers=headers),
                 client.get(f"/api/v1/people/{personas.ambassador.pk}", headers=headers)]  # fmt: skip

    assert [response.status_code for response in responses] == [403, 403]
    assert all("alice" not in response.content.decode() for response in responses)


def test_outsider_gets_404_on_another_organisations_person(client: Client, personas: Personas) -> None:
    _, secret = create_api_token(user=personas.outsider, name="test")
    headers = {"Authorization": f"Bearer {secret}"}

    one = client.get(f"/api/v1/people/{personas.ambassador.pk}", headers=headers)
    listing = client.get("/api/v1/people?status=all", headers=headers)

    assert one.status_code == 404
    assert [person["email"] for person in listing.json()["items"]] == ["mallory@globex.test"]


def test_anonymous_caller_gets_401(client: Client, personas: Personas) -> None:
    assert client.get("/api/v1/people").status_code == 401
