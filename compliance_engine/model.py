"""The policy as data: frozen dataclasses with no behaviour beyond small, pure helpers.

A policy is a list of clauses (from the guidelines) and a list of rules, each citing one clause.
The engine compiles a policy once (see `engine.compile_policy`) and checks texts against it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only for the annotation: the engine imports this module.
    from compliance_engine.engine import Outcome

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
    """The rule kinds of a policy."""

    TERMS = "terms"
    QUIET_PERIOD = "quiet_period"
    PERSONAL_DATA = "personal_data"
    LINKS = "links"
    DISCLOSURE = "disclosure"
    TONE = "tone"
    CUSTOM = "custom"


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


# The shorteners most seen on social networks; a policy may replace the list.
DEFAULT_SHORTENERS = (
    "bit.ly", "t.co", "tinyurl.com", "ow.ly", "goo.gl", "is.gd", "buff.ly", "lnkd.in", "rb.gy", "cutt.ly",
    "shorturl.at", "tiny.cc", "t.ly", "rebrand.ly", "bl.ink", "s.id", "v.gd", "dlvr.it", "trib.al", "fb.me",
)  # fmt: skip


@dataclass(frozen=True)
class LinkSettings:
    """Link rules.

    `own_domains` are the organisation's registrable domains ("lumarelle.com"): links to them and
    their subdomains are always fine, and domains that imitate them are flagged when
    `flag_lookalikes` is on. With `only_allowed`, a link to any domain other than the own and
    allowed ones is flagged.
    """

    own_domains: tuple[str, ...] = ()
    blocked_domains: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    only_allowed: bool = False
    shorteners: tuple[str, ...] = DEFAULT_SHORTENERS
    flag_lookalikes: bool = True


class LinkProblem(StrEnum):
    """Why a link is flagged; the finding's detail reads "problem: domain"."""

    BLOCKED = "blocked"
    LOOKALIKE = "lookalike"
    SHORTENER = "shortener"
    NOT_ALLOWED = "not_allowed"


# Explicit calls to apply: each one alone makes a post promote the company's jobs.
DEFAULT_HIRING_PHRASES = (
    "we're hiring", "we are hiring", "now hiring", "join our team", "apply now", "job opening", "job offer",
    "#hiring", "#jobs", "nous recrutons", "on recrute", "rejoignez-nous", "rejoignez notre équipe", "postulez",
    "offre d'emploi", "poste à pourvoir", "CDI à pourvoir", "#recrutement", "#emploi",
)  # fmt: skip


# Accepted wordings per jurisdiction, for policies to start from; "{company}" is the company's name.
DISCLOSURE_WORDINGS: Mapping[str, tuple[str, ...]] = {
    # United States, FTC endorsement guides: the connection must be clear in the post itself.
    "US-FTC": ("#employee", "I work at {company}", "I work for {company}", "my employer", "#ad", "#sponsored"),
    # France, loi 2023-451 on commercial influence.
    "FR": (
        "#collaborateur", "#collaboratrice", "#salarié", "#salariée", "je travaille chez {company}",
        "je travaille pour {company}", "mon employeur", "collaboration commerciale", "#partenariat",
    ),
    # Financial firms under FINRA rule 2210: the associated person's firm must be named.
    "US-FINRA": (
        "#employee", "I work at {company}", "I am employed by {company}", "registered representative of {company}",
        "associated with {company}",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class DisclosureSettings:
    """A disclosure rule for one jurisdiction.

    A post that names the company's products, calls to apply for its jobs, links to its domains, or
    names the company with promotional language promotes it, and must contain one of
    `accepted_wordings` ("{company}" stands for each of `company_names`). The first wording is the
    one suggested. A post that criticises the employer, warns against a fake, or calls colleagues
    to meet is never a promotion (see `disclosure.py`).
    """

    jurisdiction: str
    company_names: tuple[str, ...]
    accepted_wordings: tuple[str, ...]
    product_names: tuple[str, ...] = ()
    company_domains: tuple[str, ...] = ()
    hiring_phrases: tuple[str, ...] = DEFAULT_HIRING_PHRASES


class ToneCategory(StrEnum):
    """The kinds of hostile speech the tone lexicons hold."""

    INSULT = "insult"  # an insult aimed at a person
    THREAT = "threat"
    HARASSMENT = "harassment"


@dataclass(frozen=True)
class ToneSettings:
    """Which tone categories the rule flags, from the built-in French and English lexicons."""

    categories: frozenset[ToneCategory] = frozenset(ToneCategory)


@dataclass(frozen=True)
class CustomPatternSettings:
    """Regular expressions written by the compliance officer, run on the folded text.

    The folded text is lowercase and without accents; patterns are matched ignoring case, and
    accented letters in a pattern are folded the same way, so "résultat" finds "RESULTAT".
    """

    patterns: tuple[str, ...]


type RuleSettings = (
    TermListSettings
    | QuietPeriodSettings
    | PersonalDataSettings
    | LinkSettings
    | DisclosureSettings
    | ToneSettings
    | CustomPatternSettings
)


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
            case LinkSettings():
                return RuleKind.LINKS
            case DisclosureSettings():
                return RuleKind.DISCLOSURE
            case ToneSettings():
                return RuleKind.TONE
            case CustomPatternSettings():
                return RuleKind.CUSTOM


@dataclass(frozen=True)
class TestCase:
    """A text the policy must judge a given way: rules it must find, rules it must not, an outcome.

    A case without a date is checked on a fixed day that no quiet period covers (see
    `testcases.DEFAULT_TEST_DATE`), so that the same policy always gives the same results.
    """

    __test__ = False  # not a pytest test class, though its name says so

    text: str
    must_find: tuple[str, ...] = ()  # rule ids
    must_not_find: tuple[str, ...] = ()  # rule ids
    outcome: Outcome | None = None
    date: datetime.date | None = None
    scope: Scope = Scope.EVERYONE
    language: str = "fr"
    note: str = ""  # why the case is there, for the person who reads the policy


@dataclass(frozen=True)
class Policy:
    """A version of an organisation's policy, with the test cases it must pass."""

    clauses: tuple[Clause, ...]
    rules: tuple[Rule, ...] = field(default=())
    tests: tuple[TestCase, ...] = ()
    name: str = ""


def localized(texts: LocalizedText, language: str) -> str:
    """Return the text in `language`, else in the other product language, else any text at all."""
    if language in texts:
        return texts[language]
    for fallback in LANGUAGES:
        if fallback in texts:
            return texts[fallback]
    return next(iter(texts.values()), "")
