"""Compile a policy once, then check texts against it: the one entry point of the engine.

The verdict's outcome follows one rule, in this order:

1. any finding of severity block                               -> do not publish;
2. any warning under a legal/confidentiality clause            -> ask the communication team
   (the writer cannot judge alone whether the information is public or may be shared);
3. any other warning                                           -> careful;
4. no finding, or information only                             -> fine.

`check` is deterministic: the same text, policy, date, scope and language always give the same
verdict, with findings sorted by position in the original text.

`check` runs on every keystroke, so whatever does not depend on the text is done beforehand:
`compile_policy` puts every phrase of the policy (terms, quiet periods, the tone lexicon,
disclosure cues and wordings) into one automaton read in one pass, and which rules apply to a
scope on a date, and what each rule's findings say in a language, are worked out once. What
depends on a piece of the text only (what a link rule makes of a host, whether a number passes
its checksums, how a character outside the code page folds) is remembered across checks, in
bounded caches: the same post comes back on every keystroke. benchmarks/engine.py measures the
result.
"""

from __future__ import annotations

import dataclasses
import datetime
import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from compliance_engine import normalize, personal_data
from compliance_engine.custom import CustomChecker
from compliance_engine.disclosure import PRESENCE_GROUPS, DisclosureChecker
from compliance_engine.links import LinkChecker
from compliance_engine.model import (
    Clause,
    CustomPatternSettings,
    Detector,
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
    TermEntry,
    TermListSettings,
    ToneSettings,
    localized,
)
from compliance_engine.normalize import Folded, fold, fold_term
from compliance_engine.personal_data import find_personal_data
from compliance_engine.terms import TermMatch, TermMatcher
from compliance_engine.tone import ToneChecker
from compliance_engine.tone import lexicon as tone_lexicon


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


class _FindingBuilder:
    """The slots of a `Finding` without its frozen `__setattr__`: `_finding` fills them in, then changes the class.

    A frozen dataclass sets each field through `object.__setattr__`, three times the cost of the
    whole rest of building it. An instance of this class, with the very same slots, filled in, can
    become a `Finding` by changing its class; the result is an ordinary, frozen `Finding`. (It has
    no `__init__`: setting the slots in `_finding` after `object.__new__` takes a quarter less than
    calling the class with eleven arguments.)
    """

    __slots__ = Finding.__slots__  # typed as `Finding`'s: the builders are `Any` where filled in


assert _FindingBuilder.__slots__ == tuple(field.name for field in dataclasses.fields(Finding))


@dataclass(frozen=True, slots=True)
class Verdict:
    """The overall outcome and the findings, sorted by position."""

    outcome: Outcome
    findings: tuple[Finding, ...]


class _VerdictBuilder:
    """The slots of a `Verdict`, filled in and turned into one the way `_FindingBuilder` becomes a `Finding`."""

    __slots__ = Verdict.__slots__


assert _VerdictBuilder.__slots__ == tuple(field.name for field in dataclasses.fields(Verdict))


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    rule: Rule
    category: RiskCategory
    kind: RuleKind


# (rule id, kind, category, severity, clause id, message, suggestion) of a rule's findings in one language
type _FindingParts = tuple[str, RuleKind, RiskCategory, Severity, str, str, str]


class _TextRule(Protocol):
    """A compiled rule of the kinds that look at one text at a time: links, disclosure, tone, custom."""

    def find(self, folded: Folded) -> Iterable[tuple[int, int, str]]: ...


# The owner of the tone lexicon's phrases, which every tone rule shares.
_TONE_LEXICON = -1
# Plans are few (a scope, a date and a language each); a long-running process starts afresh past
# this many.
_MOST_PLANS = 64


class _PhraseRule(Protocol):
    """A per-text rule whose phrases are in the policy's automaton: it judges their matches."""

    def judge(self, folded: Folded, matches: Sequence[TermMatch]) -> Iterator[tuple[int, int, str]]: ...


