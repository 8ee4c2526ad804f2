"""A policy's own test cases: texts that must, or must not, give the findings they name.

The application runs them at every change, and a version whose cases do not all pass is not
published (PRODUCT.md G5). Each result says, in short English sentences, what the case expected,
what the engine found (rule ids and the matched text) and, for a failed case, why.

Each reason a case failed is a `Problem`: a stable `code` and its `params` (rule ids, quoted
matches, dates, scope and outcome values), all plain texts, so that the application can store it
as JSON and say it in the reader's language, and its `str()` is the English sentence. A new
reason needs a new `ProblemCode`, and the application's translation of it.

A case without a date is checked on `DEFAULT_TEST_DATE`, 1 January 2000: the engine reads no
clock and a case must give the same result every day, so the day is fixed, and it is one that no
quiet period of a real policy covers. A case about a quiet period gives a date inside it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

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


class ProblemCode(StrEnum):
    """Why a test case failed; stored by the application, so a code never changes its meaning."""

    NOT_FOUND = "not_found"  # rule
    NOT_FOUND_OUT_OF_SCOPE = "not_found_out_of_scope"  # rule, rule_scopes, test_scope
    NOT_FOUND_OUTSIDE_QUIET_PERIOD = "not_found_outside_quiet_period"  # rule, date, start, end
    NOT_FOUND_UNDATED_OUTSIDE_QUIET_PERIOD = "not_found_undated_outside_quiet_period"  # rule, date, start, end
    FOUND = "found"  # rule, matches
    WRONG_OUTCOME = "wrong_outcome"  # outcome, expected_outcome


type ProblemParam = str | tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """One expectation of a test case not met: a stable code and its parameters, `str()` in English.

    Parameters are texts or tuples of texts: rule ids, matched texts already shortened for quoting
    (without quotes), ISO dates, and the values of `Scope` and `Outcome`.
    """

    code: ProblemCode
    params: Mapping[str, ProblemParam] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        """The problem as one English sentence."""
        return _english(self.code, self.params)


@dataclass(frozen=True)
class TestCaseResult:
    """The result of one test case: the verdict, and what went wrong if anything did."""

    __test__ = False  # not a pytest test class, though its name says so

    number: int  # the case's position in the policy, counted from 1
    case: TestCase
    verdict: Verdict
    problems: tuple[Problem, ...]  # one per expectation not met; none when the case passed

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
        return f"Test {self.number} failed: {' '.join(str(problem) for problem in self.problems)}"


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
            problems.append(_not_found(rules[rule_id], case))
    for rule_id in case.must_not_find:
        if matches := _matches(verdict, rule_id):
            problems.append(Problem(ProblemCode.FOUND, {"rule": rule_id, "matches": tuple(map(_shortened, matches))}))
    if case.outcome is not None and verdict.outcome is not case.outcome:
        params = {"outcome": verdict.outcome.value, "expected_outcome": case.outcome.value}
        problems.append(Problem(ProblemCode.WRONG_OUTCOME, params))
    return TestCaseResult(number=number, case=case, verdict=verdict, problems=tuple(problems))


def _matches(verdict: Verdict, rule_id: str) -> list[str]:
    """The texts a rule matched, each once, in the order of the text."""
    return list(dict.fromkeys(finding.matched for finding in verdict.findings if finding.rule_id == rule_id))


def _not_found(rule: Rule, case: TestCase) -> Problem:
    """A rule that found nothing, and why if it did not apply at all: its scope or its dates."""
    if Scope.EVERYONE not in rule.scope and case.scope not in rule.scope:
        scopes = tuple(scope.value for scope in Scope if scope in rule.scope)
        params: dict[str, ProblemParam] = {"rule": rule.id, "rule_scopes": scopes, "test_scope": case.scope.value}
        return Problem(ProblemCode.NOT_FOUND_OUT_OF_SCOPE, params)
    settings = rule.settings
    date = case.date or DEFAULT_TEST_DATE
    if isinstance(settings, QuietPeriodSettings) and not settings.start <= date <= settings.end:
        code = ProblemCode.NOT_FOUND_OUTSIDE_QUIET_PERIOD
        if case.date is None:
            code = ProblemCode.NOT_FOUND_UNDATED_OUTSIDE_QUIET_PERIOD
        dates = {"date": date.isoformat(), "start": settings.start.isoformat(), "end": settings.end.isoformat()}
        return Problem(code, {"rule": rule.id, **dates})
    return Problem(ProblemCode.NOT_FOUND, {"rule": rule.id})


# The English sentence of each problem; lists are joined with "and", outcomes said in words.
_ENGLISH: Mapping[ProblemCode, str] = {
    ProblemCode.NOT_FOUND: '"{rule}" was not found.',
    ProblemCode.NOT_FOUND_OUT_OF_SCOPE: (
        '"{rule}" was not found: it applies to {rule_scopes}, and the test is written as {test_scope}.'
    ),
    ProblemCode.NOT_FOUND_OUTSIDE_QUIET_PERIOD: (
        '"{rule}" was not found: the test\'s date, {date}, is outside its quiet period ({start} to {end}).'
    ),
    ProblemCode.NOT_FOUND_UNDATED_OUTSIDE_QUIET_PERIOD: (
        '"{rule}" was not found: the test has no date and is checked on {date}, '
        "outside its quiet period ({start} to {end})."
    ),
    ProblemCode.FOUND: '"{rule}" was found in {matches}.',
    ProblemCode.WRONG_OUTCOME: 'The outcome is "{outcome}", not "{expected_outcome}".',
}


def _english(code: ProblemCode, params: Mapping[str, ProblemParam]) -> str:
    words: dict[str, str] = {}
    for key, value in params.items():
        if key in ("outcome", "expected_outcome") and isinstance(value, str):
            words[key] = _OUTCOME_WORDS[Outcome(value)]
        elif key == "matches":
            words[key] = _and(_quoted(value))
        else:
            words[key] = value if isinstance(value, str) else _and(value)
    return _ENGLISH[code].format(**words)


def _quoted(texts: Sequence[str]) -> list[str]:
    return [f'"{text}"' for text in texts]


def _shortened(text: str) -> str:
    return text[: _LONGEST_QUOTE - 1] + "…" if len(text) > _LONGEST_QUOTE else text


def _excerpt(text: str) -> str:
    return f'"{_shortened(text)}"'


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
