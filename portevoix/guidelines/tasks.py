"""Background jobs of the guidelines. Thin and idempotent: each calls one function of `reminders`."""

from django.tasks import task

from portevoix.guidelines import reminders


@task
def send_scheduled_reminders_task() -> int:
    return reminders.send_scheduled_reminders()


@task
def send_manual_reminders_task(
    version_id: int, person_id: int | None = None, department_id: int | None = None, entity_id: int | None = None
) -> int:
    return reminders.send_manual_reminders(
        version_id=version_id, person_id=person_id, department_id=department_id, entity_id=entity_id
    )
