"""A draft sent to the communication team is refused with a null character, as a check is, and says where."""

from django.test import Client

from conftest import Personas
from portevoix.accounts.services import set_interface_language
from portevoix.asks.models import Ask


def test_a_draft_with_a_null_character_is_refused_with_its_place_and_nothing_is_sent(
    client: Client, personas: Personas
) -> None:
    set_interface_language(person=personas.employee, language="en")
    client.force_login(personas.employee)

    response = client.post(
        "/asks/new/",
        {"question": "May I post this?", "text": "Hello\x00", "scope": "everyone", "date": "2026-05-04"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["text"] == [
        "The text holds an invisible null character (U+0000) at line 1, column 6: it cannot be published or kept. "
        "Delete it (it often comes with text pasted from a file) and try again."
    ]
    assert not Ask.objects.exists()
