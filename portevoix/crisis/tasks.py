"""Background jobs of crisis mode. Thin and idempotent: each loads rows by id and calls a service."""

from django.tasks import task

from portevoix.crisis import notices
from portevoix.jobs.retry import retrying_task


@task
def send_notices_task(crisis_id: int) -> int:
    return notices.send_notices(crisis_id=crisis_id)


@retrying_task(max_attempts=5)
def send_notice_task(notice_id: int) -> None:
    notices.send_notice(notice_id=notice_id)


@task
def send_lift_notices_task(crisis_id: int) -> int:
    return notices.send_lift_notices(crisis_id=crisis_id)


@retrying_task(max_attempts=5)
def send_lift_notice_task(notice_id: int) -> None:
    notices.send_lift_notice(notice_id=notice_id)
