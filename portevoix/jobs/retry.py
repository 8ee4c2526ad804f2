"""Retries with exponential backoff and jitter for tasks that hit a transient error.

Use `@retrying_task(...)` instead of `@task` and raise `TransientError` (or a subclass) for
failures worth another try: timeouts, rate limits, a remote 5xx. Any other exception fails the
job at once, and so does the last allowed attempt.

Each retry is a *new* job, enqueued through the public Tasks API with
`run_after = now + backoff(attempt)`, and the attempt number travels in the job's kwargs
(`ATTEMPT_KWARG`), not in a model. Why: it works unchanged on any backend that supports
`run_after` (Huey or RQ stay a settings change), needs no table to join or prune, and the
attempt is visible in the job's stored arguments. The attempt that failed ends FAILED with a
`RetryScheduled` error naming its successor, so the history of a job reads row by row. Because
the retry is enqueued before the failed attempt is recorded, a worker killed in between may
leave two retries: harmless, since tasks are idempotent by rule.
"""

import datetime
import logging
import random
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, Task, TaskContext, task
from django.tasks.base import DEFAULT_TASK_PRIORITY
from django.utils import timezone

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

ATTEMPT_KWARG = "_attempt"
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BASE_DELAY = datetime.timedelta(seconds=15)
DEFAULT_MAX_DELAY = datetime.timedelta(minutes=30)

# One generator for the module, so tests can replace it with a predictable one.
_random = random.Random()


class TransientError(Exception):
    """A failure that may go away by itself (timeout, rate limit, remote 5xx): worth retrying."""


class RetryScheduled(Exception):
    """Recorded on an attempt that failed with a TransientError and was enqueued again."""


RETRY_SCHEDULED_PATH = f"{RetryScheduled.__module__}.{RetryScheduled.__qualname__}"


def backoff(
    attempt: int,
    *,
    base: datetime.timedelta = DEFAULT_BASE_DELAY,
    cap: datetime.timedelta = DEFAULT_MAX_DELAY,
) -> datetime.timedelta:
    """Delay before the attempt after `attempt` (1-based): base·2^(attempt-1), capped, with equal jitter.

    "Equal jitter" keeps half the delay fixed and randomises the other half, so delays still
    grow from one attempt to the next while workers that failed together spread out.
    """
    ceiling = min(cap.total_seconds(), base.total_seconds() * 2 ** (attempt - 1))
    half = ceiling / 2
    return datetime.timedelta(seconds=half + half * _random.random())


def retrying_task(
    *,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    base_delay: datetime.timedelta = DEFAULT_BASE_DELAY,
    max_delay: datetime.timedelta = DEFAULT_MAX_DELAY,
    priority: int = DEFAULT_TASK_PRIORITY,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    backend: str = DEFAULT_TASK_BACKEND_ALIAS,
) -> Callable[[Callable[P, R]], Task[P, R]]:
    """Like `@task`, but a `TransientError` re-enqueues the job with backoff, up to `max_attempts` runs in all.

    Only tasks declared this way are retried: a plain `@task` raising TransientError just fails.
    The wrapped task takes the Tasks API context (to re-enqueue itself with the same queue,
    priority and backend), so run it through a worker rather than `.call()`.
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")

    def decorator(func: Callable[P, R]) -> Task[P, R]:
        def runner(context: TaskContext[Any, Any], *args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                return func(*args, **kwargs)
            except TransientError as error:
                _retry_or_give_up(context, error, attempt=attempt, policy=(max_attempts, base_delay, max_delay))
                raise  # Only reached when giving up: the job fails with the transient error itself.

        # The backend stores and imports a task by its function's module and qualified name,
        # which must therefore be the decorated function's. No __wrapped__: Django reads the
        # signature through it and would miss the leading `context` parameter.
        for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(runner, attribute, getattr(func, attribute))
        wrapped = task(runner, priority=priority, queue_name=queue_name, backend=backend, takes_context=True)
        return cast(Task[P, R], wrapped)

    return decorator


def _retry_or_give_up(
    context: TaskContext[Any, Any],
    error: TransientError,
    *,
    attempt: int,
    policy: tuple[int, datetime.timedelta, datetime.timedelta],
) -> None:
    """Enqueue the next attempt and raise RetryScheduled; return (to let the caller re-raise) when out of attempts."""
    max_attempts, base_delay, max_delay = policy
    current = context.task_result
    if attempt >= max_attempts:
        logger.error(
            "job.retries_exhausted task=%s id=%s attempts=%d error=%r",
            current.task.module_path,
            current.id,
            attempt,
            error,
        )
        return
    run_after = timezone.now() + backoff(attempt, base=base_delay, cap=max_delay)
    task_to_retry = cast(Task[..., Any], current.task.using(run_after=run_after))
    retry = task_to_retry.enqueue(*current.args, **{**current.kwargs, ATTEMPT_KWARG: attempt + 1})
    logger.warning(
        "job.retry_scheduled task=%s id=%s attempt=%d next_id=%s run_after=%s error=%r",
        current.task.module_path,
        current.id,
        attempt,
        retry.id,
        run_after.isoformat(),
        error,
    )
    raise RetryScheduled(
        f"Attempt {attempt}/{max_attempts} failed; retry {retry.id} runs after {run_after.isoformat()}."
    ) from error
