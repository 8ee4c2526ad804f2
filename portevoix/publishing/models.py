"""The official voice's editorial side: campaigns, posts with a variant per channel, approvals.

A post goes out only through the channels app's outbox: once approved, each variant becomes one
dispatch (source key `post:<id>`) scheduled for the post's time. Whatever the dispatches do next
(sent, failed, frozen by a crisis) is read from them, never copied here.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.accounts.roles import Role


def media_storage() -> FileSystemStorage:
    """Images of official posts, in the data folder; served only through a permission-checked view."""
    return FileSystemStorage(location=settings.DATA_DIR / "media", base_url=None)


class Campaign(models.Model):
    """A theme the calendar groups posts by, with a colour (always shown with its name)."""

    class Colour(models.TextChoices):
        BLUE = "blue", _("Blue")
        GREEN = "green", _("Green")
        ORANGE = "orange", _("Orange")
        PURPLE = "purple", _("Purple")
        RED = "red", _("Red")
        TEAL = "teal", _("Teal")
        PINK = "pink", _("Pink")
        GREY = "grey", _("Grey")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    colour = models.CharField(_("colour"), max_length=16, choices=Colour.choices, default=Colour.BLUE)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="campaign_unique_name")]

    def __str__(self) -> str:
        return self.name


class ApprovalStep(models.Model):
    """One step a post goes through before it may be scheduled, decided by holders of `role`."""

    class Condition(models.TextChoices):
        ALWAYS = "always", _("Every post")
        SENSITIVE = "sensitive", _("Posts marked sensitive")
        WARNING = "warning", _("Posts the check warns about")
        SENSITIVE_OR_WARNING = "sensitive_or_warning", _("Posts marked sensitive or that the check warns about")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=80)
    role = models.CharField(_("decided by"), max_length=32, choices=Role.choices)
    condition = models.CharField(_("applies to"), max_length=32, choices=Condition.choices, default=Condition.ALWAYS)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    def applies_to(self, *, is_sensitive: bool, has_warning: bool) -> bool:
        if self.condition == self.Condition.SENSITIVE:
            return is_sensitive
        if self.condition == self.Condition.WARNING:
            return has_warning
        if self.condition == self.Condition.SENSITIVE_OR_WARNING:
            return is_sensitive or has_warning
        return True


class Post(models.Model):
    """An official post: one message, a variant per channel, a time, and its way through approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        REJECTED = "rejected", _("Rejected")
        APPROVED = "approved", _("Approved")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts", verbose_name=_("campaign")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    is_sensitive = models.BooleanField(_("sensitive"), default=False)
    scheduled_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    # Each edit makes a new revision; approvals count only for the revision they were given to.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    # The check of the current revision's texts, official scope: what the approval steps read.
    has_warning = models.BooleanField(_("the check warns"), default=False)
    has_blocking_finding = models.BooleanField(_("the check blocks"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("official post")
        verbose_name_plural = _("official posts")
        indexes = [
            models.Index(fields=["organization", "scheduled_at"], name="post_org_scheduled_idx"),
            models.Index(fields=["organization", "status"], name="post_org_status_idx"),
        ]

    def __str__(self) -> str:
        # Audit entries show this label: a number and the internal title, never the text.
        return f"#{self.pk} {self.title}"

    @property
    def source_key(self) -> str:
        """The key of this post's dispatches in the channels outbox: one per (post, channel)."""
        return f"post:{self.pk}"


class PostVariant(models.Model):
    """The text a post has on one channel (the message, adapted to the network)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [models.UniqueConstraint(fields=["post", "channel"], name="post_variant_unique_channel")]

    def __str__(self) -> str:
        return f"{self.post_id}:{self.channel_id}"


class PostMedia(models.Model):
    """An image of a post, with the alternative text that every network receives with it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media")
    file = models.FileField(_("image"), upload_to="publishing/%Y/%m/", storage=media_storage)
    alt_text = models.CharField(_("alternative text"), max_length=1000)
    content_type = models.CharField(_("type"), max_length=64)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.post_id}:{self.pk}"


class PostRevision(models.Model):
    """What a post said at one revision: the texts the reviewers read."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    variants = models.JSONField(_("variants"), default=list)  # [{"channel": id, "name": ..., "text": ...}]
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["post", "number"], name="post_revision_unique_number")]

    def __str__(self) -> str:
        return f"{self.post_id}:{self.number}"


class PostDecision(models.Model):
    """A reviewer's decision or comment on one revision of a post, in the order they came."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        REJECTED = "rejected", _("Rejected")
        COMMENT = "comment", _("Comment")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="decisions")
    step = models.ForeignKey(ApprovalStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    step_name = models.CharField(_("step"), max_length=80, blank=True)  # kept if the step is removed
    revision = models.PositiveIntegerField(_("revision"))
    kind = models.CharField(_("decision"), max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "revision", "kind"], name="post_decision_revision_idx")]

    def __str__(self) -> str:
        return f"{self.post_id}:{self.kind}"


class CalendarFeed(models.Model):
    """A person's secret iCalendar address; only its hash is kept, so a leak of the database leaks no feed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user_id}"


class PostNotification(models.Model):
    """An e-mail about a post's step or decision, sent to one person once, however often its job runs."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # What the e-mail was about: "step:<step id>:<revision>" or "decision:<decision id>".
    event = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "recipient", "event"], name="post_notification_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}:{self.recipient_id}:{self.event}"
