from django.core.cache import cache
from django.test import Client

from conftest import Personas
from portevoix.dashboard import selectors


def test_director_lands_on_the_map_with_live_numbers(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)
    response = client.get("/", follow=True)
    assert response.redirect_chain == [("/map/", 302)]
    assert response.context["layers"].people == 7
    assert response.context["layers"].ambassadors == 1


def test_employee_gets_403_on_the_map(client: Client, personas: Personas) -> None:
    client.force_login(personas.employee)
    assert client.get("/map/").status_code == 403


def test_map_numbers_are_reused_until_their_cache_entry_expires(personas: Personas) -> None:
    first = selectors.layer_map(organization=personas.acme)
    personas.employee.is_active = False
    personas.employee.save(update_fields=["is_active"])
    assert selectors.layer_map(organization=personas.acme) == first
    cache.delete(f"dashboard:layer-map:{personas.acme.pk}")
    assert selectors.layer_map(organization=personas.acme).people == first.people - 1
