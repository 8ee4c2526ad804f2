from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboxSettings(models.Model):
    """An organisation's response-time targets: how soon a message should get its first answer."""

    organization = models.OneToOneField("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    response_target_hours = models.PositiveIntegerField(_("response target (hours)"), default=24)
    hostile_target_hours = models.PositiveIntegerField(
        _("response target for hostile or risky messages (hours)"), default=2
    )

    class Meta:
        verbose_name = _("inbox settings")
        verbose_name_plural = _("inbox settings")

    def __str__(self) -> str:
        return str(self.organization)


class Tag(models.Model):
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="inbox_tag_unique_name")]

    def __str__(self) -> str:
        return self.name


class Message(models.Model):
    """A mention, comment or reply received on one of the organisation's channels.

    One row per (channel, remote id): pulling the same interaction again changes nothing.
    """

    class Kind(models.TextChoices):
        MENTION = "mention", _("Mention")
        COMMENT = "comment", _("Comment")
        REPLY = "reply", _("Reply")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting for them")
        DONE = "done", _("Done")

    class Risk(models.TextChoices):
        NONE = "none", _("Nothing flagged")
        RISKY = "risky", _("Risky")
        HOSTILE = "hostile", _("Hostile")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, related_name="+", verbose_name=_("channel")
    )
    remote_id = models.CharField(max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    author_handle = models.CharField(_("from"), max_length=255)
    author_name = models.CharField(_("name"), max_length=255, blank=True)
    text = models.TextField(_("text"))
    url = models.URLField(_("address"), max_length=500, blank=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    sent_at = models.DateTimeField(_("sent at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    risk = models.CharField(_("triage"), max_length=16, choices=Risk.choices, default=Risk.NONE)
    # The findings of the policy engine on the message, as the API returns them: the rules that
    # made it risky or hostile, with their clauses.
    findings = models.JSONField(default=list, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="messages", verbose_name=_("tags"))
    due_at = models.DateTimeField(_("answer due"))
    first_response_at = models.DateTimeField(_("first answer"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["due_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["channel", "remote_id"], name="inbox_message_once_per_channel")]
        indexes = [models.Index(fields=["organization", "status", "due_at"], name="inbox_open_by_due")]

    def __str__(self) -> str:
        return f"{self.author_handle}: {self.text[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DONE


class Reply(models.Model):
    """An answer written in the inbox; it leaves through the channel's outbox like any post."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    override_reason = models.TextField(_("reason for sending despite the warnings"), blank=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def source_key(self) -> str:
        return f"inbox-reply:{self.pk}"


class SavedReply(models.Model):
    """A ready answer the team reuses, in one language."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")
        ordering = ["language", "title"]

    def __str__(self) -> str:
        return self.title


class PullState(models.Model):
    """Where the last pull of a channel's interactions stopped, and how it went."""

    channel = models.OneToOneField("channels.Channel", on_delete=models.CASCADE, related_name="+")
    cursor = models.CharField(max_length=255, blank=True)
    pulled_at = models.DateTimeField(null=True, blank=True)
    not_before = models.DateTimeField(null=True, blank=True)  # a rate limit asked us to wait
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("pull state")
        verbose_name_plural = _("pull states")

    def __str__(self) -> str:
        return str(self.channel_id)
