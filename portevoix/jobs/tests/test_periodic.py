import datetime
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django_tasks_db.models import DBTaskResult

from portevoix.jobs import periodic
from portevoix.jobs.models import PeriodicRun
from portevoix.jobs.periodic import PeriodicJob, register_periodic, slot_start, tick
from portevoix.jobs.tasks import prune_finished_jobs
from portevoix.jobs.tests import tasks
from portevoix.jobs.tests.conftest import T0

MINUTE = datetime.timedelta(minutes=1)
PING_PATH = "portevoix.jobs.tests.tasks.ping"


def test_a_slot_starts_at_the_epoch_seconds_floored_to_the_interval() -> None:
    now = datetime.datetime(2026, 3, 2, 9, 47, 31, 500, tzinfo=datetime.UTC)
    assert slot_start(now, datetime.timedelta(minutes=15)) == datetime.datetime(2026, 3, 2, 9, 45, tzinfo=datetime.UTC)
    assert slot_start(now, datetime.timedelta(hours=1)) == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.usefixtures("periodic_registry")
def test_a_tick_enqueues_a_due_job_once_per_slot_and_again_in_the_next_slot(db: None) -> None:
    register_periodic(name="test.ping", every=MINUTE, task=tasks.ping)

    assert tick(T0 + datetime.timedelta(seconds=5)) == ["test.ping"]
    assert tick(T0 + datetime.timedelta(seconds=59)) == []
    assert tick(T0 + MINUTE) == ["test.ping"]

    runs = list(PeriodicRun.objects.order_by("slot").values_list("name", "slot", "task_result_id"))
    jobs = DBTaskResult.objects.filter(task_path=PING_PATH)
    assert [(name, slot) for name, slot, _ in runs] == [("test.ping", T0), ("test.ping", T0 + MINUTE)]
    assert sorted(str(job_id) for job_id in jobs.values_list("id", flat=True)) == sorted(run[2] for run in runs)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("periodic_registry")
def test_two_workers_ticking_the_same_slot_at_once_enqueue_the_job_once(monkeypatch: pytest.MonkeyPatch) -> None:
    register_periodic(name="test.ping", every=MINUTE, task=tasks.ping)
    # Both workers read "slot free" before either inserts: the unique row must break the tie.
    barrier = threading.Barrier(2, timeout=10)
    read_taken_slots = periodic._taken_slots

    def read_then_wait(due: list[tuple[PeriodicJob, datetime.datetime]]) -> set[tuple[str, datetime.datetime]]:
        taken = read_taken_slots(due)
        barrier.wait()
        return taken

    monkeypatch.setattr(periodic, "_taken_slots", read_then_wait)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            results.append(tick(T0))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert sorted(results) == [[], ["test.ping"]]
    assert PeriodicRun.objects.filter(name="test.ping", slot=T0).count() == 1
    assert DBTaskResult.objects.filter(task_path=PING_PATH).count() == 1


@pytest.mark.usefixtures("periodic_registry")
def test_a_tick_inside_a_transaction_survives_losing_the_race_for_a_slot(db: None) -> None:
    register_periodic(name="test.ping", every=MINUTE, task=tasks.ping)
    PeriodicRun.objects.create(name="test.ping", slot=T0, task_result_id="taken-by-another-worker")

    assert periodic._claim_slot(periodic._registry["test.ping"], T0) is False
    # The savepoint rolled back only our half: the outer transaction is still usable.
    assert PeriodicRun.objects.filter(name="test.ping").count() == 1
    assert DBTaskResult.objects.filter(task_path=PING_PATH).count() == 0


@pytest.mark.usefixtures("periodic_registry")
def test_registering_the_same_job_twice_is_harmless_but_a_second_definition_is_refused() -> None:
    register_periodic(name="test.ping", every=MINUTE, task=tasks.ping)
    register_periodic(name="test.ping", every=MINUTE, task=tasks.ping)

    with pytest.raises(ImproperlyConfigured, match="already registered"):
        register_periodic(name="test.ping", every=2 * MINUTE, task=tasks.ping)
    with pytest.raises(ImproperlyConfigured, match="whole seconds"):
        register_periodic(name="test.fast", every=datetime.timedelta(milliseconds=500), task=tasks.ping)
    assert [job.name for job in periodic.registered_jobs()] == ["test.ping"]


def test_the_jobs_app_registers_the_hourly_prune() -> None:
    jobs = {job.name: job for job in periodic.registered_jobs()}
    assert jobs["jobs.prune"] == PeriodicJob(
        name="jobs.prune", every=datetime.timedelta(hours=1), task=prune_finished_jobs
    )
