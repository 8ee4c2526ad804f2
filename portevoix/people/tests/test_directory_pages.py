import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from conftest import Personas
from portevoix.accounts.models import User
from portevoix.accounts.roles import Role
from portevoix.accounts.services import create_person
from portevoix.audit.models import AuditEntry
from portevoix.people import services
from portevoix.people.tests.factories import make_person

WITHOUT_DIRECTORY = ["ambassador", "employee", "compliance_officer"]
WITH_DIRECTORY = ["communication_director", "community_manager", "hr", "administrator"]


def names(response: object) -> list[str]:
    return [person.full_name for person in response.context["page"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", WITH_DIRECTORY)
def test_roles_with_the_directory_see_their_organisation_sorted_by_name(
    client: Client, personas: Personas, role: str
) -> None:
    client.force_login(personas.by_role()[role])

    response = client.get("/people/")

    assert response.status_code == 200
    assert names(response) == ["Adam Admin", "Alice Ambassador", "Bob Employee", "Camille Manager",
                               "Claire Director", "Hélène RH", "Louis Compliance"]  # fmt: skip
    assert b"Mallory" not in response.content


@pytest.mark.parametrize("role", WITHOUT_DIRECTORY)
def test_roles_without_the_directory_get_403_and_no_names(client: Client, personas: Personas, role: str) -> None:
    viewer = personas.by_role()[role]
    client.force_login(viewer)

    response = client.get("/people/?q=alice")

    assert response.status_code == 403
    # The refusal page shows the viewer's own name in its header, and nobody else's.
    others = [person.full_name for person in personas.by_role().values() if person != viewer]
    assert [name for name in others if name.encode() in response.content] == []


def test_anonymous_visitor_is_sent_to_sign_in(client: Client, personas: Personas) -> None:
    response = client.get("/people/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=alice", ["Alice Ambassador"]),
        ("q=LOUIS%40acme", ["Louis Compliance"]),
        ("q=welder", ["Walt Welder"]),
        ("q=W-7", ["Walt Welder"]),
        ("language=fr", ["Alice Ambassador"]),
        ("role=administrator", ["Adam Admin"]),
        ("role=employee&q=bob", ["Bob Employee"]),
        ("status=left", ["Lena Left"]),
        ("department=not-a-number&q=bob", ["Bob Employee"]),
    ],
)
def test_search_and_filters(client: Client, personas: Personas, query: str, expected: list[str]) -> None:
    make_person(personas.acme, "walt@acme.test", "Walt Welder", employee_number="W-7", job_title="Welder")
    left = make_person(personas.acme, "lena@acme.test", "Lena Left")
    User.objects.filter(pk=left.pk).update(is_active=False)
    client.force_login(personas.director)

    response = client.get(f"/people/?{query}")

    assert names(response) == expected


def test_department_entity_and_population_filters(client: Client, personas: Personas) -> None:
    engineering = personas.employee.department
    experts = personas.acme.populations.get(slug="experts")
    services.set_populations(person=personas.employee, populations=[experts], actor=personas.hr)
    client.force_login(personas.hr)

    by_department = client.get(f"/people/?department={engineering.pk}")  # type: ignore[union-attr]
    by_population = client.get(f"/people/?population={experts.pk}")

    assert names(by_department) == ["Alice Ambassador", "Bob Employee"]
    assert names(by_population) == ["Bob Employee"]


