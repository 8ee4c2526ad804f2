"""POST /api/v1/checks: the verdict of the page as JSON, for tokens and sessions, rate-limited per person."""

from typing import Any

import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.services import create_api_token
from portevoix.policies.models import ArchivedDraft, CheckCount
from portevoix.policies.tests.check_policy import GLOBEX_POLICY, publish_policy

URL = "/api/v1/checks"


def post(client: Client, body: dict[str, Any], secret: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return client.post(URL, body, content_type="application/json", headers=headers)


@pytest.fixture
def bob_token(personas: Personas) -> str:
    publish_policy(personas.acme, personas.compliance)
    _token, secret = create_api_token(user=personas.employee, name="editor plugin")
    return secret


def test_a_check_returns_the_verdict_and_every_field_of_each_finding(client: Client, bob_token: str) -> None:
    response = post(client, {"text": "Bravo\nau Projet Heron", "date": "2026-05-04", "language": "en"}, bob_token)

    assert response.status_code == 200
    assert response.json() == {
        "outcome": "do_not_publish",
        "outcome_label": "Do not publish",
        "blocks": True,
        "policy_version": 1,
        "language": "en",
        "scope": "everyone",
        "date": "2026-05-04",
        "findings": [
            {
                "number": 1,
                "rule_id": "confidential-projects",
                "kind": "terms",
                "kind_label": "Term list",
                "category": "legal_confidentiality",
                "category_label": "Legal and confidentiality",
                "severity": "block",
                "severity_label": "Block",
                "clause_id": "c-3-1",
                "clause_title": "Confidential projects",
                "start": 9,
                "end": 21,
                "line": 2,
                "column": 4,
                "matched": "Projet Heron",
                "message": "This project is confidential.",
                "suggestion": "Remove the project's name.",
                "detail": "Projet Heron",
            }
        ],
    }


def test_messages_default_to_the_persons_language(client: Client, bob_token: str) -> None:
    body = post(client, {"text": "Projet Heron"}, bob_token).json()  # Bob reads French

    assert body["language"] == "fr"
    assert body["findings"][0]["clause_title"] == "Projets confidentiels"
    assert body["findings"][0]["suggestion"] == "Retirez le nom du projet."


def test_a_fine_text_has_no_findings_and_is_counted_once_per_draft_key(
    client: Client, bob_token: str, personas: Personas
) -> None:
    for _ in range(3):
        body = post(client, {"text": "Belle journée !", "draft_key": "plugin-draft-1"}, bob_token).json()

    assert (body["outcome"], body["blocks"], body["findings"]) == ("fine", False, [])
    assert dict(CheckCount.objects.values_list("rule_id", "count")) == {"": 1}
    assert not ArchivedDraft.objects.exists()


def test_the_session_of_the_page_works_too(client: Client, bob_token: str, personas: Personas) -> None:
    client.force_login(personas.employee)

    assert post(client, {"text": "Projet Heron"}).json()["outcome"] == "do_not_publish"


@pytest.mark.parametrize(
    ("body", "location", "message"),
    [
        ({}, ["body", "payload", "text"], "«\u00a0text\u00a0» est obligatoire."),
        ({"text": ""}, ["body", "payload", "text"], "«\u00a0text\u00a0» ne doit pas être vide."),
        (
            {"text": "a" * 20_001},
            ["body", "payload", "text"],
            "«\u00a0text\u00a0» doit avoir au plus 20000 caractères.",
        ),
        (
            {"text": "x", "date": "10/03/2026"},
            ["body", "payload", "date"],
            "«\u00a0date\u00a0» doit être un texte de la forme",
        ),
        ({"text": "x", "scope": "ceo"}, ["body", "payload", "scope"], "«\u00a0scope\u00a0» doit valoir l"),
        ({"text": "x", "language": "de"}, ["body", "payload", "language"], "«\u00a0language\u00a0» doit valoir l"),
    ],
)
def test_invalid_bodies_get_422_saying_which_field_and_why_in_the_persons_language(
    client: Client, bob_token: str, body: dict[str, Any], location: list[str], message: str
) -> None:
    response = post(client, body, bob_token)

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == location
    assert error["msg"].startswith(message)
    assert not CheckCount.objects.exists()


def test_a_scope_the_person_does_not_hold_is_refused_with_403(client: Client, bob_token: str) -> None:
    response = post(client, {"text": "Initech", "scope": "official", "language": "en"}, bob_token)

    assert response.status_code == 403
    assert response.json() == {"detail": "You cannot check a text with the scope “official”; yours: everyone."}
    assert not CheckCount.objects.exists()


def test_an_ambassador_may_check_as_an_ambassador(client: Client, bob_token: str, personas: Personas) -> None:
    _token, secret = create_api_token(user=personas.ambassador, name="plugin")

    body = post(client, {"text": "Initech", "scope": "ambassadors"}, secret).json()

    assert [finding["rule_id"] for finding in body["findings"]] == ["competitors"]
    assert body["outcome"] == "careful"


def test_without_a_published_policy_the_answer_is_409(client: Client, personas: Personas) -> None:
    _token, secret = create_api_token(user=personas.outsider, name="script")

    response = post(client, {"text": "Projet Heron", "language": "en"}, secret)

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Your organisation has not published a policy yet: there is nothing to check against."
    }


def test_each_organisation_gets_its_own_policy(client: Client, bob_token: str, personas: Personas) -> None:
    publish_policy(personas.globex, personas.outsider, GLOBEX_POLICY)
    _token, secret = create_api_token(user=personas.outsider, name="script")

    globex = post(client, {"text": "Projet Zephyr et Heron"}, secret).json()
    acme = post(client, {"text": "Projet Zephyr et Heron"}, bob_token).json()

    assert [finding["rule_id"] for finding in globex["findings"]] == ["globex-projects"]
    assert [finding["rule_id"] for finding in acme["findings"]] == ["confidential-projects"]


def test_anonymous_calls_are_refused_with_401(client: Client, bob_token: str) -> None:
    assert post(client, {"text": "Projet Heron"}).status_code == 401
    assert post(client, {"text": "Projet Heron"}, "pv_forged").status_code == 401
    assert not CheckCount.objects.exists()


def test_checks_are_limited_to_120_a_minute_per_person(client: Client, bob_token: str, personas: Personas) -> None:
    _token, other = create_api_token(user=personas.director, name="other")
    body = {"text": "Bonjour", "draft_key": "rate-limit-draft"}

    statuses = [post(client, body, bob_token).status_code for _ in range(121)]

    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429
    assert post(client, body, other).status_code == 200
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {bob_token}"}).status_code == 200


def test_the_openapi_description_documents_the_endpoint(client: Client, db: None) -> None:
    operation = client.get("/api/v1/openapi.json").json()["paths"][URL]["post"]

    assert operation["summary"] == "Check a post against the policy"
    assert "**409**" in operation["description"]
    assert set(operation["responses"]) >= {"200", "403", "409"}
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schemas["CheckIn"]["properties"]["text"]["maxLength"] == 20_000
    assert {"clause_title", "category_label", "severity_label", "line", "column"} <= set(
        schemas["FindingOut"]["properties"]
    )
