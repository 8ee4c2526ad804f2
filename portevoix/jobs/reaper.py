"""Put jobs left RUNNING by a dead worker back in the queue, and stop re-running poison jobs.

django-tasks-db leaves a job RUNNING forever when its worker dies mid-job. A RUNNING job is
abandoned when the process behind its last worker id (see `heartbeat`) stopped, went silent for
more than WORKER_STALE_SECONDS, or never beat at all and the job started longer ago than that.
Abandoned jobs go back to READY (tasks are idempotent by rule), except one abandoned more than
JOBS_MAX_REAPS times: it probably kills its worker, so it is marked FAILED with the reason.

A worker that is alive is never touched. The one case this cannot tell apart is a worker frozen
for longer than the stale delay (its job may then run twice), which idempotent tasks absorb.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portevoix.jobs.heartbeat import process_id_of
from portevoix.jobs.models import ReapedJob, WorkerHeartbeat
from portevoix.jobs.selectors import stale_before

logger = logging.getLogger(__name__)

DEFAULT_MAX_REAPS = 3


class PoisonJobError(Exception):
    """Recorded on a job that was abandoned by its worker too many times to run it again."""


POISON_JOB_PATH = f"{PoisonJobError.__module__}.{PoisonJobError.__qualname__}"


@dataclass(frozen=True)
class ReapOutcome:
    requeued: list[str]
    failed: list[str]


@dataclass(frozen=True)
class _Running:
    id: uuid.UUID
    worker_id: str
    started_at: datetime.datetime | None


def reap_abandoned_jobs() -> ReapOutcome:
    """Requeue the RUNNING jobs of dead workers; fail those abandoned too often. Safe to run concurrently."""
    threshold = stale_before()
    max_reaps = int(getattr(settings, "JOBS_MAX_REAPS", DEFAULT_MAX_REAPS))
    requeued: list[str] = []
    failed: list[str] = []
    for job in _abandoned_jobs(threshold):
        outcome = _reap(job, max_reaps=max_reaps)
        if outcome == TaskResultStatus.READY:
            requeued.append(str(job.id))
        elif outcome == TaskResultStatus.FAILED:
            failed.append(str(job.id))
    return ReapOutcome(requeued=requeued, failed=failed)


def _abandoned_jobs(threshold: datetime.datetime) -> list[_Running]:
    rows = DBTaskResult.objects.running().values_list("id", "worker_ids", "started_at")
    running = [_Running(pk, worker_ids[-1] if worker_ids else "", started) for pk, worker_ids, started in rows]
    owners = {process_id_of(job.worker_id) for job in running}
    heartbeats = {hb.worker_id: hb for hb in WorkerHeartbeat.objects.filter(worker_id__in=owners)}
    abandoned = []
    for job in running:
        heartbeat = heartbeats.get(process_id_of(job.worker_id))
        if heartbeat is not None:
            dead = heartbeat.stopped_at is not None or heartbeat.last_seen_at < threshold
        else:
            # No heartbeat at all: give the job the same grace a silent worker gets, counted
            # from its start, so a worker racing its first beat is not robbed of its job.
            dead = job.started_at is None or job.started_at < threshold
        if dead:
            abandoned.append(job)
    return abandoned


def _reap(job: _Running, *, max_reaps: int) -> TaskResultStatus | None:
    # The update matches only while the job is still RUNNING from the same claim (same
    # started_at): if it finished, or another reaper already requeued it and a worker claimed
    # it again, nothing changes. Only the winner counts the reap.
    now = timezone.now()
    with transaction.atomic():
        previous = ReapedJob.objects.filter(task_result_id=job.id).values_list("reap_count", flat=True).first() or 0
        count = previous + 1
        claim = DBTaskResult.objects.filter(id=job.id, status=TaskResultStatus.RUNNING, started_at=job.started_at)
        if count > max_reaps:
            status = TaskResultStatus.FAILED
            won = claim.update(
                status=status,
                finished_at=now,
                return_value=None,
                exception_class_path=POISON_JOB_PATH,
                traceback=_poison_reason(job, count),
            )
        else:
            status = TaskResultStatus.READY
            won = claim.update(status=status, started_at=None)
        if not won:
            return None
        _count_reap(job, now)
    _log_reap(job, status, count)
    return status


def _count_reap(job: _Running, now: datetime.datetime) -> None:
    updated = ReapedJob.objects.filter(task_result_id=job.id).update(
        reap_count=F("reap_count") + 1, last_reaped_at=now, last_worker_id=job.worker_id
    )
    if not updated:
        ReapedJob.objects.create(task_result_id=job.id, reap_count=1, last_reaped_at=now, last_worker_id=job.worker_id)


def _poison_reason(job: _Running, count: int) -> str:
    return (
        f"{POISON_JOB_PATH}: job abandoned by a dead worker {count} times (last worker {job.worker_id}); "
        "it may be what kills its workers, so it is not run again. Inspect it, then enqueue it again by hand.\n"
    )


def _log_reap(job: _Running, status: TaskResultStatus, count: int) -> None:
    if status == TaskResultStatus.FAILED:
        logger.error("reaper.poison_job id=%s worker=%s reaped=%d", job.id, job.worker_id, count)
    else:
        logger.warning("reaper.requeued id=%s worker=%s reaped=%d", job.id, job.worker_id, count)
