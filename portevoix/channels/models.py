"""Official channels (the company's own accounts) and the publishing outbox.

A `Dispatch` is one post going to one channel: one row per (channel, source_key), whatever
asked for it (an editorial post, a reply from the inbox…). Its state machine is the truth about
publishing; the job queue is only a doorbell. See docs/adr/0008-publishing-outbox.md.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.lib.networks import NETWORK_CHOICES, Network


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class NetworkApp(models.Model):
    """The organisation's own app on a network (on one instance, for Mastodon), used to connect accounts."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    network = models.CharField(_("network"), max_length=16, choices=NETWORK_CHOICES)
    base_url = models.URLField(_("server"), blank=True)
    client_id = models.CharField(_("client id"), max_length=255)
    client_secret_encrypted = models.TextField(blank=True)
    redirect_uri = models.URLField(_("redirect address"), max_length=500)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        verbose_name = _("network app")
        verbose_name_plural = _("network apps")
        constraints = [
            models.UniqueConstraint(fields=["organization", "network", "base_url"], name="network_app_unique")
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.base_url}".strip()


class Channel(models.Model):
    """One of the company's accounts on a network, connected by OAuth (or marked as a demo)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the network's approval")
        CONNECTED = "connected", _("Connected")
        EXPIRED = "expired", _("Access expired")
        DISCONNECTED = "disconnected", _("Disconnected")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    network = models.CharField(_("network"), max_length=16, choices=NETWORK_CHOICES)
    name = models.CharField(_("name"), max_length=120)
    handle = models.CharField(_("account"), max_length=255, blank=True)
    base_url = models.URLField(_("server"), blank=True)
    profile_url = models.URLField(_("profile"), max_length=500, blank=True)
    remote_account_id = models.CharField(max_length=255, blank=True)
    is_demo = models.BooleanField(_("demo channel"), default=False)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    app = models.ForeignKey(NetworkApp, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Tokens are encrypted with a key that lives in the settings, never in the database.
    access_token_encrypted = models.TextField(blank=True)
    refresh_token_encrypted = models.TextField(blank=True)
    token_expires_at = models.DateTimeField(_("access expires at"), null=True, blank=True)
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    rate_limited_until = models.DateTimeField(_("rate-limited until"), null=True, blank=True)
    rate_limit_remaining = models.IntegerField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    connected_at = models.DateTimeField(_("connected at"), null=True, blank=True)
    disconnected_at = models.DateTimeField(_("disconnected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["network", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "network", "base_url", "remote_account_id"],
                condition=Q(state__in=["connected", "expired"]) & ~Q(remote_account_id=""),
                name="channel_one_live_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_network_display()})"

    @property
    def network_enum(self) -> Network:
        return Network(self.network)

    @property
    def can_publish(self) -> bool:
        return self.state == self.State.CONNECTED


class Dispatch(models.Model):
    """One post to one channel, and where it stands: the publishing outbox.

    scheduled → sending → sent, with the side exits: back to scheduled with a later
    `next_attempt_at` (a safe retry), unconfirmed (the network may have published it: a person
    decides), failed (refused for good), frozen (a crisis), cancelled.
    """

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Published")
        UNCONFIRMED = "unconfirmed", _("Unconfirmed")
        FAILED = "failed", _("Failed")
        FROZEN = "frozen", _("Frozen by a crisis")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="dispatches")
    source_key = models.CharField(_("source"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    media = models.JSONField(_("media"), default=list, blank=True)
    # The remote id of the post this one answers (a reply from the inbox); empty for a post.
    in_reply_to = models.CharField(max_length=255, blank=True)
    scheduled_at = models.DateTimeField(_("scheduled for"))
    # When the next attempt may start: the scheduled time, or later after a retry or a rate limit.
    next_attempt_at = models.DateTimeField(_("next attempt"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.SCHEDULED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    idempotency_key = models.CharField(max_length=64, default=new_idempotency_key)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    first_sent_at = models.DateTimeField(null=True, blank=True)  # the first claim: since when it may be out
    # The network may already have it (an ambiguous outcome, a worker that died mid-publish): the
    # next attempt reads the account back before it sends anything.
    needs_check = models.BooleanField(_("check on the network first"), default=False)
    rung_at = models.DateTimeField(null=True, blank=True)  # when the sweep last rang for it
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    remote_id = models.CharField(max_length=255, blank=True)
    remote_url = models.URLField(_("address"), max_length=500, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["scheduled_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["channel", "source_key"], name="dispatch_unique_source")]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="dispatch_state_due_idx"),
            models.Index(fields=["organization", "state", "scheduled_at"], name="dispatch_org_state_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_final(self) -> bool:
        return self.state in {self.State.SENT, self.State.CANCELLED}


class Attempt(models.Model):
    """One try at publishing a dispatch, or at reconciling it with the network: the queue's history."""

    class Kind(models.TextChoices):
        PUBLISH = "publish", _("Publish")
        RECONCILE = "reconcile", _("Check on the network")
        DECISION = "decision", _("Decision by a person")

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        PUBLISHED = "published", _("Published")
        FOUND = "found", _("Found on the network")
        NOT_FOUND = "not_found", _("Not on the network")
        RETRY = "retry", _("Will retry")
        RATE_LIMITED = "rate_limited", _("Rate-limited")
        AMBIGUOUS = "ambiguous", _("Outcome unknown")
        FAILED = "failed", _("Failed")
        REFUSED = "refused", _("Refused: crisis or channel")
        DECIDED = "decided", _("Decided")

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="attempt_log")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.RUNNING)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dispatch_id}:{self.kind}:{self.outcome}"


class Alert(models.Model):
    """Something a channel's owner must know (a failed post, an expiring token), shown in the app."""

    class Kind(models.TextChoices):
        DISPATCH_FAILED = "dispatch_failed", _("A post failed")
        DISPATCH_UNCONFIRMED = "dispatch_unconfirmed", _("A post needs a decision")
        TOKEN_EXPIRING = "token_expiring", _("Access expires soon")
        TOKEN_EXPIRED = "token_expired", _("Access expired")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="alerts")
    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="channel_alert_unread_idx")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.channel_id}"
