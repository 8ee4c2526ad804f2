"""Quizzes on the guidelines (G3): optional questions attached to one version, a pass mark, retries.

A quiz belongs to one guidelines version and is edited only while that version is a draft, so
that everyone who takes it answers the same questions. Each attempt keeps the answers given, so
a score can always be explained.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("fr", "en")


def _other(language: str) -> str:
    return "en" if language == "fr" else "fr"


def _in(row: models.Model, field: str, language: str) -> str:
    """A text in `language`, or in the other language while it has no translation."""
    language = language if language in LANGUAGES else "fr"
    return str(getattr(row, f"{field}_{language}") or getattr(row, f"{field}_{_other(language)}"))


def _missing(pairs: list[tuple[str, str]]) -> list[str]:
    """The languages in which a text of `pairs` (French, English) is empty while the other is not."""
    missing = []
    if any(not fr.strip() and en.strip() for fr, en in pairs):
        missing.append("fr")
    if any(fr.strip() and not en.strip() for fr, en in pairs):
        missing.append("en")
    return missing


class Quiz(models.Model):
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    version = models.OneToOneField("guidelines.GuidelinesVersion", on_delete=models.CASCADE, related_name="+")
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, help_text=_("0 allows as many attempts as a person wants.")
    )
    shows_answers = models.BooleanField(_("show the right answers and explanations after an attempt"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=1, pass_mark__lte=100), name="quiz_pass_mark_percent"
            )
        ]

    def __str__(self) -> str:
        return f"quiz of {self.version_id}"

    @property
    def has_attempt_limit(self) -> bool:
        return self.max_attempts > 0


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    text_fr = models.TextField(_("question (French)"), blank=True)
    text_en = models.TextField(_("question (English)"), blank=True)
    explanation_fr = models.TextField(_("explanation (French)"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    # The anchor of the clause the question tests, in the quiz's version: anchors are stable across versions.
    clause_anchor = models.CharField(_("clause"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.position}. {self.text_en or self.text_fr}"[:80]

    @property
    def is_multiple(self) -> bool:
        return self.kind == self.Kind.MULTIPLE

    def text(self, language: str) -> str:
        return _in(self, "text", language)

    def explanation(self, language: str) -> str:
        return _in(self, "explanation", language)

    def missing_languages(self, choices: list["Choice"]) -> list[str]:
        """Languages in which the question, its explanation or one of `choices` has no text yet."""
        pairs = [(self.text_fr, self.text_en), (self.explanation_fr, self.explanation_en)]
        return _missing(pairs + [(choice.text_fr, choice.text_en) for choice in choices])


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(_("position"), default=0)
    text_fr = models.CharField(_("answer (French)"), max_length=300, blank=True)
    text_en = models.CharField(_("answer (English)"), max_length=300, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("quiz answer")
        verbose_name_plural = _("quiz answers")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return (self.text_en or self.text_fr)[:80]

    def text(self, language: str) -> str:
        return _in(self, "text", language)


class Attempt(models.Model):
    """One submission of a quiz by a person: the choices they made, the score, pass or fail."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    version = models.ForeignKey("guidelines.GuidelinesVersion", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(_("attempt"))
    # {"<question id>": [<choice id>, …]}: what the person chose, as submitted.
    answers = models.JSONField(_("answers"), default=dict)
    correct_count = models.PositiveSmallIntegerField(_("right answers"))
    question_count = models.PositiveSmallIntegerField(_("questions"))
    score = models.PositiveSmallIntegerField(_("score (%)"))
    is_passed = models.BooleanField(_("passed"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-submitted_at", "-id"]
        # One row per attempt number: two submissions at once can never both use the last attempt.
        constraints = [models.UniqueConstraint(fields=["quiz", "person", "number"], name="quiz_attempt_unique_number")]

    def __str__(self) -> str:
        return f"{self.person_id}: attempt {self.number} of {self.quiz_id}"
