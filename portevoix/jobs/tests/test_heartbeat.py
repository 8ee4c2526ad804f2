import os
import socket

from portevoix.jobs.heartbeat import beat, mark_stopped, new_process_id, process_id_of, thread_worker_id
from portevoix.jobs.models import WorkerHeartbeat
from portevoix.jobs.selectors import has_live_worker
from portevoix.jobs.tests.conftest import T0, Clock


def test_a_thread_worker_id_maps_back_to_its_process_heartbeat_id() -> None:
    process_id = new_process_id()

    assert process_id.startswith(f"{socket.gethostname()[:40]}-{os.getpid()}-")
    assert thread_worker_id(process_id, 3) == f"{process_id}/t3"
    assert process_id_of(thread_worker_id(process_id, 3)) == process_id
    assert process_id_of("plain-db-worker-id") == "plain-db-worker-id"
    assert len(thread_worker_id(process_id, 99)) <= 64


def test_the_first_beat_creates_the_row_and_the_next_ones_refresh_it(db: None, clock: Clock) -> None:
    beat("host-1-abcdef", threads=4)
    clock.advance(seconds=5)
    beat("host-1-abcdef", threads=4)

    row = WorkerHeartbeat.objects.get()
    assert (row.worker_id, row.hostname, row.pid, row.threads) == (
        "host-1-abcdef",
        socket.gethostname(),
        os.getpid(),
        4,
    )
    assert (row.started_at, row.last_seen_at, row.stopped_at) == (T0, clock.now, None)


def test_a_beating_worker_is_live_until_it_stops_cleanly(db: None, clock: Clock) -> None:
    assert has_live_worker() is False
    beat("host-1-abcdef", threads=2)
    assert has_live_worker() is True

    clock.advance(seconds=1)
    mark_stopped("host-1-abcdef")

    assert has_live_worker() is False
    assert WorkerHeartbeat.objects.get().stopped_at == clock.now


def test_a_worker_silent_for_longer_than_the_stale_delay_is_not_live(db: None, clock: Clock) -> None:
    beat("host-1-abcdef", threads=2)
    clock.advance(seconds=30)
    assert has_live_worker() is True
    clock.advance(seconds=1)
    assert has_live_worker() is False
