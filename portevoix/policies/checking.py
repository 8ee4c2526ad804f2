"""What a check tells a person, the same in the page, the REST API and the command line.

The engine returns codes and offsets; this module adds what a reader needs: labels in their
language, the title of the clause each finding cites, the line and column, and the text cut into
pieces for highlighting. It never touches the database, so the command line can use it on a
policy file alone.
"""

import dataclasses
import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance_engine import CompiledPolicy, Finding, Outcome, PolicyError, Verdict, check, compile_policy
from compliance_engine.model import (
    Detector,
    LinkProblem,
    Policy,
    RiskCategory,
    RuleKind,
    Scope,
    Severity,
    ToneCategory,
    localized,
)
from compliance_engine.policyfile import PolicyFileError, loads

# The longest text a check accepts, in characters: far above any network's limit (LinkedIn's
# 3,000), and low enough that a check stays a few milliseconds.
MAX_TEXT_LENGTH = 20_000

OUTCOME_LABELS: dict[Outcome, Promise] = {
    Outcome.FINE: _("Fine"),
    Outcome.CAREFUL: _("Careful"),
    Outcome.DO_NOT_PUBLISH: _("Do not publish"),
    Outcome.ASK_COMMUNICATION_TEAM: _("Ask the communication team"),
}
OUTCOME_EXPLANATIONS: dict[Outcome, Promise] = {
    Outcome.FINE: _("Nothing in this text goes against your organisation's policy."),
    Outcome.CAREFUL: _("You may publish it, but read the warnings below first."),
    Outcome.DO_NOT_PUBLISH: _("This text must not be published as it is: change what is marked “Block”."),
    Outcome.ASK_COMMUNICATION_TEAM: _(
        "This text may contain information that is not public: ask the communication team before you publish it."
    ),
}
SEVERITY_LABELS: dict[Severity, Promise] = {
    Severity.BLOCK: _("Block"),
    Severity.WARN: _("Warning"),
    Severity.INFO: _("Information"),
}
CATEGORY_LABELS: dict[RiskCategory, Promise] = {
    RiskCategory.REPUTATION: _("Reputation"),
    RiskCategory.COMPETITION: _("Competition"),
    RiskCategory.LEGAL_CONFIDENTIALITY: _("Legal and confidentiality"),
    RiskCategory.SECURITY: _("Security"),
    RiskCategory.PRODUCTIVITY: _("Productivity"),
}
KIND_LABELS: dict[RuleKind, Promise] = {
    RuleKind.TERMS: _("Term list"),
    RuleKind.QUIET_PERIOD: _("Quiet period"),
    RuleKind.PERSONAL_DATA: _("Personal data"),
    RuleKind.LINKS: _("Links"),
    RuleKind.DISCLOSURE: _("Disclosure"),
    RuleKind.TONE: _("Tone"),
    RuleKind.CUSTOM: _("Custom patterns"),
}
# What each kind of rule protects against, for the reader of a finding whose policy says no more
# than its message: generic on purpose, never a claim about a particular organisation's policy.
KIND_EXPLANATIONS: dict[RuleKind, Promise] = {
    RuleKind.TERMS: _(
        "Your organisation lists this term among those not to name in public (a confidential project, a code name, "
        "a client, a competitor…): naming it may reveal what is not public yet."
    ),
    RuleKind.QUIET_PERIOD: _(
        "The post would be published during a quiet period, before results or an announcement: what is said then "
        "about the business, its figures or its outlook may be read as inside information or as a forecast."
    ),
    RuleKind.PERSONAL_DATA: _(
        "This looks like personal data (a phone number, an e-mail address, an identifier…): publishing it without "
        "the person's consent exposes them and breaks data protection law."
    ),
    RuleKind.LINKS: _(
        "Readers cannot always tell where a link leads: shortened, unknown or forbidden addresses may lead to "
        "harmful or internal pages."
    ),
    RuleKind.DISCLOSURE: _(
        "When you speak about your employer or its products, readers must be told that you work there: otherwise "
        "the post reads as hidden advertising."
    ),
    RuleKind.TONE: _(
        "Insulting, threatening or aggressive words hurt the people they target, and reflect on you and on your "
        "organisation."
    ),
    RuleKind.CUSTOM: _("A rule your organisation wrote for its own needs: the clause it cites says what it protects."),
}
# What the finding's detail is, for each kind of rule (see `Finding.detail`).
DETAIL_LABELS: dict[RuleKind, Promise] = {
    RuleKind.TERMS: _("Term in the policy"),
    RuleKind.QUIET_PERIOD: _("Term in the policy"),
    RuleKind.PERSONAL_DATA: _("Kind of data"),
    RuleKind.LINKS: _("Problem with the link"),
    RuleKind.DISCLOSURE: _("Wording to add"),
    RuleKind.TONE: _("Tone"),
    RuleKind.CUSTOM: _("Pattern"),
}
# The codes a finding's detail starts with, in the reader's words: "phone", "shortener: bit.ly",
# "insult: crétin" (see `Finding.detail`).
DETAIL_CODES: dict[str, Promise] = {
    Detector.EMAIL: _("E-mail address"),
    Detector.PHONE: _("Phone number"),
    Detector.IBAN: _("Bank account number (IBAN)"),
    Detector.NIR: _("French social security number"),
    Detector.CARD: _("Payment card number"),
    LinkProblem.BLOCKED: _("Forbidden address"),
    LinkProblem.LOOKALIKE: _("Address imitating a known one"),
    LinkProblem.SHORTENER: _("Shortened link"),
    LinkProblem.NOT_ALLOWED: _("Address not on the allowed list"),
    ToneCategory.INSULT: _("Insult aimed at a person"),
    ToneCategory.THREAT: _("Threat"),
    ToneCategory.HARASSMENT: _("Harassment"),
}
_CODED_DETAILS = {RuleKind.PERSONAL_DATA, RuleKind.LINKS, RuleKind.TONE}
SEVERITY_MEANINGS: dict[Severity, Promise] = {
    Severity.BLOCK: _("The post must not be published until this is changed."),
    Severity.WARN: _("You may publish, but think again about this part first."),
    Severity.INFO: _("Nothing to change: just something to know."),
}
SCOPE_LABELS: dict[Scope, Promise] = {
    Scope.EVERYONE: _("As myself"),
    Scope.AMBASSADORS: _("As an ambassador"),
    Scope.OFFICIAL: _("For an official account"),
}
# Strongest first: a piece of text covered by several findings takes the colour of the strongest.
_SEVERITY_RANK = {Severity.BLOCK: 0, Severity.WARN: 1, Severity.INFO: 2}