@dataclass(frozen=True, slots=True)
class _Plan:
    """What applies to one writer's scope on one date, in their language, worked out once and reused for every text."""

    parts: tuple[_FindingParts, ...]  # what every finding of each rule says in the language, by rule index

    term_groups: frozenset[int]  # the automaton's groups to report: term rules, then phrases
    first_only: frozenset[int]  # of those, the phrases whose first match is enough (disclosure markers)
    data_rules: tuple[tuple[int, frozenset[Detector]], ...]  # (rule index, detectors)
    detectors: frozenset[Detector]  # of all those rules
    text_rules: tuple[tuple[int, _TextRule], ...]  # (rule index, compiled rule) of links and custom rules
    phrase_rules: tuple[tuple[int, _PhraseRule, int], ...]  # (rule index, compiled rule, owner of its phrases)


@dataclass(frozen=True)
class CompiledPolicy:
    """A policy ready for `check`; build it once per policy version with `compile_policy`.

    One Aho-Corasick automaton holds every phrase to look for: the terms of the term rules and
    quiet periods (their group is their rule index), then the tone lexicon and the disclosure
    rules' phrases, whose groups `phrase_owners` maps back to (owner, the rule's own group).
    """

    policy: Policy
    rules: tuple[_CompiledRule, ...]
    term_matcher: TermMatcher
    text_rules: tuple[tuple[int, _TextRule], ...] = ()  # (rule index, compiled rule)
    phrase_owners: tuple[tuple[int, int], ...] = ()  # (rule index or _TONE_LEXICON, group)
    _plans: dict[tuple[Scope, datetime.date, str], _Plan] = field(default_factory=dict, compare=False, repr=False)

    def _plan_for(self, scope: Scope, date: datetime.date, language: str) -> _Plan:
        """The rules that apply to `scope` on `date` and their words in `language`, worked out once for the three."""
        plan = self._plans.get((scope, date, language))
        if plan is None:
            if len(self._plans) >= _MOST_PLANS:
                self._plans.clear()
            plan = self._plans[scope, date, language] = self._make_plan(scope, date, language)
        return plan

    def _make_plan(self, scope: Scope, date: datetime.date, language: str) -> _Plan:
        active = frozenset(index for index, item in enumerate(self.rules) if _applies(item.rule, scope, date))
        text_rules = tuple((index, text_rule) for index, text_rule in self.text_rules if index in active)
        phrase_rules = tuple(
            (index, text_rule, index if isinstance(text_rule, DisclosureChecker) else _TONE_LEXICON)
            for index, text_rule in text_rules
            if isinstance(text_rule, DisclosureChecker | ToneChecker)
        )
        owners = {owner for _, _, owner in phrase_rules}
        phrase_groups = {
            len(self.rules) + offset for offset, (owner, _) in enumerate(self.phrase_owners) if owner in owners
        }
        first_only = frozenset(
            len(self.rules) + offset
            for offset, (owner, group) in enumerate(self.phrase_owners)
            if owner in owners and owner != _TONE_LEXICON and group in PRESENCE_GROUPS
        )
        data_rules = tuple(
            (index, settings.detectors)
            for index in sorted(active)
            if isinstance(settings := self.rules[index].rule.settings, PersonalDataSettings)
        )
        parts = tuple(
            (
                item.rule.id,
                item.kind,
                item.category,
                item.rule.severity,
                item.rule.clause_id,
                localized(item.rule.message, language),
                localized(item.rule.suggestion, language),
            )
            for item in self.rules
        )
        return _Plan(
            parts=parts,
            term_groups=frozenset(index for index in active if self.rules[index].kind in _TERM_KINDS) | phrase_groups,
            first_only=first_only,
            data_rules=data_rules,
            detectors=frozenset().union(*(detectors for _, detectors in data_rules)),
            text_rules=tuple(
                (index, text_rule)
                for index, text_rule in text_rules
                if not isinstance(text_rule, DisclosureChecker | ToneChecker)
            ),
            phrase_rules=phrase_rules,
        )


_TERM_KINDS = frozenset({RuleKind.TERMS, RuleKind.QUIET_PERIOD})


