import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from portevoix.jobs.enqueue import enqueue_on_commit
from portevoix.jobs.tests import tasks

pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    pass


def test_a_job_enqueued_on_commit_exists_only_once_the_transaction_commits() -> None:
    with transaction.atomic():
        enqueue_on_commit(tasks.echo, "after commit")
        assert DBTaskResult.objects.count() == 0

    row = DBTaskResult.objects.get()
    assert (row.task_path, row.args_kwargs) == (
        "portevoix.jobs.tests.tasks.echo",
        {"args": ["after commit"], "kwargs": {}},
    )


def test_a_job_enqueued_on_commit_vanishes_with_a_rollback() -> None:
    def enqueue_then_fail() -> None:
        with transaction.atomic():
            enqueue_on_commit(tasks.echo, value="never")
            raise Rollback

    with pytest.raises(Rollback):
        enqueue_then_fail()

    assert DBTaskResult.objects.count() == 0


def test_outside_a_transaction_the_job_is_enqueued_at_once() -> None:
    enqueue_on_commit(tasks.echo, "now")
    assert DBTaskResult.objects.count() == 1
