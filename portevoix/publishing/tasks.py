"""Background jobs of the editorial side. Thin and idempotent: each loads rows by id and calls a service."""

from portevoix.jobs.retry import retrying_task
from portevoix.publishing import notifications


@retrying_task(max_attempts=5)
def notify_task(post_id: int, recipient_id: int, event: str) -> None:
    notifications.send_notification(post_id=post_id, recipient_id=recipient_id, event=event)
