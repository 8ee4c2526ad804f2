from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoCaptureOnCommitCallbacks
from pytest_django.fixtures import Settings

from conftest import Personas
from portevoix.accounts.models import User
from portevoix.audit.models import AuditEntry
from portevoix.people.models import ImportJob
from portevoix.people.tests.factories import checked_job, csv_file, xlsx_file

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

CANNOT_IMPORT = ["communication_director", "community_manager", "compliance_officer", "ambassador", "employee"]
CSV = csv_file([["email", "full_name", "department"], ["new@acme.test", "New Person", "Sales"]])


def upload(client: Client, content: bytes, name: str = "people.csv") -> "_MonkeyPatchedWSGIResponse":
    return client.post("/people/import/", {"file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db(transaction=True)
def test_hr_imports_a_file_through_the_pages_and_the_worker(
    client: Client, personas: Personas, run_jobs: Callable[[], int]
) -> None:
    client.force_login(personas.hr)

    response = upload(client, CSV)
    job = ImportJob.objects.get()
    assert response["Location"] == f"/people/import/{job.pk}/"
    assert DBTaskResult.objects.ready().count() == 1
    polling = client.get(f"/people/import/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in polling
    assert '<label for="import-progress">' in polling

    assert run_jobs() == 1
    preview = client.get(f"/people/import/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in preview
    assert "Import 1 person" in preview

    client.post(f"/people/import/{job.pk}/confirm/")
    assert run_jobs() == 2, "the import, then the population rules it sets off (people_imported)"

    job.refresh_from_db()
    assert (job.status, job.confirmed_by, job.summary["created"]) == (ImportJob.Status.DONE, personas.hr, 1)
    assert User.objects.get(email="new@acme.test").department.name == "Sales"  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action="people.imported", actor=personas.hr).count() == 1
    assert DBTaskResult.objects.successful().count() == 3


def test_upload_enqueues_the_check_after_commit(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(personas.admin)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload(client, xlsx_file([["email", "full_name"], ["x@acme.test", "X"]]), name="people.xlsx")

    job = ImportJob.objects.get()
    assert (job.organization, job.uploaded_by, job.file_name, job.status) == (
        personas.acme,
        personas.admin,
        "people.xlsx",
        ImportJob.Status.UPLOADED,
    )
    assert len(callbacks) == 1
    assert DBTaskResult.objects.get().task_path == "portevoix.people.tasks.validate_import_task"


def test_preview_lists_errors_with_line_numbers_in_an_alert(client: Client, personas: Personas) -> None:
    job = checked_job(personas.acme, csv_file([["email", "full_name"], ["ok@acme.test", "Ok"], ["bad", "Bad"]]))
    client.force_login(personas.hr)

    body = client.get(f"/people/import/{job.pk}/").content.decode()

    assert 'role="alert"' in body
    assert '<th scope="row">3</th><td>email</td><td>invalid e-mail address: “bad”</td>' in body
    assert "confirm" not in body


def test_preview_shows_counts_and_the_confirm_button(client: Client, personas: Personas) -> None:
    content = csv_file([["email", "full_name", "entity"], ["bob@acme.test", "Bob Employee", "Acme UK"],
                        ["n@acme.test", "N", ""]])  # fmt: skip
    job = checked_job(personas.acme, content)
    client.force_login(personas.admin)

    response = client.get(f"/people/import/{job.pk}/")

    assert (response.context["job"].summary["created"], response.context["job"].summary["updated"]) == (1, 1)
    assert "Acme UK" in response.content.decode()
    assert "Import 2 people" in response.content.decode()


def test_too_large_upload_is_refused_by_the_form(client: Client, personas: Personas, settings: Settings) -> None:
    settings.IMPORT_MAX_BYTES = 10
    client.force_login(personas.hr)

    response = upload(client, CSV)

    assert response.status_code == 200
    assert "larger than the limit" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_template_has_the_headers(client: Client, personas: Personas) -> None:
    client.force_login(personas.hr)

    response = client.get("/people/import/template.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8-sig").strip() == (
        "email,full_name,employee_number,department,entity,job_title,location,languages,hire_date,"
        "manager_email,populations,active"
    )


@pytest.mark.parametrize("role", CANNOT_IMPORT)
def test_roles_without_import_get_403_everywhere(client: Client, personas: Personas, role: str) -> None:
    job = checked_job(personas.acme, CSV)
    client.force_login(personas.by_role()[role])

    responses = [
        client.get("/people/import/"),
        upload(client, CSV),
        client.get(f"/people/import/{job.pk}/"),
        client.post(f"/people/import/{job.pk}/confirm/"),
        client.get("/people/import/template.csv"),
    ]

    assert [response.status_code for response in responses] == [403] * 5
    assert ImportJob.objects.get().status == ImportJob.Status.READY
    assert ImportJob.objects.count() == 1


def test_outsider_gets_404_on_another_organisations_import(client: Client, personas: Personas) -> None:
    job = checked_job(personas.acme, CSV)
    client.force_login(personas.outsider)

    responses = [client.get(f"/people/import/{job.pk}/"), client.post(f"/people/import/{job.pk}/confirm/")]

    assert [response.status_code for response in responses] == [404, 404]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY
