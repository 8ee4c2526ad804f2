"""Periodic jobs: each registered job runs once per time slot, whichever worker ticks first.

Any number of workers call `tick()`. A job's slot is the start of the interval containing
"now" (epoch seconds floored to the interval), and a unique (name, slot) `PeriodicRun` row
decides which tick enqueues it: the row and the job are inserted in one transaction, so a
crash leaves both or neither.
"""

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils import timezone

from portevoix.jobs.models import PeriodicRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: datetime.timedelta
    task: Task[[], Any]


_registry: dict[str, PeriodicJob] = {}


def register_periodic(*, name: str, every: datetime.timedelta, task: Task[[], Any]) -> None:
    """Register `task` to run once every `every` (whole seconds, at least one). Call from AppConfig.ready().

    Registering the same definition twice is harmless; reusing a name for another definition is
    a configuration error, since both would share (and fight over) the same slots.
    """
    seconds = every.total_seconds()
    if seconds < 1 or seconds != int(seconds):
        raise ImproperlyConfigured(f"Periodic job {name!r}: interval must be whole seconds, at least one.")
    if len(name) > PeriodicRun._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ImproperlyConfigured(f"Periodic job name {name!r} is too long.")
    job = PeriodicJob(name=name, every=every, task=task)
    existing = _registry.get(name)
    if existing is not None and existing != job:
        raise ImproperlyConfigured(f"Periodic job {name!r} is already registered with another definition.")
    _registry[name] = job


def registered_jobs() -> list[PeriodicJob]:
    """The registered periodic jobs, by name."""
    return [_registry[name] for name in sorted(_registry)]


def slot_start(now: datetime.datetime, every: datetime.timedelta) -> datetime.datetime:
    """Start of the slot containing `now`: epoch seconds floored to the interval, in UTC."""
    interval = int(every.total_seconds())
    epoch = int(now.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % interval, tz=datetime.UTC)


def tick(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every registered job whose current slot has not run yet; return their names.

    Safe to call from any number of workers at once: each (job, slot) is enqueued exactly once.
    """
    now = now or timezone.now()
    due = {job.name: (job, slot_start(now, job.every)) for job in registered_jobs()}
    taken = _taken_slots(list(due.values()))
    enqueued = []
    for name, (job, slot) in due.items():
        if (name, slot) not in taken and _claim_slot(job, slot):
            enqueued.append(name)
    return enqueued


def _taken_slots(due: list[tuple[PeriodicJob, datetime.datetime]]) -> set[tuple[str, datetime.datetime]]:
    # One cheap read first, so that on SQLite (one writer at a time) a tick that has nothing to
    # do never takes the write lock the web threads need.
    if not due:
        return set()
    rows = PeriodicRun.objects.filter(
        name__in=[job.name for job, _ in due], slot__in={slot for _, slot in due}
    ).values_list("name", "slot")
    return set(rows)


def _claim_slot(job: PeriodicJob, slot: datetime.datetime) -> bool:
    # Another worker may insert the same row between our read and this insert: the unique
    # constraint then raises, and the savepoint undoes our half without harming an outer
    # transaction. The job is enqueued inside the same transaction (same database with
    # django-tasks-db), so the row exists if and only if the job does.
    try:
        with transaction.atomic():
            run = PeriodicRun.objects.create(name=job.name, slot=slot)
            result = job.task.enqueue()
            run.task_result_id = str(result.id)
            run.save(update_fields=["task_result_id"])
    except IntegrityError:
        return False
    logger.info("periodic.enqueued job=%s slot=%s task_result=%s", job.name, slot.isoformat(), result.id)
    return True