def test_htmx_request_gets_only_the_results_partial(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)

    response = client.get("/people/?q=bob", headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "Bob Employee" in body
    assert "<html" not in body
    assert 'role="search"' not in body


def test_full_page_has_labelled_filters_and_htmx_search(client: Client, personas: Personas) -> None:
    client.force_login(personas.director)

    body = client.get("/people/").content.decode()

    for field in ("q", "department", "entity", "population", "language", "role", "status"):
        assert f'<label for="id_{field}">' in body
    assert 'hx-trigger="input delay:300ms, change, submit"' in body
    assert '<th scope="col">' in body


def test_list_is_paginated_by_fifty(client: Client, personas: Personas) -> None:
    for number in range(60):
        make_person(personas.acme, f"p{number:02}@acme.test", f"Person {number:02}")
    client.force_login(personas.director)

    first = client.get("/people/?q=person")
    second = client.get("/people/?q=person&page=2")

    assert (len(names(first)), names(second)[0], len(names(second))) == (50, "Person 50", 10)
    assert b"q=person&amp;page=2" in first.content


def test_list_page_runs_a_constant_number_of_queries(
    client: Client, personas: Personas, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    experts = personas.acme.populations.get(slug="experts")
    client.force_login(personas.director)
    client.get("/people/")  # warm the session
    for number in range(40):
        person = create_person(organization=personas.acme, email=f"p{number}@acme.test", full_name=f"P {number}",
                               roles=frozenset({Role.AMBASSADOR}), department=personas.employee.department)  # fmt: skip
        services.set_populations(person=person, populations=[experts], actor=personas.hr)

    # session, user, roles, organisation, 3 filter lists, count, page ids, page rows, populations, roles
    with django_assert_num_queries(12):
        response = client.get("/people/")

    assert len(names(response)) == 47


def test_person_page_shows_the_directory_fields(client: Client, personas: Personas) -> None:
    manager = personas.director
    report = make_person(personas.acme, "rita@acme.test", "Rita Report", manager=personas.ambassador)
    User.objects.filter(pk=personas.ambassador.pk).update(manager=manager, job_title="Developer")
    client.force_login(personas.community_manager)

    response = client.get(f"/people/{personas.ambassador.pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    for text in ("alice@acme.test", "Developer", "Engineering", "en, fr", "Claire Director", "Rita Report",
                 "Ambassador"):  # fmt: skip
        assert text in body
    assert f"/people/{report.pk}/" in body
    assert 'action="/people/' not in body  # the community manager edits neither roles nor populations


def test_person_of_another_organisation_is_a_404(client: Client, personas: Personas) -> None:
    client.force_login(personas.outsider)

    response = client.get(f"/people/{personas.ambassador.pk}/")

    assert response.status_code == 404
    assert b"Alice" not in response.content


@pytest.mark.parametrize("role", WITHOUT_DIRECTORY)
def test_person_page_is_403_without_the_directory(client: Client, personas: Personas, role: str) -> None:
    client.force_login(personas.by_role()[role])

    assert client.get(f"/people/{personas.ambassador.pk}/").status_code == 403


def test_administrator_changes_roles_and_it_is_audited(client: Client, personas: Personas) -> None:
    client.force_login(personas.admin)

    response = client.post(f"/people/{personas.employee.pk}/roles/", {"roles": ["ambassador", "hr"]})

    assert response.status_code == 302
    assert sorted(personas.employee.roles.values_list("role", flat=True)) == ["ambassador", "hr"]
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.actor, entry.data) == (
        "person.roles_changed",
        personas.admin,
        {"before": [], "after": ["ambassador", "hr"]},
    )


def test_administrator_cannot_remove_their_own_administrator_role(client: Client, personas: Personas) -> None:
    client.force_login(personas.admin)

    response = client.post(f"/people/{personas.admin.pk}/roles/", {"roles": ["hr"]}, follow=True)

    assert list(personas.admin.roles.values_list("role", flat=True)) == ["administrator"]
    assert "You cannot remove your own administrator role." in response.content.decode()


@pytest.mark.parametrize("role", ["communication_director", "community_manager", "hr", "ambassador", "employee"])
def test_roles_cannot_be_changed_without_manage_roles(client: Client, personas: Personas, role: str) -> None:
    audit_before = AuditEntry.objects.count()
    client.force_login(personas.by_role()[role])

    response = client.post(f"/people/{personas.employee.pk}/roles/", {"roles": ["administrator"]})

    assert response.status_code == 403
    assert not personas.employee.roles.exists()
    assert AuditEntry.objects.count() == audit_before


def test_outsider_cannot_change_roles_of_another_organisation(client: Client, personas: Personas) -> None:
    client.force_login(personas.outsider)

    response = client.post(f"/people/{personas.employee.pk}/roles/", {"roles": ["administrator"]})

    assert response.status_code == 404
    assert not personas.employee.roles.exists()


@pytest.mark.parametrize("role", ["hr", "administrator"])
def test_hr_and_administrators_set_populations_by_hand(client: Client, personas: Personas, role: str) -> None:
    experts = personas.acme.populations.get(slug="experts")
    talents = personas.acme.populations.get(slug="young-talents")
    client.force_login(personas.by_role()[role])

    response = client.post(f"/people/{personas.employee.pk}/populations/", {"populations": [experts.pk, talents.pk]})

    assert response.status_code == 302
    assert sorted(personas.employee.populations.values_list("slug", flat=True)) == ["experts", "young-talents"]
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.data) == (
        "person.populations_changed",
        {"before": [], "after": ["experts", "young-talents"]},
    )


def test_populations_of_another_organisation_are_refused(client: Client, personas: Personas) -> None:
    foreign = personas.globex.populations.get(slug="experts")
    client.force_login(personas.hr)

    client.post(f"/people/{personas.employee.pk}/populations/", {"populations": [foreign.pk]})

    assert not personas.employee.populations.exists()


@pytest.mark.parametrize("role", ["communication_director", "community_manager", "ambassador", "employee"])
def test_populations_cannot_be_set_without_import_people(client: Client, personas: Personas, role: str) -> None:
    experts = personas.acme.populations.get(slug="experts")
    client.force_login(personas.by_role()[role])

    response = client.post(f"/people/{personas.employee.pk}/populations/", {"populations": [experts.pk]})

    assert response.status_code == 403
    assert not personas.employee.populations.exists()


def test_deep_pages_show_the_right_people_in_order(client: Client, personas: Personas) -> None:
    for number in range(120):
        create_person(organization=personas.acme, email=f"p{number:03}@acme.test", full_name=f"Person {number:03}")
    client.force_login(personas.hr)

    response = client.get("/people/?page=3")

    everyone = list(User.objects.filter(organization=personas.acme, is_active=True).order_by("full_name", "id"))
    assert names(response) == [person.full_name for person in everyone[100:150]]
