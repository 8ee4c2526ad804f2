import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.models import ApiToken
from portevoix.accounts.services import create_api_token, revoke_api_token
from portevoix.audit.models import AuditEntry


def test_openapi_description_lists_the_endpoints(client: Client, db: None) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/me", "/api/v1/map"} <= set(paths)


def test_anonymous_call_is_refused_with_401(client: Client, personas: Personas) -> None:
    assert client.get("/api/v1/me").status_code == 401


def test_token_authenticates_as_its_owner(client: Client, personas: Personas) -> None:
    _token, secret = create_api_token(user=personas.director, name="reporting")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["email"] == "claire@acme.test"
    assert response.json()["roles"] == ["communication_director", "employee"]


def test_only_a_digest_of_the_token_is_stored(personas: Personas) -> None:
    token, secret = create_api_token(user=personas.director, name="reporting")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in {stored.digest, stored.prefix, stored.name}
    assert AuditEntry.objects.filter(action="api_token.created", target_id=str(token.pk)).count() == 1


def test_revoked_token_and_token_of_a_leaver_are_refused(client: Client, personas: Personas) -> None:
    token, secret = create_api_token(user=personas.director, name="reporting")
    revoke_api_token(token=token, actor=personas.director)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    _token, other = create_api_token(user=personas.employee, name="script")
    personas.employee.is_active = False
    personas.employee.save(update_fields=["is_active"])
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 401


def test_token_of_a_role_without_permission_gets_403_and_no_numbers(client: Client, personas: Personas) -> None:
    _token, secret = create_api_token(user=personas.employee, name="script")
    response = client.get("/api/v1/map", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403
    assert "people" not in response.json()


def test_person_cannot_revoke_someone_elses_token(client: Client, personas: Personas) -> None:
    token, _secret = create_api_token(user=personas.director, name="reporting")
    client.force_login(personas.employee)
    assert client.post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_profile_page_creates_a_token_shown_once(client: Client, personas: Personas) -> None:
    client.force_login(personas.employee)
    response = client.post("/accounts/profile/", {"name": "my script"})
    secret = response.context["new_secret"]
    assert secret.startswith("pv_")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()["email"] == "bob@acme.test"
    assert secret not in client.get("/accounts/profile/").content.decode()


@pytest.mark.parametrize("header", ["Bearer ", "Bearer pv_forged", "Token abc"])
def test_malformed_or_unknown_tokens_are_refused(client: Client, personas: Personas, header: str) -> None:
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=header).status_code == 401


def test_api_docs_page_loads_its_scripts_locally_not_from_a_cdn(client: Client, db: None) -> None:
    content = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in content
    assert "cdn." not in content
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_api_calls_are_rate_limited_per_person(client: Client, personas: Personas) -> None:
    _token, secret = create_api_token(user=personas.employee, name="script")
    _other, other_secret = create_api_token(user=personas.director, name="other")
    statuses = [client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code for _ in range(601)]
    assert statuses[:600] == [200] * 600
    assert statuses[600] == 429
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {other_secret}").status_code == 200
