from collections.abc import Mapping

from django import template
from django.utils.translation import get_language, ngettext

from compliance_engine.model import (
    CustomPatternSettings,
    DisclosureSettings,
    LinkSettings,
    PersonalDataSettings,
    QuietPeriodSettings,
    Rule,
    TermListSettings,
    ToneSettings,
    localized,
)
from portevoix.policies.checking import CATEGORY_LABELS, KIND_LABELS, OUTCOME_LABELS, SEVERITY_LABELS

register = template.Library()


@register.filter
def in_language(texts: Mapping[str, str]) -> str:
    """A policy text ({"fr": …, "en": …}) in the active language, else in the other one."""
    return localized(texts, (get_language() or "fr")[:2])


@register.filter
def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))  # type: ignore[call-overload]


@register.filter
def severity_label(severity: str) -> str:
    return str(SEVERITY_LABELS.get(severity, severity))  # type: ignore[call-overload]


@register.filter
def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category))  # type: ignore[call-overload]


@register.filter
def outcome_label(outcome: str | None) -> str:
    return str(OUTCOME_LABELS.get(outcome, outcome)) if outcome else ""  # type: ignore[call-overload]


@register.filter
def rule_contents(rule: Rule) -> str:
    """What a rule holds, counted in the unit of its kind ("12 terms", "3 domains"), or "—" if nothing is counted."""
    settings = rule.settings
    if isinstance(settings, TermListSettings | QuietPeriodSettings):
        count = len(settings.entries)
        return ngettext("%(count)s term", "%(count)s terms", count) % {"count": count}
    if isinstance(settings, PersonalDataSettings):
        count = len(settings.detectors)
        return ngettext("%(count)s detector", "%(count)s detectors", count) % {"count": count}
    if isinstance(settings, LinkSettings):
        count = len(settings.allowed_domains) + len(settings.blocked_domains)
        return ngettext("%(count)s allowed or blocked domain", "%(count)s allowed or blocked domains", count) % {
            "count": count
        }
    if isinstance(settings, DisclosureSettings):
        return _disclosure_contents(settings)
    if isinstance(settings, ToneSettings):
        count = len(settings.categories)
        return ngettext("%(count)s category", "%(count)s categories", count) % {"count": count}
    if isinstance(settings, CustomPatternSettings):
        count = len(settings.patterns)
        return ngettext("%(count)s pattern", "%(count)s patterns", count) % {"count": count}
    return "—"


def _disclosure_contents(settings: DisclosureSettings) -> str:
    wordings = len(settings.accepted_wordings)
    names = len(settings.company_names) + len(settings.product_names)
    return "{wordings}, {names}".format(
        wordings=ngettext("%(count)s wording", "%(count)s wordings", wordings) % {"count": wordings},
        names=ngettext("%(count)s name", "%(count)s names", names) % {"count": names},
    )
