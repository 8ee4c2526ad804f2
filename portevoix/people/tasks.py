"""Background jobs of the directory. Thin and idempotent: each loads a job by id and calls a service."""

from django.tasks import task
from django.utils import translation

from portevoix.people import services


@task
def validate_import_task(job_id: int) -> None:
    # Errors are stored as text for the page: write them in the language of who uploaded the file.
    with translation.override(services.import_language(job_id=job_id)):
        services.validate_import(job_id=job_id)


@task
def apply_import_task(job_id: int) -> None:
    with translation.override(services.import_language(job_id=job_id)):
        services.apply_import(job_id=job_id)
