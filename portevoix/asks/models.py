from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Ask(models.Model):
    """A private request from a person to the communication team, with the draft it is about.

    The draft and the verdict of its check are kept because the person chose to send them; the
    check page itself keeps no draft. The thread is the request's messages, the question first.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asks", verbose_name=_("asked by")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    draft = models.TextField(_("draft"), blank=True)
    draft_date = models.DateField(_("publication date"), null=True, blank=True)
    scope = models.CharField(_("written"), max_length=16, blank=True)
    clause_id = models.CharField(_("clause"), max_length=64, blank=True)
    # The verdict and findings of the draft's check when the request was opened, as the REST API
    # returns them (labels in the author's language): the policy may change afterwards.
    outcome = models.CharField(_("verdict"), max_length=32, blank=True)
    check_report = models.JSONField(_("check"), default=dict, blank=True)
    is_unread_by_author = models.BooleanField(_("unread by the author"), default=False)
    is_unread_by_team = models.BooleanField(_("unread by the team"), default=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last message at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to the communication team")
        verbose_name_plural = _("requests to the communication team")
        indexes = [
            models.Index(fields=["organization", "status", "last_activity_at"], name="ask_org_status_activity_idx"),
            models.Index(fields=["author", "-last_activity_at"], name="ask_author_activity_idx"),
        ]

    def __str__(self) -> str:
        # Audit entries show this label: a number, never the question or the draft.
        return f"#{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class AskMessage(models.Model):
    """One message of a request's thread, in plain text."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    is_from_team = models.BooleanField(_("from the communication team"), default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["ask", "created_at"], name="ask_message_ask_created_idx")]

    def __str__(self) -> str:
        return f"{self.ask_id}:{self.pk}"


class AskNotification(models.Model):
    """An e-mail about a message, sent to one person: a job that runs twice sends it once."""

    message = models.ForeignKey(AskMessage, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "recipient"], name="ask_notification_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id}:{self.recipient_id}"
