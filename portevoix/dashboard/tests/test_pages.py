from django.test import Client

from conftest import Personas


def test_director_lands_on_the_map_with_live_numbers(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)
    response = client.get("/", follow=True)
    assert response.redirect_chain == [("/map/", 302)]
    assert response.context["layers"].people == 7
    assert response.context["layers"].ambassadors == 1


def test_employee_gets_403_on_the_map(client: Client, personas: Personas) -> None:
    client.force_login(personas.employee)
    assert client.get("/map/").status_code == 403
