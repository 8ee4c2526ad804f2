"""Worker process identity and heartbeat.

A worker process has one id (`<host>-<pid>-<random>`) and one `WorkerHeartbeat` row; each of
its threads claims jobs as `<process id>/t<n>`, so the reaper can map any job back to the
heartbeat of the process running it.
"""

import os
import socket

from django.utils import timezone
from django.utils.crypto import get_random_string

from portevoix.jobs.models import WorkerHeartbeat

THREAD_SEPARATOR = "/t"


def new_process_id() -> str:
    """A fresh id for this worker process; the random part keeps a restarted pid distinct."""
    host = socket.gethostname()[:40]
    return f"{host}-{os.getpid()}-{get_random_string(6)}"


def thread_worker_id(process_id: str, number: int) -> str:
    """The worker id a thread of `process_id` claims jobs with."""
    return f"{process_id}{THREAD_SEPARATOR}{number}"


def process_id_of(worker_id: str) -> str:
    """The process id behind a thread worker id (itself, for an id without a thread part)."""
    process_id, _, _ = worker_id.rpartition(THREAD_SEPARATOR)
    return process_id or worker_id


def beat(process_id: str, *, threads: int) -> None:
    """Record that the process is alive now, creating its heartbeat row on the first beat."""
    now = timezone.now()
    # Only this process writes its own row, so update-then-create cannot race with itself.
    if WorkerHeartbeat.objects.filter(worker_id=process_id).update(last_seen_at=now, threads=threads):
        return
    WorkerHeartbeat.objects.create(
        worker_id=process_id,
        hostname=socket.gethostname()[:255],
        pid=os.getpid(),
        threads=threads,
        started_at=now,
        last_seen_at=now,
    )


def mark_stopped(process_id: str) -> None:
    """Record a clean shutdown: the process no longer runs any job."""
    now = timezone.now()
    WorkerHeartbeat.objects.filter(worker_id=process_id).update(last_seen_at=now, stopped_at=now)
