"""A pool of worker threads in one process, plus the housekeeping that django-tasks-db lacks.

    pool = WorkerPool(threads=2)
    pool.start()      # returns at once
    ...
    pool.stop(timeout=10)

Each thread runs django-tasks-db's `Worker` loop under the id `<process id>/t<n>`. One more
thread beats the process heartbeat, ticks the periodic jobs and reaps jobs abandoned by dead
workers, every WORKER_HEARTBEAT_SECONDS. Signals are left to the caller (see the `worker`
management command): `Worker.shutdown` calls sys.exit, which only makes sense in a main thread.
"""

import logging
import threading
import time
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import close_old_connections, connections
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

from portevoix.jobs import heartbeat, periodic, reaper

logger = logging.getLogger(__name__)

# After an unexpected error (database down...), a thread waits this long before trying again.
_ERROR_PAUSE_SECONDS = 5.0


class WorkerPool:
    """N job threads and one housekeeping thread; `start()` returns at once, `stop()` drains."""

    def __init__(
        self,
        threads: int = 4,
        *,
        queues: Sequence[str] = (DEFAULT_TASK_QUEUE_NAME,),
        interval: float = 1.0,
        backend: str = DEFAULT_TASK_BACKEND_ALIAS,
    ) -> None:
        if threads < 1:
            raise ValueError("threads must be at least 1")
        self.threads = threads
        self.process_id = heartbeat.new_process_id()
        self._heartbeat_seconds = float(settings.WORKER_HEARTBEAT_SECONDS)
        self._stopping = threading.Event()
        self._workers = [
            Worker(
                queue_names=list(queues),
                interval=interval,
                batch=False,
                backend_name=backend,
                startup_delay=False,  # Threads of one process need no thundering-herd delay.
                max_tasks=None,
                worker_id=heartbeat.thread_worker_id(self.process_id, number),
                excluded_queue_names=[],
            )
            for number in range(1, threads + 1)
        ]
        self._worker_threads: list[threading.Thread] = []
        self._housekeeper: threading.Thread | None = None

    def start(self) -> None:
        """Beat once, then start the threads and return; raises if the database is unreachable."""
        if self._housekeeper is not None:
            raise RuntimeError("A WorkerPool starts only once; create a new one.")
        # The first beat happens before any thread can claim a job, so no reaper elsewhere ever
        # sees one of our jobs without a heartbeat behind it.
        heartbeat.beat(self.process_id, threads=self.threads)
        self._worker_threads = [
            threading.Thread(target=self._run_worker, args=(worker,), name=worker.worker_id, daemon=True)
            for worker in self._workers
        ]
        self._housekeeper = threading.Thread(
            target=self._housekeep, name=f"{self.process_id}/housekeeping", daemon=True
        )
        for thread in [*self._worker_threads, self._housekeeper]:
            thread.start()
        logger.info(
            "worker.started worker_id=%s threads=%d queues=%s",
            self.process_id,
            self.threads,
            ",".join(self._workers[0].queue_names),
        )

    def stop(self, timeout: float | None = 10) -> bool:
        """Let each thread finish its current job and join them; True if all stopped within `timeout`.

        If a job outlives the timeout, the housekeeping thread keeps beating until it ends and
        only then marks the heartbeat stopped, so the reaper never takes a job still running.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        for worker in self._workers:
            worker.running = False
        self._stopping.set()
        for thread in self._worker_threads:
            thread.join(_remaining(deadline))
        drained = not any(thread.is_alive() for thread in self._worker_threads)
        if drained and self._housekeeper is not None:
            self._housekeeper.join(_remaining(deadline))
        if not drained:
            logger.warning("worker.stop_timeout worker_id=%s busy_threads=%d", self.process_id, self._busy_count())
        else:
            logger.info("worker.stopped worker_id=%s", self.process_id)
        return drained

    def _busy_count(self) -> int:
        return sum(thread.is_alive() for thread in self._worker_threads)

    def _run_worker(self, worker: Worker) -> None:
        try:
            while worker.running:
                try:
                    worker.run()
                except Exception:
                    # The loop itself failed (database unreachable...): keep the thread, retry later.
                    logger.exception("worker.loop_error worker_id=%s", worker.worker_id)
                    self._stopping.wait(_ERROR_PAUSE_SECONDS)
        finally:
            connections.close_all()

    def _housekeep(self) -> None:
        try:
            while not self._stopping.is_set():
                close_old_connections()
                self._safely("heartbeat", lambda: heartbeat.beat(self.process_id, threads=self.threads))
                self._safely("tick", periodic.tick)
                self._safely("reap", reaper.reap_abandoned_jobs)
                self._stopping.wait(self._heartbeat_seconds)
            self._drain()
        finally:
            connections.close_all()

    def _drain(self) -> None:
        # Stopping: no new ticks or reaps, but stay visibly alive while a job finishes.
        while any(thread.is_alive() for thread in self._worker_threads):
            self._safely("heartbeat", lambda: heartbeat.beat(self.process_id, threads=self.threads))
            for thread in self._worker_threads:
                thread.join(self._heartbeat_seconds / len(self._worker_threads))
        self._safely("stop", lambda: heartbeat.mark_stopped(self.process_id))

    def _safely(self, step: str, action: Callable[[], object]) -> None:
        # One failing step (a locked SQLite file, a dropped connection) must not stop the others
        # or kill the thread: the next round tries again.
        try:
            action()
        except Exception:
            logger.exception("worker.housekeeping_error worker_id=%s step=%s", self.process_id, step)


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())
