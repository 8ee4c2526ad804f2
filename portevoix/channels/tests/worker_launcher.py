"""A warm launcher of `portevoix worker` processes, for the exactly-once proof.

    python -m portevoix.channels.tests.worker_launcher --threads 2 --interval 0.5

Django starts once, here; each worker is a fork of this process that runs the `worker` command,
as a preloading process manager would start it. A worker restarted after a SIGKILL so beats in
milliseconds instead of spending seconds importing Django, which on a busy machine took 10 to
20 s and left the proof waiting on start-ups rather than testing the outbox.

One line each way: "spawn <log file>" starts a worker with its output in that file and answers
its process id; the launcher says "ready" once Django is set up, and stops at the end of its input.
Workers are stopped or killed by their process id; the kernel reaps them (SIGCHLD ignored).
"""

import argparse
import os
import random
import signal
import sys
import traceback
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--interval", type=float, default=0.5)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    # Nothing open is shared with the workers: each opens its own database connections.
    connections.close_all()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    _say("ready")
    for line in sys.stdin:
        command, _, log_file = line.strip().partition(" ")
        if command != "spawn" or not log_file:
            _say(f"error: unknown command {line.strip()!r}")
            continue
        pid = os.fork()
        if pid == 0:
            _run_worker(log_file, call_command, threads=options.threads, interval=options.interval)
        _say(str(pid))


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _run_worker(log_file: str, call_command: Any, *, threads: int, interval: float) -> None:
    """In the forked child: output to `log_file`, fresh random state, then the worker command until stopped."""
    code = 0
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        log = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        nothing = os.open(os.devnull, os.O_RDONLY)
        os.dup2(nothing, 0)
        os.close(nothing)
        # The module-level generators were seeded before the fork: every worker would draw the
        # same retry jitter.
        random.seed()
        retry = sys.modules.get("portevoix.jobs.retry")
        if retry is not None:
            retry._random.seed()
        call_command("worker", threads=threads, interval=interval)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:  # noqa: BLE001 (the child must never return into the launcher's loop)
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":
    main()
