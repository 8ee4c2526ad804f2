"""Background jobs of requests. Thin and idempotent: each loads rows by id and calls a service."""

from portevoix.asks import services
from portevoix.jobs.retry import retrying_task


@retrying_task(max_attempts=5)
def notify_task(message_id: int, recipient_id: int) -> None:
    services.send_notification(message_id=message_id, recipient_id=recipient_id)