class CheckInputError(ValueError):
    """A policy file that cannot be read or compiled; the message says what and where."""


@dataclasses.dataclass(frozen=True)
class ReportedFinding:
    """A finding with its number in the list and everything needed to read it, in one language."""

    number: int
    finding: Finding
    clause_title: str
    line: int
    column: int
    severity_label: str
    category_label: str
    kind_label: str

    # In the active language, as the page renders it: a report kept with a request (asks) is read
    # again later, and these come from the rule kind and severity alone, never from the policy.
    @property
    def explanation(self) -> str:
        """What this kind of rule protects against."""
        return str(KIND_EXPLANATIONS[self.finding.kind])

    @property
    def severity_meaning(self) -> str:
        """What the severity means for the post."""
        return str(SEVERITY_MEANINGS[self.finding.severity])

    @property
    def detail_label(self) -> str:
        """What the finding's detail is (the term as the policy writes it, the kind of data, …)."""
        return str(DETAIL_LABELS[self.finding.kind])

    @property
    def detail_text(self) -> str:
        """The finding's detail with its code in the reader's words; other details as the policy writes them."""
        detail = self.finding.detail
        if self.finding.kind not in _CODED_DETAILS:
            return detail
        code, separator, rest = detail.partition(": ")
        label = DETAIL_CODES.get(code)
        if label is None:
            return detail
        return gettext("%(label)s: %(value)s") % {"label": label, "value": rest} if separator else str(label)


@dataclasses.dataclass(frozen=True)
class CheckReport:
    """A verdict as a reader sees it; labels are already in `language`."""

    outcome: Outcome
    outcome_label: str
    outcome_explanation: str
    findings: tuple[ReportedFinding, ...]
    policy_version: int | None  # None for a policy read from a file
    language: str
    scope: Scope
    date: datetime.date

    @property
    def blocks(self) -> bool:
        """Whether a finding stops the post from being published."""
        return any(item.finding.severity is Severity.BLOCK for item in self.findings)


@dataclasses.dataclass(frozen=True)
class Piece:
    """A piece of the checked text, in order: plain text, highlighted text, or a finding's label.

    Labels follow the text they mark, so a highlight is never told by its colour alone.
    """

    text: str = ""
    severity: Severity | None = None  # the strongest finding covering this text, if any
    numbers: tuple[int, ...] = ()  # the findings covering this text
    label: ReportedFinding | None = None


