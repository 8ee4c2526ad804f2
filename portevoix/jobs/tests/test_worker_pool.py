import time
from collections.abc import Callable

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portevoix.jobs.models import PeriodicRun, WorkerHeartbeat
from portevoix.jobs.selectors import has_live_worker
from portevoix.jobs.tests import tasks
from portevoix.jobs.worker import WorkerPool

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def _status(job_id: str) -> str:
    return DBTaskResult.objects.get(id=job_id).status


def test_a_worker_pool_runs_jobs_in_its_threads_and_marks_its_heartbeat_stopped_on_stop() -> None:
    pool = WorkerPool(threads=2, interval=0.1)
    pool.start()
    try:
        assert has_live_worker() is True, "start() beats before returning"
        job_id = tasks.echo.enqueue("hello").id
        wait_until(lambda: _status(job_id) == TaskResultStatus.SUCCESSFUL, timeout=15, what="the job to succeed")
        wait_until(lambda: PeriodicRun.objects.filter(name="jobs.prune").exists(), timeout=15, what="the first tick")
    finally:
        stopped = pool.stop(timeout=10)

    assert stopped is True
    row = DBTaskResult.objects.get(id=job_id)
    assert row.return_value == "hello"
    assert row.worker_ids[0] in {f"{pool.process_id}/t1", f"{pool.process_id}/t2"}
    heartbeat = WorkerHeartbeat.objects.get(worker_id=pool.process_id)
    assert (heartbeat.threads, heartbeat.stopped_at is not None) == (2, True)
    assert has_live_worker() is False


def test_a_pool_stopped_mid_job_keeps_beating_until_the_job_ends_so_no_reaper_takes_it() -> None:
    tasks.create_marker_table()
    pool = WorkerPool(threads=1, interval=0.1)
    pool.start()
    job_id = tasks.record_and_sleep.enqueue("slow", 2.0).id
    try:
        wait_until(lambda: _status(job_id) == TaskResultStatus.RUNNING, timeout=15, what="the job to start")

        assert pool.stop(timeout=0.2) is False
        assert WorkerHeartbeat.objects.get(worker_id=pool.process_id).stopped_at is None

        wait_until(
            lambda: WorkerHeartbeat.objects.get(worker_id=pool.process_id).stopped_at is not None,
            timeout=20,
            what="the heartbeat to be marked stopped after the job",
        )
        assert _status(job_id) == TaskResultStatus.SUCCESSFUL
        assert [event for event, _ in tasks.markers("slow")] == ["started", "completed"]
    finally:
        pool.stop(timeout=20)
        tasks.drop_marker_table()


def test_a_pool_starts_only_once() -> None:
    pool = WorkerPool(threads=1, interval=0.1)
    pool.start()
    try:
        with pytest.raises(RuntimeError, match="starts only once"):
            pool.start()
    finally:
        assert pool.stop(timeout=10) is True
