import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from portevoix.jobs.retry import ATTEMPT_KWARG, RETRY_SCHEDULED_PATH, backoff
from portevoix.jobs.selectors import queue_state
from portevoix.jobs.tests import tasks
from portevoix.jobs.tests.conftest import T0, Clock

pytestmark = pytest.mark.usefixtures("half_jitter")

TRANSIENT_PATH = "portevoix.jobs.retry.TransientError"


def _history(task_path: str) -> list[tuple[int, str, str, datetime.datetime]]:
    """(attempt, status, exception class, run_after) of every attempt of a task, in attempt order."""
    rows = DBTaskResult.objects.filter(task_path=task_path)
    history = [
        (row.args_kwargs["kwargs"].get(ATTEMPT_KWARG, 1), row.status, row.exception_class_path, row.run_after)
        for row in rows
    ]
    return sorted(history)


def test_backoff_doubles_each_attempt_up_to_the_cap_with_half_of_it_jittered() -> None:
    delays = [
        backoff(attempt, base=datetime.timedelta(seconds=10), cap=datetime.timedelta(minutes=1)).total_seconds()
        for attempt in range(1, 6)
    ]
    # Middle of the jitter range: 3/4 of min(cap, 10 s * 2^(attempt-1)).
    assert delays == [7.5, 15.0, 30.0, 45.0, 45.0]


def test_a_transient_error_is_retried_later_and_later_until_the_attempts_run_out(
    db: None, clock: Clock, run_jobs: Callable[[], int], caplog: pytest.LogCaptureFixture
) -> None:
    tasks.always_transient.enqueue("feed-1")
    path = "portevoix.jobs.tests.tasks.always_transient"

    assert run_jobs() == 1
    assert run_jobs() == 0, "the retry must not run before its run_after"
    clock.advance(seconds=7.5)
    assert run_jobs() == 1
    clock.advance(seconds=15)
    assert run_jobs() == 1
    clock.advance(hours=1)
    assert run_jobs() == 0

    assert _history(path) == [
        (1, TaskResultStatus.FAILED, RETRY_SCHEDULED_PATH, get_date_max()),
        (2, TaskResultStatus.FAILED, RETRY_SCHEDULED_PATH, T0 + datetime.timedelta(seconds=7.5)),
        (3, TaskResultStatus.FAILED, TRANSIENT_PATH, T0 + datetime.timedelta(seconds=22.5)),
    ]
    assert all(row.args_kwargs["args"] == ["feed-1"] for row in DBTaskResult.objects.filter(task_path=path))
    assert [r.getMessage().split(" ")[0] for r in caplog.records if r.name == "portevoix.jobs.retry"] == [
        "job.retry_scheduled",
        "job.retry_scheduled",
        "job.retries_exhausted",
    ]
    assert queue_state().failed_last_day == 1, "only the final failure needs a human"


def test_a_permanent_error_fails_the_job_at_once_without_a_retry(
    db: None, clock: Clock, run_jobs: Callable[[], int]
) -> None:
    tasks.always_broken.enqueue("feed-2")

    assert run_jobs() == 1
    clock.advance(days=1)
    assert run_jobs() == 0
    assert _history("portevoix.jobs.tests.tasks.always_broken") == [
        (1, TaskResultStatus.FAILED, "builtins.ValueError", get_date_max())
    ]


def test_a_job_that_succeeds_on_retry_ends_successful_with_its_priority_kept(
    db: None, clock: Clock, run_jobs: Callable[[], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(tasks.flaky_failures_left, "k1", 1)
    tasks.flaky.using(priority=5).enqueue("k1")

    run_jobs()
    clock.advance(minutes=1)
    run_jobs()

    rows = sorted(DBTaskResult.objects.filter(task_path="portevoix.jobs.tests.tasks.flaky"), key=_attempt_of)
    summary: list[tuple[Any, ...]] = [(r.status, r.queue_name, r.priority, r.return_value) for r in rows]
    assert summary == [
        (TaskResultStatus.FAILED, "default", 5, None),
        (TaskResultStatus.SUCCESSFUL, "default", 5, "ok:k1"),
    ]
    assert queue_state().failed_last_day == 0


def _attempt_of(row: DBTaskResult[Any, Any]) -> int:
    return int(row.args_kwargs["kwargs"].get(ATTEMPT_KWARG, 1))
