"""Background jobs of the directory. Thin and idempotent: each loads a job by id and calls a service."""

from django.tasks import task

from portevoix.people import services


@task
def validate_import_task(job_id: int) -> None:
    services.validate_import(job_id=job_id)


@task
def apply_import_task(job_id: int) -> None:
    services.apply_import(job_id=job_id)
