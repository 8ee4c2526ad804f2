"""A policy's test cases: what each expects, what the engine found, and why a case fails."""

import dataclasses
import datetime
from collections import Counter
from pathlib import Path

import pytest

from compliance_engine.engine import Outcome, compile_policy
from compliance_engine.model import Policy, RuleKind, Scope, TestCase
from compliance_engine.policyfile import dumps, loads
from compliance_engine.testcases import DEFAULT_TEST_DATE, Problem, ProblemCode, TestCaseResult, run_test_cases
from compliance_engine.tests.policies import INSIDE_QUIET_PERIOD, POLICY, compiled

DEMO_POLICY_FILE = Path(__file__).resolve().parents[2] / "portevoix" / "demo" / "policy" / "lumarelle.toml"


def run(*cases: TestCase) -> tuple[TestCaseResult, ...]:
    return run_test_cases(dataclasses.replace(POLICY, tests=cases))


def english(result: TestCaseResult) -> tuple[str, ...]:
    return tuple(str(problem) for problem in result.problems)


def test_a_passing_case_says_what_it_expected_and_what_was_found() -> None:
    case = TestCase(
        "Le Projet Heron avance, écrivez à alice@lumarelle.com",
        must_find=("confidential-projects", "personal-data"),
        must_not_find=("competitors",),
        outcome=Outcome.DO_NOT_PUBLISH,
    )

    (result,) = run(case)

    assert result.passed
    assert result.problems == ()
    assert result.number == 1
    assert result.expected == (
        'Must find "confidential-projects" and "personal-data". Must not find "competitors". Outcome "do not publish".'
    )
    assert result.found == (
        '"confidential-projects" in "Projet Heron", "personal-data" in "alice@lumarelle.com". Outcome "do not publish".'
    )
    assert result.summary == "Test 1 passed."


def test_a_case_that_finds_nothing_says_so() -> None:
    (result,) = run(TestCase("Belle journée à Lyon.", must_not_find=("confidential-projects",)))

    assert result.passed
    assert result.found == 'No finding. Outcome "fine".'


def test_a_rule_that_finds_nothing_fails_a_case_that_needs_it() -> None:
    (result,) = run(TestCase("Belle journée à Lyon.", must_find=("confidential-projects",)))

    assert not result.passed
    assert english(result) == ('"confidential-projects" was not found.',)
    assert result.problems == (Problem(ProblemCode.NOT_FOUND, {"rule": "confidential-projects"}),)
    assert result.summary == 'Test 1 failed: "confidential-projects" was not found.'


def test_a_rule_that_finds_something_fails_a_case_that_forbids_it_and_quotes_each_match_once() -> None:
    case = TestCase("Heron, Heron et le Projet Heron", must_not_find=("confidential-projects",))

    (result,) = run(case)

    assert english(result) == ('"confidential-projects" was found in "Heron" and "Projet Heron".',)
    assert result.problems == (
        Problem(ProblemCode.FOUND, {"rule": "confidential-projects", "matches": ("Heron", "Projet Heron")}),
    )


def test_a_wrong_outcome_fails_the_case() -> None:
    (result,) = run(TestCase("Le Projet Heron avance.", outcome=Outcome.FINE))

    assert english(result) == ('The outcome is "do not publish", not "fine".',)
    assert result.problems == (
        Problem(ProblemCode.WRONG_OUTCOME, {"outcome": "do_not_publish", "expected_outcome": "fine"}),
    )


def test_every_failed_expectation_is_reported() -> None:
    case = TestCase(
        "Le Projet Heron avance.",
        must_find=("personal-data",),
        must_not_find=("confidential-projects",),
        outcome=Outcome.FINE,
    )

    (result,) = run(case)

    assert english(result) == (
        '"personal-data" was not found.',
        '"confidential-projects" was found in "Projet Heron".',
        'The outcome is "do not publish", not "fine".',
    )


def test_a_long_match_is_shortened_in_the_report() -> None:
    policy = loads(
        dumps(POLICY).replace('"Heron",', '"Heron",\n    "' + "très " * 20 + 'long",')
    )  # a term of 105 characters
    case = TestCase("Un " + "très " * 20 + "long texte", must_not_find=("confidential-projects",))

    (result,) = run_test_cases(dataclasses.replace(policy, tests=(case,)))

    assert english(result) == ('"confidential-projects" was found in "' + ("très " * 12)[:59] + '…".',)


