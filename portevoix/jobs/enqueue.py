"""Enqueue a task only once the surrounding transaction has committed."""

from functools import partial
from typing import Any

from django.db import transaction
from django.tasks import Task


def enqueue_on_commit[**P](task: Task[P, Any], /, *args: P.args, **kwargs: P.kwargs) -> None:
    """Enqueue `task(*args, **kwargs)` after the current transaction commits; at once outside one.

    A job enqueued inside the transaction could start before the rows it loads are visible, or
    run for rows that a rollback removed; after commit, neither can happen. An enqueue failure
    after commit is raised, not swallowed: the data is saved and the caller must know the job
    is not (sweeps re-enqueue overdue work, but only if someone notices the error).
    """
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))
