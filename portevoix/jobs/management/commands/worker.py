"""`portevoix worker`: run a pool of background worker threads in the foreground."""

import logging
import signal
import threading
from argparse import ArgumentParser, ArgumentTypeError
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from portevoix.jobs.worker import WorkerPool

logger = logging.getLogger("portevoix.jobs.worker")


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ArgumentTypeError("must be at least 1")
    return number


def _positive_float(value: str) -> float:
    number = float(value)
    if not 0 < number < 3600:
        raise ArgumentTypeError("must be between 0 and 3600 seconds")
    return number


class Command(BaseCommand):
    help = (
        "Run background jobs: N worker threads plus heartbeat, periodic jobs and reaping of jobs "
        "abandoned by dead workers. SIGTERM or Ctrl+C stops after the current jobs; a second one forces."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--threads", type=_positive_int, default=4, help="Worker threads (default: 4).")
        parser.add_argument(
            "--queue",
            default="default",
            help="Queues to process, comma-separated; '*' for all (default: 'default').",
        )
        parser.add_argument(
            "--interval",
            type=_positive_float,
            default=1.0,
            help="Seconds an idle thread waits before polling again (default: 1).",
        )

    def handle(self, *args: Any, threads: int, queue: str, interval: float, **options: Any) -> None:
        queues = [name.strip() for name in queue.split(",") if name.strip()] or ["default"]
        pool = WorkerPool(threads=threads, queues=queues, interval=interval)
        stop_requested = threading.Event()
        self._install_signal_handlers(stop_requested)
        pool.start()
        stop_requested.wait()
        pool.stop(timeout=None)

    def _install_signal_handlers(self, stop_requested: threading.Event) -> None:
        def on_signal(signum: int, frame: FrameType | None) -> None:
            name = signal.Signals(signum).name
            if stop_requested.is_set():
                # Second signal: leave now. Jobs still running are abandoned; the reaper of
                # another worker requeues them once this process's heartbeat goes stale.
                logger.warning("worker.signal signal=%s action=exit_now", name)
                raise SystemExit(1)
            logger.info("worker.signal signal=%s action=finish_current_jobs", name)
            stop_requested.set()

        # Only the main thread may install handlers; worker threads just see `running = False`.
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
