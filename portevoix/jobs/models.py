from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per worker process, refreshed while it lives; a stale row means a stopped worker."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process"))
    threads = models.PositiveSmallIntegerField(_("threads"), default=1)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class PeriodicRun(models.Model):
    """A periodic job's run for one time slot. The unique pair lets any number of workers tick."""

    name = models.CharField(_("job"), max_length=100)
    slot = models.DateTimeField(_("slot"))
    enqueued_at = models.DateTimeField(_("enqueued at"), default=timezone.now)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="periodic_run_unique_slot")]

    def __str__(self) -> str:
        return f"{self.name}@{self.slot.isoformat()}"


class ReapedJob(models.Model):
    """How often the reaper found a job abandoned by a dead worker; too often means a poison job.

    A row of its own rather than a count derived from `DBTaskResult.worker_ids`: that list also
    grows for reasons other than reaping, and a plain counter reads clearly in the admin. The row
    goes away with its task result (cascade), so pruning old results prunes these too.
    """

    task_result = models.OneToOneField(
        "django_tasks_database.DBTaskResult",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("job"),
    )
    reap_count = models.PositiveIntegerField(_("times reaped"), default=0)
    last_reaped_at = models.DateTimeField(_("last reaped at"), default=timezone.now)
    last_worker_id = models.CharField(_("last worker"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("reaped job")
        verbose_name_plural = _("reaped jobs")

    def __str__(self) -> str:
        return f"{self.task_result_id} x{self.reap_count}"
