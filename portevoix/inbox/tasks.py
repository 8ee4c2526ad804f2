"""Background jobs of the inbox. Thin: each calls one service."""

from django.tasks import task

from portevoix.inbox import services


@task
def pull_inboxes_task() -> int:
    return services.pull_all_channels()
