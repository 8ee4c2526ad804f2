"""Compile a policy once, then check texts against it: the one entry point of the engine.

The verdict's outcome follows one rule, in this order:

1. any finding of severity block                               -> do not publish;
2. any warning under a legal/confidentiality clause            -> ask the communication team
   (the writer cannot judge alone whether the information is public or may be shared);
3. any other warning                                           -> careful;
4. no finding, or information only                             -> fine.

`check` is deterministic: the same text, policy, date, scope and language always give the same
verdict, with findings sorted by position in the original text.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from compliance_engine.custom import CustomChecker
from compliance_engine.disclosure import DisclosureChecker
from compliance_engine.links import LinkChecker
from compliance_engine.model import (
    Clause,
    CustomPatternSettings,
    DisclosureSettings,
    LinkSettings,
    PersonalDataSettings,
    Policy,
    QuietPeriodSettings,
    RiskCategory,
    Rule,
    RuleKind,
    Scope,
    Severity,
    TermListSettings,
    ToneSettings,
    localized,
)
from compliance_engine.normalize import Folded, fold, fold_term
from compliance_engine.personal_data import find_personal_data
from compliance_engine.terms import TermMatcher
from compliance_engine.tone import ToneChecker


class PolicyError(ValueError):
    """A policy that cannot be compiled; the message says which rule or clause and why."""


class Outcome(StrEnum):
    """The overall verdict shown on top of the findings."""

    FINE = "fine"
    CAREFUL = "careful"
    DO_NOT_PUBLISH = "do_not_publish"
    ASK_COMMUNICATION_TEAM = "ask_communication_team"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing found in a text, with its span [start, end) in the original text."""

    rule_id: str
    kind: RuleKind
    category: RiskCategory
    severity: Severity
    clause_id: str
    start: int
    end: int
    matched: str
    message: str
    suggestion: str
    # The term as the policy writes it, the personal data detector, "problem: domain" for a link,
    # the suggested wording for a disclosure, "category: word" for tone, the pattern for a custom rule.
    detail: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """The overall outcome and the findings, sorted by position."""

    outcome: Outcome
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    rule: Rule
    category: RiskCategory


class _TextRule(Protocol):
    """A compiled rule of the kinds that look at one text at a time: links, disclosure, tone, custom."""

    def find(self, folded: Folded) -> Iterator[tuple[int, int, str]]: ...


@dataclass(frozen=True)
class CompiledPolicy:
    """A policy ready for `check`; build it once per policy version with `compile_policy`."""

    policy: Policy
    rules: tuple[_CompiledRule, ...]
    term_matcher: TermMatcher
    text_rules: tuple[tuple[int, _TextRule], ...] = ()  # (rule index, compiled rule)


def compile_policy(policy: Policy) -> CompiledPolicy:
    """Validate a policy and compile its rules; raise `PolicyError` if it is inconsistent."""
    clauses = {clause.id: clause for clause in policy.clauses}
    _validate(policy, clauses)
    rules = tuple(_CompiledRule(rule, clauses[rule.clause_id].category) for rule in policy.rules)
    term_lists = [
        (index, rule.settings.entries)
        for index, rule in enumerate(policy.rules)
        if isinstance(rule.settings, TermListSettings | QuietPeriodSettings)
    ]
    text_rules = tuple(
        (index, text_rule)
        for index, rule in enumerate(policy.rules)
        if (text_rule := _compile_text_rule(rule)) is not None
    )
    return CompiledPolicy(policy=policy, rules=rules, term_matcher=TermMatcher(term_lists), text_rules=text_rules)


def _compile_text_rule(rule: Rule) -> _TextRule | None:
    """Compile a rule of the per-text kinds; their settings errors become a `PolicyError` naming the rule."""
    try:
        match rule.settings:
            case LinkSettings():
                return LinkChecker(rule.settings)
            case DisclosureSettings():
                return DisclosureChecker(rule.settings)
            case ToneSettings():
                return ToneChecker(rule.settings)
            case CustomPatternSettings():
                return CustomChecker(rule.settings)
            case _:
                return None
    except ValueError as error:
        raise PolicyError(f"Rule {rule.id!r}: {error}.") from error


