import datetime
import uuid

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from portevoix.jobs import reaper
from portevoix.jobs.models import ReapedJob, WorkerHeartbeat
from portevoix.jobs.reaper import POISON_JOB_PATH, ReapOutcome, reap_abandoned_jobs
from portevoix.jobs.tests import tasks

NOTHING = ReapOutcome(requeued=[], failed=[])


def _heartbeat(process_id: str, *, seconds_ago: float, stopped: bool = False) -> None:
    seen = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(
        worker_id=process_id, hostname="host", pid=1, last_seen_at=seen, stopped_at=seen if stopped else None
    )


def _running_job(worker_id: str, *, started_seconds_ago: float = 60) -> uuid.UUID:
    """A job claimed by `worker_id`, as django-tasks-db's Worker.claim leaves it."""
    job_id = uuid.UUID(tasks.echo.enqueue("hello").id)
    _claim(job_id, worker_id, started_seconds_ago=started_seconds_ago)
    return job_id


def _claim(job_id: uuid.UUID, worker_id: str, *, started_seconds_ago: float = 60) -> None:
    row = DBTaskResult.objects.get(id=job_id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(id=job_id).update(
        started_at=timezone.now() - datetime.timedelta(seconds=started_seconds_ago)
    )


def _state(job_id: uuid.UUID) -> tuple[str, int | None]:
    status = DBTaskResult.objects.get(id=job_id).status
    reaps = ReapedJob.objects.filter(task_result_id=job_id).values_list("reap_count", flat=True).first()
    return status, reaps


def test_a_running_job_of_a_worker_with_a_stale_heartbeat_goes_back_to_ready(db: None) -> None:
    _heartbeat("host-dead-aaaaaa", seconds_ago=31)
    job_id = _running_job("host-dead-aaaaaa/t2")

    assert reap_abandoned_jobs() == ReapOutcome(requeued=[str(job_id)], failed=[])
    assert reap_abandoned_jobs() == NOTHING
    row = DBTaskResult.objects.get(id=job_id)
    assert (row.status, row.started_at, row.worker_ids) == (TaskResultStatus.READY, None, ["host-dead-aaaaaa/t2"])
    reaped = ReapedJob.objects.get(task_result_id=job_id)
    assert (reaped.reap_count, reaped.last_worker_id) == (1, "host-dead-aaaaaa/t2")


def test_a_running_job_of_a_live_worker_is_left_alone_however_long_it_runs(db: None) -> None:
    _heartbeat("host-live-bbbbbb", seconds_ago=2)
    job_id = _running_job("host-live-bbbbbb/t1", started_seconds_ago=3600)

    assert reap_abandoned_jobs() == NOTHING
    assert _state(job_id) == (TaskResultStatus.RUNNING, None)


def test_a_running_job_of_a_cleanly_stopped_worker_goes_back_to_ready(db: None) -> None:
    _heartbeat("host-gone-cccccc", seconds_ago=1, stopped=True)
    job_id = _running_job("host-gone-cccccc/t1")

    assert reap_abandoned_jobs().requeued == [str(job_id)]
    assert _state(job_id) == (TaskResultStatus.READY, 1)


def test_a_job_without_any_heartbeat_is_reaped_only_once_it_started_longer_ago_than_the_stale_delay(
    db: None,
) -> None:
    old = _running_job("unknown-1/t1", started_seconds_ago=31)
    recent = _running_job("unknown-2/t1", started_seconds_ago=5)

    assert reap_abandoned_jobs() == ReapOutcome(requeued=[str(old)], failed=[])
    assert _state(recent) == (TaskResultStatus.RUNNING, None)


def test_a_job_abandoned_more_than_three_times_is_failed_as_a_poison_job(db: None) -> None:
    job_id = uuid.UUID(tasks.echo.enqueue("crash-me").id)
    outcomes = []
    for round_number in range(1, 5):
        process_id = f"host-crash-{round_number}"
        _heartbeat(process_id, seconds_ago=120)
        _claim(job_id, f"{process_id}/t1")
        outcomes.append((reap_abandoned_jobs(), _state(job_id)))

    assert [state for _, state in outcomes] == [
        (TaskResultStatus.READY, 1),
        (TaskResultStatus.READY, 2),
        (TaskResultStatus.READY, 3),
        (TaskResultStatus.FAILED, 4),
    ]
    assert outcomes[-1][0] == ReapOutcome(requeued=[], failed=[str(job_id)])
    row = DBTaskResult.objects.get(id=job_id)
    assert row.exception_class_path == POISON_JOB_PATH
    assert "abandoned by a dead worker 4 times (last worker host-crash-4/t1)" in row.traceback
    assert row.finished_at is not None
    assert row.task_result.errors[0].exception_class.__name__ == "PoisonJobError"


def test_the_poison_threshold_follows_the_setting(db: None, settings: Settings) -> None:
    settings.JOBS_MAX_REAPS = 0
    _heartbeat("host-dead-dddddd", seconds_ago=120)
    job_id = _running_job("host-dead-dddddd/t1")

    assert reap_abandoned_jobs().failed == [str(job_id)]
    assert _state(job_id) == (TaskResultStatus.FAILED, 1)


def test_a_job_finished_meanwhile_by_its_slow_worker_is_not_reaped(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # The reaper read the job as RUNNING, then the worker finished it before the update.
    _heartbeat("host-slow-eeeeee", seconds_ago=120)
    job_id = _running_job("host-slow-eeeeee/t1")
    read_abandoned = reaper._abandoned_jobs

    def read_then_finish(threshold: datetime.datetime) -> list[reaper._Running]:
        jobs = read_abandoned(threshold)
        DBTaskResult.objects.get(id=job_id).set_successful("hello")
        return jobs

    monkeypatch.setattr(reaper, "_abandoned_jobs", read_then_finish)

    assert reap_abandoned_jobs() == NOTHING
    assert _state(job_id) == (TaskResultStatus.SUCCESSFUL, None)
