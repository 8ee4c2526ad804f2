"""Fixtures for the jobs tests: a controllable clock, an in-test worker run, a private registry."""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from portevoix.jobs import periodic, retry
from portevoix.jobs.periodic import PeriodicJob

T0 = datetime.datetime(2026, 3, 2, 9, 0, 0, tzinfo=datetime.UTC)


class Clock:
    """Stands in for `timezone.now`; tests move it forward by hand."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, **delta: float) -> datetime.datetime:
        self.now += datetime.timedelta(**delta)
        return self.now


class FixedRandom:
    def __init__(self, value: float) -> None:
        self.value = value

    def random(self) -> float:
        return self.value


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock(T0)
    monkeypatch.setattr(timezone, "now", fake)
    return fake


@pytest.fixture
def half_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the backoff jitter predictable: always the middle of its range."""
    monkeypatch.setattr(retry, "_random", FixedRandom(0.5))


@pytest.fixture
def run_jobs(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """Run every ready job in this thread with django-tasks-db's own Worker; return how many ran."""
    # The worker drops "obsolete" connections between jobs, which inside a test transaction
    # would break it; the test owns the connection here.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> int:
        worker = db_worker.Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-host-1-abcdef/t1",
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks

    return run


@pytest.fixture
def periodic_registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, PeriodicJob]:
    """An empty periodic registry for the test, so only the jobs it registers tick."""
    registry: dict[str, PeriodicJob] = {}
    monkeypatch.setattr(periodic, "_registry", registry)
    return registry
