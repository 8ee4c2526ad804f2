"""Real worker processes: a worker SIGKILLed mid-job, another one finishing the job exactly once."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portevoix.jobs.heartbeat import process_id_of
from portevoix.jobs.models import PeriodicRun, ReapedJob, WorkerHeartbeat
from portevoix.jobs.tests import tasks

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PRUNE_PATH = "portevoix.jobs.tasks.prune_finished_jobs"


def _database_url() -> str:
    """The test database as a DATABASE_URL, so a child process uses the very same database."""
    db: dict[str, Any] = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip("an in-memory SQLite test database cannot be shared with a child process")
        return f"sqlite:///{Path(name).resolve()}?{urlencode(db.get('OPTIONS', {}))}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db.get("PASSWORD"):
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        return f"postgres://{credentials}@{host}/{quote(db['NAME'], safe='')}"
    pytest.skip(f"no child-process support for {db['ENGINE']}")


def _start_worker(log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "portevoix.settings",
        "PORTEVOIX_WORKER_HEARTBEAT_SECONDS": "1",
        "PORTEVOIX_WORKER_STALE_SECONDS": "3",
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "portevoix", "worker", "--threads", "2", "--interval", "0.2"]
    with log.open("wb") as output:
        return subprocess.Popen(command, cwd=settings.PROJECT_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)


def _wait_until(condition: Callable[[], bool], *, timeout: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            output = "\n".join(f"--- {log.name}\n{log.read_text()[-4000:]}" for log in logs if log.exists())
            raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{output}")
        time.sleep(0.1)


def _status(job_id: str) -> str:
    return DBTaskResult.objects.get(id=job_id).status


def _unfinished() -> int:
    return DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).count()


def test_a_job_whose_worker_was_killed_mid_run_is_completed_exactly_once_by_another_worker(tmp_path: Path) -> None:
    tasks.create_marker_table()
    children: list[subprocess.Popen[bytes]] = []
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    try:
        job_id = tasks.record_and_sleep.enqueue("k1", 2.0).id
        first = _start_worker(logs[0])
        children.append(first)
        _wait_until(lambda: len(tasks.markers("k1")) == 1, timeout=60, what="the first start", logs=logs)
        first.kill()
        assert first.wait(timeout=10) == -signal.SIGKILL
        killed_worker = DBTaskResult.objects.get(id=job_id).worker_ids[-1]
        assert _status(job_id) == TaskResultStatus.RUNNING

        second = _start_worker(logs[1])
        children.append(second)
        _wait_until(
            lambda: _status(job_id) == TaskResultStatus.SUCCESSFUL and _unfinished() == 0,
            timeout=90,
            what="the job to be reaped and completed",
            logs=logs,
        )
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=10)
        events = tasks.markers("k1")
        tasks.drop_marker_table()

    assert [event for event, _ in events] == ["started", "started", "completed"]
    assert events[0][1] == first.pid
    assert events[1][1] == events[2][1] == second.pid
    job = DBTaskResult.objects.get(id=job_id)
    assert (job.status, job.return_value, len(job.worker_ids)) == (TaskResultStatus.SUCCESSFUL, "done", 2)
    reaped = ReapedJob.objects.get(task_result=job)
    assert (reaped.reap_count, reaped.last_worker_id) == (1, killed_worker)

    heartbeats = {hb.worker_id: hb for hb in WorkerHeartbeat.objects.all()}
    assert heartbeats[process_id_of(killed_worker)].stopped_at is None, "a SIGKILLed worker cannot say goodbye"
    assert heartbeats[process_id_of(job.worker_ids[-1])].stopped_at is not None, "SIGTERM stops cleanly"
    assert {hb.pid for hb in heartbeats.values()} == {first.pid, second.pid}

    # Both workers ticked: each hourly slot was enqueued once, and ran.
    runs = PeriodicRun.objects.filter(name="jobs.prune")
    prunes = DBTaskResult.objects.filter(task_path=PRUNE_PATH)
    assert runs.count() == prunes.count() >= 1
    assert set(runs.values_list("task_result_id", flat=True)) == {str(pk) for pk in prunes.values_list("id", flat=True)}
    assert set(prunes.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