def test_a_case_without_a_date_is_checked_on_a_fixed_day_outside_every_quiet_period() -> None:
    (result,) = run(TestCase("Notre chiffre d'affaires progresse.", must_find=("quiet-period-q1",)))

    assert datetime.date(2000, 1, 1) == DEFAULT_TEST_DATE
    assert english(result) == (
        '"quiet-period-q1" was not found: the test has no date and is checked on 2000-01-01, '
        "outside its quiet period (2026-03-01 to 2026-03-31).",
    )
    assert result.problems[0].code is ProblemCode.NOT_FOUND_UNDATED_OUTSIDE_QUIET_PERIOD
    assert result.problems[0].params == {
        "rule": "quiet-period-q1",
        "date": "2000-01-01",
        "start": "2026-03-01",
        "end": "2026-03-31",
    }


def test_a_dated_case_outside_the_quiet_period_says_its_date() -> None:
    case = TestCase(
        "Notre chiffre d'affaires progresse.", must_find=("quiet-period-q1",), date=datetime.date(2026, 4, 2)
    )

    (result,) = run(case)

    assert english(result) == (
        '"quiet-period-q1" was not found: the test\'s date, 2026-04-02, is outside its quiet period '
        "(2026-03-01 to 2026-03-31).",
    )
    assert result.problems[0].code is ProblemCode.NOT_FOUND_OUTSIDE_QUIET_PERIOD
    assert result.problems[0].params["date"] == "2026-04-02"


def test_a_dated_case_inside_the_quiet_period_finds_its_terms() -> None:
    case = TestCase("Notre chiffre d'affaires progresse.", must_find=("quiet-period-q1",), date=INSIDE_QUIET_PERIOD)

    (result,) = run(case)

    assert result.passed


def test_a_rule_out_of_the_case_scope_says_whom_it_applies_to() -> None:
    (result,) = run(TestCase("Globex recrute.", must_find=("competitors",)))

    assert english(result) == (
        '"competitors" was not found: it applies to ambassadors and official, and the test is written as everyone.',
    )
    assert result.problems == (
        Problem(
            ProblemCode.NOT_FOUND_OUT_OF_SCOPE,
            {"rule": "competitors", "rule_scopes": ("ambassadors", "official"), "test_scope": "everyone"},
        ),
    )


def test_the_case_scope_and_language_are_those_of_the_check() -> None:
    case = TestCase("Globex recrute.", must_find=("competitors",), scope=Scope.AMBASSADORS, language="en")

    (result,) = run(case)

    assert result.passed
    assert result.verdict.findings[0].message == "Do not name our competitors."


def test_cases_are_numbered_in_policy_order() -> None:
    results = run(TestCase("Heron", must_find=("confidential-projects",)), TestCase("Lyon", outcome=Outcome.FINE))

    assert [(result.number, result.passed) for result in results] == [(1, True), (2, True)]


def test_a_compiled_policy_can_be_given_but_must_be_the_same_policy() -> None:
    policy = dataclasses.replace(POLICY, tests=(TestCase("Heron", must_find=("confidential-projects",)),))

    assert run_test_cases(policy, compile_policy(policy))[0].passed
    with pytest.raises(ValueError, match="not the policy whose test cases are run"):
        run_test_cases(policy, compiled())


# The demo company's policy file.


def demo_policy() -> Policy:
    return loads(DEMO_POLICY_FILE.read_text(encoding="utf-8"))


def test_the_demo_policy_file_is_in_canonical_form_and_comes_back_equal() -> None:
    text = DEMO_POLICY_FILE.read_text(encoding="utf-8")

    assert dumps(loads(text)) == text
    assert loads(dumps(demo_policy())) == demo_policy()


def test_every_test_case_of_the_demo_policy_passes() -> None:
    results = run_test_cases(demo_policy())

    assert [result.summary for result in results if not result.passed] == []
    assert len(results) >= 30


def test_the_demo_policy_tests_every_rule_both_ways() -> None:
    policy = demo_policy()
    found = Counter(rule_id for case in policy.tests for rule_id in case.must_find)
    not_found = Counter(rule_id for case in policy.tests for rule_id in case.must_not_find)

    assert [rule.id for rule in policy.rules if not found[rule.id] or not not_found[rule.id]] == []


def test_the_demo_policy_has_every_rule_kind_and_a_few_hundred_terms() -> None:
    policy = demo_policy()
    terms = sum(len(getattr(rule.settings, "entries", ())) for rule in policy.rules)

    assert {rule.kind for rule in policy.rules} == set(RuleKind)
    assert terms >= 200


def test_the_demo_policy_says_lawful_criticism_of_the_employer_is_fine() -> None:
    lawful = [case for case in demo_policy().tests if case.outcome is Outcome.FINE and "critique" in case.note.lower()]

    assert len(lawful) >= 2
