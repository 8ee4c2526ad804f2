"""Background jobs of the content library. Thin and idempotent."""

from django.tasks import task

from portevoix.content import services


@task
def expire_content_task() -> int:
    return services.expire_content()