def report(
    verdict: Verdict,
    policy: Policy,
    *,
    text: str,
    language: str,
    scope: Scope,
    date: datetime.date,
    policy_version: int | None,
) -> CheckReport:
    """Turn a verdict into what a reader sees, in `language`."""
    titles = {clause.id: localized(clause.title, language) for clause in policy.clauses}
    with translation.override(language):
        findings = tuple(
            ReportedFinding(
                number=number,
                finding=finding,
                clause_title=titles.get(finding.clause_id, ""),
                line=line,
                column=column,
                severity_label=str(SEVERITY_LABELS[finding.severity]),
                category_label=str(CATEGORY_LABELS[finding.category]),
                kind_label=str(KIND_LABELS[finding.kind]),
            )
            for number, finding in enumerate(verdict.findings, start=1)
            for line, column in [line_and_column(text, finding.start)]
        )
        return CheckReport(
            outcome=verdict.outcome,
            outcome_label=str(OUTCOME_LABELS[verdict.outcome]),
            outcome_explanation=str(OUTCOME_EXPLANATIONS[verdict.outcome]),
            findings=findings,
            policy_version=policy_version,
            language=language,
            scope=scope,
            date=date,
        )


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """Where `offset` falls in `text`: its line and column, both from 1, as an editor counts them."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def null_character_position(text: str) -> tuple[int, int] | None:
    """The line and column of the first null character (U+0000) in `text`, if any.

    Such a text is refused everywhere instead of being checked: PostgreSQL cannot store it (an
    archived draft would fail), and every other form of Porte-Voix refuses it, so a post checked
    "fine" could go no further anyway.
    """
    offset = text.find("\x00")
    return None if offset < 0 else line_and_column(text, offset)


def null_character_message(line: int, column: int) -> str:
    """Why a text with a null character is not checked, and where to find that invisible character."""
    return gettext(
        "The text holds an invisible null character (U+0000) at line %(line)s, column %(column)s: it cannot be "
        "published or kept. Delete it (it often comes with text pasted from a file) and try again."
    ) % {"line": line, "column": column}


def pieces(text: str, findings: Iterable[ReportedFinding]) -> list[Piece]:
    """Cut `text` at every finding's start and end; findings may overlap or be empty."""
    items = sorted(findings, key=lambda item: (item.finding.start, item.finding.end))
    bounds = sorted(
        {0, len(text)}
        | {min(max(item.finding.start, 0), len(text)) for item in items}
        | {min(max(item.finding.end, 0), len(text)) for item in items}
    )
    result: list[Piece] = []
    for index, position in enumerate(bounds):
        # Labels of findings ending here come before the next piece of text.
        result.extend(Piece(label=item) for item in items if min(item.finding.end, len(text)) == position)
        if index + 1 == len(bounds):
            break
        end = bounds[index + 1]
        covering = [item for item in items if item.finding.start <= position and item.finding.end >= end]
        strongest = min((item.finding.severity for item in covering), key=_SEVERITY_RANK.__getitem__, default=None)
        result.append(
            Piece(text=text[position:end], severity=strongest, numbers=tuple(item.number for item in covering))
        )
    return result


def report_data(checked: CheckReport) -> dict[str, Any]:
    """The report as JSON-ready data: the body of the API's answer and of `portevoix check --format json`."""
    return {
        "outcome": checked.outcome.value,
        "outcome_label": checked.outcome_label,
        "blocks": checked.blocks,
        "policy_version": checked.policy_version,
        "language": checked.language,
        "scope": checked.scope.value,
        "date": checked.date.isoformat(),
        "findings": [
            {
                "number": item.number,
                "rule_id": item.finding.rule_id,
                "kind": item.finding.kind.value,
                "kind_label": item.kind_label,
                "category": item.finding.category.value,
                "category_label": item.category_label,
                "severity": item.finding.severity.value,
                "severity_label": item.severity_label,
                "clause_id": item.finding.clause_id,
                "clause_title": item.clause_title,
                "start": item.finding.start,
                "end": item.finding.end,
                "line": item.line,
                "column": item.column,
                "matched": item.finding.matched,
                "message": item.finding.message,
                "suggestion": item.finding.suggestion,
                "detail": item.finding.detail,
            }
            for item in checked.findings
        ],
    }


def compile_policy_file(source: str) -> CompiledPolicy:
    """Read and compile a policy file without any database; `CheckInputError` says what is wrong."""
    try:
        return compile_policy(loads(source))
    except (PolicyFileError, PolicyError) as error:  # unreadable, or a rule citing a missing clause...
        raise CheckInputError(str(error)) from error


def check_with_policy(
    text: str,
    compiled: CompiledPolicy,
    *,
    date: datetime.date,
    scope: Scope,
    language: str,
    policy_version: int | None,
) -> CheckReport:
    """Check a text against a compiled policy and report it; nothing is counted or stored."""
    verdict = check(text, compiled, date=date, scope=scope, language=language)
    return report(
        verdict,
        compiled.policy,
        text=text,
        language=language,
        scope=scope,
        date=date,
        policy_version=policy_version,
    )
