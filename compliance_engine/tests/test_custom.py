"""Custom pattern rules: the officer's regular expressions, on the folded text, spans in the original."""

import dataclasses
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance_engine.custom import CustomChecker
from compliance_engine.engine import PolicyError, check, compile_policy
from compliance_engine.model import CustomPatternSettings, Policy, RuleKind, Scope
from compliance_engine.normalize import fold
from compliance_engine.tests.policies import CONFIDENTIALITY, CUSTOM, OUTSIDE_QUIET_PERIOD, text_compiled


def custom_findings(text: str) -> list[tuple[str, str]]:
    verdict = check(text, text_compiled(), date=OUTSIDE_QUIET_PERIOD, scope=Scope.EVERYONE)
    return [(f.matched, f.detail) for f in verdict.findings if f.kind is RuleKind.CUSTOM]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Voir le ticket JIRA-1234 pour les détails", [("JIRA-1234", r"\bjira-\d{3,}\b")]),
        ("Voir ｊｉｒａ-５６７", [("ｊｉｒａ-５６７", r"\bjira-\d{3,}\b")]),  # full-width, folded  # noqa: RUF001
        ("Selon la RÉFÉRENCE   INTERNE 12", [("RÉFÉRENCE   INTERNE", r"\bréf(?:érence)? interne\b")]),
        ("Réf interne : voir plus bas", [("Réf interne", r"\bréf(?:érence)? interne\b")]),
        ("JIRA-12 est trop court", []),
        ("La préférence interne", []),
    ],
)
def test_custom_patterns_run_on_the_folded_text(text: str, found: list[tuple[str, str]]) -> None:
    assert custom_findings(text) == found


@pytest.mark.parametrize(
    ("patterns", "error"),
    [
        (("jira-(\\d+",), "not a valid regular expression"),
        (("a*",), "can match an empty string"),
        ((r"\b",), "can match an empty string"),
        (("(?=x)",), "can match an empty string"),
        (("ok", "x?"), r"'x\?' can match an empty string"),
        ((), "at least one pattern"),
    ],
)
def test_a_bad_pattern_is_refused_with_the_rule_named(patterns: tuple[str, ...], error: str) -> None:
    rule = dataclasses.replace(CUSTOM, settings=CustomPatternSettings(patterns))

    with pytest.raises(PolicyError, match=f"Rule 'internal-references': .*(?:{error})"):
        compile_policy(Policy(clauses=(CONFIDENTIALITY,), rules=(rule,)))


@given(
    before=st.text(alphabet="abcdéèà ÀÉ\u200b\n.", max_size=30),
    after=st.text(alphabet="abcdéèà ÀÉ\u200b\n.", max_size=30),
    number=st.integers(min_value=100, max_value=99_999),
)
def test_a_match_maps_back_to_its_own_text_in_the_original(before: str, after: str, number: int) -> None:
    text = f"{before} JIRA-{number} {after}"

    assert (f"JIRA-{number}", r"\bjira-\d{3,}\b") in custom_findings(text)


@given(
    text=st.text(alphabet="ab_ -1", max_size=30),
    pattern=st.sampled_from([r"\bab", r"\ba+b", r"\b-a", r"\b.b", r"\ba[ b]*", r"\b1?a"]),
)
def test_a_leading_word_boundary_checked_in_python_finds_what_re_finds(text: str, pattern: str) -> None:
    checker = CustomChecker(CustomPatternSettings((pattern,)))

    found = [(start, end) for start, end, _ in checker.find(fold(text))]

    assert found == [match.span() for match in re.finditer(pattern, fold(text).text)]


@given(
    text=st.text(alphabet="abc-1 ", max_size=30),
    pattern=st.sampled_from(["ab", "ab?c", "a{2}b", "abc*", "a-1", "a b", "a|bc", "ab(?:c|1)", r"\bab?", "c+a"]),
)
def test_a_pattern_skipped_for_lack_of_its_literal_finds_what_re_finds(text: str, pattern: str) -> None:
    checker = CustomChecker(CustomPatternSettings((pattern,)))

    found = [(start, end) for start, end, _ in checker.find(fold(text))]

    assert found == [match.span() for match in re.finditer(pattern, fold(text).text)]
