"""The report of a check: labels in the reader's language, lines and columns, and highlight pieces."""

import datetime

from compliance_engine import Finding, Outcome, Verdict
from compliance_engine.model import RiskCategory, RuleKind, Scope, Severity
from compliance_engine.policyfile import loads
from portevoix.policies.checking import Piece, ReportedFinding, check_with_policy, compile_policy_file, pieces, report
from portevoix.policies.tests.check_policy import ACME_POLICY

DAY = datetime.date(2026, 5, 4)


def finding(start: int, end: int, severity: Severity = Severity.WARN, rule_id: str = "rule") -> Finding:
    return Finding(
        rule_id=rule_id,
        kind=RuleKind.TERMS,
        category=RiskCategory.REPUTATION,
        severity=severity,
        clause_id="c-2-1",
        start=start,
        end=end,
        matched="",
        message="",
        suggestion="",
        detail="",
    )


def reported(text: str, *findings: Finding) -> tuple[ReportedFinding, ...]:
    verdict = Verdict(outcome=Outcome.CAREFUL, findings=findings)
    return report(
        verdict, loads(ACME_POLICY), text=text, language="en", scope=Scope.EVERYONE, date=DAY, policy_version=1
    ).findings


def shape(result: list[Piece]) -> list[tuple[str, str | None, tuple[int, ...]] | int]:
    """Text pieces as (text, severity, numbers); labels as their finding's number."""
    return [
        piece.label.number if piece.label else (piece.text, piece.severity and piece.severity.value, piece.numbers)
        for piece in result
    ]


def test_each_highlight_is_followed_by_its_label() -> None:
    text = "ab Heron cd 0612345678"
    items = reported(text, finding(3, 8, Severity.BLOCK), finding(12, 22))

    assert shape(pieces(text, items)) == [
        ("ab ", None, ()),
        ("Heron", "block", (1,)),
        1,
        (" cd ", None, ()),
        ("0612345678", "warn", (2,)),
        2,
    ]


def test_overlapping_findings_take_the_strongest_colour_and_keep_both_labels() -> None:
    text = "Projet Heron!"
    items = reported(text, finding(0, 12, Severity.WARN), finding(7, 12, Severity.BLOCK))

    assert shape(pieces(text, items)) == [
        ("Projet ", "warn", (1,)),
        ("Heron", "block", (1, 2)),
        1,
        2,
        ("!", None, ()),
    ]


def test_an_empty_span_still_gets_its_label_where_it_is() -> None:
    text = "abc"
    items = reported(text, finding(3, 3, Severity.INFO))

    assert shape(pieces(text, items)) == [("abc", None, ()), 1]


def test_pieces_put_back_together_give_the_text_unchanged() -> None:
    text = "l'équipe\ndu Projet Heron\n\n<b>bravo</b>"
    items = reported(text, finding(12, 24), finding(20, 24, Severity.BLOCK), finding(26, 29, Severity.INFO))

    assert "".join(piece.text for piece in pieces(text, items)) == text


def test_lines_and_columns_count_from_one_in_characters() -> None:
    text = "Première ligne\nla deuxième: Heron"
    (item,) = reported(text, finding(28, 33))

    assert (item.line, item.column) == (2, 14)
    assert text[item.finding.start : item.finding.end] == "Heron"


def test_labels_and_clause_titles_are_in_the_reader_language() -> None:
    compiled = compile_policy_file(ACME_POLICY)
    text = "Le Projet Heron avance."

    french = check_with_policy(text, compiled, date=DAY, scope=Scope.EVERYONE, language="fr", policy_version=None)
    english = check_with_policy(text, compiled, date=DAY, scope=Scope.EVERYONE, language="en", policy_version=None)

    assert english.outcome_label == "Do not publish"
    assert (english.findings[0].clause_title, english.findings[0].category_label) == (
        "Confidential projects",
        "Legal and confidentiality",
    )
    assert english.findings[0].finding.message == "This project is confidential."
    assert french.findings[0].clause_title == "Projets confidentiels"
    assert french.findings[0].finding.message == "Ce projet est confidentiel."
    assert french.blocks
