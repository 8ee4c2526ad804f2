"""Background jobs of the incident register. Thin and idempotent: load by id, call a service."""

from django.tasks import task

from portevoix.incidents import services


@task
def notify_action_owner_task(action_id: int) -> None:
    services.notify_action_owner(action_id=action_id)
