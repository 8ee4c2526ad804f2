"""The demo policy's own test cases cover it: each rule, and each personal data detector, is needed by one.

A rule switched off (its id kept, so the test cases still name it, but finding nothing) or a
detector taken out of its rule must make at least one test case fail; otherwise the test cases
would let a compliance officer break that rule without noticing.
"""

import dataclasses
import datetime

import pytest

from compliance_engine.engine import check, compile_policy
from compliance_engine.model import CustomPatternSettings, Detector, PersonalDataSettings, Policy, Rule, Scope
from compliance_engine.policyfile import loads
from compliance_engine.testcases import run_test_cases
from portevoix.demo.steps.policy import POLICY_FILE

POLICY = loads(POLICY_FILE.read_text(encoding="utf-8"))
# A pattern no post holds: the rule keeps its id, severity and scope, and finds nothing.
NOTHING = CustomPatternSettings(patterns=(r"\bzq9x7-never-written\b",))
DETECTORS = [
    (rule.id, detector)
    for rule in POLICY.rules
    if isinstance(rule.settings, PersonalDataSettings)
    for detector in sorted(rule.settings.detectors)
]


def _with_rule(policy: Policy, changed: Rule) -> Policy:
    return dataclasses.replace(policy, rules=tuple(changed if rule.id == changed.id else rule for rule in policy.rules))


def _failed(policy: Policy) -> list[str]:
    return [result.summary for result in run_test_cases(policy) if not result.passed]


def test_every_test_case_of_the_demo_policy_passes() -> None:
    assert _failed(POLICY) == []


@pytest.mark.parametrize("rule", POLICY.rules, ids=lambda rule: rule.id)
def test_switching_a_rule_off_fails_a_test_case(rule: Rule) -> None:
    assert _failed(_with_rule(POLICY, dataclasses.replace(rule, settings=NOTHING)))


@pytest.mark.parametrize(("rule_id", "detector"), DETECTORS, ids=[f"{rule}-{detector}" for rule, detector in DETECTORS])
def test_switching_a_detector_off_fails_a_test_case(rule_id: str, detector: Detector) -> None:
    rule = next(rule for rule in POLICY.rules if rule.id == rule_id)
    assert isinstance(rule.settings, PersonalDataSettings)
    fewer = PersonalDataSettings(detectors=rule.settings.detectors - {detector})
    assert _failed(_with_rule(POLICY, dataclasses.replace(rule, settings=fewer)))


def test_the_detectors_of_the_demo_policy_are_all_on() -> None:
    assert {detector for _, detector in DETECTORS} == set(Detector)


@pytest.mark.parametrize("rule", POLICY.rules, ids=lambda rule: rule.id)
def test_every_rule_has_a_text_it_must_find_and_one_it_must_not(rule: Rule) -> None:
    assert any(rule.id in case.must_find for case in POLICY.tests)
    assert any(rule.id in case.must_not_find for case in POLICY.tests)


@pytest.mark.parametrize(
    ("language", "wording"), [("fr", "« #collaborateur »"), ("en", '"#employee" or "I work at Lumarelle"')]
)
def test_an_ambassador_who_promotes_lumarelle_is_told_a_disclosure_in_their_language(
    language: str, wording: str
) -> None:
    verdict = check(
        "Découvrez la SolarBox de Lumarelle !",
        compile_policy(POLICY),
        date=datetime.date(2026, 11, 27),
        scope=Scope.AMBASSADORS,
        language=language,
    )

    suggestions = {finding.rule_id: finding.suggestion for finding in verdict.findings}
    assert set(suggestions) == {"transparence", "transparence-etats-unis"}
    assert wording in suggestions["transparence"]
    assert "#employee" in suggestions["transparence-etats-unis"]
