"""The draft of a request as the check page shows it, from the check report kept with the request."""

from typing import Any

from compliance_engine import Finding, Outcome
from compliance_engine.model import RiskCategory, RuleKind, Severity
from portevoix.asks.models import Ask
from portevoix.policies import checking


def _reported(item: dict[str, Any]) -> checking.ReportedFinding:
    finding = Finding(
        rule_id=item["rule_id"],
        kind=RuleKind(item["kind"]),
        category=RiskCategory(item["category"]),
        severity=Severity(item["severity"]),
        clause_id=item["clause_id"],
        start=item["start"],
        end=item["end"],
        matched=item["matched"],
        message=item["message"],
        suggestion=item["suggestion"],
        detail=item["detail"],
    )
    return checking.ReportedFinding(
        number=item["number"],
        finding=finding,
        clause_title=item["clause_title"],
        line=item["line"],
        column=item["column"],
        severity_label=item["severity_label"],
        category_label=item["category_label"],
        kind_label=item["kind_label"],
    )


def reported_findings(ask: Ask) -> list[checking.ReportedFinding]:
    """The findings of the draft's check when the request was opened, labels in the author's language."""
    return [_reported(item) for item in ask.check_report.get("findings", [])]


def draft_pieces(ask: Ask, findings: list[checking.ReportedFinding]) -> list[checking.Piece]:
    """The draft cut into plain and highlighted pieces, as on the check page."""
    return checking.pieces(ask.draft, findings) if ask.draft else []


def outcome_label(outcome: str) -> str:
    """The verdict's name in the active language; empty for a request without a checked draft."""
    return str(checking.OUTCOME_LABELS[Outcome(outcome)]) if outcome in Outcome else ""
