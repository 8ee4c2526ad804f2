from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Crisis(models.Model):
    """A period during which the organisation speaks only through its holding statement.

    While a crisis is on (no `ended_at`), scheduled official posts do not go out and the
    ambassador side shows the holding statement instead of its feed and refuses shares. At most
    one crisis is on per organisation at a time (a partial unique constraint).
    """

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    holding_statement = models.TextField(_("holding statement"))
    do_not_comment = models.TextField(_("what not to comment on"), blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    end_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(ended_at__isnull=True), name="crisis_one_active_per_organization"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class TimelineEntry(models.Model):
    """What happened during a crisis, in order: the switch, freezes, notifications, notes, the lift."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"
