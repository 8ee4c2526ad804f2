import time
from argparse import ArgumentParser
from typing import TYPE_CHECKING, Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from portevoix.demo.loaders import DemoOutcome, load_demo, login_lines
from portevoix.demo.server import WebServer, allowed_hosts_advice, browser_url

WEB_THREADS = 8
WORKER_THREADS = 2


if TYPE_CHECKING:
    from portevoix.jobs.worker import WorkerPool


def start_worker_pool(*, threads: int) -> "WorkerPool":
    """Start the background worker threads inside this process (returns once they run)."""
    # Imported here: the worker pulls in the task machinery, which `--no-worker` never needs.
    from portevoix.jobs.worker import WorkerPool

    pool = WorkerPool(threads=threads)
    pool.start()
    return pool


class Command(BaseCommand):
    help = (
        "Try Porte-Voix in one command: migrate, load the demo company (once), then serve it on "
        "http://127.0.0.1:8000/ with a background worker in the same process. Ctrl+C stops it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="TCP port (default 8000).")
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--no-worker", action="store_true", help="Do not run the background worker here.")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        started = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        outcome = load_demo()
        server = WebServer(host=host, port=port, threads=WEB_THREADS)
        pool = None if options["no_worker"] else start_worker_pool(threads=WORKER_THREADS)
        self._announce(outcome, url=browser_url(host=host, port=server.port), seconds=time.monotonic() - started)
        advice = allowed_hosts_advice(host=host, port=server.port)
        if advice:
            self.stderr.write(advice)
        try:
            server.run()
        finally:
            if pool is not None:
                pool.stop(timeout=10)
        self.stdout.write("Stopped.")

    def _announce(self, outcome: DemoOutcome, *, url: str, seconds: float) -> None:
        state = f"ready in {seconds:.1f} s" if outcome.is_created else "already loaded, left as it was"
        self.stdout.write(self.style.SUCCESS(f"Porte-Voix demo: {outcome.organization.name} ({state})."))
        self.stdout.write("")
        for line in login_lines(outcome):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(f"Open {url} in your browser. Press Ctrl+C to stop.")
        self.stdout.flush()