def compile_policy(policy: Policy) -> CompiledPolicy:
    """Validate a policy and compile its rules; raise `PolicyError` if it is inconsistent."""
    clauses = {clause.id: clause for clause in policy.clauses}
    _validate(policy, clauses)
    rules = tuple(_CompiledRule(rule, clauses[rule.clause_id].category, rule.kind) for rule in policy.rules)
    text_rules = tuple(
        (index, text_rule)
        for index, rule in enumerate(policy.rules)
        if (text_rule := _compile_text_rule(rule)) is not None
    )
    term_lists: list[tuple[int, Sequence[TermEntry]]] = [
        (index, rule.settings.entries)
        for index, rule in enumerate(policy.rules)
        if isinstance(rule.settings, TermListSettings | QuietPeriodSettings)
    ]
    phrase_owners = _phrase_lists(text_rules)
    term_lists += [(len(rules) + offset, entries) for offset, (_, _, entries) in enumerate(phrase_owners)]
    return CompiledPolicy(
        policy=policy,
        rules=rules,
        term_matcher=TermMatcher(term_lists),
        text_rules=text_rules,
        phrase_owners=tuple((owner, group) for owner, group, _ in phrase_owners),
    )


def _phrase_lists(text_rules: Sequence[tuple[int, _TextRule]]) -> list[tuple[int, int, tuple[TermEntry, ...]]]:
    """(owner, group, entries) of the phrases of tone and disclosure rules, the shared lexicon once."""
    lists: list[tuple[int, int, tuple[TermEntry, ...]]] = []
    if any(isinstance(text_rule, ToneChecker) for _, text_rule in text_rules):
        lists += [(_TONE_LEXICON, group, entries) for group, entries in tone_lexicon()]
    for index, text_rule in text_rules:
        if isinstance(text_rule, DisclosureChecker):
            lists += [(index, group, entries) for group, entries in text_rule.term_lists]
    return lists


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
    plan = compiled._plan_for(scope, date, language)
    parts = plan.parts
    findings: list[Finding] = []
    phrase_matches: dict[int, list[TermMatch]] | None = None
    if plan.term_groups:
        matches = compiled.term_matcher.find(folded, plan.term_groups, plan.first_only)
        if matches:  # nine texts in ten
            phrase_matches = _add_terms(findings, parts, folded, matches, compiled.phrase_owners)
    if plan.data_rules:
        encoded = folded.text.encode("ascii", "replace")  # read by both: encoding a post with emoji costs
        if _may_hold_personal_data(encoded):
            _add_personal_data(findings, plan, folded, encoded)
    for index, text_rule in plan.text_rules:
        for start, end, detail in text_rule.find(folded):
            findings.append(_finding(parts[index], folded, start, end, detail))
    for index, phrase_rule, owner in plan.phrase_rules:
        phrases = phrase_matches.get(owner, ()) if phrase_matches else ()
        if not phrases and owner == _TONE_LEXICON:  # a tone rule judges its phrases only: none, nothing to do
            continue
        for start, end, detail in phrase_rule.judge(folded, phrases):
            findings.append(_finding(parts[index], folded, start, end, detail))
    return _verdict(findings) if findings else _NOTHING_FOUND


def forget_texts() -> None:
    """Forget what checks remembered about pieces of texts (numbers, characters outside the code page).

    Checks then cost what they cost on a text never seen before: benchmarks/engine.py measures
    both cases. What a compiled policy worked out for a scope, a date or a language is kept.
    """
    normalize.forget()
    personal_data.forget()


def _finding(parts: _FindingParts, folded: Folded, start: int, end: int, detail: str) -> Finding:
    """A finding of the rule that says `parts`, at a span of the folded view."""
    finding: Any = _new_object(_FindingBuilder)
    (
        finding.rule_id,
        finding.kind,
        finding.category,
        finding.severity,
        finding.clause_id,
        finding.message,
        finding.suggestion,
    ) = parts
    if folded.starts:
        start, end = folded.original_span(start, end)
    finding.start = start
    finding.end = end
    finding.matched = folded.original[start:end]
    finding.detail = detail
    if finding.kind is RuleKind.DISCLOSURE:
        # The rule's suggestion may show the wording to add: "Ajoutez « {wording} »."
        finding.suggestion = finding.suggestion.replace("{wording}", detail)
    finding.__class__ = Finding  # same slots: Python allows the change
    return finding  # type: ignore[no-any-return]  # a Finding now (`typing.cast` would cost a function call)


