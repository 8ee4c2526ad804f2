"""A policy's own test cases: texts that must, or must not, give the findings they name.

The application runs them at every change, and a version whose cases do not all pass is not
published (PRODUCT.md G5). Each result says, in short English sentences the application shows
as they are, what the case expected, what the engine found (rule ids and the matched text) and,
for a failed case, why.

A case without a date is checked on `DEFAULT_TEST_DATE`, 1 January 2000: the engine reads no
clock and a case must give the same result every day, so the day is fixed, and it is one that no
quiet period of a real policy covers. A case about a quiet period gives a date inside it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from compliance_engine.engine import CompiledPolicy, Outcome, Verdict, check, compile_policy
from compliance_engine.model import Policy, QuietPeriodSettings, Rule, Scope, TestCase

DEFAULT_TEST_DATE = datetime.date(2000, 1, 1)

_OUTCOME_WORDS = {
    Outcome.FINE: "fine",
    Outcome.CAREFUL: "careful",
    Outcome.DO_NOT_PUBLISH: "do not publish",
    Outcome.ASK_COMMUNICATION_TEAM: "ask the communication team",
}
_LONGEST_QUOTE = 60  # characters of a matched text quoted in a result


@dataclass(frozen=True)
class TestCaseResult:
    """The result of one test case: the verdict, and what went wrong if anything did."""

    __test__ = False  # not a pytest test class, though its name says so

    number: int  # the case's position in the policy, counted from 1
    case: TestCase
    verdict: Verdict
    problems: tuple[str, ...]  # one sentence per expectation not met; none when the case passed

    @property
    def passed(self) -> bool:
        """Whether every expectation of the case was met."""
        return not self.problems

    @property
    def expected(self) -> str:
        """What the case expects: 'Must find "projects". Outcome "do not publish".'"""
        parts = []
        if self.case.must_find:
            parts.append(f"Must find {_and(_quoted(self.case.must_find))}.")
        if self.case.must_not_find:
            parts.append(f"Must not find {_and(_quoted(self.case.must_not_find))}.")
        if self.case.outcome is not None:
            parts.append(f'Outcome "{_OUTCOME_WORDS[self.case.outcome]}".')
        return " ".join(parts)

    @property
    def found(self) -> str:
        """What the engine found: '"projects" in "Projet Atlas". Outcome "do not publish".'"""
        findings = [f'"{finding.rule_id}" in {_excerpt(finding.matched)}' for finding in self.verdict.findings]
        listed = ", ".join(findings) if findings else "No finding"
        return f'{listed}. Outcome "{_OUTCOME_WORDS[self.verdict.outcome]}".'

    @property
    def summary(self) -> str:
        """One line: "Test 3 passed." or "Test 3 failed: ..." with every problem."""
        if self.passed:
            return f"Test {self.number} passed."
        return f"Test {self.number} failed: {' '.join(self.problems)}"


def run_test_cases(policy: Policy, compiled: CompiledPolicy | None = None) -> tuple[TestCaseResult, ...]:
    """Run every test case of a policy, in order; pass `compiled` if the policy is compiled already.

    Raise `PolicyError` if the policy does not compile, and `ValueError` if `compiled` is another policy's.
    """
    if compiled is None:
        compiled = compile_policy(policy)
    elif compiled.policy is not policy and compiled.policy != policy:
        raise ValueError("The compiled policy given is not the policy whose test cases are run.")
    return tuple(_run(number, case, policy, compiled) for number, case in enumerate(policy.tests, 1))


def _run(number: int, case: TestCase, policy: Policy, compiled: CompiledPolicy) -> TestCaseResult:
    date = case.date or DEFAULT_TEST_DATE
    verdict = check(case.text, compiled, date=date, scope=case.scope, language=case.language)
    rules = {rule.id: rule for rule in policy.rules}
    problems = []
    for rule_id in case.must_find:
        if not _matches(verdict, rule_id):
            problems.append(f'"{rule_id}" was not found{_why_inactive(rules[rule_id], case)}.')
    for rule_id in case.must_not_find:
        if matches := _matches(verdict, rule_id):
            problems.append(f'"{rule_id}" was found in {_and([_excerpt(match) for match in matches])}.')
    if case.outcome is not None and verdict.outcome is not case.outcome:
        problems.append(f'The outcome is "{_OUTCOME_WORDS[verdict.outcome]}", not "{_OUTCOME_WORDS[case.outcome]}".')
    return TestCaseResult(number=number, case=case, verdict=verdict, problems=tuple(problems))


def _matches(verdict: Verdict, rule_id: str) -> list[str]:
    """The texts a rule matched, each once, in the order of the text."""
    return list(dict.fromkeys(finding.matched for finding in verdict.findings if finding.rule_id == rule_id))


def _why_inactive(rule: Rule, case: TestCase) -> str:
    """Why a rule could not find anything in this case, if it did not apply at all: its scope or its dates."""
    if Scope.EVERYONE not in rule.scope and case.scope not in rule.scope:
        scopes = _and([scope.value for scope in Scope if scope in rule.scope])
        return f": it applies to {scopes}, and the test is written as {case.scope.value}"
    settings = rule.settings
    date = case.date or DEFAULT_TEST_DATE
    if isinstance(settings, QuietPeriodSettings) and not settings.start <= date <= settings.end:
        when = f"the test's date, {date}, is" if case.date else f"the test has no date and is checked on {date},"
        return f": {when} outside its quiet period ({settings.start} to {settings.end})"
    return ""


def _quoted(texts: Sequence[str]) -> list[str]:
    return [f'"{text}"' for text in texts]


def _excerpt(text: str) -> str:
    if len(text) > _LONGEST_QUOTE:
        text = text[: _LONGEST_QUOTE - 1] + "…"
    return f'"{text}"'


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
