"""Reads for "check my post": the page's starting state, the statistics, the archived drafts.

Statistics come from `CheckCount` only, which holds numbers and never the text of a draft.
"""

import dataclasses
import datetime

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise

from compliance_engine.model import RiskCategory, RuleKind
from portevoix.accounts.models import Organization
from portevoix.policies.checking import CATEGORY_LABELS, KIND_LABELS
from portevoix.policies.models import ArchivedDraft, CheckCount, PolicySettings, PolicyVersion

STATISTICS_PERIODS = (7, 30, 90)  # days
DEFAULT_STATISTICS_PERIOD = 30


@dataclasses.dataclass(frozen=True)
class CheckPageState:
    """What the check page needs before any check: the policy in force and whether drafts are kept."""

    version: PolicyVersion | None
    archive_drafts: bool


def check_page_state(*, organization: Organization) -> CheckPageState:
    """One query: the active version and the archiving switch of an organisation."""
    policy_settings = PolicySettings.objects.select_related("active_version").filter(organization=organization).first()
    if policy_settings is None:
        return CheckPageState(version=None, archive_drafts=False)
    return CheckPageState(version=policy_settings.active_version, archive_drafts=policy_settings.archive_drafts)


@dataclasses.dataclass(frozen=True)
class RuleCount:
    rule_id: str
    kind: str
    kind_label: str | Promise
    category: str
    category_label: str | Promise
    drafts: int
    percent: int  # of the drafts checked over the period, rounded


@dataclasses.dataclass(frozen=True)
class CategoryCount:
    category: str
    label: str | Promise
    flags: int


@dataclasses.dataclass(frozen=True)
class CheckStatistics:
    days: int
    since: datetime.date
    drafts_checked: int
    rules: list[RuleCount]
    categories: list[CategoryCount]


def _kind_label(kind: str) -> str | Promise:
    return KIND_LABELS[RuleKind(kind)] if kind in RuleKind else kind


def _category_label(category: str) -> str | Promise:
    return CATEGORY_LABELS[RiskCategory(category)] if category in RiskCategory else category


def check_statistics(*, organization: Organization, days: int) -> CheckStatistics:
    """Drafts checked, and drafts flagged per rule and per risk category, over the last `days` days (today included).

    A draft flagged by two rules of one category counts twice in that category.
    """
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    rows = list(
        CheckCount.objects.filter(organization=organization, day__gte=since)
        .values("rule_id", "kind", "category")
        .annotate(drafts=Sum("count"))
        .order_by()
    )
    drafts_checked = sum(row["drafts"] for row in rows if not row["rule_id"])
    rules = sorted(
        (
            RuleCount(
                rule_id=row["rule_id"],
                kind=row["kind"],
                kind_label=_kind_label(row["kind"]),
                category=row["category"],
                category_label=_category_label(row["category"]),
                drafts=row["drafts"],
                percent=round(100 * row["drafts"] / drafts_checked) if drafts_checked else 0,
            )
            for row in rows
            if row["rule_id"]
        ),
        key=lambda rule: (-rule.drafts, rule.rule_id),
    )
    flags = {category.value: 0 for category in RiskCategory}
    for rule in rules:
        flags[rule.category] = flags.get(rule.category, 0) + rule.drafts
    categories = [
        CategoryCount(category=category, label=_category_label(category), flags=count)
        for category, count in flags.items()
    ]
    return CheckStatistics(days=days, since=since, drafts_checked=drafts_checked, rules=rules, categories=categories)


def archived_drafts(*, organization: Organization) -> QuerySet[ArchivedDraft]:
    """An organisation's archived drafts, newest first, with their authors and versions."""
    return (
        ArchivedDraft.objects.filter(organization=organization)
        .select_related("author", "policy_version")
        .defer("policy_version__source", "policy_version__test_report")
        .order_by("-checked_at", "-pk")
    )
