"""The policy of each organisation, as immutable versions of its text file, and what checks count.

A version's `source` is the policy file (see docs/policy-format.md) in its canonical form, so two
versions diff line by line and an export is the stored text itself. Versions are never edited:
every change, through a form or an upload, makes a new one.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PolicyVersion(models.Model):
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(_("version"))
    source = models.TextField(_("policy file"))
    summary = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    tests_passed = models.PositiveIntegerField(_("test cases passed"), default=0)
    tests_failed = models.PositiveIntegerField(_("test cases failed"), default=0)
    # One entry per test case: {"index", "passed", "text", "problems": [...]}.
    test_report = models.JSONField(_("test case results"), default=list)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="policy_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def can_publish(self) -> bool:
        return self.tests_failed == 0


class PolicySettings(models.Model):
    """Per organisation: the active version and whether checked drafts are archived."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="policy_settings"
    )
    active_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    archive_drafts = models.BooleanField(
        _("archive checked drafts"),
        default=False,
        help_text=_("For regulated industries: keep the text of every checked draft with its verdict."),
    )

    class Meta:
        verbose_name = _("policy settings")
        verbose_name_plural = _("policy settings")

    def __str__(self) -> str:
        return f"policy settings of {self.organization_id}"


class CheckCount(models.Model):
    """How many drafts were checked on a day, and how many of them each rule flagged.

    `rule_id` is empty on the row that counts drafts; the text of drafts is not kept here.
    """

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    rule_id = models.CharField(_("rule"), max_length=100, blank=True)
    kind = models.CharField(_("rule kind"), max_length=32, blank=True)
    category = models.CharField(_("risk category"), max_length=32, blank=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("check count")
        verbose_name_plural = _("check counts")
        constraints = [
            models.UniqueConstraint(fields=["organization", "day", "rule_id"], name="check_count_unique_day_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.rule_id or '*'}: {self.count}"


class ArchivedDraft(models.Model):
    """A checked draft, kept only when the organisation turns archiving on."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    channel = models.CharField(_("checked from"), max_length=16)
    # The draft being typed: its later checks replace this row instead of adding partial copies.
    draft_key = models.CharField(_("draft"), max_length=64, blank=True)
    text = models.TextField(_("text"))
    outcome = models.CharField(_("verdict"), max_length=32)
    findings = models.JSONField(_("findings"), default=list)

    class Meta:
        verbose_name = _("archived draft")
        verbose_name_plural = _("archived drafts")
        ordering = ["-checked_at"]
        indexes = [
            models.Index(fields=["organization", "-checked_at"], name="archived_draft_org_idx"),
            models.Index(fields=["organization", "author", "draft_key"], name="archived_draft_key_idx"),
        ]

    def __str__(self) -> str:
        return f"draft of {self.checked_at:%Y-%m-%d %H:%M}"
