import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.policies.checking import CATEGORY_LABELS

# The five risk categories of the guidelines (compliance_engine.model.RiskCategory), with the
# labels the check page already uses, so an incident and a clause speak of the same risk.
CATEGORY_CHOICES = [(category.value, label) for category, label in CATEGORY_LABELS.items()]


# The names of the timeline's lines: the fields of an incident and what happens to its actions.
TIMELINE_LABELS = {
    "created": _("Recorded"),
    "title": _("Title"),
    "description": _("What happened"),
    "occurred_at": _("Occurred at"),
    "detected_at": _("Detected at"),
    "category": _("Risk category"),
    "severity": _("Severity"),
    "owner": _("Owner"),
    "clauses": _("Clauses concerned"),
    "links": _("Links"),
    "lessons_learned": _("Lessons learned"),
    "status": _("Status"),
    "closed_on": _("Closed on"),
    "action_added": _("Action added"),
    "action_done": _("Action done"),
}


class Severity(models.IntegerChoices):
    # Integers so that "most severe first" is a plain ORDER BY.
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Investigating")
    MITIGATED = "mitigated", _("Mitigated")
    CLOSED = "closed", _("Closed")


class Incident(models.Model):
    """A risk event of one organisation (a leak, a hostile post, a crisis), from detection to lessons."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"))
    occurred_at = models.DateTimeField(_("occurred at"))
    detected_at = models.DateTimeField(_("detected at"))
    category = models.CharField(_("risk category"), max_length=32, choices=CATEGORY_CHOICES)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    links = models.JSONField(_("links"), default=list, blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-severity", "-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-severity", "-occurred_at"], name="incident_org_severity_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_on__isnull=False),
                name="incident_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED


class IncidentClause(models.Model):
    """A guidelines clause an incident concerns, by its stable anchor ("3.1")."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="clauses")
    # Copied from the incident so "incidents of this clause" is one indexed query per organisation.
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    anchor = models.CharField(_("clause"), max_length=32)

    class Meta:
        ordering = ["anchor"]
        constraints = [models.UniqueConstraint(fields=["incident", "anchor"], name="incident_clause_unique")]
        indexes = [models.Index(fields=["organization", "anchor"], name="incident_clause_org_idx")]

    def __str__(self) -> str:
        return self.anchor


class IncidentAction(models.Model):
    """Something to do about an incident, by someone, before a date."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set once the owner was e-mailed, so a job run twice does not e-mail twice.
    owner_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["incident", "due_on"], name="incident_action_due_idx")]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, today: datetime.date) -> bool:
        return self.done_on is None and self.due_on < today


class IncidentChange(models.Model):
    """One line of an incident's timeline: who changed which field, when, from what to what."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    field = models.CharField(max_length=32)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id}:{self.field}"
