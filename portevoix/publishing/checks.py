"""The policy check of an official post: every variant's text, official scope, at the post's date.

Nothing is counted or stored here: the composer checks as the person types, and the services
keep only what the approval steps need (does the check warn, does it block).
"""

import datetime
from dataclasses import dataclass

from compliance_engine import Outcome
from compliance_engine.model import Scope
from portevoix.accounts.models import Organization
from portevoix.policies import checking
from portevoix.policies import services as policy_services


@dataclass(frozen=True)
class TextCheck:
    """The check of one text, ready for the page: the report and the text cut for highlighting."""

    report: checking.CheckReport
    pieces: list[checking.Piece]

    @property
    def blocks(self) -> bool:
        return self.report.blocks

    @property
    def warns(self) -> bool:
        return self.report.outcome is not Outcome.FINE


@dataclass(frozen=True)
class PostCheck:
    """What the check says about a post's texts, keyed like the texts given."""

    texts: dict[str, TextCheck]
    has_policy: bool

    @property
    def blocks(self) -> bool:
        return any(item.blocks for item in self.texts.values())

    @property
    def warns(self) -> bool:
        return any(item.warns for item in self.texts.values())


def check_texts(*, organization: Organization, texts: dict[str, str], date: datetime.date, language: str) -> PostCheck:
    """Check each non-empty text against the organisation's policy in force, official scope."""
    version = policy_services.active_version(organization)
    if version is None:
        return PostCheck(texts={}, has_policy=False)
    compiled = policy_services.compiled_policy(version)
    results: dict[str, TextCheck] = {}
    for key, text in texts.items():
        if not text.strip():
            continue
        report = checking.check_with_policy(
            text, compiled, date=date, scope=Scope.OFFICIAL, language=language, policy_version=version.number
        )
        results[key] = TextCheck(report=report, pieces=checking.pieces(text, report.findings))
    return PostCheck(texts=results, has_policy=True)
