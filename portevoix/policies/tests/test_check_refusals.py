# ruff: noqa: RUF001  -- French messages use the typographic apostrophe
"""What a check refuses, the same way on the page and in the API, and how each refusal is told.

A blank text and a text holding a null character are refused in both places; the API says which
field is at fault, in the language of the check, and counts nothing it refused.
"""

from typing import Any

import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.services import create_api_token, set_interface_language
from portevoix.policies import services
from portevoix.policies.models import ArchivedDraft, CheckCount
from portevoix.policies.tests.check_policy import publish_policy

URL = "/api/v1/checks"
NUL_TEXT = "Bravo à tous\npour le Projet\x00Heron"
NUL_MESSAGE_EN = (
    "The text holds an invisible null character (U+0000) at line 2, column 15: it cannot be published or kept. "
    "Delete it (it often comes with text pasted from a file) and try again."
)
NUL_MESSAGE_FR = (
    "Le texte contient un caractère nul invisible (U+0000) ligne 2, colonne 15\u00a0: il ne peut être ni publié ni "
    "conservé. Supprimez-le (il vient souvent d’un texte copié depuis un fichier) et réessayez."
)


def post(client: Client, body: dict[str, Any], secret: str, **headers: str) -> Any:
    return client.post(
        URL, body, content_type="application/json", headers={"Authorization": f"Bearer {secret}", **headers}
    )


def check_on_the_page(client: Client, text: str) -> Any:
    data = {"text": text, "scope": "everyone", "date": "2026-05-04", "draft_key": "draft-key-0001"}
    return client.post("/check/", data, headers={"HX-Request": "true"})


@pytest.fixture
def bob_token(personas: Personas) -> str:
    """Bob checks through the page and through an editor plugin's token; here he reads English."""
    publish_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.employee, language="en")
    _token, secret = create_api_token(user=personas.employee, name="editor plugin")
    return secret


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_null_character_is_refused_with_its_place_on_the_page_and_in_the_api(
    client: Client, bob_token: str, personas: Personas, language: str
) -> None:
    set_interface_language(person=personas.employee, language=language)
    client.force_login(personas.employee)
    message = NUL_MESSAGE_EN if language == "en" else NUL_MESSAGE_FR

    page = check_on_the_page(client, NUL_TEXT)
    api = post(client, {"text": NUL_TEXT}, bob_token)

    assert page.context["result"].status == "invalid"
    assert page.context["form"].errors == {"text": [message]}
    assert api.status_code == 422
    assert api.json()["detail"] == [
        {
            "type": "null_character",
            "loc": ["body", "payload", "text"],
            "field": "text",
            "msg": message,
            "ctx": {"line": 2, "column": 15},
        }
    ]
    assert not CheckCount.objects.exists()


def test_a_null_character_is_refused_before_anything_is_archived(
    client: Client, bob_token: str, personas: Personas
) -> None:
    # PostgreSQL cannot store U+0000: were it checked, archiving would fail with a server error.
    services.set_archiving(organization=personas.acme, actor=personas.compliance, archive_drafts=True)
    client.force_login(personas.employee)

    assert check_on_the_page(client, NUL_TEXT).context["result"].status == "invalid"
    assert post(client, {"text": NUL_TEXT}, bob_token).status_code == 422
    assert not ArchivedDraft.objects.exists()


def test_other_control_characters_are_checked_alike_on_the_page_and_in_the_api(
    client: Client, bob_token: str, personas: Personas
) -> None:
    client.force_login(personas.employee)
    text = "Le Projet\x01Heron\x1f avance"

    page = check_on_the_page(client, text).context["result"].report
    api = post(client, {"text": text}, bob_token).json()

    assert (page.outcome.value, [item.finding.matched for item in page.findings]) == (
        "do_not_publish",
        ["Heron"],
    )
    assert (api["outcome"], [finding["matched"] for finding in api["findings"]]) == (
        "do_not_publish",
        ["Heron"],
    )


@pytest.mark.parametrize("text", ["   ", " \n\t\n ", "\u00a0\u2003"])
def test_a_blank_text_gets_422_and_is_not_counted(client: Client, bob_token: str, text: str) -> None:
    response = post(client, {"text": text, "language": "en"}, bob_token)

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "text_blank",
            "loc": ["body", "payload", "text"],
            "field": "text",
            "msg": "“text” holds only spaces and line breaks: there is nothing to check.",
        }
    ]
    assert not CheckCount.objects.exists()


