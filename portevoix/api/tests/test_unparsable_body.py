"""A body that is not JSON gets a 400 saying so, where the reading stopped, in the caller's language.

django-ninja's own answer is "Cannot parse request body", in English, without saying where.
"""

from typing import Any

import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.services import create_api_token, set_interface_language
from portevoix.policies.models import CheckCount
from portevoix.policies.tests.check_policy import publish_policy

URL = "/api/v1/checks"
MESSAGES = {
    "en": {
        "broken": "The request body must be JSON; it cannot be read at line 2, column 22.",
        "latin-1": "The request body must be JSON encoded in UTF-8; byte 16 is not valid UTF-8.",
    },
    "fr": {
        "broken": "Le corps de la requête doit être du JSON ; il ne peut pas être lu ligne 2, colonne 22.",
        "latin-1": "Le corps de la requête doit être du JSON encodé en UTF-8 ; l’octet 16 n’est pas de l’UTF-8 valide.",  # noqa: RUF001
    },
}
BODIES = {
    "broken": b'{"text": "Bonjour",\n "scope": "everyone" "date": "2026-05-04"}',  # a comma is missing
    "latin-1": '{"text": "Bient\u00f4t"}'.encode("latin-1"),
}


def post(client: Client, body: bytes, secret: str) -> Any:
    return client.post(URL, body, content_type="application/json", headers={"Authorization": f"Bearer {secret}"})


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("body", ["broken", "latin-1"])
def test_a_body_that_is_not_json_gets_400_saying_where_in_the_persons_language(
    client: Client, personas: Personas, language: str, body: str
) -> None:
    publish_policy(personas.acme, personas.compliance)
    set_interface_language(person=personas.employee, language=language)
    _token, secret = create_api_token(user=personas.employee, name="editor plugin")

    response = post(client, BODIES[body], secret)

    assert response.status_code == 400
    assert response.json() == {"detail": MESSAGES[language][body]}
    assert not CheckCount.objects.exists()


def test_other_http_errors_keep_their_answer(client: Client, personas: Personas) -> None:
    publish_policy(personas.acme, personas.compliance)
    _token, secret = create_api_token(user=personas.employee, name="editor plugin")

    response = client.post(
        URL, b'{"text": "Bonjour"}', content_type="application/json", headers={"Authorization": "Bearer pv_wrong"}
    )

    assert response.status_code == 401
    assert post(client, b'{"text": "Bonjour"}', secret).status_code == 200
