"""`dumps`: a policy written as its canonical text, the same text for the same policy, always."""

from __future__ import annotations

from collections.abc import Iterator

from compliance_engine.model import LANGUAGES, Clause, LocalizedText, Policy, Rule, Scope, TestCase
from compliance_engine.policyfile.errors import ErrorCode, PolicyFileError
from compliance_engine.policyfile.kinds import settings_lines
from compliance_engine.policyfile.table import FORMAT
from compliance_engine.policyfile.values import enum_list, inline_list, toml_string

_HEADER = "# A Porte-Voix policy. docs/policy-format.md explains every key."


def dumps(policy: Policy) -> str:
    """Write a policy as its canonical text: the same policy always gives the same text."""
    lines = [_HEADER, f"format = {toml_string(FORMAT)}"]
    if policy.name:
        lines.append(f"name = {toml_string(policy.name)}")
    for clause in policy.clauses:
        lines += ["", "[[clause]]", *_clause_lines(clause)]
    for rule in policy.rules:
        lines += ["", "[[rule]]", *_rule_lines(rule)]
    for case in policy.tests:
        lines += ["", "[[test]]", *_test_lines(case)]
    return "\n".join(lines) + "\n"


def _localized_lines(key: str, texts: LocalizedText) -> Iterator[str]:
    for language in texts:
        if language not in LANGUAGES:
            raise PolicyFileError(ErrorCode.UNWRITABLE_LANGUAGE, {"language": language, "languages": LANGUAGES})
    for language in LANGUAGES:
        if language in texts:
            yield f"{key}.{language} = {toml_string(texts[language])}"


def _clause_lines(clause: Clause) -> Iterator[str]:
    yield f"id = {toml_string(clause.id)}"
    yield f"category = {toml_string(clause.category.value)}"
    yield from _localized_lines("title", clause.title)


def _rule_lines(rule: Rule) -> Iterator[str]:
    yield f"id = {toml_string(rule.id)}"
    yield f"kind = {toml_string(rule.kind.value)}"
    yield f"clause = {toml_string(rule.clause_id)}"
    yield f"severity = {toml_string(rule.severity.value)}"
    yield f"scope = {enum_list(rule.scope)}"
    yield from _localized_lines("message", rule.message)
    yield from _localized_lines("suggestion", rule.suggestion)
    yield from settings_lines(rule.settings, rule.kind)


def _test_lines(case: TestCase) -> Iterator[str]:
    if case.note:
        yield f"note = {toml_string(case.note)}"
    yield f"text = {toml_string(case.text)}"
    if case.date is not None:
        yield f"date = {case.date.isoformat()}"
    if case.scope is not Scope.EVERYONE:
        yield f"scope = {toml_string(case.scope.value)}"
    if case.language != "fr":
        yield f"language = {toml_string(case.language)}"
    if case.must_find:
        yield f"must_find = {inline_list(case.must_find)}"
    if case.must_not_find:
        yield f"must_not_find = {inline_list(case.must_not_find)}"
    if case.outcome is not None:
        yield f"outcome = {toml_string(case.outcome.value)}"
