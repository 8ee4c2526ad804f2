import datetime
import uuid

from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portevoix.jobs.models import PeriodicRun, ReapedJob, WorkerHeartbeat
from portevoix.jobs.tasks import prune_finished_jobs
from portevoix.jobs.tests import tasks
from portevoix.jobs.tests.conftest import T0, Clock

DAY = datetime.timedelta(days=1)


def _job(status: str, *, finished: datetime.datetime | None) -> uuid.UUID:
    job_id = uuid.UUID(tasks.echo.enqueue("x").id)
    DBTaskResult.objects.filter(id=job_id).update(status=status, finished_at=finished)
    return job_id


def test_prune_deletes_finished_jobs_and_periodic_runs_older_than_fourteen_days(db: None, clock: Clock) -> None:
    old_success = _job(TaskResultStatus.SUCCESSFUL, finished=T0 - 15 * DAY)
    old_failure = _job(TaskResultStatus.FAILED, finished=T0 - 15 * DAY)
    ReapedJob.objects.create(task_result_id=old_failure, reap_count=4)
    recent = _job(TaskResultStatus.SUCCESSFUL, finished=T0 - 13 * DAY)
    never_run = _job(TaskResultStatus.READY, finished=None)
    DBTaskResult.objects.filter(id=never_run).update(enqueued_at=T0 - 30 * DAY)
    PeriodicRun.objects.create(name="jobs.prune", slot=T0 - 15 * DAY)
    PeriodicRun.objects.create(name="jobs.prune", slot=T0 - 13 * DAY)
    WorkerHeartbeat.objects.create(worker_id="old-1-aaaaaa", hostname="h", pid=1, last_seen_at=T0 - 15 * DAY)
    WorkerHeartbeat.objects.create(worker_id="new-1-bbbbbb", hostname="h", pid=1, last_seen_at=T0 - 1 * DAY)

    assert prune_finished_jobs.call() == {"task_results": 2, "periodic_runs": 1, "heartbeats": 1}

    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {recent, never_run}
    assert not {old_success, old_failure} & set(DBTaskResult.objects.values_list("id", flat=True))
    assert list(PeriodicRun.objects.values_list("slot", flat=True)) == [T0 - 13 * DAY]
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["new-1-bbbbbb"]
    assert ReapedJob.objects.count() == 0
