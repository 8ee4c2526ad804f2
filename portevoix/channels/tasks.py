"""Background jobs of the outbox. A job is only a doorbell: the dispatch row decides what happens."""

import datetime
import os
import socket
import threading
from typing import Any

from django.tasks import task

from portevoix.channels import alerts, connections, publishing, refresh
from portevoix.jobs.enqueue import enqueue_on_commit
from portevoix.jobs.retry import retrying_task


def _worker_name() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{threading.get_ident() % 100000}"


@task
def publish_dispatch_task(dispatch_id: int) -> str:
    return publishing.publish_dispatch(dispatch_id, worker=_worker_name())


@task
def sweep_outbox_task() -> dict[str, int]:
    return publishing.sweep_outbox()


@retrying_task(max_attempts=5)
def send_alert_email_task(alert_id: int) -> bool:
    return alerts.send_alert_email(alert_id=alert_id)


@task
def warn_expiring_tokens_task() -> int:
    return alerts.warn_expiring_tokens()


@task
def refresh_expiring_tokens_task() -> int:
    return refresh.refresh_expiring_tokens()


@task
def forget_abandoned_connections_task() -> int:
    return connections.forget_abandoned_connections()


def ring(dispatch_id: int, *, at: datetime.datetime | None) -> None:
    """Enqueue a publish attempt (at `at`, or as soon as possible) once the transaction commits."""
    doorbell: Any = publish_dispatch_task.using(run_after=at) if at is not None else publish_dispatch_task
    enqueue_on_commit(doorbell, dispatch_id)