def _validate(policy: Policy, clauses: dict[str, Clause]) -> None:
    if len(clauses) != len(policy.clauses):
        raise PolicyError("Two clauses have the same id.")
    seen: set[str] = set()
    for rule in policy.rules:
        if rule.id in seen:
            raise PolicyError(f"Two rules have the id {rule.id!r}.")
        seen.add(rule.id)
        if rule.clause_id not in clauses:
            raise PolicyError(f"Rule {rule.id!r} cites the clause {rule.clause_id!r}, which the policy does not have.")
        if not rule.scope:
            raise PolicyError(f"Rule {rule.id!r} has no scope.")
        _validate_settings(rule)


def _validate_settings(rule: Rule) -> None:
    settings = rule.settings
    if isinstance(settings, QuietPeriodSettings) and settings.end < settings.start:
        raise PolicyError(f"Quiet period {rule.id!r} ends on {settings.end} before it starts on {settings.start}.")
    if isinstance(settings, TermListSettings | QuietPeriodSettings):
        for entry in settings.entries:
            if not fold_term(entry.text):
                raise PolicyError(f"Rule {rule.id!r} has an empty term.")


def _applies(rule: Rule, scope: Scope, date: datetime.date) -> bool:
    if Scope.EVERYONE not in rule.scope and scope not in rule.scope:
        return False
    settings = rule.settings
    return not isinstance(settings, QuietPeriodSettings) or settings.start <= date <= settings.end


def check(text: str, compiled: CompiledPolicy, *, date: datetime.date, scope: Scope, language: str = "fr") -> Verdict:
    """Check a text written by someone of `scope` on `date`; messages are in `language`."""
    folded = fold(text)
    active = frozenset(index for index, item in enumerate(compiled.rules) if _applies(item.rule, scope, date))
    findings = [
        *_term_findings(folded, compiled, active, language),
        *_data_findings(folded, compiled, active, language),
        *_text_rule_findings(folded, compiled, active, language),
    ]
    findings.sort(key=lambda finding: (finding.start, finding.end, finding.rule_id))
    return Verdict(outcome=_outcome(findings), findings=tuple(findings))


def _finding(item: _CompiledRule, folded: Folded, span: tuple[int, int], detail: str, language: str) -> Finding:
    start, end = folded.original_span(*span)
    rule = item.rule
    return Finding(
        rule_id=rule.id,
        kind=rule.kind,
        category=item.category,
        severity=rule.severity,
        clause_id=rule.clause_id,
        start=start,
        end=end,
        matched=folded.original[start:end],
        message=localized(rule.message, language),
        suggestion=localized(rule.suggestion, language),
        detail=detail,
    )


def _term_findings(
    folded: Folded, compiled: CompiledPolicy, active: frozenset[int], language: str
) -> Iterator[Finding]:
    for match in compiled.term_matcher.find(folded, active):
        item = compiled.rules[match.rule_index]
        yield _finding(item, folded, (match.start, match.end), match.entry.text, language)


def _data_findings(
    folded: Folded, compiled: CompiledPolicy, active: frozenset[int], language: str
) -> Iterator[Finding]:
    data_rules = [
        (compiled.rules[index], settings.detectors)
        for index in sorted(active)
        if isinstance(settings := compiled.rules[index].rule.settings, PersonalDataSettings)
    ]
    if not data_rules:
        return
    detectors = frozenset().union(*(detectors for _, detectors in data_rules))
    for match in find_personal_data(folded.text, detectors):
        for item, rule_detectors in data_rules:
            if match.detector in rule_detectors:
                yield _finding(item, folded, (match.start, match.end), match.detector.value, language)


def _text_rule_findings(
    folded: Folded, compiled: CompiledPolicy, active: frozenset[int], language: str
) -> Iterator[Finding]:
    for index, text_rule in compiled.text_rules:
        if index not in active:
            continue
        item = compiled.rules[index]
        for start, end, detail in text_rule.find(folded):
            finding = _finding(item, folded, (start, end), detail, language)
            if item.rule.kind is RuleKind.DISCLOSURE:
                # The rule's suggestion may show the wording to add: "Ajoutez « {wording} »."
                finding = dataclasses.replace(finding, suggestion=finding.suggestion.replace("{wording}", detail))
            yield finding


def _outcome(findings: list[Finding]) -> Outcome:
    warnings = [finding for finding in findings if finding.severity is Severity.WARN]
    if any(finding.severity is Severity.BLOCK for finding in findings):
        return Outcome.DO_NOT_PUBLISH
    if any(finding.category is RiskCategory.LEGAL_CONFIDENTIALITY for finding in warnings):
        return Outcome.ASK_COMMUNICATION_TEAM
    if warnings:
        return Outcome.CAREFUL
    return Outcome.FINE
