"""Social media guidelines (G1, G2): versions made of clauses, their audience, acknowledgements, reminders.

A version is edited only while it is a draft. Publishing freezes it, records a hash of its
content, and archives the version published before it: an organisation has at most one
published version. A clause keeps its anchor from one version to the next, so that policy rules
and incidents can cite it.
"""

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portevoix.policies.checking import CATEGORY_LABELS

LANGUAGES = ("fr", "en")
CATEGORY_CHOICES = [(str(category), label) for category, label in CATEGORY_LABELS.items()]

anchor_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9.-]{0,39}$",
    _("Use lowercase letters, digits, dots and hyphens (at most 40), starting with a letter or a digit."),
)


def lagging_languages(texts: dict[str, list[str]], updated: dict[str, datetime.datetime | None]) -> list[str]:
    """The languages whose text is missing or older than the other language's last edit."""
    lagging = []
    for language, other in (("fr", "en"), ("en", "fr")):
        is_missing = any(
            not text.strip() and other_text.strip()
            for text, other_text in zip(texts[language], texts[other], strict=True)
        )
        mine, theirs = updated[language], updated[other]
        is_older = theirs is not None and (mine is None or mine < theirs)
        if is_missing or is_older:
            lagging.append(language)
    return lagging


class GuidelinesVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_fr = models.TextField(_("introduction (French)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    fr_updated_at = models.DateTimeField(null=True, blank=True)
    en_updated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Audience, evaluated when read (see selectors.audience), so people imported later are included.
    audience_departments = models.ManyToManyField("accounts.Department", blank=True, related_name="+")
    audience_entities = models.ManyToManyField("accounts.Entity", blank=True, related_name="+")
    audience_hired_after = models.DateField(_("hired after"), null=True, blank=True)
    asks_acknowledgement_again = models.BooleanField(_("ask again for acknowledgement"), default=True)
    reminder_every_days = models.PositiveSmallIntegerField(_("remind every (days)"), default=7)
    reminder_max_count = models.PositiveSmallIntegerField(_("reminders at most"), default=3)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("guidelines version")
        verbose_name_plural = _("guidelines versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="guidelines_version_unique_number"),
            models.UniqueConstraint(
                fields=["organization"], condition=Q(status="published"), name="guidelines_one_published"
            ),
            models.UniqueConstraint(fields=["organization"], condition=Q(status="draft"), name="guidelines_one_draft"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def title(self, language: str) -> str:
        return str(getattr(self, f"title_{language}") or getattr(self, f"title_{_other(language)}"))

    @property
    def lagging_languages(self) -> list[str]:
        texts = {
            language: [getattr(self, f"title_{language}"), getattr(self, f"intro_{language}")] for language in LANGUAGES
        }
        return lagging_languages(texts, {language: getattr(self, f"{language}_updated_at") for language in LANGUAGES})


def _other(language: str) -> str:
    return "en" if language == "fr" else "fr"


CLAUSE_TEXT_FIELDS = ("title", "body", "do_examples", "dont_examples")


class GuidelinesClause(models.Model):
    version = models.ForeignKey(GuidelinesVersion, on_delete=models.CASCADE, related_name="clauses")
    anchor = models.CharField(_("anchor"), max_length=40, validators=[anchor_validator])
    number = models.CharField(_("number"), max_length=16)
    position = models.PositiveIntegerField(_("position"), default=0)
    category = models.CharField(_("risk category"), max_length=32, choices=CATEGORY_CHOICES)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_fr = models.TextField(_("text (French)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    do_examples_fr = models.TextField(_("do (French)"), blank=True)
    do_examples_en = models.TextField(_("do (English)"), blank=True)
    dont_examples_fr = models.TextField(_("don't (French)"), blank=True)
    dont_examples_en = models.TextField(_("don't (English)"), blank=True)
    fr_updated_at = models.DateTimeField(null=True, blank=True)
    en_updated_at = models.DateTimeField(null=True, blank=True)
    # Set at publication by the author: readers who acknowledged before see these clauses first.
    is_material_change = models.BooleanField(_("changed materially"), default=False)

    class Meta:
        verbose_name = _("guidelines clause")
        verbose_name_plural = _("guidelines clauses")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "anchor"], name="guidelines_clause_unique_anchor")]

    def __str__(self) -> str:
        return f"{self.number} {self.title_en or self.title_fr}"

    def text(self, field: str, language: str) -> str:
        return str(getattr(self, f"{field}_{language}"))

    def texts(self, language: str) -> list[str]:
        return [self.text(field, language) for field in CLAUSE_TEXT_FIELDS]

    @property
    def lagging_languages(self) -> list[str]:
        texts = {language: self.texts(language) for language in LANGUAGES}
        return lagging_languages(texts, {language: getattr(self, f"{language}_updated_at") for language in LANGUAGES})


class Acknowledgement(models.Model):
    """A person read a version and said so; `content_hash` is the exact content they acknowledged."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(GuidelinesVersion, on_delete=models.CASCADE, related_name="acknowledgements")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)
    # The local day of `acknowledged_at`, kept so that counting per day needs no time zone
    # conversion of every row (450 ms at 60,000 acknowledgements on SQLite).
    acknowledged_on = models.DateField(_("acknowledged on"), default=timezone.localdate)
    content_hash = models.CharField(_("content hash"), max_length=64)
    # Copied from the previous version when its author said nothing changed materially.
    is_carried_over = models.BooleanField(_("carried over"), default=False)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [models.UniqueConstraint(fields=["version", "person"], name="acknowledgement_unique_person")]
        indexes = [models.Index(fields=["version", "acknowledged_on"], name="ack_version_on_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} acknowledged {self.version_id}"


class Reminder(models.Model):
    """How many scheduled reminders a person got for a version, so the schedule is never exceeded."""

    version = models.ForeignKey(GuidelinesVersion, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scheduled_count = models.PositiveSmallIntegerField(default=0)
    manual_count = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["version", "person"], name="reminder_unique_person")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.scheduled_count} reminders for {self.version_id}"
