"""The policy as data: frozen dataclasses with no behaviour beyond small, pure helpers.

A policy is a list of clauses (from the guidelines) and a list of rules, each citing one clause.
The engine compiles a policy once (see `engine.compile_policy`) and checks texts against it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

# Texts shown to people come from the policy in both languages: language code -> text.
type LocalizedText = Mapping[str, str]

LANGUAGES = ("fr", "en")


class RiskCategory(StrEnum):
    """The five risk categories of a guidelines clause (PRODUCT.md G1)."""

    REPUTATION = "reputation"
    COMPETITION = "competition"
    LEGAL_CONFIDENTIALITY = "legal_confidentiality"
    SECURITY = "security"
    PRODUCTIVITY = "productivity"


class Severity(StrEnum):
    """How serious a finding is: block stops a post, warn asks for care, info only tells."""

    BLOCK = "block"
    WARN = "warn"
    INFO = "info"


class Scope(StrEnum):
    """Who writes: a rule scoped to everyone applies to every writer, the others only to theirs."""

    EVERYONE = "everyone"
    AMBASSADORS = "ambassadors"
    OFFICIAL = "official"


class RuleKind(StrEnum):
    """The rule kinds this engine implements so far."""

    TERMS = "terms"
    QUIET_PERIOD = "quiet_period"
    PERSONAL_DATA = "personal_data"


class Qualifier(StrEnum):
    """A way of writing a term that makes it count when the term requires context."""

    HASHTAG = "hashtag"  # written as, or inside, a hashtag: "#Atlas", "#ProjetAtlas"
    CAPITALISED = "capitalised"  # an initial capital that is not just the start of a sentence


class Detector(StrEnum):
    """The personal data detectors."""

    EMAIL = "email"
    PHONE = "phone"
    IBAN = "iban"
    NIR = "nir"  # French social security number
    CARD = "card"


@dataclass(frozen=True)
class Clause:
    """A numbered clause of the guidelines that rules cite; `id` is its stable anchor."""

    id: str
    title: LocalizedText
    category: RiskCategory


@dataclass(frozen=True)
class TermEntry:
    """One term of a list.

    A term with no `context_words` and no `qualifiers` always counts. Otherwise it counts only when
    one of the context words is near it or it is written in one of the qualifying ways: this keeps
    ordinary words that are also code names ("Atlas") from flooding people with false alarms.
    A clearing word near the term always clears it ("Mistral" next to "vent" is the wind).
    """

    text: str
    context_words: tuple[str, ...] = ()
    qualifiers: frozenset[Qualifier] = frozenset()
    clearing_words: tuple[str, ...] = ()

    @property
    def requires_context(self) -> bool:
        """Whether the term counts only with a context word or a qualifier."""
        return bool(self.context_words or self.qualifiers)


@dataclass(frozen=True)
class TermListSettings:
    """A term list: confidential projects, unannounced products, clients under NDA, competitors."""

    entries: tuple[TermEntry, ...]


@dataclass(frozen=True)
class QuietPeriodSettings:
    """A quiet period: between `start` and `end` (both included) the terms must not be mentioned."""

    start: datetime.date
    end: datetime.date
    entries: tuple[TermEntry, ...]


@dataclass(frozen=True)
class PersonalDataSettings:
    """Which personal data detectors are on."""

    detectors: frozenset[Detector]


type RuleSettings = TermListSettings | QuietPeriodSettings | PersonalDataSettings


@dataclass(frozen=True)
class Rule:
    """A rule of the policy: what to look for, how serious it is, for whom, and why (its clause)."""

    id: str
    severity: Severity
    scope: frozenset[Scope]
    clause_id: str
    message: LocalizedText
    suggestion: LocalizedText
    settings: RuleSettings

    @property
    def kind(self) -> RuleKind:
        """The rule kind, given by its settings."""
        match self.settings:
            case TermListSettings():
                return RuleKind.TERMS
            case QuietPeriodSettings():
                return RuleKind.QUIET_PERIOD
            case PersonalDataSettings():
                return RuleKind.PERSONAL_DATA


@dataclass(frozen=True)
class Policy:
    """A version of an organisation's policy."""

    clauses: tuple[Clause, ...]
    rules: tuple[Rule, ...] = field(default=())


def localized(texts: LocalizedText, language: str) -> str:
    """Return the text in `language`, else in the other product language, else any text at all."""
    if language in texts:
        return texts[language]
    for fallback in LANGUAGES:
        if fallback in texts:
            return texts[fallback]
    return next(iter(texts.values()), "")
