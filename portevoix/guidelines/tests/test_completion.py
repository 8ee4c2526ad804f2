"""The completion dashboard (G2): figures per department, entity, manager and day, people still to
acknowledge, exports for auditors, and who may see it."""

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from conftest import Personas
from portevoix.accounts.models import Entity
from portevoix.accounts.services import create_person, get_or_create_entity
from portevoix.audit.models import AuditEntry
from portevoix.guidelines import selectors, services
from portevoix.guidelines.models import GuidelinesVersion
from portevoix.guidelines.tests.factories import FIRST, published

pytestmark = pytest.mark.django_db


def _with_acknowledgements(personas: Personas) -> GuidelinesVersion:
    version = published(personas.director, *FIRST)
    services.acknowledge(version=version, person=personas.employee)
    services.acknowledge(version=version, person=personas.director)
    return version


def test_completion_per_department_entity_and_manager(personas: Personas) -> None:
    paris = get_or_create_entity(organization=personas.acme, name="Paris")
    for index in range(3):
        create_person(organization=personas.acme, email=f"p{index}@acme.test", full_name=f"P {index}", entity=paris,
                      manager=personas.director)  # fmt: skip
    version = _with_acknowledgements(personas)
    figures = selectors.completion(version=version, unnamed="None")
    assert (figures.total, figures.done, figures.percent) == (10, 2, 20)
    assert [(g.name, g.done, g.total) for g in figures.by_department] == [
        ("Engineering", 1, 2),
        ("Marketing", 1, 2),
        ("None", 0, 6),
    ]
    assert [(g.name, g.done, g.total) for g in figures.by_entity] == [("Paris", 0, 3), ("None", 2, 7)]
    assert [(g.name, g.pending) for g in figures.by_manager] == [("Claire Director", 3)]
    assert [(day.count, day.cumulative) for day in figures.by_day] == [(2, 2)]


def test_dashboard_lists_people_still_to_acknowledge_filtered_by_department(client: Client, personas: Personas) -> None:
    version = _with_acknowledgements(personas)
    engineering = personas.employee.department
    assert engineering is not None
    client.force_login(personas.hr)
    response = client.get(f"/guidelines/v/{version.number}/completion/", {"department": engineering.pk})
    assert response.status_code == 200
    assert [person.email for person in response.context["page"]] == ["alice@acme.test"]
    assert response.context["figures"].done == 2
    partial = client.get(
        f"/guidelines/v/{version.number}/completion/", {"department": engineering.pk}, headers={"HX-Request": "true"}
    )
    assert partial.content.decode().lstrip().startswith('<div id="pending">')


def test_dashboard_costs_the_same_number_of_queries_whatever_the_number_of_people(
    client: Client, personas: Personas, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    version = _with_acknowledgements(personas)
    for index in range(60):
        create_person(organization=personas.acme, email=f"many{index}@acme.test", full_name=f"Many {index}",
                      department=personas.employee.department, manager=personas.employee)  # fmt: skip
    client.force_login(personas.director)
    # The last ones: does the version have a quiz (quizzes' link), is a crisis on (the banner).
    with django_assert_max_num_queries(23):
        response = client.get(f"/guidelines/v/{version.number}/completion/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 65


def test_exports_for_auditors_name_the_version_and_hash(client: Client, personas: Personas) -> None:
    version = _with_acknowledgements(personas)
    client.force_login(personas.compliance)
    response = client.get(f"/guidelines/v/{version.number}/completion/export.csv")
    assert response["Content-Disposition"] == 'attachment; filename="guidelines-v1-acknowledgements.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["person", "e-mail", "department", "entity", "acknowledged at", "version", "content hash"]
    bob = next(row for row in rows if row[1] == "bob@acme.test")
    assert bob[2] == "Engineering"
    assert bob[4] != ""
    assert bob[5:] == ["1", version.content_hash]
    alice = next(row for row in rows if row[1] == "alice@acme.test")
    assert alice[4:] == ["", "1", ""]
    assert len(rows) == 8
    workbook = load_workbook(io.BytesIO(client.get(f"/guidelines/v/{version.number}/completion/export.xlsx").content))
    sheet_rows = list(workbook.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert len(sheet_rows) == 8
    assert AuditEntry.objects.filter(action="guidelines.exported").count() == 2


@pytest.mark.parametrize("role", ["employee", "ambassador", "community_manager", "administrator"])
def test_dashboard_and_exports_are_refused_to_other_roles(client: Client, personas: Personas, role: str) -> None:
    version = _with_acknowledgements(personas)
    client.force_login(personas.by_role()[role])
    for url in ("completion/", "completion/export.csv", "completion/export.xlsx"):
        response = client.get(f"/guidelines/v/{version.number}/{url}")
        assert response.status_code == 403
        assert b"bob@acme.test" not in response.content
    assert not AuditEntry.objects.filter(action="guidelines.exported").exists()


def test_dashboard_of_another_organisation_is_a_404(client: Client, personas: Personas) -> None:
    version = _with_acknowledgements(personas)
    globex_hr = create_person(organization=personas.globex, email="gil@globex.test", full_name="Gil",
                              roles=frozenset({"hr"}))  # type: ignore[arg-type]  # fmt: skip
    client.force_login(globex_hr)
    assert client.get(f"/guidelines/v/{version.number}/completion/").status_code == 404
    assert client.get(f"/guidelines/v/{version.number}/completion/export.csv").status_code == 404
    assert Entity.objects.filter(organization=personas.globex).count() == 0
