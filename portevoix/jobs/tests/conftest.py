"""Fixtures for the jobs tests: a controllable clock, an in-test worker run, a private registry."""

import datetime

import pytest
from django.utils import timezone

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
def periodic_registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, PeriodicJob]:
    """An empty periodic registry for the test, so only the jobs it registers tick."""
    registry: dict[str, PeriodicJob] = {}
    monkeypatch.setattr(periodic, "_registry", registry)
    return registry
