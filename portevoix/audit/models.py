from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.audit.labels import action_label


class AuditEntry(models.Model):
    """One recorded action. Entries of an organisation form a hash chain ordered by `sequence`.

    Never updated or deleted by the application: `portevoix audit verify` recomputes the chain
    and reports any entry that was changed, removed or inserted.
    """

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveBigIntegerField(_("sequence"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text so that the entry still says who acted after the person is erased.
    actor_label = models.CharField(_("actor"), max_length=254)
    action = models.CharField(_("action"), max_length=100)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_label = models.CharField(_("object"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["organization_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "sequence"], name="audit_unique_sequence"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class AuditHead(models.Model):
    """The last link of an organisation's chain, so that removing the newest entries shows too."""

    organization = models.OneToOneField("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"head #{self.sequence} of organisation {self.organization_id}"