def _add_terms(
    findings: list[Finding],
    parts: tuple[_FindingParts, ...],
    folded: Folded,
    matches: Sequence[TermMatch],
    phrase_owners: tuple[tuple[int, int], ...],
) -> dict[int, list[TermMatch]]:
    """Add the findings of term rules; return the phrases' matches by owner, in their own groups."""
    phrase_matches: dict[int, list[TermMatch]] = {}
    first_phrase = len(parts)  # the automaton's groups: one per rule, then the phrases'
    for rule_index, entry, start, end in matches:
        if rule_index < first_phrase:
            findings.append(_finding(parts[rule_index], folded, start, end, entry.text))
        else:
            owner, group = phrase_owners[rule_index - first_phrase]
            in_group = _new_tuple(TermMatch, (group, entry, start, end))
            phrases = phrase_matches.get(owner)
            if phrases is None:
                phrase_matches[owner] = [in_group]
            else:
                phrases.append(in_group)
    return phrase_matches


def _add_personal_data(findings: list[Finding], plan: _Plan, folded: Folded, encoded: bytes) -> None:
    """Add the findings of personal data rules; `encoded` is the folded text as ASCII, "?" for the rest."""
    for match in find_personal_data(folded.text, plan.detectors, encoded):
        for index, detectors in plan.data_rules:
            if match.detector in detectors:
                findings.append(_finding(plan.parts[index], folded, match.start, match.end, match.detector.value))


def _verdict(findings: list[Finding]) -> Verdict:
    """The verdict on findings, which it sorts by position."""
    if len(findings) > 2 or (len(findings) == 2 and findings[1].start <= findings[0].start):
        # Two findings in the order of their starts need no sort: half the texts with findings.
        findings.sort(key=_POSITION)
    verdict: Any = _new_object(_VerdictBuilder)
    verdict.outcome = _outcome(findings)
    verdict.findings = tuple(findings)
    verdict.__class__ = Verdict  # same slots: Python allows the change
    return verdict  # type: ignore[no-any-return]  # a Verdict now


_POSITION = operator.attrgetter("start", "end", "rule_id")
# The verdict on a text with no finding, three texts in ten: immutable, it is built once.
_NOTHING_FOUND = Verdict(Outcome.FINE, ())
_new_object = object.__new__
# Builds a named tuple without its `__new__`, which is written in Python: half the cost.
_new_tuple = tuple.__new__


# Every byte to itself, but the ASCII digits, "@" and opening brackets to a byte outside ASCII.
_MARK_STARTS = bytes(byte | 0x80 if ord("0") <= byte <= ord("9") or byte in b"@[({<" else byte for byte in range(256))


def _may_hold_personal_data(encoded: bytes) -> bool:
    """Whether a folded text, encoded as ASCII with "?" for the rest, has what every personal data detector starts from.

    Numbers (phones, IBANs, NIRs, cards) start from ASCII digits, which the folded view has for
    every kind of digit the detectors read; e-mail addresses from an "@" or, written "[at]", a
    bracket. Two texts in three have none of them and skip the detectors, which cost more than
    the rest of a check for a short post. A detector that starts from anything else must be
    added here (test_engine.py checks this against the labelled corpus).
    """
    # One pass for all of them. A table that deletes no byte translates twice as fast as one that
    # deletes all the others (0.35 against 0.65 us for 400 characters); comparing is a memcmp.
    return encoded.translate(_MARK_STARTS) != encoded


def _outcome(findings: list[Finding]) -> Outcome:
    outcome = Outcome.FINE
    for finding in findings:
        if finding.severity is Severity.BLOCK:
            return Outcome.DO_NOT_PUBLISH
        if finding.severity is Severity.WARN and outcome is not Outcome.ASK_COMMUNICATION_TEAM:
            is_legal = finding.category is RiskCategory.LEGAL_CONFIDENTIALITY
            outcome = Outcome.ASK_COMMUNICATION_TEAM if is_legal else Outcome.CAREFUL
    return outcome
