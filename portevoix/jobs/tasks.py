"""Background tasks of the jobs app itself."""

import datetime

from django.db.models import Model, QuerySet
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portevoix.jobs.models import PeriodicRun, WorkerHeartbeat

KEEP_FOR = datetime.timedelta(days=14)
_BATCH = 1000


@task
def prune_finished_jobs() -> dict[str, int]:
    """Delete finished jobs, periodic-run rows and heartbeats of long-gone workers older than KEEP_FOR."""
    cutoff = timezone.now() - KEEP_FOR
    return {
        "task_results": _delete_in_batches(DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)),
        "periodic_runs": _delete_in_batches(PeriodicRun.objects.filter(slot__lt=cutoff)),
        "heartbeats": _delete_in_batches(WorkerHeartbeat.objects.filter(last_seen_at__lt=cutoff)),
    }


def _delete_in_batches[M: Model](queryset: QuerySet[M]) -> int:
    # Small batches: on SQLite each delete holds the only write lock, which web requests share.
    deleted = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:_BATCH])
        if not ids:
            return deleted
        queryset.model._default_manager.filter(pk__in=ids).delete()
        deleted += len(ids)