def test_a_blank_text_is_not_checked_on_the_page_either(client: Client, bob_token: str, personas: Personas) -> None:
    client.force_login(personas.employee)

    assert check_on_the_page(client, "   ").context["result"].status == "empty"
    assert not CheckCount.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "kind", "message"),
    [
        ({}, "text", "missing", "“text” is required."),
        ({"text": ""}, "text", "string_too_short", "“text” must not be empty."),
        ({"text": 5}, "text", "string_type", "“text” must be a text."),
        ({"text": "a" * 20_001}, "text", "string_too_long", "“text” must have at most 20000 characters."),
        ({"text": "x", "date": 20261128}, "date", "date_format", "“date” must be a text in the form YYYY-MM-DD."),
        ({"text": "x", "date": "10/03/2026"}, "date", "date_format", "“date” must be a text in the form YYYY-MM-DD."),
        (
            {"text": "x", "date": "2026-11-28T00:00"},
            "date",
            "date_format",
            "“date” must be a text in the form YYYY-MM-DD.",
        ),
        (
            {"text": "x", "date": "2026-02-30"},
            "date",
            "date_from_datetime_parsing",
            "“date” must be a day that exists, written YYYY-MM-DD.",
        ),
        ({"text": "x", "scope": "ceo"}, "scope", "enum", "“scope” must be one of: everyone, ambassadors, official."),
        ({"text": "x", "language": "de"}, "language", "literal_error", "“language” must be one of: fr, en."),
        (
            {"text": "x", "draft_key": "a b"},
            "draft_key",
            "string_pattern_mismatch",
            "“draft_key” does not have the expected form (regular expression ^[A-Za-z0-9_-]{8,64}$).",
        ),
    ],
)
def test_each_invalid_field_is_named_with_what_is_expected(
    client: Client, bob_token: str, body: dict[str, Any], field: str, kind: str, message: str
) -> None:
    response = post(client, body, bob_token)

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert (error["field"], error["type"], error["loc"]) == (field, kind, ["body", "payload", field])
    assert error["msg"] == message
    assert not CheckCount.objects.exists()


def test_messages_are_in_the_language_asked_for_in_the_body(client: Client, bob_token: str) -> None:
    response = post(client, {"text": "   ", "date": 20261128, "language": "fr"}, bob_token)

    assert response.status_code == 422
    assert [error["msg"] for error in response.json()["detail"]] == [
        "«\u00a0text\u00a0» ne contient que des espaces et des retours à la ligne\u00a0: il n’y a rien à vérifier.",
        "«\u00a0date\u00a0» doit être un texte de la forme AAAA-MM-JJ (YYYY-MM-DD).",
    ]


def test_messages_follow_the_persons_language_when_the_body_names_none(
    client: Client, bob_token: str, personas: Personas
) -> None:
    set_interface_language(person=personas.employee, language="fr")

    response = post(client, {"text": ""}, bob_token)

    assert response.json()["detail"][0]["msg"] == "«\u00a0text\u00a0» ne doit pas être vide."


def test_other_operations_name_the_field_in_the_callers_language(client: Client, personas: Personas) -> None:
    _token, secret = create_api_token(user=personas.director, name="reporting")  # Claire reads French

    response = client.get("/api/v1/people?department=abc", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "int_parsing",
            "loc": ["query", "department"],
            "field": "department",
            "msg": "«\u00a0department\u00a0» doit être un nombre entier.",
        }
    ]


def test_the_openapi_description_documents_the_refusals(client: Client, db: None) -> None:
    openapi = client.get("/api/v1/openapi.json").json()
    operation = openapi["paths"][URL]["post"]
    properties = openapi["components"]["schemas"]["CheckIn"]["properties"]

    assert "422" in operation["responses"]
    assert "a null character" in operation["description"]
    assert "not counted" in operation["description"]
    assert "not only spaces" in properties["text"]["description"]
    assert "as a text YYYY-MM-DD" in properties["date"]["description"]
