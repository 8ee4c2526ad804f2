"""Reads about the background workers and their queue, for the dashboard and /healthz."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portevoix.jobs.models import WorkerHeartbeat
from portevoix.jobs.retry import RETRY_SCHEDULED_PATH


@dataclass(frozen=True)
class WorkerState:
    worker_id: str
    hostname: str
    pid: int
    threads: int
    last_seen_at: datetime.datetime
    is_alive: bool


@dataclass(frozen=True)
class QueueState:
    ready: int
    running: int
    failed_last_day: int


def stale_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS)


def worker_states(*, limit: int = 50) -> list[WorkerState]:
    """Recently seen workers, newest first; those silent for too long are not alive."""
    threshold = stale_before()
    since = timezone.now() - datetime.timedelta(days=1)
    rows = WorkerHeartbeat.objects.filter(last_seen_at__gte=since).order_by("-last_seen_at")[:limit]
    return [
        WorkerState(
            worker_id=row.worker_id,
            hostname=row.hostname,
            pid=row.pid,
            threads=row.threads,
            last_seen_at=row.last_seen_at,
            is_alive=row.stopped_at is None and row.last_seen_at >= threshold,
        )
        for row in rows
    ]


def has_live_worker() -> bool:
    return WorkerHeartbeat.objects.filter(last_seen_at__gte=stale_before(), stopped_at__isnull=True).exists()


def latest_heartbeat() -> datetime.datetime | None:
    row = WorkerHeartbeat.objects.order_by("-last_seen_at").values_list("last_seen_at", flat=True).first()
    return row


def queue_state() -> QueueState:
    day_ago = timezone.now() - datetime.timedelta(days=1)
    return QueueState(
        ready=DBTaskResult.objects.ready().count(),
        running=DBTaskResult.objects.running().count(),
        # An attempt that failed with a transient error and was enqueued again is not a failure
        # anyone must act on; its last attempt will count if it also fails.
        failed_last_day=DBTaskResult.objects.failed()
        .filter(finished_at__gte=day_ago)
        .exclude(exception_class_path=RETRY_SCHEDULED_PATH)
        .count(),
    )
