import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No 0/O/o, 1/I/l/L or i: a code read aloud or copied by hand from a screen is typed right.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ"
# 54 symbols ** 10, about 2 * 10^17 codes (57 bits): nobody walks the space to find other people's links.
CODE_LENGTH = 10
CODE_PATTERN = f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class ReferrerCategory(models.TextChoices):
    """Where a click came from, read from the Referer header and nothing else."""

    LINKEDIN = "linkedin", _("LinkedIn")
    X = "x", _("X")
    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    BLUESKY = "bluesky", _("Bluesky")
    MASTODON = "mastodon", _("Mastodon")
    THREADS = "threads", _("Threads")
    OTHER_SOCIAL = "other_social", _("Other social network")
    SEARCH = "search", _("Search engine")
    EMAIL_OR_DIRECT = "direct", _("E-mail, app or direct")
    OTHER = "other", _("Other website")


class TrackedLink(models.Model):
    """A short link `/l/<code>` that redirects to a target carrying UTM tags, and counts clicks."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("code"), max_length=16, unique=True, default=new_code)
    target_url = models.URLField(_("target address"), max_length=2000)
    utm_source = models.CharField("utm_source", max_length=100)
    utm_medium = models.CharField("utm_medium", max_length=100)
    utm_campaign = models.CharField("utm_campaign", max_length=100)
    utm_content = models.CharField("utm_content", max_length=100, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tracked_links",
        verbose_name=_("shared by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("tracked link")
        verbose_name_plural = _("tracked links")
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="link_org_created_idx"),
            models.Index(fields=["owner", "-created_at"], name="link_owner_created_idx"),
        ]

    def __str__(self) -> str:
        return self.short_path

    def get_absolute_url(self) -> str:
        return self.short_path

    @property
    def short_path(self) -> str:
        return f"/l/{self.code}"

    def is_expired(self, *, now: datetime.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def is_followable(self) -> bool:
        return self.is_active and not self.is_expired()


class ClickCount(models.Model):
    """Clicks on one link in one minute from one referrer category: counters, never visitors.

    Nothing about the person who clicked is kept (no address, browser, cookie or exact instant);
    link previews fetched by networks and chat apps are counted apart (`is_preview`), never as clicks.
    """

    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="click_counts")
    minute = models.DateTimeField(_("minute"))
    referrer = models.CharField(_("came from"), max_length=16, choices=ReferrerCategory.choices)
    is_preview = models.BooleanField(_("link preview"), default=False)
    count = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("click count")
        verbose_name_plural = _("click counts")
        constraints = [
            models.UniqueConstraint(
                fields=["link", "minute", "referrer", "is_preview"], name="click_count_unique_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.link_id}@{self.minute:%Y-%m-%d %H:%M} {self.referrer}: {self.count}"
