# ruff: noqa: RUF001  -- French messages use the typographic apostrophe
"""Who may call the API, seen as a real client sees it: CSRF enforced, no test-client shortcut.

Django's test client skips CSRF checks unless asked; these tests ask, so that a script without a
cookie is answered as it would be in production.
"""

from typing import Any

import pytest
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory, override_settings

from conftest import Personas
from portevoix.accounts.services import create_api_token
from portevoix.policies.models import CheckCount
from portevoix.policies.tests.check_policy import publish_policy

CHECKS = "/api/v1/checks"
# Every operation of the API, with a body valid for it, so that only authentication decides.
OPERATIONS = [
    ("post", CHECKS),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/map"),
    ("get", "/api/v1/people"),
    ("get", "/api/v1/people/1"),
    ("get", "/api/v1/crisis/current"),
    ("get", "/api/v1/crisis/1"),
]


@pytest.fixture
def strict_client() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def bob_secret(personas: Personas) -> str:
    publish_policy(personas.acme, personas.compliance)
    _token, secret = create_api_token(user=personas.employee, name="editor plugin")
    return secret


def call(client: Client, method: str, url: str, headers: dict[str, str] | None = None) -> Any:
    if method == "post":
        return client.post(url, {"text": "Projet Heron"}, content_type="application/json", headers=headers or {})
    return client.get(url, headers=headers or {})


def test_the_openapi_description_lists_every_operation_tested_here(client: Client, db: None) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {(method, path) for path, operations in paths.items() for method in operations} == {
        ("post", CHECKS),
        ("get", "/api/v1/me"),
        ("get", "/api/v1/map"),
        ("get", "/api/v1/people"),
        ("get", "/api/v1/people/{person_id}"),
        ("get", "/api/v1/crisis/current"),
        ("get", "/api/v1/crisis/{crisis_id}"),
    }


@pytest.mark.parametrize(("method", "url"), OPERATIONS)
def test_a_mistyped_token_gets_401_with_an_invalid_token_challenge(
    strict_client: Client, bob_secret: str, method: str, url: str
) -> None:
    response = call(strict_client, method, url, {"Authorization": f"Bearer {bob_secret}x", "Accept-Language": "en"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="Porte-Voix API", error="invalid_token"'
    assert response.json() == {
        "detail": "This API token is not valid: it is unknown or revoked, or its owner no longer has access."
    }
    assert not CheckCount.objects.exists()


@pytest.mark.parametrize(("method", "url"), OPERATIONS)
def test_a_call_without_credentials_gets_401_with_a_challenge(
    strict_client: Client, bob_secret: str, method: str, url: str
) -> None:
    response = call(strict_client, method, url, {"Accept-Language": "en"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="Porte-Voix API"'
    assert response.json() == {
        "detail": "Authentication required: send a personal API token in the header “Authorization: Bearer pv_…”."
    }
    assert not CheckCount.objects.exists()


def test_the_401_message_follows_the_callers_language(strict_client: Client, bob_secret: str) -> None:
    response = strict_client.post(
        CHECKS, {"text": "x"}, content_type="application/json", headers={"Accept-Language": "fr"}
    )

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentification requise\u00a0: envoyez un jeton d’API personnel dans l’en-tête "
        "«\u00a0Authorization: Bearer pv_…\u00a0»."
    }


def test_an_unknown_scheme_is_not_taken_for_a_token(strict_client: Client, bob_secret: str) -> None:
    response = strict_client.get("/api/v1/me", headers={"Authorization": f"Token {bob_secret}"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="Porte-Voix API"'


def test_a_valid_token_checks_without_any_csrf_token(strict_client: Client, bob_secret: str) -> None:
    response = call(strict_client, "post", CHECKS, {"Authorization": f"Bearer {bob_secret}"})

    assert response.status_code == 200
    assert response.json()["outcome"] == "do_not_publish"
    assert dict(CheckCount.objects.values_list("rule_id", "count")) == {"": 1, "confidential-projects": 1}


def test_a_mistyped_token_is_refused_even_from_a_signed_in_browser(
    strict_client: Client, bob_secret: str, personas: Personas
) -> None:
    strict_client.force_login(personas.employee)

    response = strict_client.get("/api/v1/me", headers={"Authorization": f"Bearer {bob_secret}x"})

    assert response.status_code == 401


def test_a_session_without_the_csrf_token_gets_403_and_nothing_is_counted(
    strict_client: Client, bob_secret: str, personas: Personas
) -> None:
    strict_client.force_login(personas.employee)

    response = call(strict_client, "post", CHECKS)

    assert response.status_code == 403
    assert response.json() == {  # in Bob's language, French
        "detail": "Échec de la vérification CSRF\u00a0: une session de navigateur doit envoyer le jeton CSRF "
        "(en-tête X-CSRFToken). Les scripts s’authentifient plutôt avec un jeton d’API."
    }
    assert not CheckCount.objects.exists()


def test_a_session_with_the_csrf_token_checks(strict_client: Client, bob_secret: str, personas: Personas) -> None:
    strict_client.force_login(personas.employee)
    csrf_token = get_token(RequestFactory().get("/"))
    strict_client.cookies["csrftoken"] = csrf_token

    response = call(strict_client, "post", CHECKS, {"X-CSRFToken": csrf_token})

    assert response.status_code == 200
    assert response.json()["outcome"] == "do_not_publish"


def test_a_session_may_read_without_a_csrf_token(strict_client: Client, bob_secret: str, personas: Personas) -> None:
    strict_client.force_login(personas.employee)

    assert strict_client.get("/api/v1/me").json()["email"] == "bob@acme.test"


def test_the_openapi_description_says_how_to_authenticate_and_what_a_refusal_looks_like(
    client: Client, db: None
) -> None:
    description = client.get("/api/v1/openapi.json").json()

    assert "**401**" in description["info"]["description"]
    assert "WWW-Authenticate: Bearer" in description["info"]["description"]
    assert "401" in description["paths"][CHECKS]["post"]["responses"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1_000)
def test_a_body_too_large_to_read_still_gets_a_401(strict_client: Client, bob_secret: str) -> None:
    response = strict_client.post(
        CHECKS, {"text": "x" * 2_000}, content_type="application/json", headers={"Authorization": "Bearer pv_forged"}
    )

    assert response.status_code == 401
