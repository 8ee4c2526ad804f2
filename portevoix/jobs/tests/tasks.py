"""Tasks used by the jobs tests; a module of its own so that worker subprocesses can import them."""

import datetime
import os
import time

from django.db import connection
from django.tasks import task

from portevoix.jobs.retry import TransientError, retrying_task

MARKER_TABLE = "jobs_test_marker"

# How many more times `flaky` fails for a key; in-process tests only.
flaky_failures_left: dict[str, int] = {}


@task
def echo(value: str) -> str:
    return value


@task
def ping() -> str:
    return "pong"


@retrying_task(max_attempts=3, base_delay=datetime.timedelta(seconds=10), max_delay=datetime.timedelta(minutes=5))
def always_transient(feed: str) -> None:
    raise TransientError(f"{feed}: remote answered 503")


@retrying_task(max_attempts=3)
def always_broken(feed: str) -> None:
    raise ValueError(f"{feed}: malformed")


@retrying_task(max_attempts=3)
def flaky(key: str) -> str:
    if flaky_failures_left.get(key, 0) > 0:
        flaky_failures_left[key] -= 1
        raise TransientError("timeout")
    return f"ok:{key}"


@task
def record_and_sleep(key: str, seconds: float) -> str:
    """Not idempotent on purpose: one marker row per start and per completion reveals double runs."""
    add_marker(key, "started")
    time.sleep(seconds)
    add_marker(key, "completed")
    return "done"


# A plain table rather than a model: a test model would show up in the app's migrations.
def create_marker_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} "
            "(key VARCHAR(100) NOT NULL, event VARCHAR(20) NOT NULL, pid INTEGER NOT NULL)"
        )
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")  # noqa: S608 - constant table name


def drop_marker_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")


def add_marker(key: str, event: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (key, event, pid) VALUES (%s, %s, %s)",  # noqa: S608
            [key, event, os.getpid()],
        )


def markers(key: str) -> list[tuple[str, int]]:
    """(event, pid) rows recorded for `key`, in insertion order."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT event, pid FROM {MARKER_TABLE} WHERE key = %s", [key])  # noqa: S608
        return [(str(event), int(pid)) for event, pid in cursor.fetchall()]
