from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One upload of a people file, from validation to the all-or-nothing apply.

    The file is kept only until it has been validated, and the validated rows only until they
    have been applied: the job then keeps counts and errors, not personal data.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Checking")
        READY = "ready", _("Ready to import")
        INVALID = "invalid", _("Has errors")
        APPLYING = "applying", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file content"), default=b"")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    columns = models.JSONField(_("columns"), default=dict)
    rows = models.JSONField(_("validated rows"), default=list)
    errors = models.JSONField(_("errors"), default=list)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    summary = models.JSONField(_("summary"), default=dict)
    failure_reason = models.TextField(_("failure reason"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    validated_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="import_job_org_created_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def is_in_progress(self) -> bool:
        return self.status in {self.Status.UPLOADED, self.Status.VALIDATING, self.Status.APPLYING}


class StagedPersonChange(models.Model):
    """New values for one existing person, staged by an import inside its transaction.

    One UPDATE reading these rows by correlated subquery replaces bulk_update, whose CASE
    expressions made a 100,000-person update take minutes. Rows never outlive the transaction.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="+")
    person_id = models.BigIntegerField()
    email = models.CharField(max_length=254, blank=True)
    full_name = models.CharField(max_length=200, blank=True)
    employee_number = models.CharField(max_length=64, blank=True)
    department_id = models.BigIntegerField(null=True)
    entity_id = models.BigIntegerField(null=True)
    job_title = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    languages = models.CharField(max_length=64, blank=True)
    hire_date = models.DateField(null=True)
    manager_id = models.BigIntegerField(null=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["job", "person_id"], name="staged_person_job_idx")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.person_id}"
