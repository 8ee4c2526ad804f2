"""The crisis API: the current crisis for everyone of the organisation, a timeline for the team only."""

import pytest
from django.test import Client

from conftest import Personas
from portevoix.accounts.services import create_api_token
from portevoix.crisis import services
from portevoix.crisis.tests.factories import STATEMENT_EN, STATEMENT_FR, start


def bearer(person: object) -> dict[str, str]:
    _token, secret = create_api_token(user=person, name="intranet")  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {secret}"}


def test_everyone_reads_the_current_crisis_in_their_language_without_the_lift_reason(
    client: Client, personas: Personas
) -> None:
    assert client.get("/api/v1/crisis/current", headers=bearer(personas.employee)).json() == {
        "is_on": False,
        "crisis": None,
    }
    crisis = start(personas.director)

    french = client.get("/api/v1/crisis/current", headers=bearer(personas.employee)).json()
    english = client.get("/api/v1/crisis/current", headers=bearer(personas.ambassador)).json()

    assert french["is_on"] is True
    assert (french["crisis"]["id"], french["crisis"]["holding_statement"]) == (crisis.pk, STATEMENT_FR)
    assert (english["crisis"]["title"], english["crisis"]["holding_statement"]) == ("Incident in Lyon", STATEMENT_EN)
    assert english["crisis"]["language"] == "en"
    asked = client.get("/api/v1/crisis/current?language=en", headers=bearer(personas.employee)).json()
    assert asked["crisis"]["holding_statement"] == STATEMENT_EN


def test_another_organisation_sees_no_crisis(client: Client, personas: Personas) -> None:
    crisis = start(personas.director)

    assert client.get("/api/v1/crisis/current", headers=bearer(personas.outsider)).json() == {
        "is_on": False,
        "crisis": None,
    }
    assert client.get(f"/api/v1/crisis/{crisis.pk}", headers=bearer(personas.outsider)).status_code == 403


def test_the_team_reads_the_timeline_with_the_lift_reason(client: Client, personas: Personas) -> None:
    crisis = start(personas.director)
    services.add_note(crisis=crisis, actor=personas.community_manager, text="Appel de l'AFP")
    services.lift_crisis(crisis=crisis, actor=personas.director, reason="Site sécurisé")

    body = client.get(f"/api/v1/crisis/{crisis.pk}", headers=bearer(personas.community_manager)).json()

    assert body["crisis"]["end_reason"] == "Site sécurisé"
    assert [(entry["kind"], entry["actor"]) for entry in body["timeline"]] == [
        ("started", "Claire Director"),
        ("notified", "Claire Director"),
        ("note", "Camille Manager"),
        ("lifted", "Claire Director"),
    ]
    assert body["notices"] == {"recipients": 1, "emailed": 0, "read": 0, "told_lifted": 0}


@pytest.mark.parametrize("role", ["compliance_officer", "hr", "ambassador", "employee", "administrator"])
def test_other_roles_get_403_for_a_timeline(client: Client, personas: Personas, role: str) -> None:
    crisis = start(personas.director, title="Secret crisis")

    response = client.get(f"/api/v1/crisis/{crisis.pk}", headers=bearer(personas.by_role()[role]))

    assert response.status_code == 403
    assert "Secret crisis" not in response.content.decode()


def test_a_director_of_another_organisation_gets_404(client: Client, personas: Personas) -> None:
    from portevoix.crisis.tests.test_pages import globex_director

    crisis = start(personas.director)

    assert client.get(f"/api/v1/crisis/{crisis.pk}", headers=bearer(globex_director())).status_code == 404


def test_anonymous_call_is_refused(client: Client, personas: Personas) -> None:
    assert client.get("/api/v1/crisis/current").status_code == 401
